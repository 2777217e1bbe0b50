#!/usr/bin/env bash
# The load generator (tests/bench/loadgen, docs/benchmarks.md) against a
# real `dhcpxdp run` in a network-namespace lab: its simulated clients
# complete DORA, renewals (at a rate and at T1, RFC 2131 §4.4.5) and
# releases (§4.4.6), directly, through a relay (giaddr, option 82 echoed,
# RFC 3046 §2.2), on an 802.1Q VLAN and next to a DISCOVER flood from fresh
# MACs; every count it reports matches the daemon's and the XDP program's
# counters. About 25 s.
# Usage: tests/integration/test_loadgen.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
N_TESTS=6

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP, AF_PACKET)" $N_TESTS
PY=/usr/bin/python3
DHCPXDP=$out/dhcpxdp
LOADGEN=$out/tests/bench/dhcpxdp-loadgen
[ -x "$LOADGEN" ] || t_fail_all "no $LOADGEN (make)" $N_TESTS

lab_up loadgen dxg $N_TESTS
GIADDR=10.77.0.254
cli ip addr add "$GIADDR/24" dev "$CLI_IF"
SRV_MAC=$(srv cat "/sys/class/net/$SRV_IF/address")
# The VLAN case needs 802.1Q devices (module 8021q) for the server side;
# without them it is skipped, loudly, and the VLAN subnet left out.
modprobe 8021q 2>/dev/null
V1=$SRV_IF.100
VLAN_IFACE="" VLAN_SUBNET=""
if srv ip link add link "$SRV_IF" name "$V1" type vlan id 100 2>/dev/null; then
	srv ip addr add 10.78.100.1/24 dev "$V1"
	srv ip link set "$V1" up
	VLAN_IFACE=", \"$V1\""
	VLAN_SUBNET=",
    { \"id\": 3, \"subnet\": \"10.78.100.0/24\", \"interface\": \"$V1\",
      \"pools\": [ { \"pool\": \"10.78.100.10 - 10.78.100.250\" } ] }"
fi

# T1 2 s so that renewals at T1 come within a short run. The rate limits
# on what XDP passes up are off: the generator sends bursts.
cat >"$T_DIR/dhcpxdp.json" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF"$VLAN_IFACE ] },
  "valid-lifetime": 60, "renew-timer": 2, "rebind-timer": 40,
  "lease-database": { "type": "sqlite", "name": "$T_DIR/leases.sqlite3" },
  "subnet4": [
    { "id": 1, "subnet": "10.77.0.0/24", "interface": "$SRV_IF",
      "pools": [ { "pool": "10.77.0.10 - 10.77.0.250" } ] },
    { "id": 2, "subnet": "10.90.0.0/24",
      "relay": { "ip-addresses": [ "$GIADDR" ] },
      "pools": [ { "pool": "10.90.0.10 - 10.90.0.250" } ] }$VLAN_SUBNET ],
  "control-socket": { "socket-type": "unix", "socket-name": "$T_DIR/control.sock" },
  "dhcpxdp": { "pin-dir": "$PIN_DIR", "rate-limits": {
    "per-client": { "rate": 0 }, "per-network": { "rate": 0 },
    "per-relay": { "rate": 0 }, "per-circuit-id": { "rate": 0 } } }
} }
JSON
daemon_start || t_fail_all "the daemon did not start" $N_TESTS

# The daemon's counters and pools (status) and the XDP program's counters
# (stats), as one JSON object.
snapshot() {
	{
		"$DHCPXDP" status -c "$T_DIR/dhcpxdp.json" --json &&
			srv "$DHCPXDP" stats --json --pin-dir "$PIN_DIR"
	} | $PY -c '
import json, sys
d = json.JSONDecoder()
s = sys.stdin.read()
status, end = d.raw_decode(s)
xdp, _ = d.raw_decode(s[end:].lstrip())
print(json.dumps({"status": status, "xdp": xdp}))'
}

loadgen() { # NAME ARGS...: JSON summary in $T_DIR/NAME.json
	local name=$1
	shift
	cli timeout 20 "$LOADGEN" -i "$CLI_IF" -s "$SRV_IP" -o "$T_DIR/$name.json" "$@"
}

# check NAME BEFORE AFTER SUBNET: the generator's counts of run NAME
# against the difference of the daemon's and XDP's counters over it.
check() {
	$PY - "$T_DIR/$1.json" "$2" "$3" "$4" <<'PY'
import json, sys
g = json.load(open(sys.argv[1]))
a, b = (json.load(open(p)) for p in sys.argv[2:4])
def find(d, key):
    """The first value of `key` anywhere in d."""
    if isinstance(d, dict):
        if key in d:
            return d[key]
        vals = d.values()
    elif isinstance(d, list):
        vals = d
    else:
        return None
    for v in vals:
        r = find(v, key)
        if r is not None:
            return r
    return None
def d(key, where="status"):
    return find(b[where], key) - find(a[where], key)
offers, acks, releases = d("offers"), d("acks"), d("rx-release")
flood = g["flood"]
xdp_acks = d("ack", "xdp")
x = {k: g[k] for k in ("discover", "request", "renew", "rebind", "release")}
print("generator:", {k: (v["sent"], v["answered"], v["dropped"], v["naks"])
                     for k, v in x.items()})
print(f"daemon: offers {offers} acks {acks} releases {releases}; "
      f"XDP acks {xdp_acks}; relay_info {g['relay_info']}")
errs = []
for k in ("discover", "request", "renew", "rebind"):
    if x[k]["answered"] != x[k]["sent"] or x[k]["dropped"] or x[k]["naks"]:
        errs.append(f"{k}: not every request answered")
if x["discover"]["sent"] == 0 or x["renew"]["sent"] == 0:
    errs.append("no DORA or no renewal")
if flood["answered"] + flood["dropped"] + flood["naks"] != flood["sent"]:
    errs.append(f"flood: {flood} does not add up")
if offers != x["discover"]["answered"] + flood["answered"]:
    errs.append(f"OFFERs: daemon {offers}, generator "
                f"{x['discover']['answered']} + flood {flood['answered']}")
got = x["request"]["answered"] + x["renew"]["answered"] + x["rebind"]["answered"]
if acks + xdp_acks != got:
    errs.append(f"ACKs: daemon + XDP {acks + xdp_acks}, generator {got}")
if releases != x["release"]["sent"]:
    errs.append(f"RELEASEs: daemon {releases}, generator {x['release']['sent']}")
sub = next(s for s in find(b["status"], "subnets") if s["id"] == int(sys.argv[4]))
# The flood's OFFERs hold their addresses until the offer times out.
if find(sub, "used") > flood["answered"]:
    errs.append(f"{find(sub, 'used')} addresses still assigned")
print("\n".join(errs) or "counts match")
sys.exit(1 if errs else 0)
PY
}

# run NAME SUBNET ARGS...: counters, the generator, counters, check.
run() {
	local name=$1 sid=$2
	shift 2
	snapshot >"$T_DIR/$name.before" || fail "no counters"
	loadgen "$name" "$@" || fail "the generator failed"
	# The releases were sent last: give the daemon a moment for them.
	sleep 0.5
	snapshot >"$T_DIR/$name.after" || fail "no counters"
	check "$name" "$T_DIR/$name.before" "$T_DIR/$name.after" "$sid"
}

t_dora_renew_release() {
	run direct 1 -r 50 -d 2 -n 200 --mac-seed 1 --renew 25 --rebind 5 \
		--release-at-end
}

t_renew_at_t1() {
	run t1 1 -r 40 -d 3 -n 200 --mac-seed 2 --t1-scale 1 --release-at-end
}

t_relay_option82() {
	run relay 2 -r 50 -d 2 -n 200 --mac-seed 3 --renew 25 --rebind 5 \
		--release-at-end --relay "$GIADDR" --server-mac "$SRV_MAC" ||
		return 1
	$PY - "$T_DIR/relay.json" <<'PY'
import json, sys
g = json.load(open(sys.argv[1]))
n = sum(g[k]["answered"] for k in ("discover", "request", "renew", "rebind"))
print(f"option 82 echoed in {g['relay_info']} of {n} replies")
sys.exit(0 if n and g["relay_info"] == n else 1)
PY
}

# Clients and a flood at once: the flood's OFFERs are counted apart, and
# with the rate limits off every one of them is answered.
t_flood() {
	run flood 1 -r 30 -d 2 -n 100 --mac-seed 5 --renew 10 --flood 60 \
		--release-at-end || return 1
	$PY - "$T_DIR/flood.json" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))["flood"]
print(f"flood: {f['sent']} sent, {f['answered']} OFFERs")
sys.exit(0 if f["sent"] >= 100 and f["answered"] == f["sent"] and
         "lat_ms" in f else 1)
PY
}

# A mixed run: half the clients bound first, then renewals, DORA by the
# other half and a flood in one period; every class fully answered.
t_mixed() {
	loadgen mixed -n 100 --mac-seed 6 --bind-first --bind-count 50 -r 100 \
		--period-rate 20 --renew 40 --flood 20 -d 2 --release-at-end ||
		return 1
	$PY - "$T_DIR/mixed.json" <<'PY'
import json, sys
g = json.load(open(sys.argv[1]))
print({k: (g[k]["sent"], g[k]["answered"])
       for k in ("discover", "request", "renew", "flood")},
      "prebound", g["prebound"])
ok = g["prebound"] == 50 and all(
    g[k]["sent"] > 0 and g[k]["answered"] == g[k]["sent"]
    for k in ("discover", "request", "renew", "flood"))
sys.exit(0 if ok else 1)
PY
}

t_vlan() {
	run vlan 3 -r 50 -d 2 -n 200 --mac-seed 4 --renew 25 --release-at-end \
		--vlan 100
}

t_run "DORA, renewals, rebinding, releases: counts match the daemon's" t_dora_renew_release
t_run "renewals at T1 (RFC 2131 §4.4.5)" t_renew_at_t1
t_run "relay agent: giaddr, option 82 echoed (RFC 3046 §2.2)" t_relay_option82
t_run "a DISCOVER flood next to the clients, counted apart" t_flood
t_run "a mixed period: renewals, DORA and a flood (--bind-count, --period-rate)" t_mixed
if [ -n "$VLAN_IFACE" ]; then
	t_run "802.1Q VLAN 100" t_vlan
else
	echo "no 802.1Q VLAN devices on this kernel (module 8021q); SKIPPING"
	echo "[  SKIPPED ] 1 test(s)."
fi
t_summary
