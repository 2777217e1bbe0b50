#!/usr/bin/env bash
# Migrating to dhcpxdp without losing leases: the real Kea (memfile),
# ISC dhcpd and dnsmasq each lease an address to dhclient in a
# network-namespace lab and are stopped; their lease files go into
# dhcpxdp with `dhcpxdp leases import` (a dry run first, which finds no
# conflict); dhcpxdp then serves the same addressing and every client's
# INIT-REBOOT is ACKed with the address it had. A file in conflict with
# the database is refused, then imported with --force; a lease imported
# while the daemon runs (lease4-add) is answered at once; `leases export`
# gives back Kea's CSV.
# Usage: tests/integration/test_lease_import.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
N_TESTS=11

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP)" $N_TESTS
command -v dhclient >/dev/null ||
	t_skip_all "dhclient missing (scripts/deps.sh test)" $N_TESTS

DHCPXDP=$out/dhcpxdp
T_DIR=$(mktemp -d /tmp/dhcpxdp-li-XXXXXX)
PREFIX=dxm$((RANDOM % 10000))
PY=/usr/bin/python3
PEERS=()     # peers whose lease was obtained
PEER_PID=

# One peer's case skipped loudly, counted by tests/run.sh.
t_skip() {
	echo "[ SKIPPED  ] $1: $2"
	echo "[  SKIPPED ] 1 test(s)."
}

peer_stop() {
	[ -n "$PEER_PID" ] || return 0
	kill "$PEER_PID" 2>/dev/null
	wait "$PEER_PID" 2>/dev/null
	PEER_PID=
}

dhclient_stop() {
	[ -f "$T_DIR/$1.pid" ] && kill "$(cat "$T_DIR/$1.pid")" 2>/dev/null
	rm -f "$T_DIR/$1.pid"
}

cleanup() {
	daemon_stop
	peer_stop
	for p in kea dhcpd dnsmasq; do dhclient_stop "$p"; done
	"$top/scripts/lab.sh" down "$T_DIR" "$PREFIX" 2>/dev/null
	[ -n "${KEEP_T_DIR:-}" ] || rm -rf "$T_DIR"
}
trap cleanup EXIT

"$top/scripts/lab.sh" up "$T_DIR" "$PREFIX" || t_fail_all "cannot build the lab" $N_TESTS
. "$T_DIR/lab.env"

# Each peer hands out its own range, so their leases never collide.
declare -A MAC=([kea]=02:4b:00:00:00:01 [dhcpd]=02:44:00:00:00:01
	[dnsmasq]=02:4d:00:00:00:01)
declare -A FILE=([kea]=$T_DIR/kea-leases4.csv [dhcpd]=$T_DIR/dhcpd.leases
	[dnsmasq]=$T_DIR/dnsmasq.leases)
declare -A FORMAT=([kea]=kea-csv [dhcpd]=dhcpd [dnsmasq]=dnsmasq)
declare -A ADDR

set_cli_mac() {
	cli ip addr flush dev "$CLI_IF"
	cli ip link set dev "$CLI_IF" address "$1"
}

# dhclient for peer $1: its own lease file, so a second run INIT-REBOOTs.
dhclient_run() {
	cli timeout 30 dhclient -1 -v -lf "$T_DIR/$1.dhc" -pf "$T_DIR/$1.pid" \
		"$CLI_IF" >"$T_DIR/$1.dhclog" 2>&1
}

peer_start_kea() {
	cat >"$T_DIR/kea.json" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "lease-database": { "type": "memfile", "persist": true,
                      "name": "${FILE[kea]}", "lfc-interval": 0 },
  "valid-lifetime": 600, "renew-timer": 300, "rebind-timer": 500,
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24",
    "pools": [ { "pool": "10.77.0.100 - 10.77.0.119" } ] } ],
  "loggers": [ { "name": "kea-dhcp4", "severity": "INFO",
                 "output_options": [ { "output": "stdout" } ] } ]
} }
JSON
	KEA_PIDFILE_DIR=$T_DIR KEA_LOCKFILE_DIR=$T_DIR \
		ip netns exec "$SRV_NS" kea-dhcp4 -c "$T_DIR/kea.json" \
		>"$T_DIR/kea.log" 2>&1 &
	PEER_PID=$!
}

peer_start_dhcpd() {
	cat >"$T_DIR/dhcpd.conf" <<CONF
default-lease-time 600;
max-lease-time 600;
authoritative;
subnet 10.77.0.0 netmask 255.255.255.0 { range 10.77.0.120 10.77.0.139; }
CONF
	: >"${FILE[dhcpd]}"
	ip netns exec "$SRV_NS" dhcpd -4 -f -cf "$T_DIR/dhcpd.conf" \
		-lf "${FILE[dhcpd]}" -pf "$T_DIR/dhcpd.pid" "$SRV_IF" \
		>"$T_DIR/dhcpd.log" 2>&1 &
	PEER_PID=$!
}

peer_start_dnsmasq() {
	ip netns exec "$SRV_NS" dnsmasq -d -u root --conf-file=/dev/null \
		--port=0 --bind-interfaces -i "$SRV_IF" \
		--dhcp-range=10.77.0.140,10.77.0.159,255.255.255.0,10m \
		--dhcp-leasefile="${FILE[dnsmasq]}" \
		--pid-file="$T_DIR/dnsmasq.pid" >"$T_DIR/dnsmasq.log" 2>&1 &
	PEER_PID=$!
}

# A real peer leases an address to dhclient and is stopped; its lease
# file has the lease.
peer_case() {
	local p=$1 a
	peer_start_"$p"
	sleep 1
	kill -0 "$PEER_PID" 2>/dev/null || fail "$p did not start: $(cat "$T_DIR/$p.log")"
	set_cli_mac "${MAC[$p]}"
	dhclient_run "$p" || fail "dhclient from $p: $(cat "$T_DIR/$p.dhclog")"
	dhclient_stop "$p"
	a=$(sed -n 's/^ *fixed-address \(.*\);/\1/p' "$T_DIR/$p.dhc" | tail -1)
	[ -n "$a" ] || fail "no address in dhclient's lease file"
	echo "$p leased $a to ${MAC[$p]}"
	echo "$a" >"$T_DIR/$p.addr"
	peer_stop
	grep -q "$a" "${FILE[$p]}" || fail "$a not in ${FILE[$p]}: $(cat "${FILE[$p]}")"
	sed 's/^/    file: /' "${FILE[$p]}" | grep -v '^    file: *$' | head -20
}

for p in kea dhcpd dnsmasq; do
	bin=$p
	[ "$p" = kea ] && bin=kea-dhcp4
	if ! command -v "$bin" >/dev/null; then
		t_skip "t_${p}_leases" "$bin missing (scripts/deps.sh test installs it)"
		continue
	fi
	t_run "t_${p}_leases" peer_case "$p"
	[ -s "$T_DIR/$p.addr" ] && PEERS+=("$p") && ADDR[$p]=$(cat "$T_DIR/$p.addr")
done
if [ ${#PEERS[@]} -eq 0 ]; then
	# The peer cases ran (and failed) or were skipped: the rest cannot run.
	echo "no peer server leased an address; the import cases cannot run"
	if command -v kea-dhcp4 >/dev/null || command -v dhcpd >/dev/null ||
		command -v dnsmasq >/dev/null; then
		t_fail_all "the peers that are installed failed" $((N_TESTS - 3))
	fi
	t_skip_all "kea-dhcp4, dhcpd and dnsmasq missing (scripts/deps.sh test)" $((N_TESTS - 3))
fi

cat >"$T_DIR/dhcpxdp.json" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "valid-lifetime": 600, "renew-timer": 300, "rebind-timer": 500,
  "lease-database": { "type": "sqlite", "name": "$T_DIR/leases.sqlite3" },
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "interface": "$SRV_IF",
    "pools": [ { "pool": "10.77.0.100 - 10.77.0.199" } ],
    "reservations": [ { "hw-address": "02:dd:00:00:00:01",
                        "ip-address": "10.77.0.50" } ] } ],
  "control-socket": { "socket-type": "unix", "socket-name": "$T_DIR/control.sock" },
  "dhcpxdp": { "pin-dir": "$PIN_DIR" }
} }
JSON
import() { "$DHCPXDP" leases import -c "$T_DIR/dhcpxdp.json" "$@"; }
leases() { "$DHCPXDP" leases -c "$T_DIR/dhcpxdp.json"; }

t_dry_run_finds_no_conflict() {
	local p o
	for p in "${PEERS[@]}"; do
		o=$(import --format "${FORMAT[$p]}" --dry-run "${FILE[$p]}") ||
			fail "dry run of $p: $o"
		echo "$o"
		grep -Eq "^  imported +1$" <<<"$o" || fail "$p: not 1 to import"
		grep -Eq "^  conflicts +0$" <<<"$o" || fail "$p: conflicts"
		grep -q "dry run: 1 lease(s) would be imported" <<<"$o" || fail "$p: summary"
	done
	[ ! -s "$T_DIR/leases.sqlite3" ] || [ -z "$(leases | sed 1d)" ] ||
		fail "the dry run wrote: $(leases)"
}

t_import_writes_the_leases() {
	local p o
	for p in "${PEERS[@]}"; do
		o=$(import --format "${FORMAT[$p]}" "${FILE[$p]}") || fail "import of $p: $o"
		echo "$o"
		grep -q "1 lease(s) imported into" <<<"$o" || fail "$p: summary"
	done
	leases
	for p in "${PEERS[@]}"; do
		leases | grep -Eq "^${ADDR[$p]} +${MAC[$p]} +1 active" ||
			fail "no active lease of ${ADDR[$p]} for ${MAC[$p]}"
	done
	# Running it again changes nothing and finds no conflict.
	o=$(import --format "${FORMAT[${PEERS[0]}]}" "${FILE[${PEERS[0]}]}") ||
		fail "a second import of the same file failed: $o"
	grep -Eq "^  skipped, in the database already +1$" <<<"$o" ||
		fail "second import: $o"
}

# A row for an imported address with another MAC, and a good row.
CONFLICT_FILE=$T_DIR/conflict.csv
t_conflict_refused_then_forced() {
	local a=${ADDR[${PEERS[0]}]} now o
	now=$(date +%s)
	{
		echo "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state"
		echo "$a,02:ee:00:00:00:01,,600,$((now + 500)),1,0,0,,0"
		echo "10.77.0.170,02:ee:00:00:00:02,,600,$((now + 500)),1,0,0,other,0"
		echo "10.77.0.50,02:ee:00:00:00:03,,600,$((now + 500)),1,0,0,,0"
	} >"$CONFLICT_FILE"
	o=$(import --format kea-csv --dry-run "$CONFLICT_FILE") && fail "dry run passed: $o"
	echo "$o"
	grep -q "conflict: $CONFLICT_FILE:2: $a: the lease database holds it for another client" <<<"$o" ||
		fail "no conflict line for $a"
	grep -q "conflict: $CONFLICT_FILE:4: 10.77.0.50: another client's reservation" <<<"$o" ||
		fail "no conflict line for the reservation"
	o=$(import --format kea-csv "$CONFLICT_FILE") && fail "import passed: $o"
	grep -q "2 conflict(s): nothing imported" <<<"$o" || fail "refusal: $o"
	leases | grep -q "10.77.0.170" && fail "a refused import wrote"
	o=$(import --format kea-csv --force "$CONFLICT_FILE") || fail "--force: $o"
	echo "$o"
	leases | grep -Eq "^10.77.0.170 +02:ee:00:00:00:02 +1 active" || fail "forced row missing"
	leases | grep -Eq "^$a +${MAC[${PEERS[0]}]} " || fail "$a changed hands"
	leases | grep -q "10.77.0.50" && fail "the reserved address was imported"
	return 0
}

t_init_reboot_keeps_address() {
	local p log
	kill -0 "$DAEMON_PID" 2>/dev/null || fail "the daemon is not running"
	for p in "${PEERS[@]}"; do
		set_cli_mac "${MAC[$p]}"
		dhclient_run "$p" || fail "dhclient ($p): $(cat "$T_DIR/$p.dhclog")"
		dhclient_stop "$p"
		log=$T_DIR/$p.dhclog
		grep "DHCP" "$log"
		grep -q "DHCPREQUEST for ${ADDR[$p]} on $CLI_IF to 255.255.255.255" "$log" ||
			fail "$p: no INIT-REBOOT REQUEST for ${ADDR[$p]}"
		grep -q "DHCPDISCOVER" "$log" && fail "$p: the client had to DISCOVER"
		grep -q "DHCPACK of ${ADDR[$p]} from 10.77.0.1" "$log" ||
			fail "$p: no ACK of ${ADDR[$p]}"
	done
	leases
}

t_running_daemon_import() {
	local now o t acks srv_mac
	now=$(date +%s)
	echo "$((now + 500)) 02:ee:00:00:00:09 10.77.0.180 late 01:02:ee:00:00:00:09" \
		>"$T_DIR/late.leases"
	o=$(import --format dnsmasq "$T_DIR/late.leases") || fail "import: $o"
	echo "$o"
	grep -q "1 lease(s) imported through the running daemon" <<<"$o" || fail "summary"
	leases | grep -Eq "^10.77.0.180 +02:ee:00:00:00:09 +1 active" || fail "not in the database"
	o=$(import --format dnsmasq "$T_DIR/late.leases") || fail "import again: $o"
	grep -q "0 lease(s) imported through the running daemon" <<<"$o" ||
		fail "import again: $o"
	# The engine took it: an INIT-REBOOT for it is ACKed; another
	# client asking for it is not (RFC 2131 §4.3.2: no record, no
	# answer).
	t=$(cli $PY "$top/tests/integration/dhcp_client.py" "$CLI_IF" \
		init-reboot 02:ee:00:00:00:09 10.77.0.180) || fail "no answer"
	[ "$t" = "ack 10.77.0.180" ] || fail "INIT-REBOOT answered: $t"
	t=$(cli $PY "$top/tests/integration/dhcp_client.py" "$CLI_IF" \
		init-reboot 02:ee:00:00:00:0a 10.77.0.180)
	[ "$t" != "ack 10.77.0.180" ] || fail "another client got it"
	# lease4-add filled the lease map: a lease whose end covers a
	# whole lifetime is renewed by XDP, the daemon never sees it.
	echo "$((now + 5000)) 02:ee:00:00:00:0c 10.77.0.181 * *" >"$T_DIR/late2.leases"
	import --format dnsmasq "$T_DIR/late2.leases" >/dev/null || fail "second import"
	acks=$(xdp_stat ack_renewal)
	srv_mac=$(srv cat "/sys/class/net/$SRV_IF/address")
	t=$(cli $PY "$top/tests/integration/dhcp_client.py" "$CLI_IF" renew \
		02:ee:00:00:00:0c 10.77.0.181 "$SRV_IP" "$srv_mac") || fail "renewal: no answer"
	[ "$t" = 5 ] || fail "renewal answered with message type $t"
	[ "$(xdp_stat ack_renewal)" -gt "$acks" ] || fail "XDP did not answer the renewal"
	grep -q "REQUEST from 02:ee:00:00:00:0c" "$T_DIR/daemon.log" &&
		fail "the daemon answered the renewal"
	echo "10.77.0.181: renewed by XDP right after lease4-add"
	# A conflict is refused by the running daemon too.
	o=$(import --format kea-csv "$CONFLICT_FILE") && fail "conflict passed: $o"
	return 0
}

# ctl REQUEST-JSON: send raw to the control socket, print the answer.
ctl() { ctl_send "$T_DIR/control.sock" "$1"; }
json_check() {
	$PY -c "import json,sys; j=json.load(sys.stdin); assert $1, json.dumps(j)[:2000]"
}

# lease4-add's refusals, with Kea's argument names.
t_lease4_add_refusals() {
	local held=${ADDR[${PEERS[0]}]} exp=$(($(date +%s) + 300))
	ctl '{"command": "list-commands"}' | json_check "'lease4-add' in j['arguments']" ||
		fail "not listed"
	ctl '{"command": "lease4-add", "arguments": {}}' |
		json_check "j['result'] == 1 and 'ip-address' in j['text']" || fail "no arguments"
	ctl '{"command": "lease4-add", "arguments": {"ip-address": "10.77.0.190"}}' |
		json_check "j['result'] == 1 and 'hw-address' in j['text']" || fail "no MAC"
	ctl '{"command": "lease4-add", "arguments": {"ip-address": "'"$held"'",
		"hw-address": "02:ee:00:00:00:21", "expire": '$exp'}}' |
		json_check "j['result'] == 1 and 'already' in j['text']" || fail "held address"
	ctl '{"command": "lease4-add", "arguments": {"ip-address": "10.77.0.50",
		"hw-address": "02:ee:00:00:00:21", "expire": '$exp'}}' |
		json_check "j['result'] == 1 and 'reservation' in j['text']" || fail "reserved address"
	ctl '{"command": "lease4-add", "arguments": {"ip-address": "10.99.0.5",
		"hw-address": "02:ee:00:00:00:21"}}' |
		json_check "j['result'] == 1 and 'no configured subnet' in j['text']" || fail "no subnet"
	ctl '{"command": "lease4-add", "arguments": {"ip-address": "10.77.0.190",
		"hw-address": "02:ee:00:00:00:21", "state": 2}}' |
		json_check "j['result'] == 1 and 'state' in j['text']" || fail "state 2"
	# Kea's defaults: the subnet by address, expire = now + valid-lft.
	ctl '{"command": "lease4-add", "arguments": {"ip-address": "10.77.0.190",
		"hw-address": "02:ee:00:00:00:21", "client-id": "01:02:ee:00:00:00:21"}}' |
		json_check "j['result'] == 0 and j['text'] == 'Lease for address 10.77.0.190, subnet-id 1 added.'" ||
		fail "a good lease"
	leases | grep -Eq "^10.77.0.190 +02:ee:00:00:00:21 +1 active +(9m|10m)" || fail "not listed: $(leases)"
}

t_export_kea_csv() {
	local p o
	"$DHCPXDP" leases export --format kea-csv -c "$T_DIR/dhcpxdp.json" \
		>"$T_DIR/export.csv" || fail "export failed"
	cat "$T_DIR/export.csv"
	head -1 "$T_DIR/export.csv" | grep -qx "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state,user_context,pool_id" ||
		fail "header"
	for p in "${PEERS[@]}"; do
		grep -q "^${ADDR[$p]},${MAC[$p]}," "$T_DIR/export.csv" || fail "no row of $p"
	done
	"$DHCPXDP" leases export --format json -c "$T_DIR/dhcpxdp.json" |
		grep -q "\"address\": \"10.77.0.170\"" || fail "json"
	# Kea takes it back (a Kea before 2.4 converts it first).
	if command -v kea-dhcp4 >/dev/null; then
		cp "$T_DIR/export.csv" "$T_DIR/back.csv"
		cat >"$T_DIR/kea-back.json" <<JSON
{ "Dhcp4": { "interfaces-config": { "interfaces": [ ] },
  "lease-database": { "type": "memfile", "persist": true,
                      "name": "$T_DIR/back.csv", "lfc-interval": 0 },
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24",
    "pools": [ { "pool": "10.77.0.100 - 10.77.0.199" } ] } ],
  "loggers": [ { "name": "kea-dhcp4", "severity": "INFO",
                 "output_options": [ { "output": "stdout" } ] } ] } }
JSON
		KEA_PIDFILE_DIR=$T_DIR KEA_LOCKFILE_DIR=$T_DIR timeout 3 \
			kea-dhcp4 -c "$T_DIR/kea-back.json" >"$T_DIR/kea-back.log" 2>&1
		[ $? -eq 124 ] || fail "Kea did not run on the export: $(cat "$T_DIR/kea-back.log")"
		grep -q DHCPSRV_MEMFILE_LEASE_FILE_LOAD "$T_DIR/kea-back.log" ||
			fail "Kea did not load it: $(cat "$T_DIR/kea-back.log")"
		grep -E " (ERROR|FATAL) " "$T_DIR/kea-back.log" && fail "Kea complained"
		echo "kea-dhcp4 loaded the export"
	else
		echo "kea-dhcp4 missing: the export is not loaded into Kea"
	fi
	# What was exported imports again, as the same leases.
	daemon_stop
	o=$(import --format kea-csv --dry-run "$T_DIR/export.csv") || fail "re-import: $o"
	grep -Eq "^  conflicts +0$" <<<"$o" || fail "re-import conflicts: $o"
}

# Under systemd the daemon runs as its own user: an import as root must
# leave the database files to the owner of the state directory.
t_import_keeps_the_owner() {
	local f=$T_DIR/state/leases.sqlite3 o
	mkdir -p "$T_DIR/state"
	chown nobody:nogroup "$T_DIR/state"
	chmod 711 "$T_DIR" # for nobody to reach its directory below
	sed "s|$T_DIR/leases.sqlite3|$f|" "$T_DIR/dhcpxdp.json" >"$T_DIR/owned.json"
	chmod 644 "$T_DIR/owned.json"
	o=$("$DHCPXDP" leases import -c "$T_DIR/owned.json" \
		--format "${FORMAT[${PEERS[0]}]}" "${FILE[${PEERS[0]}]}") || fail "import: $o"
	ls -l "$T_DIR/state"
	for f in "$T_DIR"/state/*; do
		[ "$(stat -c %U "$f")" = nobody ] || fail "$f is not the state directory owner's"
	done
	su nobody -s /bin/sh -c "'$DHCPXDP' leases -c '$T_DIR/owned.json'" |
		grep -q "${ADDR[${PEERS[0]}]}" || fail "the owner cannot read the lease"
}

t_run t_dry_run_finds_no_conflict t_dry_run_finds_no_conflict
t_run t_import_writes_the_leases t_import_writes_the_leases
t_run t_conflict_refused_then_forced t_conflict_refused_then_forced
t_run t_import_keeps_the_owner t_import_keeps_the_owner
# Started here, not in a case: a case runs in a subshell.
daemon_start || t_fail_all "the daemon did not start" 3
t_run t_init_reboot_keeps_address t_init_reboot_keeps_address
t_run t_running_daemon_import t_running_daemon_import
t_run t_lease4_add_refusals t_lease4_add_refusals
t_run t_export_kea_csv t_export_kea_csv
t_summary
