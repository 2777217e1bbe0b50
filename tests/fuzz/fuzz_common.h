/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Shared by the fuzzers and the seed generator: the invariant check, and
 * the configuration fuzz_frame's engine runs on (seeds.c builds frames
 * that hit its subnets, relays and reservations).
 */
#ifndef DHCPXDP_FUZZ_COMMON_H
#define DHCPXDP_FUZZ_COMMON_H

#include <stdio.h>

/*
 * A broken promise of the code under test is a crash for libFuzzer: it
 * saves the input. __builtin_trap() (SIGILL) rather than abort() so no
 * handler in the code under test can swallow it.
 */
#define FUZZ_CHECK(cond)                                                 \
	do {                                                             \
		if (!(cond)) {                                           \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", \
				__FILE__, __LINE__, #cond);              \
			__builtin_trap();                                \
		}                                                        \
	} while (0)

/* Between the records (control bytes + frame) of a fuzz_frame input. */
#define FUZZ_FRAME_SEP "DXFZ"

#define FUZZ_IP(a, b, c, d)                                               \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | \
	 (uint32_t)(d))

/* Our address on eth0 (option 54 of every reply). */
#define FUZZ_SERVER_ID	FUZZ_IP(10, 77, 0, 1)
#define FUZZ_RELAY1	FUZZ_IP(192, 0, 2, 77) /* relay of subnet 1 */
#define FUZZ_RELAY2	FUZZ_IP(192, 0, 2, 78) /* relay of subnet 2 */
#define FUZZ_POOL1	FUZZ_IP(10, 77, 0, 100)
#define FUZZ_POOL2	FUZZ_IP(10, 78, 0, 2)
#define FUZZ_RES_HW_IP	FUZZ_IP(10, 77, 0, 10)
#define FUZZ_RES_CID_IP FUZZ_IP(10, 77, 0, 11)
/* Clients are 02:00:00:00:77:xx; xx 01 has a reservation by hw-address. */
#define FUZZ_MAC(last)                               \
	{                                            \
		0x02, 0x00, 0x00, 0x00, 0x77, (last) \
	}
#define FUZZ_RES_HW_MAC 0x01
/* The reserved client-id (type 1, MAC 02:00:00:00:77:03). */
#define FUZZ_RES_CID                                     \
	{                                                \
		0x01, 0x02, 0x00, 0x00, 0x00, 0x77, 0x03 \
	}

/*
 * Subnet 1: direct on eth0 and behind relay 192.0.2.77, two small pools
 * (exhaustion is reachable), options with an RFC 3442 route and a long
 * domain-search (a 576-byte reply must drop options), reservations by
 * hw-address (in and out of the pool) and by client-id with options of
 * its own. Subnet 2: relay-only /28. Short timers so leases, offers and
 * probations expire as fuzz time runs on. The starvation defenses on,
 * the relay caps too (docs/protocol.md, "Starvation").
 */
#define FUZZ_ENGINE_CONF                                                       \
	"{\"Dhcp4\": {"                                                        \
	" \"interfaces-config\": {\"interfaces\": [\"eth0/10.77.0.1\"]},"      \
	" \"valid-lifetime\": 600, \"renew-timer\": 300,"                      \
	" \"rebind-timer\": 525, \"decline-probation-period\": 300,"           \
	" \"offer-lifetime\": 30,"                                             \
	" \"dhcpxdp\": {\"horizon-factor\": 2, \"starvation\": {"              \
	"   \"max-leases-per-circuit-id\": 4,"                                 \
	"   \"max-relay-share-percent\": 75}},"                                \
	" \"option-data\": ["                                                  \
	"  {\"name\": \"domain-name-servers\","                                \
	"   \"data\": \"10.77.0.53, 10.77.0.54\"},"                            \
	"  {\"name\": \"domain-name\", \"data\": \"fuzz.example.net\"}],"      \
	" \"subnet4\": ["                                                      \
	"  {\"id\": 1, \"subnet\": \"10.77.0.0/24\", \"interface\": \"eth0\"," \
	"   \"pools\": [{\"pool\": \"10.77.0.100 - 10.77.0.131\"},"            \
	"     {\"pool\": \"10.77.0.200 - 10.77.0.203\"}],"                     \
	"   \"relay\": {\"ip-addresses\": [\"192.0.2.77\"]},"                  \
	"   \"option-data\": ["                                                \
	"    {\"name\": \"routers\", \"data\": \"10.77.0.1\"},"                \
	"    {\"name\": \"interface-mtu\", \"data\": \"1500\"},"               \
	"    {\"name\": \"classless-static-route\","                           \
	"     \"data\": \"10.0.0.0/8 - 10.77.0.254, 0.0.0.0/0 - 10.77.0.1\"}," \
	"    {\"name\": \"domain-search\", \"data\":"                          \
	"     \"one.fuzz.example.net, two.fuzz.example.net,"                   \
	" three.fuzz.example.net, four.fuzz.example.net,"                      \
	" five.fuzz.example.net, six.fuzz.example.net,"                        \
	" seven.fuzz.example.net, eight.fuzz.example.net,"                     \
	" nine.fuzz.example.net, ten.fuzz.example.net,"                        \
	" xi.fuzz.example.net\"}],"                                            \
	"   \"reservations\": ["                                               \
	"    {\"hw-address\": \"02:00:00:00:77:01\","                          \
	"     \"ip-address\": \"10.77.0.10\", \"hostname\": \"res-hw\"},"      \
	"    {\"hw-address\": \"02:00:00:00:77:02\","                          \
	"     \"ip-address\": \"10.77.0.101\"},"                               \
	"    {\"client-id\": \"01:02:00:00:00:77:03\","                        \
	"     \"ip-address\": \"10.77.0.11\","                                 \
	"     \"option-data\": [{\"name\": \"routers\","                       \
	"       \"data\": \"10.77.0.254\"}]}]},"                               \
	"  {\"id\": 2, \"subnet\": \"10.78.0.0/28\","                          \
	"   \"relay\": {\"ip-addresses\": [\"192.0.2.78\"]},"                  \
	"   \"pools\": [{\"pool\": \"10.78.0.2 - 10.78.0.13\"}]}"              \
	" ]}}"

#endif /* DHCPXDP_FUZZ_COMMON_H */
