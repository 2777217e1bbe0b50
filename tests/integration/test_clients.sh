#!/usr/bin/env bash
# Real DHCP clients against `dhcpxdp run` in a network-namespace lab
# (scripts/lab.sh): ISC dhclient and busybox udhcpc get addresses with the
# right options from the daemon, and their renewals are answered by XDP
# without the daemon seeing them; a reservation is honoured; RELEASE frees
# an address; DECLINE puts one in probation. Each of those leaves its line,
# with its message ID, in the daemon's log; a file logger rotates. The host
# name dhclient sends is stored sanitized and qualified (hostname-char-*,
# ddns-qualifying-suffix).
# Usage: tests/integration/test_clients.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
N_TESTS=10

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP)" $N_TESTS
for tool in dhclient udhcpc; do
	command -v $tool >/dev/null || t_skip_all "$tool missing (scripts/deps.sh test)" $N_TESTS
done

DHCPXDP=$out/dhcpxdp
T_DIR=$(mktemp -d /tmp/dhcpxdp-it-XXXXXX)
PREFIX=dxi$((RANDOM % 10000))
PY=/usr/bin/python3
RESERVED_MAC=02:dd:00:00:00:01

cleanup() {
	daemon_stop
	cli pkill -f "dhclient.*$T_DIR" 2>/dev/null
	cli pkill -f "udhcpc.*$T_DIR" 2>/dev/null
	"$top/scripts/lab.sh" down "$T_DIR" "$PREFIX" 2>/dev/null
	rm -rf "$T_DIR"
}
trap cleanup EXIT

"$top/scripts/lab.sh" up "$T_DIR" "$PREFIX" || t_fail_all "cannot build the lab" $N_TESTS
. "$T_DIR/lab.env"

cat >"$T_DIR/dhcpxdp.json" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "valid-lifetime": 20, "renew-timer": 4, "rebind-timer": 15,
  "lease-database": { "type": "sqlite", "name": "$T_DIR/leases.sqlite3" },
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "interface": "$SRV_IF",
    "pools": [ { "pool": "10.77.0.100 - 10.77.0.199" } ],
    "option-data": [ { "name": "routers", "data": "10.77.0.1" },
                     { "name": "domain-name-servers", "data": "10.77.0.53" },
                     { "name": "domain-name", "data": "lab.dhcpxdp" } ],
    "reservations": [ { "hw-address": "$RESERVED_MAC",
                        "ip-address": "10.77.0.50" } ],
    "hostname-char-replacement": "-", "ddns-qualifying-suffix": "lab.dhcpxdp" } ],
  "control-socket": { "socket-type": "unix", "socket-name": "$T_DIR/control.sock" },
  "dhcpxdp": { "pin-dir": "$PIN_DIR", "decline-probation-period": 3600 },
  "loggers": [ { "name": "kea-dhcp4", "severity": "INFO",
    "output_options": [ { "output": "stderr" },
      { "output": "$T_DIR/file.log", "maxsize": 3000, "maxver": 2 } ] } ]
} }
JSON
daemon_start || t_fail_all "the daemon did not start" $N_TESTS

cli_mac() { cli cat "/sys/class/net/$CLI_IF/address"; }
set_cli_mac() {
	cli ip addr flush dev "$CLI_IF"
	cli ip link set dev "$CLI_IF" address "$1"
}
daemon_saw() { grep -c "REQUEST from $1" "$T_DIR/daemon.log"; }
lease_json() { "$DHCPXDP" leases -c "$T_DIR/dhcpxdp.json" --json; }

dhclient_run() {
	cli timeout 30 dhclient -1 -v -lf "$T_DIR/$1.leases" -pf "$T_DIR/$1.pid" \
		"$CLI_IF" >"$T_DIR/$1.log" 2>&1
}

t_dhclient_gets_address() {
	set_cli_mac 02:aa:00:00:00:01
	dhclient_run dhc || fail "dhclient: $(cat "$T_DIR/dhc.log")"
	local l=$T_DIR/dhc.leases
	grep -Eq "fixed-address 10\.77\.0\.1[0-9][0-9];" "$l" || fail "address: $(cat "$l")"
	grep -q "option subnet-mask 255.255.255.0;" "$l" || fail "mask"
	grep -q "option routers 10.77.0.1;" "$l" || fail "router"
	grep -q "option domain-name-servers 10.77.0.53;" "$l" || fail "dns"
	grep -q 'option domain-name "lab.dhcpxdp";' "$l" || fail "domain"
	grep -q "option dhcp-lease-time 20;" "$l" || fail "lease time"
	grep -q "option dhcp-server-identifier 10.77.0.1;" "$l" || fail "server id"
	cli ip -4 addr show dev "$CLI_IF" | grep -q "inet 10.77.0.1[0-9][0-9]/24" ||
		fail "address not configured on $CLI_IF"
}

t_dhclient_renewal_by_xdp() {
	local mac acks0 seen0
	mac=$(cli_mac)
	acks0=$(xdp_stat ack_renewal)
	seen0=$(daemon_saw "$mac")
	# T1 is 4 s: the renewal is due within a few seconds.
	wait_until 15 xdp_stat_above ack_renewal "$acks0" ||
		fail "no renewal answered by XDP (ack_renewal $acks0)"
	[ "$(daemon_saw "$mac")" -eq "$seen0" ] ||
		fail "the daemon saw the renewal"
	# the ring-buffer event reached the database
	wait_until 5 sh -c "'$DHCPXDP' leases -c '$T_DIR/dhcpxdp.json' | grep -q ' xdp$'" ||
		fail "lease not marked as renewed by XDP: $(lease_json)"
}

# The expiry of a renewal XDP answered without telling the daemon lives in
# the lease map entry; a restarted daemon rewrites the (reused, pinned)
# map from the database and must carry it over, not set the lease back to
# its database expiry. A reload writes no entry anew.
t_restart_keeps_xdp_expiry() {
	local before after
	before=$(lease_json | grep -o '"expires": [0-9]*' | head -1 | awk '{print $2}')
	lease_json | grep -q '"fast-path": true' ||
		fail "no XDP renewal to keep: $(lease_json)"
	kill -HUP "$DAEMON_PID"
	wait_until 10 grep -q "DHCPXDP_RECONFIGURED reloaded" "$T_DIR/daemon.log" ||
		fail "no reload: $(tail -3 "$T_DIR/daemon.log")"
	daemon_stop
	daemon_start || fail "the daemon did not start again"
	after=$(lease_json | grep -o '"expires": [0-9]*' | head -1 | awk '{print $2}')
	# Boot-clock ns to wall-clock s: +-1 s of rounding.
	[ -n "$before" ] && [ -n "$after" ] && [ "$after" -ge $((before - 1)) ] ||
		fail "expiry went from $before to $after across reload and restart: $(lease_json)"
	lease_json | grep -q '"fast-path": true' ||
		fail "the XDP renewal was forgotten across the restart: $(lease_json)"
}

t_release_frees_address() {
	local addr
	addr=$(grep -o "fixed-address [0-9.]*" "$T_DIR/dhc.leases" | tail -1 | awk '{print $2}')
	cli timeout 20 dhclient -r -v -lf "$T_DIR/dhc.leases" -pf "$T_DIR/dhc.pid" \
		"$CLI_IF" >"$T_DIR/release.log" 2>&1
	wait_until 5 sh -c "'$DHCPXDP' leases -c '$T_DIR/dhcpxdp.json' --json | grep -q '\"address\": \"$addr\"[^}]*\"state\": \"released\"'" ||
		fail "lease $addr not released: $(lease_json) $(cat "$T_DIR/release.log"; grep -v libbpf "$T_DIR/daemon.log" | tail -5)"
}

t_udhcpc_gets_address_and_renews_by_xdp() {
	local acks0
	set_cli_mac 02:aa:00:00:00:02
	cat >"$T_DIR/udhcpc.sh" <<SH
#!/bin/sh
echo "\$1 ip=\$ip subnet=\$subnet router=\$router dns=\$dns lease=\$lease" >> $T_DIR/udhcpc.events
[ "\$1" = bound ] && ip addr add \$ip/24 dev \$interface
exit 0
SH
	chmod +x "$T_DIR/udhcpc.sh"
	acks0=$(xdp_stat ack_renewal)
	cli udhcpc -f -i "$CLI_IF" -s "$T_DIR/udhcpc.sh" -t 5 -T 1 \
		>"$T_DIR/udhcpc.log" 2>&1 &
	wait_until 15 grep -q "^bound" "$T_DIR/udhcpc.events" ||
		fail "udhcpc not bound: $(cat "$T_DIR/udhcpc.log")"
	grep -Eq "^bound ip=10\.77\.0\.1[0-9][0-9] subnet=255.255.255.0 router=10.77.0.1 dns=10.77.0.53 lease=20" \
		"$T_DIR/udhcpc.events" || fail "options: $(cat "$T_DIR/udhcpc.events")"
	# busybox renews at half the lease: 10 s.
	wait_until 20 grep -q "^renew" "$T_DIR/udhcpc.events" ||
		fail "udhcpc did not renew: $(cat "$T_DIR/udhcpc.log")"
	[ "$(xdp_stat ack_renewal)" -gt "$acks0" ] || fail "renewal not answered by XDP"
	cli pkill -f "udhcpc.*$T_DIR"
}

t_reservation_honoured_by_xdp() {
	local offers0
	set_cli_mac "$RESERVED_MAC"
	offers0=$(xdp_stat offer)
	dhclient_run res || fail "dhclient: $(cat "$T_DIR/res.log")"
	grep -q "fixed-address 10.77.0.50;" "$T_DIR/res.leases" ||
		fail "not the reserved address: $(cat "$T_DIR/res.leases")"
	[ "$(xdp_stat offer)" -gt "$offers0" ] || fail "OFFER did not come from XDP"
	cli dhclient -x -pf "$T_DIR/res.pid" >/dev/null 2>&1
}

# Kea's default hostname-char-set "[^A-Za-z0-9.-]": each other character
# becomes the subnet's "-"; lower-cased, the single label qualified.
t_dhclient_hostname_sanitized() {
	set_cli_mac 02:aa:00:00:00:03
	printf 'send host-name "Lab_Box!7";\n' >"$T_DIR/name.conf"
	cli timeout 30 dhclient -1 -v -cf "$T_DIR/name.conf" \
		-lf "$T_DIR/name.leases" -pf "$T_DIR/name.pid" "$CLI_IF" \
		>"$T_DIR/name.log" 2>&1 || fail "dhclient: $(cat "$T_DIR/name.log")"
	cli dhclient -x -pf "$T_DIR/name.pid" >/dev/null 2>&1
	lease_json | $PY -c '
import json, sys
ls = [l for l in json.load(sys.stdin) if l["hw-address"] == "02:aa:00:00:00:03"]
assert ls and ls[0]["hostname"] == "lab-box-7.lab.dhcpxdp", ls
' || fail "lease: $(lease_json)"
}

t_decline_puts_address_in_probation() {
	local addr next
	cli ip addr flush dev "$CLI_IF"
	addr=$(cli $PY "$top/tests/integration/dhcp_client.py" "$CLI_IF" dora-decline 02:ee:00:00:00:01) ||
		fail "scapy client got no lease"
	wait_until 5 sh -c "'$DHCPXDP' leases -c '$T_DIR/dhcpxdp.json' --json | grep -q '\"address\": \"$addr\"[^}]*\"state\": \"declined\"'" ||
		fail "$addr not declined: $(lease_json)"
	for m in 02:ee:00:00:00:02 02:ee:00:00:00:03 02:ee:00:00:00:01; do
		next=$(cli $PY "$top/tests/integration/dhcp_client.py" "$CLI_IF" discover $m) ||
			fail "no offer for $m"
		[ "$next" != "$addr" ] || fail "declined $addr offered again to $m"
	done
}

# docs/logging.md: one INFO line per durable lease event, with its ID.
t_lease_events_logged() {
	local log=$T_DIR/daemon.log
	grep -Eq "INFO  \[dhcpxdp/[0-9]+\] DHCPXDP_LEASE_ALLOC lease 10\.77\.0\.1[0-9][0-9] allocated for 20 s: hwaddr=[0-9a-f:]+ .* subnet-id=1 " "$log" ||
		fail "no grant line: $(grep DHCPXDP_ "$log" | tail -5)"
	grep -q "DHCPXDP_RELEASE lease 10\.77\.0\.1[0-9][0-9] released: hwaddr=" "$log" ||
		fail "no release line"
	grep -q "DHCPXDP_DECLINE_LEASE lease .* declined, in probation for 3600 s: hwaddr=02:ee:00:00:00:01 " "$log" ||
		fail "no decline line"
	grep -q "DHCPXDP_LEASE_ALLOC .*hwaddr=02:ee:00:00:00:01 " "$log" ||
		fail "no grant line for the scapy client"
	grep -Eq "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} (INFO |WARN |ERROR|DEBUG|FATAL) \[dhcpxdp/" "$log" ||
		fail "no line in Kea's layout"
}

# Dhcp4.loggers: the file output rotates past maxsize into maxver copies.
t_file_logger_rotates() {
	local f
	[ -s "$T_DIR/file.log" ] || fail "nothing in the file logger"
	[ -s "$T_DIR/file.log.1" ] || fail "file.log never rotated: $(ls -l "$T_DIR"/file.log*)"
	[ -e "$T_DIR/file.log.3" ] && fail "more copies than maxver"
	for f in "$T_DIR"/file.log*; do
		[ "$(stat -c %s "$f")" -le 3000 ] || fail "$f past maxsize"
	done
}

t_run "dhclient gets an address, mask, router, DNS, lease time" t_dhclient_gets_address
t_run "dhclient renewal answered by XDP, not the daemon" t_dhclient_renewal_by_xdp
t_run "a reload and a restart keep the expiry of a renewal XDP answered" t_restart_keeps_xdp_expiry
t_run "RELEASE frees the address (kept for stickiness)" t_release_frees_address
t_run "udhcpc gets an address and its renewal is answered by XDP" t_udhcpc_gets_address_and_renews_by_xdp
t_run "reservation outside the pool offered by XDP" t_reservation_honoured_by_xdp
t_run "dhclient's host name is stored sanitized and qualified" t_dhclient_hostname_sanitized
t_run "DECLINE puts the address in probation" t_decline_puts_address_in_probation
t_run "grants, release and decline leave lines with IDs" t_lease_events_logged
t_run "a file logger rotates" t_file_logger_rotates
t_summary
