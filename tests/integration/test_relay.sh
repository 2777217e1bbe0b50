#!/usr/bin/env bash
# Relayed clients (RFC 1542 §4) with relay agent information (option 82,
# RFC 3046) against `dhcpxdp run` in a network-namespace lab: the client
# namespace plays a relay at 10.77.0.254 (tests/integration/relay.py).
# A relayed DORA is answered by the daemon with option 82 echoed as the
# last option, and the host sends the relay no ICMP port unreachable (the
# daemon holds UDP port 67); a relayed REBINDING of that lease is answered
# by XDP, 82 echoed, while the daemon is stopped (SIGSTOP); a circuit id
# with a reservation (Kea's "circuit-id") gets the reserved address, from
# XDP's circuit map even while the daemon is stopped; and a reservation
# by the relay's remote id, Kea's way (flex-id with the flex_id hook's
# "relay4[2].hex"), gets its address from the daemon.
# Usage: tests/integration/test_relay.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
N_TESTS=5

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP)" $N_TESTS
PY=/usr/bin/python3
$PY -c 'import scapy' 2>/dev/null || t_skip_all "scapy missing (scripts/deps.sh test)" $N_TESTS

DHCPXDP=$out/dhcpxdp
lab_up relay dxr $N_TESTS
GIADDR=10.77.0.254
CLIENT_MAC=02:ee:00:00:00:01
RESERVED_MAC=02:ee:00:00:00:02

cli ip addr add "$GIADDR/24" dev "$CLI_IF"
SRV_MAC=$(srv cat "/sys/class/net/$SRV_IF/address")

cat >"$T_DIR/dhcpxdp.json" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "valid-lifetime": 60,
  "hooks-libraries": [ { "library": "libdhcp_flex_id.so",
    "parameters": { "identifier-expression": "relay4[2].hex" } } ],
  "lease-database": { "type": "sqlite", "name": "$T_DIR/leases.sqlite3" },
  "subnet4": [
    { "id": 1, "subnet": "10.77.0.0/24", "interface": "$SRV_IF",
      "pools": [ { "pool": "10.77.0.100 - 10.77.0.199" } ] },
    { "id": 2, "subnet": "10.90.0.0/24",
      "relay": { "ip-addresses": [ "$GIADDR" ] },
      "pools": [ { "pool": "10.90.0.100 - 10.90.0.199" } ],
      "option-data": [ { "name": "routers", "data": "10.90.0.1" } ] },
    { "id": 3, "subnet": "10.91.0.0/24",
      "relay": { "ip-addresses": [ "10.77.0.253" ] },
      "pools": [ { "pool": "10.91.0.100 - 10.91.0.199" } ],
      "reservations": [ { "circuit-id": "'sw1/port7'",
                          "ip-address": "10.91.0.7" } ] },
    { "id": 4, "subnet": "10.92.0.0/24",
      "relay": { "ip-addresses": [ "10.77.0.252" ] },
      "pools": [ { "pool": "10.92.0.100 - 10.92.0.199" } ],
      "reservations": [ { "flex-id": "'relay-it'",
                          "ip-address": "10.92.0.9" } ] } ],
  "control-socket": { "socket-type": "unix", "socket-name": "$T_DIR/control.sock" },
  "dhcpxdp": { "pin-dir": "$PIN_DIR" }
} }
JSON
daemon_start || t_fail_all "the daemon did not start" $N_TESTS

relay() { cli $PY "$top/tests/integration/relay.py" "$1" "$CLI_IF" "$2" "$3" \
	"$SRV_IP" "$SRV_MAC" "${@:4}"; }

t_relayed_dora_no_icmp() {
	local r
	r=$(relay dora $CLIENT_MAC $GIADDR port1) || fail "no lease: $r"
	echo "$r"
	grep "cannot hold UDP port 67" "$T_DIR/daemon.log"
	[[ $r == addr=10.90.0.1[0-9][0-9]* ]] || fail "address: $r"
	[[ $r == *" ri=echoed "* ]] || fail "option 82 not echoed last: $r"
	[[ $r == *" icmp=0" ]] || fail "the host sent the relay ICMP unreachable: $r"
}

t_rebinding_by_xdp_daemon_stopped() {
	local addr r acks0
	addr=$("$DHCPXDP" leases -c "$T_DIR/dhcpxdp.json" | awk -v m=$CLIENT_MAC '$0 ~ m {print $1}' | head -1)
	[ -n "$addr" ] || fail "no lease for $CLIENT_MAC: $("$DHCPXDP" leases -c "$T_DIR/dhcpxdp.json")"
	acks0=$(xdp_stat ack_renewal)
	kill -STOP "$DAEMON_PID"
	r=$(relay rebind $CLIENT_MAC $GIADDR port1 "$addr")
	kill -CONT "$DAEMON_PID"
	echo "$r"
	[ "$r" != "${r#addr=$addr }" ] || fail "no ACK for $addr from XDP: $r"
	[[ $r == *" ri=echoed "* ]] || fail "option 82 not echoed last: $r"
	[ "$(xdp_stat ack_renewal)" -gt "$acks0" ] || fail "ack_renewal did not move"
}

t_circuit_id_reservation() {
	local r
	r=$(relay dora $RESERVED_MAC 10.77.0.253 sw1/port7) || fail "no lease: $r"
	echo "$r"
	[[ $r == "addr=10.91.0.7 ri=echoed "* ]] || fail "not the reserved address: $r"
	r=$(relay dora 02:ee:00:00:00:03 10.77.0.253 sw1/port8) || fail "no lease: $r"
	echo "$r"
	[[ $r == addr=10.91.0.1[0-9][0-9]* ]] || fail "another circuit: $r"
}

t_circuit_id_reservation_by_xdp() {
	local r offers0 acks0
	offers0=$(xdp_stat offer)
	acks0=$(xdp_stat ack_reserved)
	kill -STOP "$DAEMON_PID"
	r=$(relay dora 02:ee:00:00:00:04 10.77.0.253 sw1/port7)
	kill -CONT "$DAEMON_PID"
	echo "$r"
	[[ $r == "addr=10.91.0.7 ri=echoed "* ]] || fail "not the reserved address from XDP: $r"
	[ "$(xdp_stat offer)" -gt "$offers0" ] || fail "offer did not move"
	[ "$(xdp_stat ack_reserved)" -gt "$acks0" ] || fail "ack_reserved did not move"
}

# relay.py sends the remote id "relay-it" (RFC 3046 §2.2).
t_remote_id_reservation() {
	local r
	r=$(relay dora 02:ee:00:00:00:05 10.77.0.252 sw2/port1) || fail "no lease: $r"
	echo "$r"
	[[ $r == "addr=10.92.0.9 ri=echoed "* ]] || fail "not the reserved address: $r"
}

cli ip addr add 10.77.0.253/24 dev "$CLI_IF"
cli ip addr add 10.77.0.252/24 dev "$CLI_IF"
t_run "relayed DORA with option 82: echoed last, no ICMP unreachable to the relay" t_relayed_dora_no_icmp
t_run "relayed REBINDING with option 82 answered by XDP, daemon stopped" t_rebinding_by_xdp_daemon_stopped
t_run "a circuit-id reservation is served" t_circuit_id_reservation
t_run "a circuit-id reservation is answered by XDP, daemon stopped" t_circuit_id_reservation_by_xdp
t_run "a remote-id reservation (flex-id, relay4[2].hex) is served" t_remote_id_reservation
t_summary
