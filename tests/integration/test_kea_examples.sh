#!/usr/bin/env bash
# Kea's own example configurations (Debian's kea-doc package), each as an
# operator moving to dhcpxdp would feed it: the lease database switched to
# SQLite, hooks-libraries emptied (kea_example.py), nothing else edited.
# Every file must give the outcome listed below: "ok", or refused at the
# JSON path given - so a key that starts being honoured, or one that stops,
# shows up here. docs/configuration.md lists the reason of each refusal.
# KEA_EXAMPLES=DIR checks another Kea release's examples; files not listed
# below are reported, not judged.
# Usage: tests/integration/test_kea_examples.sh BUILD_DIR
set -u
out=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib.sh"

declare -A expect=(
	[advanced.json]=ok
	[all-keys-netconf.json]=Dhcp4.config-control
	[all-keys.json]=Dhcp4.config-control
	[all-options.json]=ok
	[backends.json]=ok
	[classify.json]=ok
	[classify2.json]=ok
	[comments.json]=ok
	[config-backend.json]=Dhcp4.config-control
	[dhcpv4-over-dhcpv6.json]=Dhcp4.dhcp4o6-port
	[global-reservations.json]=ok
	[ha-load-balancing-primary.json]=ok
	[hooks-radius.json]=ok
	[hooks.json]=ok
	[leases-expiration.json]=ok
	[multiple-options.json]=ok
	[mysql-reservations.json]=ok
	[pgsql-reservations.json]=ok
	[reservations.json]=ok
	[several-subnets.json]=ok
	[shared-network.json]=ok
	[single-subnet.json]=ok
	[vendor-specific.json]=ok
	[vivso.json]=ok
	[with-ddns.json]=ok
)

T_DIR=$(mktemp -d /tmp/dhcpxdp-kx-XXXXXX)
trap 'rm -rf "$T_DIR"' EXIT
src=${KEA_EXAMPLES:-/usr/share/doc/kea/examples/kea4}
if [ ! -d "$src" ] && [ -z "${KEA_EXAMPLES:-}" ]; then
	# A system that drops /usr/share/doc on install: take the files
	# from the package itself.
	(cd "$T_DIR" && apt-get download kea-doc >/dev/null 2>&1 &&
		dpkg-deb -x kea-doc_*.deb pkg) && src=$T_DIR/pkg/usr/share/doc/kea/examples/kea4
fi
[ -d "$src" ] || t_skip_all "Kea's examples missing (kea-doc, scripts/deps.sh test)" ${#expect[@]}
command -v python3 >/dev/null || t_skip_all "python3 missing" ${#expect[@]}

# check_one FILE: dhcpxdp's verdict on the converted file, as expected.
check_one() {
	local f=$1 name want conv msg got
	name=$(basename "$f")
	want=${expect[$name]}
	conv=$T_DIR/$name
	python3 "$top/tests/integration/kea_example.py" "$f" "$conv" \
		"$T_DIR/leases.sqlite3" || return 1
	msg=$("$out/dhcpxdp" check-config -c "$conv" 2>&1)
	echo "$msg" | grep -v 'warning' | sed "s#$T_DIR/##"
	if echo "$msg" | grep -q "^$conv: ok"; then
		got=ok
	else
		# error: FILE: JSON.PATH: reason
		got=$(echo "$msg" | sed -n "s#^error: $conv: \([^:]*\):.*#\1#p" | head -1)
	fi
	echo "expected: $want, got: ${got:-no verdict}"
	[ "$got" = "$want" ]
}

passing=0 total=0
for f in "$src"/*.json; do
	name=$(basename "$f")
	total=$((total + 1))
	if [ -z "${expect[$name]+x}" ]; then
		python3 "$top/tests/integration/kea_example.py" "$f" \
			"$T_DIR/$name" "$T_DIR/leases.sqlite3" &&
			"$out/dhcpxdp" check-config -c "$T_DIR/$name" 2>&1 |
			grep -v warning | sed "s#$T_DIR/##;s/^/    (not judged) /"
		continue
	fi
	[ "${expect[$name]}" = ok ] && passing=$((passing + 1))
	t_run "kea example $name" check_one "$f"
done
echo "Kea examples expected to pass: $passing of $total in $src"
t_summary
