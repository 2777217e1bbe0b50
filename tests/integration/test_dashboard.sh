#!/usr/bin/env bash
# The Grafana dashboard (contrib/grafana/dhcpxdp.json) against a real
# Prometheus: the JSON is valid and every panel has a target; a daemon in a
# namespace lab serves clients (DORA from the daemon, a renewal answered in
# XDP) while Debian's prometheus scrapes its metrics endpoint every second;
# then every template variable and every panel's expression, evaluated
# through Prometheus' HTTP API, is valid and returns data.
# Usage: tests/integration/test_dashboard.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
N_TESTS=4

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP)" $N_TESTS
PROMETHEUS=$(command -v prometheus) ||
	t_skip_all "no prometheus (scripts/deps.sh test installs it)" $N_TESTS

DHCPXDP=$out/dhcpxdp
PY=/usr/bin/python3
DASH=$top/contrib/grafana/dhcpxdp.json
CHECK=$top/tests/integration/dashboard.py
PORT=$((20000 + RANDOM % 20000))
PROM_PORT=$((PORT + 1))
PROM_URL=http://127.0.0.1:$PROM_PORT
PROM_PID=

lab_up dash dxg $N_TESTS

prom_stop() {
	[ -n "$PROM_PID" ] || return 0
	kill "$PROM_PID" 2>/dev/null
	wait "$PROM_PID" 2>/dev/null
	PROM_PID=
}
trap 'prom_stop; lab_cleanup' EXIT

metrics_config "$T_DIR/dhcpxdp.json" "$T_DIR/control.sock" "127.0.0.1:$PORT"
cat >"$T_DIR/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: dhcpxdp
    static_configs:
      - targets: ["127.0.0.1:$PORT"]
YAML
daemon_start || t_fail_all "the daemon did not start" $N_TESTS

# Prometheus in the server's namespace, on its loopback; `timeout` bounds
# it should the trap never run, and passes our TERM on.
ip netns exec "$SRV_NS" timeout 300 "$PROMETHEUS" \
	--config.file="$T_DIR/prometheus.yml" \
	--storage.tsdb.path="$T_DIR/prometheus" \
	--web.listen-address="127.0.0.1:$PROM_PORT" \
	--log.level=warn >"$T_DIR/prometheus.log" 2>&1 &
PROM_PID=$!

# prom PATH [KEY=VALUE...]: the JSON answer of Prometheus' HTTP API.
prom() {
	srv $PY - "$PROM_URL" "$@" <<'PY'
import json, sys, urllib.parse, urllib.request
url, path, *kv = sys.argv[1:]
q = urllib.parse.urlencode([tuple(a.split("=", 1)) for a in kv])
print(json.dumps(json.load(urllib.request.urlopen(
    "%s%s?%s" % (url, path, q), timeout=5))))
PY
}

# True once the instant query $1 returns a sample.
prom_has() { prom /api/v1/query "query=$1" | grep -q '"value"'; }

target_up() { prom /api/v1/targets | grep -q '"health": "up"'; }

t_json_valid_every_panel_has_target() {
	$PY "$CHECK" lint "$DASH" || fail "lint"
}

t_prometheus_scrapes_daemon() {
	wait_until 30 prom_has up ||
		fail "Prometheus did not answer: $(cat "$T_DIR/prometheus.log")"
	wait_until 15 target_up ||
		fail "target not up: $(prom /api/v1/targets)"
	prom_has 'dhcpxdp_daemon_up == 1' || fail "dhcpxdp_daemon_up is not 1"
}

t_clients_move_counters() {
	local addr type srv_mac acks
	srv_mac=$(srv cat "/sys/class/net/$SRV_IF/address")
	for mac in 02:d9:00:00:00:01 02:d9:00:00:00:02; do
		addr=$(cli $PY "$top/tests/integration/dhcp_client.py" "$CLI_IF" \
			dora $mac) || fail "no lease for $mac"
		echo "$mac: $addr"
	done
	acks=$(xdp_stat ack_renewal)
	type=$(cli $PY "$top/tests/integration/dhcp_client.py" "$CLI_IF" \
		renew 02:d9:00:00:00:02 "$addr" "$SRV_IP" "$srv_mac") ||
		fail "no reply to the renewal"
	[ "$type" = 5 ] || fail "renewal answered with message type $type"
	[ "$(xdp_stat ack_renewal)" -gt "$acks" ] ||
		fail "the renewal was not answered by XDP"
	# Prometheus has seen both; two more scrapes give rate() its points.
	wait_until 15 prom_has 'dhcpxdp_xdp_ack_renewal_total > 0' ||
		fail "Prometheus did not see the XDP renewal"
	wait_until 15 prom_has 'dhcpxdp_daemon_acks_total >= 2' ||
		fail "Prometheus did not see the daemon's ACKs"
	sleep 3
}

t_every_panel_expression_returns_data() {
	srv $PY "$CHECK" query "$DASH" "$PROM_URL"
}

t_run "dashboard JSON valid, every panel has a target" t_json_valid_every_panel_has_target
t_run "Prometheus scrapes the daemon's metrics endpoint" t_prometheus_scrapes_daemon
t_run "clients move the counters: DORA by the daemon, a renewal by XDP" t_clients_move_counters
t_run "every panel expression is valid in Prometheus and returns data" t_every_panel_expression_returns_data
t_summary
