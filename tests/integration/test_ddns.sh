#!/usr/bin/env bash
# DNS updates end to end: a real named with a dynamic zone example.test.
# and its reverse zone, a real kea-dhcp-ddns (D2) pointed at it, both run
# by this test on loopback in the lab's server namespace; `dhcpxdp run`
# with dhcp-ddns on sends its name change requests to D2. dhclient asks
# for host1.example.test. with option 81 (S set): its A, PTR and DHCID
# RRs appear; its DHCPRELEASE takes them away again. A client that leaves
# without a word loses them when its lease expires.
# Usage: tests/integration/test_ddns.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
N_TESTS=5

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP)" $N_TESTS
for tool in dhclient named kea-dhcp-ddns dig; do
	command -v $tool >/dev/null ||
		t_skip_all "$tool missing (scripts/deps.sh test)" $N_TESTS
done

DHCPXDP=$out/dhcpxdp
NAMED_PID= D2_PID=

ddns_cleanup() {
	[ -n "$D2_PID" ] && kill "$D2_PID" 2>/dev/null
	[ -n "$NAMED_PID" ] && kill "$NAMED_PID" 2>/dev/null
	lab_cleanup
}
lab_up ddns dxd $N_TESTS
trap ddns_cleanup EXIT

# --- named: two dynamic zones, updates from loopback -------------------
mkdir -p "$T_DIR/named"
for z in example.test 0.77.10.in-addr.arpa; do
	cat >"$T_DIR/named/$z.db" <<ZONE
\$TTL 300
@ IN SOA ns.example.test. admin.example.test. 1 3600 600 86400 300
@ IN NS ns.example.test.
ZONE
done
echo "ns IN A 127.0.0.1" >>"$T_DIR/named/example.test.db"
cat >"$T_DIR/named.conf" <<CONF
options {
	directory "$T_DIR/named";
	pid-file "$T_DIR/named/named.pid";
	listen-on port 53 { 127.0.0.1; };
	listen-on-v6 { none; };
	recursion no;
	dnssec-validation no;
};
controls { };
zone "example.test" { type primary; file "example.test.db";
	allow-update { 127.0.0.1; }; };
zone "0.77.10.in-addr.arpa" { type primary; file "0.77.10.in-addr.arpa.db";
	allow-update { 127.0.0.1; }; };
CONF
# named writes the key of its local update clients into /run/named: a
# private mount of a directory of ours there keeps the host's untouched.
mkdir -p "$T_DIR/run-named"
ip netns exec "$SRV_NS" unshare -m sh -c "
	[ -d /run/named ] && mount --bind '$T_DIR/run-named' /run/named
	exec named -g -u root -c '$T_DIR/named.conf'" >"$T_DIR/named.log" 2>&1 &
NAMED_PID=$!

dig_srv() { srv dig +short +time=1 +tries=1 @127.0.0.1 "$@"; }
wait_until 15 sh -c "ip netns exec $SRV_NS dig +short +time=1 +tries=1 @127.0.0.1 ns.example.test A | grep -q 127.0.0.1" ||
	t_fail_all "named did not answer: $(tail -20 "$T_DIR/named.log")" $N_TESTS

# --- kea-dhcp-ddns: requests from dhcpxdp on 127.0.0.1:53001 -----------
cat >"$T_DIR/d2.json" <<JSON
{ "DhcpDdns": {
  "ip-address": "127.0.0.1", "port": 53001, "dns-server-timeout": 1000,
  "ncr-protocol": "UDP", "ncr-format": "JSON",
  "forward-ddns": { "ddns-domains": [ { "name": "example.test.",
    "dns-servers": [ { "ip-address": "127.0.0.1", "port": 53 } ] } ] },
  "reverse-ddns": { "ddns-domains": [ { "name": "0.77.10.in-addr.arpa.",
    "dns-servers": [ { "ip-address": "127.0.0.1", "port": 53 } ] } ] },
  "loggers": [ { "name": "kea-dhcp-ddns", "severity": "DEBUG",
    "debuglevel": 40, "output_options": [ { "output": "stdout" } ] } ]
} }
JSON
KEA_PIDFILE_DIR=$T_DIR KEA_LOCKFILE_DIR=$T_DIR \
	ip netns exec "$SRV_NS" kea-dhcp-ddns -c "$T_DIR/d2.json" \
	>"$T_DIR/d2.log" 2>&1 &
D2_PID=$!
wait_until 15 sh -c "ip netns exec $SRV_NS ss -uln | grep -q '127.0.0.1:53001'" ||
	t_fail_all "kea-dhcp-ddns did not start: $(tail -20 "$T_DIR/d2.log")" $N_TESTS

# --- dhcpxdp with dhcp-ddns on ---------------------------------------------
cat >"$T_DIR/dhcpxdp.json" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "valid-lifetime": 20, "renew-timer": 10, "rebind-timer": 15,
  "lease-database": { "type": "sqlite", "name": "$T_DIR/leases.sqlite3" },
  "dhcp-ddns": { "enable-updates": true, "server-ip": "127.0.0.1",
    "server-port": 53001, "ncr-protocol": "UDP", "ncr-format": "JSON" },
  "ddns-qualifying-suffix": "example.test.",
  "ddns-conflict-resolution-mode": "check-with-dhcid",
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "interface": "$SRV_IF",
    "pools": [ { "pool": "10.77.0.100 - 10.77.0.199" } ] } ],
  "control-socket": { "socket-type": "unix", "socket-name": "$T_DIR/control.sock" },
  "dhcpxdp": { "pin-dir": "$PIN_DIR" }
} }
JSON
daemon_start || t_fail_all "the daemon did not start" $N_TESTS

cat >"$T_DIR/dhclient.conf" <<CONF
send fqdn.fqdn "host1.example.test.";
send fqdn.encoded on;
send fqdn.server-update on;
CONF
cli ip link set dev "$CLI_IF" address 02:aa:00:00:00:81
ADDR=

leased_addr() {
	grep -o "fixed-address [0-9.]*" "$T_DIR/dhc.leases" | tail -1 | awk '{print $2}'
}

ptr_name() {
	local a b c d
	IFS=. read -r a b c d <<<"$1"
	echo "$d.$c.$b.$a.in-addr.arpa"
}

t_lease_adds_a_record() {
	cli timeout 30 dhclient -1 -v -cf "$T_DIR/dhclient.conf" \
		-lf "$T_DIR/dhc.leases" -pf "$T_DIR/dhc.pid" "$CLI_IF" \
		>"$T_DIR/dhc.log" 2>&1 || fail "dhclient: $(cat "$T_DIR/dhc.log")"
	ADDR=$(leased_addr)
	[ -n "$ADDR" ] || fail "no lease: $(cat "$T_DIR/dhc.leases")"
	wait_until 15 sh -c "ip netns exec $SRV_NS dig +short +time=1 +tries=1 @127.0.0.1 host1.example.test A | grep -qx '$ADDR'" ||
		fail "no A record for $ADDR: $(dig_srv host1.example.test A); d2: $(tail -20 "$T_DIR/d2.log"); daemon: $(grep -i ddns "$T_DIR/daemon.log" | tail -5)"
}

t_lease_adds_ptr_record() {
	ADDR=$(leased_addr)
	wait_until 15 sh -c "ip netns exec $SRV_NS dig +short +time=1 +tries=1 @127.0.0.1 $(ptr_name "$ADDR") PTR | grep -qx 'host1.example.test.'" ||
		fail "no PTR for $ADDR: $(dig_srv "$(ptr_name "$ADDR")" PTR); d2: $(tail -20 "$T_DIR/d2.log")"
}

# RFC 4703 §5: the name carries the DHCID RR of its client.
t_lease_adds_dhcid_record() {
	[ -n "$(dig_srv host1.example.test DHCID)" ] ||
		fail "no DHCID RR: $(srv dig +time=1 +tries=1 @127.0.0.1 host1.example.test ANY)"
}

t_release_removes_records() {
	ADDR=$(leased_addr)
	cli timeout 20 dhclient -r -v -cf "$T_DIR/dhclient.conf" \
		-lf "$T_DIR/dhc.leases" -pf "$T_DIR/dhc.pid" "$CLI_IF" \
		>"$T_DIR/release.log" 2>&1
	wait_until 15 sh -c "[ -z \"\$(ip netns exec $SRV_NS dig +short +time=1 +tries=1 @127.0.0.1 host1.example.test A)\" ]" ||
		fail "A record still there after the release: $(dig_srv host1.example.test A); d2: $(tail -20 "$T_DIR/d2.log")"
	wait_until 15 sh -c "[ -z \"\$(ip netns exec $SRV_NS dig +short +time=1 +tries=1 @127.0.0.1 $(ptr_name "$ADDR") PTR)\" ]" ||
		fail "PTR still there after the release: $(dig_srv "$(ptr_name "$ADDR")" PTR)"
	[ -z "$(dig_srv host1.example.test DHCID)" ] || fail "DHCID RR left behind"
}

# The daemon's expiry reclaims the lease (2 s past the expiry the lease map
# holds) and sends the remove.
t_expiry_removes_records() {
	cli timeout 30 dhclient -1 -v -cf "$T_DIR/dhclient.conf" \
		-lf "$T_DIR/dhc.leases" -pf "$T_DIR/dhc.pid" "$CLI_IF" \
		>"$T_DIR/dhc2.log" 2>&1 || fail "dhclient: $(cat "$T_DIR/dhc2.log")"
	wait_until 15 sh -c "[ -n \"\$(ip netns exec $SRV_NS dig +short +time=1 +tries=1 @127.0.0.1 host1.example.test A)\" ]" ||
		fail "no A record for the second lease"
	# Gone without a DHCPRELEASE: no renewal, the lease runs out.
	kill -KILL "$(cat "$T_DIR/dhc.pid")" || fail "no dhclient to stop"
	wait_until 45 sh -c "[ -z \"\$(ip netns exec $SRV_NS dig +short +time=1 +tries=1 @127.0.0.1 host1.example.test A)\" ]" ||
		fail "A record still there after the expiry: $(dig_srv host1.example.test A); daemon: $(grep -i 'expir\|ddns' "$T_DIR/daemon.log" | tail -5)"
}

t_run lease_adds_a_record t_lease_adds_a_record
t_run lease_adds_ptr_record t_lease_adds_ptr_record
t_run lease_adds_dhcid_record t_lease_adds_dhcid_record
t_run release_removes_records t_release_removes_records
t_run expiry_removes_records t_expiry_removes_records
t_summary
