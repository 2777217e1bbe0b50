#!/usr/bin/env bash
# Metrics in a network-namespace lab (scripts/lab.sh): the daemon's
# GET /metrics (metrics-listen) answers 200 in a strictly valid Prometheus
# text format with the XDP counters, the daemon's counters, the commit-wait
# histogram and the pool gauges; other paths get 404 and other methods 405; `dhcpxdp stats
# --prometheus` prints the same metrics (and only XDP ones, with
# dhcpxdp_daemon_up 0, when the daemon does not answer); `stats --watch`
# refreshes; a bad or busy metrics-listen fails the start clearly; and
# `make install DESTDIR=...` puts every file in place.
# Usage: tests/integration/test_metrics.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
N_TESTS=8

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP)" $N_TESTS

DHCPXDP=$out/dhcpxdp
T_DIR=$(mktemp -d /tmp/dhcpxdp-it-XXXXXX)
PREFIX=dxm$((RANDOM % 10000))
PY=/usr/bin/python3
PORT=$((20000 + RANDOM % 20000))

cleanup() {
	daemon_stop
	"$top/scripts/lab.sh" down "$T_DIR" "$PREFIX" 2>/dev/null
	rm -rf "$T_DIR"
}
trap cleanup EXIT

"$top/scripts/lab.sh" up "$T_DIR" "$PREFIX" || t_fail_all "cannot build the lab" $N_TESTS
. "$T_DIR/lab.env"

metrics_config "$T_DIR/dhcpxdp.json" "$T_DIR/control.sock" "127.0.0.1:$PORT"
daemon_start || t_fail_all "the daemon did not start" $N_TESTS

# http METHOD PATH BODYFILE: prints the status code (from the server netns).
http() {
	srv $PY - "$1" "http://127.0.0.1:$PORT$2" "$3" <<'PY'
import sys, urllib.request, urllib.error
method, url, body = sys.argv[1:4]
req = urllib.request.Request(url, method=method,
                             data=b"x" if method == "POST" else None)
try:
    r = urllib.request.urlopen(req, timeout=5)
    code, data, ctype = r.status, r.read(), r.headers.get("Content-Type", "")
except urllib.error.HTTPError as e:
    code, data, ctype = e.code, e.read(), e.headers.get("Content-Type", "")
open(body, "wb").write(data)
open(body + ".type", "w").write(ctype)
print(code)
PY
}

# check_prom FILE: the text format, strictly (every line HELP, TYPE or a
# sample; HELP then TYPE before a family's contiguous samples; label values
# escaped); prints the family names, one a line.
check_prom() {
	$PY - "$1" <<'PY'
import re, sys
NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"'
help_re = re.compile(r"^# HELP (%s) [^\n]*$" % NAME)
type_re = re.compile(r"^# TYPE (%s) (counter|gauge|histogram|summary|untyped)$" % NAME)
smp_re = re.compile(r"^(%s)(\{%s(?:,%s)*\})? (0|[1-9][0-9]*)(\.[0-9]+)?$" % (NAME, LABEL, LABEL))
text = open(sys.argv[1]).read()
if not text.endswith("\n"):
    sys.exit("no final line feed")
seen, cur, typed, hist, n = set(), None, False, False, 0
for line in text.splitlines():
    m = help_re.match(line)
    if m:
        if m.group(1) in seen:
            sys.exit("family twice: " + m.group(1))
        seen.add(m.group(1)); cur, typed = m.group(1), False
        continue
    m = type_re.match(line)
    if m:
        if m.group(1) != cur or typed:
            sys.exit("TYPE without HELP: " + line)
        typed, hist = True, m.group(2) == "histogram"
        continue
    m = smp_re.match(line)
    if not m:
        sys.exit("bad line: %r" % line)
    name = m.group(1)
    # A histogram's samples are NAME_bucket, NAME_sum, NAME_count.
    if hist and cur and name.startswith(cur) and \
            name[len(cur):] in ("_bucket", "_sum", "_count"):
        name = cur
    elif hist:
        name = None
    if name != cur or not typed:
        sys.exit("sample outside its family: " + line)
    n += 1
if n == 0:
    sys.exit("no samples")
print("\n".join(sorted(seen)))
PY
}

# value FILE SAMPLE-PREFIX: the value of the first sample starting so.
value() { grep -v '^#' "$1" | grep -F "$2" | head -1 | awk '{print $NF}'; }

t_metrics_endpoint_strict_and_complete() {
	local addr code
	# One client through the daemon, so its counters and the pool move.
	addr=$(cli $PY "$top/tests/integration/dhcp_client.py" "$CLI_IF" dora 02:aa:00:00:00:01) ||
		fail "no lease for the scapy client"
	code=$(http GET /metrics "$T_DIR/m.txt") || fail "no answer"
	[ "$code" = 200 ] || fail "status $code"
	grep -q "^text/plain; version=0.0.4" "$T_DIR/m.txt.type" ||
		fail "content type $(cat "$T_DIR/m.txt.type")"
	check_prom "$T_DIR/m.txt" >"$T_DIR/m.fam" || fail "format"
	for f in dhcpxdp_daemon_up dhcpxdp_xdp_packets_total dhcpxdp_xdp_punts_total \
		dhcpxdp_daemon_rx_frames_total dhcpxdp_daemon_acks_total \
		dhcpxdp_engine_drops_total dhcpxdp_subnet_pool_addresses \
		dhcpxdp_subnet_pool_used_addresses dhcpxdp_subnet_pool_free_addresses \
		dhcpxdp_subnet_pool_declined_addresses dhcpxdp_subnet_pool_reserved_addresses \
		dhcpxdp_lease_map_capacity dhcpxdp_daemon_commit_wait_seconds; do
		grep -qx "$f" "$T_DIR/m.fam" || fail "no $f"
	done
	[ "$(value "$T_DIR/m.txt" "dhcpxdp_daemon_up ")" = 1 ] || fail "daemon_up"
	[ "$(value "$T_DIR/m.txt" "dhcpxdp_daemon_acks_total ")" -ge 1 ] || fail "acks"
	[ "$(value "$T_DIR/m.txt" "dhcpxdp_xdp_packets_total ")" -ge 2 ] || fail "xdp packets"
	[ "$(value "$T_DIR/m.txt" 'dhcpxdp_subnet_pool_addresses{subnet_id="1",subnet="10.77.0.0/24"}')" = 100 ] ||
		fail "pool total"
	[ "$(value "$T_DIR/m.txt" 'dhcpxdp_subnet_pool_used_addresses{subnet_id="1",')" -ge 1 ] ||
		fail "pool used"
	[ "$(value "$T_DIR/m.txt" "dhcpxdp_lease_map_capacity ")" -gt 0 ] || fail "capacity"
	[ "$(value "$T_DIR/m.txt" "dhcpxdp_daemon_commit_wait_seconds_count ")" -ge 1 ] ||
		fail "no commit timed"
	echo "lease $addr; $(grep -vc '^#' "$T_DIR/m.txt") samples"
}

t_other_paths_404_other_methods_405() {
	local code
	code=$(http GET /other "$T_DIR/o.txt") || fail "no answer"
	[ "$code" = 404 ] || fail "GET /other: $code"
	code=$(http GET / "$T_DIR/o.txt") || fail "no answer"
	[ "$code" = 404 ] || fail "GET /: $code"
	code=$(http POST /metrics "$T_DIR/o.txt") || fail "no answer"
	[ "$code" = 405 ] || fail "POST /metrics: $code"
	code=$(http HEAD /metrics "$T_DIR/o.txt") || fail "no answer"
	[ "$code" = 200 ] || fail "HEAD /metrics: $code"
	# still serving after all that
	code=$(http GET /metrics "$T_DIR/o.txt")
	[ "$code" = 200 ] || fail "GET /metrics afterwards: $code"
}

t_cli_prometheus_matches_endpoint() {
	srv "$DHCPXDP" stats --prometheus -c "$T_DIR/dhcpxdp.json" >"$T_DIR/c.txt" ||
		fail "stats --prometheus failed"
	check_prom "$T_DIR/c.txt" >"$T_DIR/c.fam" || fail "format"
	http GET /metrics "$T_DIR/m2.txt" >/dev/null
	check_prom "$T_DIR/m2.txt" >"$T_DIR/m2.fam" || fail "format"
	diff "$T_DIR/c.fam" "$T_DIR/m2.fam" || fail "CLI and endpoint families differ"
	# the same series too (values move; names and labels do not)
	diff <(grep -v '^#' "$T_DIR/c.txt" | sed 's/ [0-9.]*$//') \
		<(grep -v '^#' "$T_DIR/m2.txt" | sed 's/ [0-9.]*$//') ||
		fail "CLI and endpoint series differ"
	[ "$(value "$T_DIR/c.txt" "dhcpxdp_daemon_up ")" = 1 ] || fail "daemon_up"
}

t_cli_prometheus_without_daemon() {
	srv "$DHCPXDP" stats --prometheus --pin-dir "$PIN_DIR" \
		--socket "$T_DIR/nobody.sock" >"$T_DIR/x.txt" ||
		fail "stats --prometheus failed"
	check_prom "$T_DIR/x.txt" >"$T_DIR/x.fam" || fail "format"
	[ "$(value "$T_DIR/x.txt" "dhcpxdp_daemon_up ")" = 0 ] || fail "daemon_up"
	grep -qx dhcpxdp_xdp_packets_total "$T_DIR/x.fam" || fail "no XDP counters"
	! grep -q "^dhcpxdp_daemon_rx_frames_total\|^dhcpxdp_subnet_" "$T_DIR/x.txt" ||
		fail "daemon metrics without a daemon"
}

t_stats_watch_refreshes() {
	local n
	srv timeout 3 "$DHCPXDP" stats --watch 1 --pin-dir "$PIN_DIR" >"$T_DIR/w.txt"
	n=$(grep -c "^every 1s: dhcpxdp stats" "$T_DIR/w.txt")
	[ "$n" -ge 2 ] || fail "$n refreshes in 3 s: $(cat "$T_DIR/w.txt")"
	grep -Eq "^packets +[0-9]+ +[0-9.]+ " "$T_DIR/w.txt" || fail "no rate column"
	srv timeout 2.5 "$DHCPXDP" stats --watch 1 --json --pin-dir "$PIN_DIR" >"$T_DIR/w.json"
	$PY - "$T_DIR/w.json" <<'PY' || fail "--watch --json: $(cat "$T_DIR/w.json")"
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
assert len(objs) >= 2, len(objs)
assert objs[0]["rates"] is None
assert objs[1]["rates"]["packets"] >= 0
assert objs[1]["counters"]["packets"] >= objs[0]["counters"]["packets"]
PY
	srv "$DHCPXDP" stats --watch 1 --prometheus --pin-dir "$PIN_DIR" >/dev/null 2>&1
	[ $? -eq 2 ] || fail "--watch --prometheus is not a usage error"
}

# A second daemon with its own control socket: the metrics address is
# checked before the maps or the database are touched.
second_daemon() {
	metrics_config "$T_DIR/second.json" "$T_DIR/second.sock" "$1"
	srv timeout 10 "$DHCPXDP" run -c "$T_DIR/second.json" >"$T_DIR/second.log" 2>&1
}

t_busy_metrics_port_fails_start() {
	second_daemon "127.0.0.1:$PORT" && fail "started on a busy port"
	grep -q "metrics-listen: cannot listen on 127.0.0.1:$PORT: Address already in use" \
		"$T_DIR/second.log" || fail "message: $(cat "$T_DIR/second.log")"
	grep -q "serving\|loaded" "$T_DIR/second.log" && fail "got past the metrics socket"
	[ "$(http GET /metrics "$T_DIR/o.txt")" = 200 ] || fail "first daemon hurt"
}

t_bad_metrics_address_fails_start() {
	second_daemon "localhost:$PORT" && fail "started with a host name"
	grep -q "metrics-listen: 'localhost:$PORT' is not a numeric ADDRESS:PORT" \
		"$T_DIR/second.log" || fail "message: $(cat "$T_DIR/second.log")"
}

t_make_install_puts_every_file() {
	local d=$T_DIR/destdir f
	make -s -C "$top" OUT="$out" install DESTDIR="$d" PREFIX=/usr >"$T_DIR/install.log" 2>&1 ||
		fail "make install: $(cat "$T_DIR/install.log")"
	for f in usr/sbin/dhcpxdp usr/lib/dhcpxdp/dhcpxdp.bpf.o \
		usr/share/man/man8/dhcpxdp.8 usr/share/man/man5/dhcpxdp.json.5 \
		usr/share/doc/dhcpxdp/examples/dhcpxdp.json etc/dhcpxdp/dhcpxdp.json \
		usr/share/dhcpxdp/grafana/dhcpxdp.json; do
		[ -s "$d/$f" ] || fail "missing $f"
	done
	[ -x "$d/usr/sbin/dhcpxdp" ] || fail "binary not executable"
	"$d/usr/sbin/dhcpxdp" version >/dev/null || fail "installed binary does not run"
	if [ -f "$top/systemd/dhcpxdp.service" ]; then
		grep -q "^ExecStart=/usr/sbin/dhcpxdp run" "$d/usr/lib/systemd/system/dhcpxdp.service" ||
			fail "unit missing or not rewritten for PREFIX"
	fi
	# an existing configuration is kept
	echo '{"Dhcp4": {}}' >"$d/etc/dhcpxdp/dhcpxdp.json"
	make -s -C "$top" OUT="$out" install DESTDIR="$d" PREFIX=/usr >"$T_DIR/install.log" 2>&1 ||
		fail "second make install"
	[ "$(cat "$d/etc/dhcpxdp/dhcpxdp.json")" = '{"Dhcp4": {}}' ] || fail "configuration overwritten"
	make -s -C "$top" OUT="$out" uninstall DESTDIR="$d" PREFIX=/usr >"$T_DIR/install.log" 2>&1 ||
		fail "make uninstall"
	[ "$(cd "$d" && find . -type f | sort)" = "./etc/dhcpxdp/dhcpxdp.json" ] ||
		fail "left after uninstall: $(cd "$d" && find . -type f)"
}

t_run "GET /metrics: 200, strict format, XDP + daemon counters, pool gauges" t_metrics_endpoint_strict_and_complete
t_run "other paths 404, other methods 405, HEAD ok" t_other_paths_404_other_methods_405
t_run "stats --prometheus prints the endpoint's series when the daemon answers" t_cli_prometheus_matches_endpoint
t_run "stats --prometheus without a daemon: XDP only, daemon_up 0" t_cli_prometheus_without_daemon
t_run "stats --watch 1 refreshes (table with rates, NDJSON)" t_stats_watch_refreshes
t_run "a busy metrics port fails the start, before the maps" t_busy_metrics_port_fails_start
t_run "a host name in metrics-listen fails the start clearly" t_bad_metrics_address_fails_start
t_run "make install DESTDIR puts every file in place; uninstall" t_make_install_puts_every_file
t_summary
