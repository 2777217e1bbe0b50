/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Configuration loader: Kea's Dhcp4 JSON (the common subset, see
 * docs/configuration.md) into plain C structs. Addresses are uint32_t in
 * host byte order. The loader validates everything it can without
 * touching the system (interfaces are not looked up).
 */
#ifndef DHCPXDP_CONFIG_H
#define DHCPXDP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "classify/classify.h"
#include "util/log.h"
#include "wire/option_def.h"

#define CONFIG_DEFAULT_VALID_LIFETIME	  7200
#define CONFIG_DEFAULT_LEASE_DB		  "/var/lib/dhcpxdp/leases.sqlite3"
#define CONFIG_DEFAULT_DB_TIMEOUT	  5 /* Kea's connect-timeout, s */
#define CONFIG_DEFAULT_CONTROL_SOCKET	  "/run/dhcpxdp/control.sock"
#define CONFIG_DEFAULT_PIN_DIR		  "/sys/fs/bpf/dhcpxdp"
#define CONFIG_DEFAULT_XDP_MODE		  "native"
#define CONFIG_DEFAULT_HORIZON_FACTOR	  2.0
#define CONFIG_DEFAULT_DECLINE_PROBATION  86400
#define CONFIG_DEFAULT_OFFER_LIFETIME	  60
#define CONFIG_DEFAULT_LEASE_MAP_CAPACITY 1048576
#define CONFIG_DEFAULT_HISTORY_FILE	  "lease-history.sqlite3"
#define CONFIG_DEFAULT_HISTORY_RETENTION  (90 * 86400)
#define CONFIG_DEFAULT_LEGAL_LOG_BASE	  "kea-legal"
#define CONFIG_DEFAULT_PRESSURE_FREE	  10
#define CONFIG_DEFAULT_PRESSURE_HOLD	  3
/*
 * Rate limits on what XDP passes up (requests/s, burst), rate_limits.c.
 * A client does DISCOVER and REQUEST, a PXE boot chain two or three
 * times: 16 at once is plenty, 8/s stops one MAC from mattering. A rack
 * of 40 to 80 hosts with their BMCs booting at once sends a few hundred
 * requests: the network's burst takes them at once, and 200/s serves a
 * thousand new clients in about 10 s. A relay fronts several racks.
 * Known clients (a lease or reservation) only count against their own.
 */
#define CONFIG_DEFAULT_RATE_CLIENT	  8
#define CONFIG_DEFAULT_BURST_CLIENT	  16
#define CONFIG_DEFAULT_RATE_NETWORK	  200
#define CONFIG_DEFAULT_BURST_NETWORK	  400
#define CONFIG_DEFAULT_RATE_RELAY	  400
#define CONFIG_DEFAULT_BURST_RELAY	  800
#define CONFIG_DEFAULT_RATE_CIRCUIT_ID	  8
#define CONFIG_DEFAULT_BURST_CIRCUIT_ID	  16

/* Option spaces every configuration has (cfg->option_spaces[i]). */
#define DX_SPACE_DHCP4 0 /* the top-level options */
#define DX_SPACE_VENDOR_ENCAP \
	1 /* 43's sub-options, as Kea's built-in
				 * "vendor-encapsulated-options-space" */

/* One option-data entry, already encoded (payload only). */
struct dx_option {
	uint8_t code;
	bool always_send; /* Kea's always-send: sent even if not in option 55 */
	uint8_t len;
	/*
	 * The space the entry was given in (an index in cfg->option_spaces,
	 * DX_SPACE_DHCP4 for a top-level option). Composed lists
	 * (dx_*.options) hold top-level options only; sub-options live in
	 * the option_data lists as configured.
	 */
	uint16_t space;
	/* Option 125 given as an enterprise number (csv-format true): one
	 * block of its vendor-N space's sub-options (RFC 3925 §4). */
	bool vivso;
	uint32_t enterprise;
	uint8_t data[OPTION_MAX_LEN];
};

struct dx_option_list {
	struct dx_option *opts;
	size_t n;
};

/*
 * Kea's next-server, server-hostname and boot-file-name: the BOOTP
 * siaddr, sname and file fields of OFFER and ACK (RFC 2131 §2, table 3),
 * where a PXE ROM looks for its TFTP server and boot file. Given at the
 * Dhcp4, subnet and reservation levels (bootp.c); at each level a key
 * given replaces what the level above said (has_* tell which were given
 * at this level or above). The strings are NUL-terminated and fit the
 * wire fields with their NUL (64 and 128 bytes).
 */
#define DX_BOOTP_SNAME_MAX 63
#define DX_BOOTP_FILE_MAX 127
struct dx_bootp_conf {
	uint32_t next_server; /* siaddr, 0 = none */
	char server_hostname[DX_BOOTP_SNAME_MAX + 1];
	char boot_file_name[DX_BOOTP_FILE_MAX + 1];
	bool has_next_server, has_sname, has_file;
};

/*
 * What becomes of the host name a client sends (option 12, RFC 2132
 * §3.14) before it is stored in the lease and sent back: Kea's
 * hostname-char-set and hostname-char-replacement (sanitizing) and
 * ddns-replace-client-name, ddns-generated-prefix and
 * ddns-qualifying-suffix (replacing and qualifying), at the Dhcp4,
 * shared-network and subnet levels (client_names.c); each level starts
 * from the one above. The engine applies them (engine/client_name.c).
 */
enum dx_replace_name {
	DX_REPLACE_NEVER = 0,	     /* Kea's default */
	DX_REPLACE_ALWAYS,	     /* generate, whatever the client sent */
	DX_REPLACE_WHEN_PRESENT,     /* replace a sent name, none else */
	DX_REPLACE_WHEN_NOT_PRESENT, /* keep a sent name, generate else */
};
#define DX_HOSTNAME_CHAR_SET_MAX	255
#define DX_HOSTNAME_REPLACEMENT_MAX	63
#define DX_DNS_NAME_MAX			253
#define DX_CLIENT_NAME_DEFAULT_CHAR_SET "[^A-Za-z0-9.-]"
#define DX_CLIENT_NAME_DEFAULT_PREFIX	"myhost"
struct dx_client_name_conf {
	/* POSIX extended regular expression of the characters to replace;
	 * "" sanitizes nothing. */
	char char_set[DX_HOSTNAME_CHAR_SET_MAX + 1];
	char replacement[DX_HOSTNAME_REPLACEMENT_MAX + 1]; /* "" omits */
	int replace; /* enum dx_replace_name */
	char prefix[DX_DNS_NAME_MAX + 1];
	char suffix[DX_DNS_NAME_MAX + 1]; /* "" qualifies nothing */
	/* DNS updates (Kea's behavioural ddns-* keys, ddns.c), inherited
	 * level by level like the names above. */
	bool send_updates;	     /* ddns-send-updates, default true */
	bool override_no_update;     /* ddns-override-no-update */
	bool override_client_update; /* ddns-override-client-update */
	bool update_on_renew;	     /* ddns-update-on-renew */
	int conflict_mode;	     /* enum dx_ddns_conflict */
	/* ddns-ttl-percent (0..1], ddns-ttl, -min, -max; has_*: given */
	double ttl_percent;
	uint32_t ttl, ttl_min, ttl_max;
	bool has_ttl_percent, has_ttl, has_ttl_min, has_ttl_max;
};

/*
 * Kea's ddns-conflict-resolution-mode: how D2 treats a name another
 * client holds (RFC 4703 §5 with the DHCID RR of RFC 4701).
 */
enum dx_ddns_conflict {
	DX_DDNS_CHECK_WITH_DHCID = 0, /* Kea's default, RFC 4703 */
	DX_DDNS_NO_CHECK_WITH_DHCID,
	DX_DDNS_CHECK_EXISTS_WITH_DHCID,
	DX_DDNS_NO_CHECK_WITHOUT_DHCID,
};

/*
 * Kea's dhcp-ddns object: where name change requests go (a
 * kea-dhcp-ddns server, "D2"), JSON over UDP (ddns.c).
 */
#define DX_DDNS_DEFAULT_PORT	   53001
#define DX_DDNS_DEFAULT_QUEUE_SIZE 1024
struct dx_ddns_conf {
	bool enable_updates;
	uint32_t server_ip, sender_ip;	   /* host order; sender 0: any */
	uint16_t server_port, sender_port; /* sender 0: any */
	uint32_t max_queue_size;
};

/* One option-def entry (option_defs.c). */
struct dx_option_def_conf {
	char *name;
	uint16_t space;	       /* index in cfg->option_spaces */
	uint16_t encapsulate;  /* the space of its sub-options, 0 = none */
	struct option_def def; /* def.name is name, def.fields is fields */
	enum option_type *fields;
};

/* One configured range, inclusive at both ends ("pools": [{"pool": ...}]). */
struct dx_pool_range {
	uint32_t start;
	uint32_t end;
};

/*
 * A pool's option-data as configured, and the top-level options it
 * changes: the subnet's list with each code here replaced (composed with
 * the sub-options of every level, options_compose()); both empty for a
 * pool without options.
 */
struct dx_pool_options {
	struct dx_option_list option_data;
	struct dx_option_list options;
};

/* interfaces-config.interfaces entry: "eth0" or "eth0/192.0.2.1". */
struct dx_iface_conf {
	char *name;
	uint32_t addr; /* the address after '/', 0 if none was given */
};

/*
 * One of Dhcp4.client-classes (classes.c, docs/configuration.md). Its
 * index in dx_config.classes is what cls_ref and cls_set count by.
 */
struct dx_class_conf {
	char *name;
	struct cls_prog *test; /* NULL: no test (reservations assign it) */
	/* option-data as configured, and its top-level options; class
	 * options rank between the subnet's and the global ones (Kea ARM,
	 * "Class Priority"). */
	struct dx_option_list option_data, options;
	/* only-if-required / only-in-additional-list: evaluated only when
	 * a subnet's evaluate-additional-classes names it. */
	bool additional;
	/* The test depends on KNOWN/UNKNOWN, directly or by member():
	 * evaluated after the reservation look-up, as Kea does. */
	bool after_known;
	/* Named as a built-in class (ALL, VENDOR_CLASS_...): a member by
	 * that rule, not by a test. */
	bool builtin;
	struct cls_ref builtin_ref;
	/* BOOTP fields (RFC 2131 §2) the class sets (has_*). */
	struct dx_bootp_conf bootp;
	/* valid-lifetime, 0 = not set: replaces the subnet's for members
	 * (Kea ARM, "Class Priority"); T1/T2 stay the subnet's. */
	uint32_t valid_lifetime;
};

/* Class names as indexes into dx_config.classes, in order. */
struct dx_class_list {
	uint16_t *idx;
	size_t n;
};

/* A client-class restriction on a subnet or a pool: none when n is 0,
 * else the request must belong to one of the classes. */
struct dx_class_guard {
	char **names;	      /* as configured; refs may point into them */
	struct cls_ref *refs;
	size_t n;
};

/* Longest flex-id a reservation holds (hex or 'quoted', as a circuit
 * id). */
#define DX_FLEX_ID_MAX 255

struct dx_reservation_conf {
	uint8_t hw[6];
	bool has_hw;
	uint8_t *client_id; /* NULL unless reserved by client-id */
	size_t client_id_len;
	/* NULL unless reserved by the relay's circuit id (option 82
	 * sub-option 1, RFC 3046 §2.1) */
	uint8_t *circuit_id;
	size_t circuit_id_len;
	/* NULL unless reserved by DUID: the client's DUID as its option 61
	 * carries it (type 255, IAID, DUID; RFC 4361 §6.1) */
	uint8_t *duid;
	size_t duid_len;
	/* NULL unless reserved by Kea's flex-id: the value the flex_id
	 * hook's identifier-expression must yield (dx_config.flex_id_expr;
	 * without it, kept - its address stays out of the pools - and never
	 * matched) */
	uint8_t *flex_id;
	size_t flex_id_len;
	uint32_t addr; /* 0: none, the client gets a pool address */
	char *hostname; /* NULL if none */
	/* The reservation's own option-data as configured, and the top-level
	 * options it changes, composed over its pool's (if the address is
	 * in a pool with options) and the subnet's. */
	struct dx_option_list option_data;
	struct dx_option_list options;
	/* The reservation's own boot fields only (Kea: an empty one is not
	 * given); each overrides the subnet's (config_bootp_merge()). */
	struct dx_bootp_conf bootp;
	/* Added at run time (reservations_store.c), not from the file. */
	bool runtime;
	/* A copy of a Dhcp4.reservations entry (global_reservations.c):
	 * its pointers belong to dx_config.global_reservations. */
	bool global;
	/*
	 * By hw-address, but an identifier listed before hw-address in
	 * host-reservation-identifiers (client-id) has reservations in the
	 * subnet: a request may match one of those first, which XDP cannot
	 * tell (config_mark_shadowed()).
	 */
	bool shadowed;
	/* client-classes: indexes into dx_config.classes. */
	uint16_t *classes;
	size_t n_classes;
};

struct dx_subnet_conf {
	uint32_t id;
	uint32_t network;
	uint8_t prefix_len;
	struct dx_pool_range *pools;
	struct dx_pool_options *pool_opts; /* one per pool */
	size_t n_pools;
	/* Global option-data, then the subnet's (same code: subnet wins),
	 * composed (options_compose()); option_data is the subnet's own. */
	struct dx_option_list options;
	struct dx_option_list option_data;
	/* The top-level options the subnet and its shared network set
	 * themselves: a class's option gives way to these, not to the
	 * global ones (Kea ARM, "Class Priority"). */
	struct dx_option_list own_options;
	/* client-class / client-classes of the subnet, and of each pool
	 * (pool_guards: n_pools entries, NULL when no pool has one). */
	struct dx_class_guard guard;
	struct dx_class_guard *pool_guards;
	/* Each pool's evaluate-additional-classes (n_pools entries, NULL
	 * when no pool has any): evaluated before the subnet's. */
	struct dx_class_list *pool_additional;
	/* evaluate-additional-classes (require-client-classes): indexes
	 * into dx_config.classes, evaluated once the subnet is chosen. */
	uint16_t *additional;
	size_t n_additional;
	struct dx_reservation_conf *reservations;
	size_t n_reservations;
	uint32_t *relay_addrs; /* relay.ip-addresses (giaddr values) */
	size_t n_relay;
	/*
	 * Interface for direct (unrelayed) traffic; NULL for a relay-only
	 * subnet. Defaults to the only interface of interfaces-config when
	 * the subnet names neither an interface nor relays.
	 */
	char *interface;
	/*
	 * The interface was not named: the only one of interfaces-config,
	 * serving this subnet directly if the interface's address lies in
	 * it, or if it is the only such subnet (config_interface_subnet).
	 */
	bool interface_implicit;
	/*
	 * Named neither an interface nor relays, with "*" among the
	 * interfaces (interface NULL): served directly on each interface
	 * whose address lies in the subnet, as Kea selects subnets
	 * (config_interface_subnet).
	 */
	bool interface_by_addr;
	/*
	 * The shared network (Kea's shared-networks) this subnet belongs
	 * to: its name and its 1-based position among them; NULL and 0 for
	 * a subnet of its own. Subnets of one network are in configuration
	 * order in dx_config.subnets.
	 */
	char *shared_network;
	uint32_t shared_id;
	/* Where the subnet was configured, e.g. "Dhcp4.subnet4[2]" or
	 * "Dhcp4.shared-networks[0].subnet4[1]", for messages. */
	char *path;
	/* Effective timers (inherited from the levels above when absent). */
	uint32_t valid_lifetime, renew_timer, rebind_timer;
	/*
	 * Option 54 of the subnet's option-data, else its shared network's,
	 * else Dhcp4's (Kea's dhcp-server-identifier), host order: the
	 * server identifier of its replies instead of the interface's
	 * address. 0: none. XDP, which sends the interface's, is off for
	 * the subnet (config_fast_path_off()).
	 */
	uint32_t server_id;
	/* Effective boot fields: Dhcp4's, then the subnet's on top. */
	struct dx_bootp_conf bootp;
	/* Effective client-name handling: Dhcp4's, the shared network's,
	 * then the subnet's keys on top. */
	struct dx_client_name_conf names;
	/*
	 * Kea's switches at this level, inherited from Dhcp4 when absent
	 * (kea_behaviour.c). Zero is Kea's default, so a subnet built
	 * without the loader behaves as Kea's does.
	 */
	/* Kea's reservations-global and -in-subnet, inherited from Dhcp4:
	 * where this subnet's clients' reservations are looked up. */
	bool res_global, res_in_subnet;
	bool authoritative;    /* NAK what the server does not know */
	bool ignore_client_id; /* match-client-id false: leases by chaddr */
	/* The range a lease time asked for in option 51 is clamped to;
	 * 0 stands for valid_lifetime. */
	uint32_t min_valid_lifetime, max_valid_lifetime;
};

/* Identifiers reservations are looked up by, Kea's
 * host-reservation-identifiers. */
enum dx_host_id {
	DX_HOST_ID_HW,
	DX_HOST_ID_CIRCUIT_ID,
	DX_HOST_ID_CLIENT_ID,
	DX_HOST_ID_DUID,
	DX_HOST_ID_FLEX_ID, /* listed as Kea's; nothing ever matches it */
	DX_HOST_IDS,
};

/* Kea's switches as given at the Dhcp4 level (kea_behaviour.c). */
struct dx_kea_conf {
	bool authoritative;
	bool ignore_client_id;	/* match-client-id false */
	bool no_echo_client_id; /* echo-client-id false (global only) */
	uint32_t min_valid_lifetime, max_valid_lifetime; /* 0 = not given */
};

/*
 * Dhcp4.dhcpxdp.lease-history (lease_history.c, docs/logging.md): who
 * held which address when. Off unless the object is there.
 */
struct dx_history_conf {
	bool enabled;
	char *path;	    /* default: lease-history.sqlite3 beside the leases */
	uint32_t retention; /* seconds a closed tenancy is kept */
};

/*
 * Kea's forensic log hook (libdhcp_legal_log.so in hooks-libraries), as
 * dhcpxdp writes it itself: one line per grant, renewal and release into
 * PATH/BASE-NAME.YYYYMMDD.txt (lease_history.c, docs/logging.md).
 */
struct dx_legal_log_conf {
	bool enabled;
	char *path;
	char *base_name;
};

/* Dhcp4.dhcpxdp.starvation (starvation.c, docs/protocol.md). */
struct dx_starvation_conf {
	/* under pressure: free < this percent of the pool; 0 = never */
	uint32_t pressure_free_percent;
	uint32_t pressure_offer_hold; /* seconds an offer is held then */
	bool reclaim_declined;	      /* offer a declined address when dry */
	uint32_t max_per_circuit_id;  /* per (giaddr, circuit-id), 0 = off */
	uint32_t max_relay_share_percent; /* per giaddr, 0 = off */
};

/* One rate limit: requests per second on average, and at once; rate 0
 * turns it off. */
struct dx_rate_limit_conf {
	uint32_t rate;
	uint32_t burst;
};

struct dx_rate_limits_conf {
	struct dx_rate_limit_conf per_client, per_network, per_relay,
		per_circuit_id;
};

/* What Kea's on-fail says to do when the lease database's connection is
 * lost (docs/configuration.md, "lease-database"). */
enum dx_db_on_fail {
	DX_DB_STOP_RETRY_EXIT,
	DX_DB_SERVE_RETRY_EXIT,
	DX_DB_SERVE_RETRY_CONTINUE,
};

/* Dhcp4.lease-database, Kea's keys (lease_db_conf.c). */
struct dx_lease_db_conf {
	char *type; /* "sqlite" or "postgresql" */
	char *name; /* SQLite: the database file; PostgreSQL: the database */
	/* PostgreSQL only; NULL: libpq's default. A host starting with '/'
	 * is the directory of the server's Unix socket (as in libpq). */
	char *host, *user, *password;
	uint16_t port;		      /* 0: libpq's default (5432) */
	uint32_t connect_timeout;     /* s */
	uint32_t max_reconnect_tries; /* 0: a lost connection is not retried */
	uint32_t reconnect_wait_time; /* ms between two attempts */
	enum dx_db_on_fail on_fail;
	bool retry_on_startup; /* hosts-databases only (lease: refused) */
	/* TLS to a server (db_tls_conf.c): libpq's sslrootcert, sslcert,
	 * sslkey (MySQL's the same); NULL when not given. */
	char *trust_anchor, *cert_file, *key_file;
	char *ssl_mode;		  /* libpq's sslmode; NULL: from the keys */
	uint32_t tcp_user_timeout; /* s, PostgreSQL only; 0: the OS's */
	/* MySQL host databases only: TLS ciphers (NULL: the library's),
	 * read-timeout and write-timeout in s (0: the library's). */
	char *cipher_list;
	unsigned int read_timeout, write_timeout;
};

/*
 * One entry of Dhcp4.hosts-databases (or Dhcp4.hosts-database), Kea's
 * keys (hosts_db_conf.c): a PostgreSQL database in Kea's own schema whose
 * IPv4 reservations the daemon loads at start and on reload
 * (store/hosts_db.h), merged after the file's.
 */
struct dx_hosts_db_conf {
	struct dx_lease_db_conf db;
	char path[64]; /* "Dhcp4.hosts-databases[0]", for messages */
};

/*
 * Kea's high-availability relationship (libdhcp_ha.so's parameters), as
 * dhcpxdp runs it: two servers on one PostgreSQL lease database, each
 * answering its scope (config/ha.c, engine/ha_scope.c, docs/design.md).
 */
enum dx_ha_mode {
	DX_HA_OFF,
	DX_HA_LOAD_BALANCING, /* primary and secondary split the clients */
	DX_HA_HOT_STANDBY,    /* the primary answers, the standby waits */
};

enum dx_ha_role { DX_HA_PRIMARY, DX_HA_SECONDARY, DX_HA_STANDBY, DX_HA_BACKUP };

#define DX_HA_PEERS_MAX 8
#define DX_HA_NAME_MAX	64

struct dx_ha_peer {
	char name[DX_HA_NAME_MAX];
	enum dx_ha_role role;
	bool auto_failover; /* this server takes the peer's scope when it
			     * stops (Kea's per-peer auto-failover) */
};

struct dx_ha_conf {
	enum dx_ha_mode mode;
	uint32_t heartbeat_delay_ms;	/* between two of our heartbeats */
	uint32_t max_response_delay_ms; /* partner silent that long: down */
	/* Kea's scope order: the primary, then the secondary or standby,
	 * then backups; a scope is named after its peer. */
	struct dx_ha_peer peers[DX_HA_PEERS_MAX];
	size_t n_peers;
	size_t self; /* this-server-name's index in peers */
};

/*
 * An HTTP or HTTPS control socket (Kea's control-sockets entry of
 * socket-type "http" or "https"): the daemon answers the Unix socket's
 * commands in HTTP POSTs on it (daemon/control_http.c). The TLS files are
 * only named here: the daemon reads them when it opens the socket. The
 * basic authentication's user-file and password-file are read at load, as
 * Kea reads them.
 */
#define CONFIG_DEFAULT_HTTP_ADDRESS "127.0.0.1"
#define CONFIG_DEFAULT_HTTP_PORT    8000
#define CONFIG_DEFAULT_HTTP_REALM   "kea-dhcpv4-server"
struct dx_http_client {
	char *user;	/* non-empty, no ':' */
	char *password; /* "" when none */
};
struct dx_http_header {
	char *name, *value;
};
struct dx_http_socket_conf {
	char *path;    /* "Dhcp4.control-sockets[1]", for messages */
	char *type;    /* "http" or "https", as written */
	char *address; /* numeric IPv4 or IPv6, as written */
	uint16_t port;
	/* TLS: "https", or "http" with the TLS keys (as Kea). Then all
	 * three files are set. */
	bool tls;
	char *trust_anchor; /* a file or a directory of CA certificates */
	char *cert_file, *key_file;
	bool cert_required; /* clients must present a certificate */
	/* Basic authentication, required when n_clients > 0. */
	char *realm;
	struct dx_http_client *clients;
	size_t n_clients;
	struct dx_http_header *headers; /* http-headers, added to answers */
	size_t n_headers;
};

/* A copy of src that owns its strings: 0 or -ENOMEM, with nothing left
 * to free. db_conn_conf_free frees the strings of one. */
int db_conn_conf_dup(struct dx_lease_db_conf *dst,
		     const struct dx_lease_db_conf *src);
void db_conn_conf_free(struct dx_lease_db_conf *db);

struct dx_config {
	char *path; /* the file (or name) the config was loaded from */
	struct dx_iface_conf *interfaces;
	size_t n_interfaces;
	/*
	 * interfaces-config.interfaces holds "*" (Kea: every interface):
	 * the daemon adds each interface that is up, not loopback and has
	 * an IPv4 address to `interfaces` when it loads the file, and
	 * reloads when another one appears. `interfaces` holds the names
	 * listed besides it.
	 */
	bool interfaces_all;
	uint32_t valid_lifetime, renew_timer, rebind_timer; /* global */
	/* Option 54 of Dhcp4's option-data (Kea's dhcp-server-identifier),
	 * host order; 0: none. */
	uint32_t server_id;
	struct dx_option_list options;	   /* global option-data, composed */
	struct dx_option_list option_data; /* as configured, every space */
	/* Option spaces by name: DX_SPACE_DHCP4, DX_SPACE_VENDOR_ENCAP,
	 * then the ones option-def and option-data name. */
	char **option_spaces;
	size_t n_option_spaces;
	struct dx_option_def_conf *option_defs; /* Dhcp4.option-def */
	size_t n_option_defs;
	struct dx_kea_conf kea;
	struct dx_bootp_conf bootp; /* Dhcp4-level boot fields */
	struct dx_client_name_conf names; /* Dhcp4-level client names */
	struct dx_ddns_conf ddns;	  /* Dhcp4.dhcp-ddns */
	/* Dhcp4.reservations, copied into each subnet that looks them up */
	struct dx_reservation_conf *global_reservations;
	size_t n_global_reservations;
	bool res_global, res_in_subnet; /* Dhcp4's reservations-* flags */
	/* host-reservation-identifiers in order; n_host_ids 0: Kea's
	 * default, hw-address, circuit-id, client-id (config_host_ids()) */
	uint8_t host_ids[DX_HOST_IDS];
	size_t n_host_ids;
	/* Kea's flex_id hook (hooks-libraries): the identifier-expression
	 * that computes a request's flex-id; NULL: flex-ids never match. */
	struct cls_prog *flex_id_expr;
	struct dx_ha_conf ha; /* libdhcp_ha.so in hooks-libraries */
	struct dx_subnet_conf *subnets;
	size_t n_subnets;
	struct dx_class_conf *classes; /* Dhcp4.client-classes, in order */
	size_t n_classes;
	struct dx_lease_db_conf lease_db;
	struct dx_hosts_db_conf *hosts_dbs; /* Dhcp4.hosts-database(s) */
	size_t n_hosts_dbs;
	struct {
		char *socket_type; /* always "unix" */
		char *socket_name;
	} control_socket;
	/* control-sockets entries of socket-type "http" / "https", in
	 * order (config/control_sockets.c) */
	struct dx_http_socket_conf *http_sockets;
	size_t n_http_sockets;
	struct {
		char *pin_dir;
		char *xdp_mode;		    /* "native" or "skb" */
		double horizon_factor;	    /* >= 1 */
		uint32_t decline_probation; /* seconds */
		uint32_t offer_hold; /* seconds an offered address is held */
		uint32_t lease_map_capacity;
		char *metrics_listen; /* "ADDR:PORT" or NULL (no endpoint) */
		struct dx_starvation_conf starvation;
		struct dx_rate_limits_conf rate_limits;
		struct dx_history_conf history;
		struct dx_legal_log_conf legal_log;
	} dhcpxdp;
	struct log_conf logging; /* Dhcp4.loggers (config/loggers.c) */
};

/*
 * Errors and warnings, each "FILE: JSON-PATH: reason", e.g.
 * "/etc/dhcpxdp.json: Dhcp4.subnet4[1].pools[0].pool: 10.0.1.5 -
 * 10.0.1.2: start after end". JSON syntax errors are "FILE: line L,
 * column C: reason". The library never prints; the caller does.
 */
#define CONFIG_ERR_MAX 1024
struct config_diag {
	char error[CONFIG_ERR_MAX]; /* "" when there was no error */
	char **warnings;
	size_t n_warnings;
};

/*
 * Load and validate @path. On success returns 0 and a config in *out
 * (free with config_free). On failure returns a negative errno (-EINVAL
 * for an invalid config, -ENOENT/-EACCES/... if the file cannot be read,
 * -ENOMEM) and diag->error says why. Warnings are collected in both
 * cases. @diag may be NULL; if not, release it with config_diag_free.
 */
int config_load(const char *path, struct dx_config **out,
		struct config_diag *diag);
struct json_object;
/*
 * config_load with reservations read from host databases: hosts is a
 * JSON array of Kea reservation objects, each with its "subnet-id" (0:
 * global) and a "comment" naming the row for messages (store/hosts_db.h).
 * They join their subnets' reservations after the file's (hosts_merge.c:
 * a conflict with the file is warned and the row skipped). hosts may be
 * NULL; it is not changed.
 */
int config_load_hosts(const char *path, struct json_object *hosts,
		      struct dx_config **out, struct config_diag *diag);

/* The same from a string; @name stands for the file name in messages. */
int config_load_string(const char *json, const char *name,
		       struct dx_config **out, struct config_diag *diag);

void config_free(struct dx_config *cfg);
void config_diag_free(struct config_diag *diag);

/* Lookups for the daemon. */
/*
 * The subnet serving interface `name` directly, 0 when none (that
 * interface serves relayed traffic only): the first, in configuration
 * order, that names it in "interface" (for a shared network, its first
 * subnet); else, of the subnets bound to it implicitly (the only
 * interface, no "interface" key), the one holding `addr` (the
 * interface's address, host order), or the only one; else, with "*"
 * among the interfaces, the subnet naming neither an interface nor
 * relays that holds `addr`. As Kea selects the subnet of a direct
 * request by the receiving interface.
 */
uint32_t config_interface_subnet(const struct dx_config *cfg, const char *name,
				 uint32_t addr);
/* The id of the configured subnet whose prefix holds `addr`, 0 if none. */
uint32_t config_subnet_of_addr(const struct dx_config *cfg, uint32_t addr);
/* Whether interfaces-config lists `name`. */
bool config_lists_interface(const struct dx_config *cfg, const char *name);
/* The address given as "name/a.b.c.d" in interfaces-config, 0 if none. */
uint32_t config_interface_addr(const struct dx_config *cfg, const char *name);
const struct dx_subnet_conf *config_subnet_by_id(const struct dx_config *cfg,
						 uint32_t id);
/* The identifiers reservations are looked up by, in order (Kea's
 * default when the configuration names none); returns how many. */
size_t config_host_ids(const struct dx_config *cfg, uint8_t ids[DX_HOST_IDS]);
/* Whether reservations by `id` can be matched at all. */
bool config_host_id_used(const struct dx_config *cfg, enum dx_host_id id);
/* Set each reservation's `shadowed` from the order and the subnet's
 * reservations; after loading and after adding reservations. */
void config_mark_shadowed(struct dx_config *cfg);

/*
 * Does XDP's fast path have to stay off for subnet s, as it cannot answer
 * as the engine does under Kea's switches: echo-client-id false (XDP
 * echoes option 61), match-client-id false (XDP checks the client-id
 * hash), a lease-time range (XDP grants the subnet's valid-lifetime and
 * does not read option 51)? See docs/protocol.md, "Kea's switches". Nor
 * can it compute flex-ids: a subnet whose link has reservations by one
 * that the flex_id hook's expression computes stays off too, and so does
 * a subnet with a configured server identifier (XDP sends the address of
 * the interface), and one with DNS updates on renewals
 * (ddns-update-on-renew): XDP sends no name change request.
 */
bool config_fast_path_off(const struct dx_config *cfg,
			  const struct dx_subnet_conf *s);
/* The fields over gives (its has_*) replace those of dst. */
void config_bootp_merge(struct dx_bootp_conf *dst,
			const struct dx_bootp_conf *over);
/* Do a and b put the same bytes in siaddr, sname and file? */
bool config_bootp_same(const struct dx_bootp_conf *a,
		       const struct dx_bootp_conf *b);
/* Does b put anything in siaddr, sname or file? */
bool config_bootp_any(const struct dx_bootp_conf *b);
/*
 * Does XDP have to leave subnet s to the daemon because of client
 * classes: a subnet-level client-class, or a class that could add
 * options or BOOTP fields to its replies (classes.c, docs/design.md §2)?
 */
bool config_classes_punt(const struct dx_config *cfg,
			 const struct dx_subnet_conf *s);
const struct dx_option *dx_option_find(const struct dx_option_list *list,
				       uint8_t code);

#endif /* DHCPXDP_CONFIG_H */
