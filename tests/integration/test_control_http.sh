#!/usr/bin/env bash
# Kea's HTTP and HTTPS control sockets (docs/control.md, "HTTP and HTTPS
# control sockets"): a real `dhcpxdp run` in a network-namespace lab with
# an "http" socket with basic authentication (one client's credentials
# inline, one's from a password-file) and an "https" socket whose CA,
# server and client certificates openssl makes here, cert-required.
# Kea's own kea-shell sends list-commands, status-get, lease4-get-all and
# config-get over both, and the answers must be Kea's list of one answer;
# curl checks what kea-shell cannot: 401 without or with wrong
# credentials, 400 for a body that is not JSON, 405, 415, 413, the
# "service" check, http-headers, a TLS client without a certificate or
# with one from another CA refused in the handshake; then a reload over
# HTTP that changes the password, a reload refused for a missing
# cert-file (the socket keeps serving), and a start refused for it, while
# check-config passes (the files are read when the socket opens).
# Usage: tests/integration/test_control_http.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"
N_TESTS=9

[ "$(id -u)" -eq 0 ] || t_skip_all "needs root (netns, XDP)" $N_TESTS
command -v dhclient >/dev/null || t_skip_all "dhclient missing (scripts/deps.sh test)" $N_TESTS
command -v kea-shell >/dev/null ||
	t_skip_all "kea-shell missing (package kea-ctrl-agent)" $N_TESTS
command -v curl >/dev/null || t_skip_all "curl missing" $N_TESTS
command -v openssl >/dev/null || t_skip_all "openssl missing" $N_TESTS

DHCPXDP=$out/dhcpxdp
PY=/usr/bin/python3
lab_up control-http dxh $N_TESTS
SOCK=$T_DIR/control.sock
CFG=$T_DIR/dhcpxdp.json
HPORT=$((20000 + RANDOM % 20000))
SPORT=$((HPORT + 1))
PKI=$T_DIR/pki

# ---- certificates: a CA, the server's, a client's; a stranger's CA and
# client. EC keys: quick to make.
mkdir -p "$PKI"
pki() {
	tls_ca "$PKI" ca dhcpxdp-test-ca &&
		tls_ca "$PKI" other-ca other-ca &&
		tls_issue "$PKI" srv ca 127.0.0.1 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth' &&
		tls_issue "$PKI" cli ca admin 'extendedKeyUsage=clientAuth' &&
		tls_issue "$PKI" stranger other-ca stranger 'extendedKeyUsage=clientAuth'
}
pki >"$T_DIR/pki.log" 2>&1 || t_fail_all "openssl: $(tail -5 "$T_DIR/pki.log")" $N_TESTS
printf 'ops:s3cret-ops\n' >"$T_DIR/ops.pass"

# write_config ADMIN-PASSWORD CERT-FILE
write_config() {
	cat >"$CFG" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SRV_IF" ] },
  "valid-lifetime": 600,
  "lease-database": { "type": "sqlite", "name": "$T_DIR/leases.sqlite3" },
  "control-sockets": [
    { "socket-type": "unix", "socket-name": "$SOCK",
      "user-context": { "comment": "the CLI's" } },
    { "comment": "HTTP control socket", "socket-type": "http",
      "socket-address": "127.0.0.1", "socket-port": $HPORT,
      "http-headers": [ { "name": "X-Test", "value": "dhcpxdp" } ],
      "authentication": { "type": "basic", "directory": "$T_DIR",
        "clients": [ { "user": "admin", "password": "$1" },
                     { "password-file": "ops.pass" } ] } },
    { "socket-type": "https", "socket-address": "127.0.0.1", "socket-port": $SPORT,
      "trust-anchor": "$PKI/ca.pem", "cert-file": "$2",
      "key-file": "$PKI/srv.key", "cert-required": true }
  ],
  "subnet4": [ { "id": 1, "subnet": "10.77.0.0/24", "interface": "$SRV_IF",
    "pools": [ { "pool": "10.77.0.100 - 10.77.0.199" } ] } ],
  "dhcpxdp": { "pin-dir": "$PIN_DIR" }
} }
JSON
}
write_config pass-one "$PKI/srv.pem"
daemon_start || t_fail_all "the daemon did not start" $N_TESTS
cli ip addr flush dev "$CLI_IF"
cli timeout 30 dhclient -1 -v -lf "$T_DIR/c.leases" -pf "$T_DIR/c.pid" \
	"$CLI_IF" >"$T_DIR/dhclient.log" 2>&1 || echo "dhclient failed: $(cat "$T_DIR/dhclient.log")"
cli pkill -f "dhclient.*$T_DIR" 2>/dev/null

# kea_http USER PASSWORD COMMAND / kea_https COMMAND [CERT]: kea-shell,
# in the server's namespace (the sockets are on its loopback).
kea_http() {
	srv kea-shell --host 127.0.0.1 --port "$HPORT" --service dhcp4 \
		--auth-user "$1" --auth-password "$2" "$3" </dev/null
}
kea_https() {
	srv kea-shell --host 127.0.0.1 --port "$SPORT" --ca "$PKI/ca.pem" \
		--cert "$PKI/${2:-cli}.pem" --key "$PKI/${2:-cli}.key" "$1" </dev/null
}
# check_answer PYTHON-EXPR: stdin is one of Kea's HTTP answers, a list of
# one; `r` is the answer inside.
check_answer() {
	local o
	o=$(cat)
	echo "$o" | $PY -c "
import json, sys
j = json.load(sys.stdin)
assert isinstance(j, list) and len(j) == 1, j
r = j[0]
assert $1, json.dumps(r)[:2000]" || { echo "answer: ${o:0:2000}"; return 1; }
}
# curl_h ARGS...: prints the status code, the body into $T_DIR/body and
# the headers into $T_DIR/headers.
curl_h() {
	srv curl -sS -o "$T_DIR/body" -D "$T_DIR/headers" -w '%{http_code}' \
		--max-time 10 "$@"
}
# four kea-shell commands with the expected answers; $1 is the runner.
four_commands() {
	"$@" list-commands | check_answer "r['result'] == 0 and 'status-get' in r['arguments'] and 'lease4-get-all' in r['arguments']" ||
		fail "list-commands"
	"$@" status-get | check_answer "r['result'] == 0 and r['arguments']['pid'] == $DAEMON_PID" ||
		fail "status-get"
	"$@" lease4-get-all | check_answer "r['result'] == 0 and len(r['arguments']['leases']) == 1 and r['arguments']['leases'][0]['ip-address'].startswith('10.77.0.')" ||
		fail "lease4-get-all"
	"$@" config-get | check_answer "r['result'] == 0 and r['arguments']['Dhcp4']['control-sockets'][1]['socket-port'] == $HPORT" ||
		fail "config-get"
}

t_http_kea_shell() {
	four_commands kea_http admin pass-one
	# The second client's credentials, from its password-file.
	kea_http ops s3cret-ops status-get | check_answer "r['result'] == 0" ||
		fail "the password-file's client"
}

t_http_refused() {
	local j='{"command": "status-get"}' code
	code=$(curl_h -H 'Content-Type: application/json' -d "$j" "http://127.0.0.1:$HPORT/")
	[ "$code" = 401 ] || fail "no credentials: $code"
	grep -qi '^WWW-Authenticate: Basic realm="kea-dhcpv4-server"' "$T_DIR/headers" ||
		fail "no WWW-Authenticate: $(cat "$T_DIR/headers")"
	grep -q '"result":401' "$T_DIR/body" || fail "401's body: $(cat "$T_DIR/body")"
	grep -qi '^X-Test: dhcpxdp' "$T_DIR/headers" || fail "no http-headers on a 401"
	code=$(curl_h -u admin:wrong -H 'Content-Type: application/json' -d "$j" "http://127.0.0.1:$HPORT/")
	[ "$code" = 401 ] || fail "a wrong password: $code"
	code=$(curl_h -u nobody:pass-one -H 'Content-Type: application/json' -d "$j" "http://127.0.0.1:$HPORT/")
	[ "$code" = 401 ] || fail "a wrong user: $code"
	code=$(curl_h -u admin:pass-one -H 'Content-Type: application/json' -d '{"command": ' "http://127.0.0.1:$HPORT/")
	[ "$code" = 400 ] && grep -q '"result":400' "$T_DIR/body" ||
		fail "malformed JSON: $code $(cat "$T_DIR/body")"
	code=$(curl_h -u admin:pass-one "http://127.0.0.1:$HPORT/")
	[ "$code" = 405 ] || fail "GET: $code"
	code=$(curl_h -u admin:pass-one -d "$j" "http://127.0.0.1:$HPORT/")
	[ "$code" = 415 ] || fail "a form's content type: $code"
	head -c 70000 /dev/zero | tr '\0' ' ' >"$T_DIR/big"
	code=$(curl_h -u admin:pass-one -H 'Content-Type: application/json' --data-binary "@$T_DIR/big" "http://127.0.0.1:$HPORT/")
	[ "$code" = 413 ] || fail "a 70000-byte body: $code"
	kill -0 "$DAEMON_PID" || fail "the daemon died"
}

t_http_commands() {
	local code
	req() {
		code=$(curl_h -u admin:pass-one -H 'Content-Type: application/json' -d "$1" "http://127.0.0.1:$HPORT/")
		[ "$code" = 200 ] || fail "$1: HTTP $code"
		check_answer "$2" <"$T_DIR/body" || fail "$1"
	}
	req '{"command": "version-get", "service": ["dhcp4"]}' "r['result'] == 0"
	req '{"command": "version-get", "service": []}' "r['result'] == 0"
	req '{"command": "version-get", "service": ["dhcp6"]}' "r['result'] == 1 and 'dhcp6' in r['text']"
	req '{"command": "no-such-command"}' "r['result'] == 2"
	req '{"command": 3}' "r['result'] == 1"
	req '[1, 2]' "r['result'] == 1"
	grep -qi '^X-Test: dhcpxdp' "$T_DIR/headers" || fail "no http-headers on a 200"
	grep -qi '^Content-Type: application/json' "$T_DIR/headers" || fail "not application/json"
}

t_https_kea_shell() {
	four_commands kea_https
}

t_https_client_certificates() {
	local j='{"command": "status-get"}' code
	code=$(curl_h --cacert "$PKI/ca.pem" --cert "$PKI/cli.pem" --key "$PKI/cli.key" \
		-H 'Content-Type: application/json' -d "$j" "https://127.0.0.1:$SPORT/")
	[ "$code" = 200 ] && check_answer "r['result'] == 0" <"$T_DIR/body" ||
		fail "with the client certificate: $code"
	code=$(curl_h --cacert "$PKI/ca.pem" -H 'Content-Type: application/json' -d "$j" \
		"https://127.0.0.1:$SPORT/" 2>"$T_DIR/curl.err")
	[ "$code" = 000 ] || fail "without a client certificate: HTTP $code"
	echo "no certificate: $(cat "$T_DIR/curl.err")"
	code=$(curl_h --cacert "$PKI/ca.pem" --cert "$PKI/stranger.pem" --key "$PKI/stranger.key" \
		-H 'Content-Type: application/json' -d "$j" "https://127.0.0.1:$SPORT/" 2>"$T_DIR/curl.err")
	[ "$code" = 000 ] || fail "another CA's client certificate: HTTP $code"
	echo "another CA's: $(cat "$T_DIR/curl.err")"
	kea_https status-get stranger >/dev/null 2>&1 && fail "kea-shell with another CA's certificate"
	code=$(curl_h -H 'Content-Type: application/json' -d "$j" "http://127.0.0.1:$SPORT/")
	[ "$code" = 200 ] && fail "clear text answered on the HTTPS socket"
	kill -0 "$DAEMON_PID" || fail "the daemon died"
}

t_ipv6() {
	srv ip -6 addr show dev lo | grep -q '::1' || { echo "no ::1 in the namespace: skipped"; return 0; }
	$PY - "$CFG" "$HPORT" <<'PY' || fail "cannot edit the configuration"
import json, sys
c = json.load(open(sys.argv[1]))
c["Dhcp4"]["control-sockets"].append({"socket-type": "http", "socket-address": "::1",
    "socket-port": int(sys.argv[2]) + 2,
    "authentication": {"clients": [{"user": "v6", "password": "six"}]}})
json.dump(c, open(sys.argv[1], "w"))
PY
	srv "$DHCPXDP" reload -c "$CFG" || fail "reload"
	local code
	code=$(curl_h -g -u v6:six -H 'Content-Type: application/json' \
		-d '{"command": "version-get"}' "http://[::1]:$((HPORT + 2))/")
	[ "$code" = 200 ] || fail "::1: HTTP $code"
}

t_reload_over_http() {
	write_config pass-two "$PKI/srv.pem"
	kea_http admin pass-one config-reload | check_answer "r['result'] == 0" ||
		fail "config-reload over the socket it replaces"
	local code
	code=$(curl_h -u admin:pass-one -H 'Content-Type: application/json' \
		-d '{"command": "version-get"}' "http://127.0.0.1:$HPORT/")
	[ "$code" = 401 ] || fail "the old password after the reload: $code"
	kea_http admin pass-two status-get | check_answer "r['result'] == 0" ||
		fail "the new password after the reload"
	kea_https status-get | check_answer "r['result'] == 0" || fail "HTTPS after the reload"
}

t_missing_cert_file() {
	write_config pass-two "$T_DIR/no-such-cert.pem"
	srv "$DHCPXDP" check-config -c "$CFG" || fail "check-config reads the TLS files"
	srv "$DHCPXDP" reload -c "$CFG" >"$T_DIR/reload.out" 2>&1 && fail "reload with a missing cert-file"
	grep -q "Dhcp4.control-sockets\[2\].cert-file $T_DIR/no-such-cert.pem: No such file or directory" \
		"$T_DIR/daemon.log" || fail "no log line naming the file: $(tail -5 "$T_DIR/daemon.log")"
	kea_https status-get | check_answer "r['result'] == 0" ||
		fail "the HTTPS socket stopped after a refused reload"
	daemon_stop
	# start_refused PATTERN: the daemon exits at once, its log naming why.
	start_refused() {
		srv timeout 20 "$DHCPXDP" run -c "$CFG" >"$T_DIR/start.log" 2>&1 &&
			fail "started"
		grep "$1" "$T_DIR/start.log" || fail "not named: $(tail -3 "$T_DIR/start.log")"
	}
	start_refused "Dhcp4.control-sockets\[2\].cert-file $T_DIR/no-such-cert.pem: No such file or directory"
	write_config pass-two "$PKI/cli.pem" # the client's certificate, not the key's
	start_refused "cert-file $PKI/cli.pem with key-file $PKI/srv.key: The certificate and the given key do not match"
	write_config pass-two "$PKI/srv.key" # a key where the certificate goes
	start_refused "cert-file $PKI/srv.key: no PEM certificate in it"
}

t_shutdown_over_https() {
	write_config pass-two "$PKI/srv.pem"
	daemon_start || fail "restart"
	kea_https shutdown | check_answer "r['result'] == 0" || fail "shutdown's answer"
	wait_until 10 sh -c "! kill -0 $DAEMON_PID" || fail "the daemon still runs"
}

t_run "HTTP + basic auth: kea-shell list-commands, status-get, lease4-get-all, config-get" t_http_kea_shell
t_run "HTTP: 401 without or with wrong credentials, 400, 405, 415, 413" t_http_refused
t_run "HTTP: service, unknown command, bad command, http-headers" t_http_commands
t_run "HTTPS: kea-shell with a client certificate" t_https_kea_shell
t_run "HTTPS: no or another CA's client certificate refused in the handshake" t_https_client_certificates
t_run "HTTP on ::1, added by a reload" t_ipv6
t_run "config-reload over HTTP: the new password, HTTPS kept" t_reload_over_http
t_run "a missing cert-file: check-config passes, reload and start refused naming it" t_missing_cert_file
t_run "shutdown over HTTPS is answered" t_shutdown_over_https
t_summary
