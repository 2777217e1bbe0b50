#!/usr/bin/env bash
# Install what vmtest/run.sh needs: virtme-ng (vng), QEMU, udev (the bash
# virtme-init of Debian's virtme-ng finds its virtio-serial I/O ports through
# udev's /dev/virtio-ports links) and Debian kernels, extracted (not
# installed) into a cache directory:
#
#   $VMTEST_CACHE/<name>/boot/vmlinuz-<kver>   kernel image
#   $VMTEST_CACHE/<name>/lib/modules/<kver>/    its modules (depmod'ed)
#   $VMTEST_CACHE/<name>/kver, .../package      what was extracted
#
# <name> is 6.1 (bookworm), 6.12 (bookworm-backports) or 5.10 (bullseye).
# VMTEST_CACHE defaults to /var/lib/dhcpxdp-vmtest: not /var/cache, because
# virtme-init mounts a tmpfs over the guest's /var/cache and the guest must
# see the modules there.
#
# Packages come from the Debian mirror that this host's apt already uses:
# its URI is read at run time from /etc/apt/sources.list.d/*.sources, and a
# temporary source list with its own lists/archives directories is used, so
# the system's sources and package lists are left as they are. virtme-ng is
# only in trixie (arch all); it is downloaded from there and installed with
# the system's apt so that its dependencies come from bookworm.
#
# Idempotent: a kernel whose cache directory is complete is not fetched
# again, and apt is not touched at all when everything is present.
#
# Usage: scripts/vm-deps.sh [KERNEL...]   (default: 6.1 6.12 5.10)
set -euo pipefail

CACHE=${VMTEST_CACHE:-/var/lib/dhcpxdp-vmtest}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
host_pkgs=(qemu-system-x86 udev busybox-static file kmod)

log() { printf 'vm-deps: %s\n' "$*" >&2; }
die() {
	log "$*"
	exit 1
}

kernels=("$@")
[ ${#kernels[@]} -eq 0 ] && kernels=(6.1 6.12 5.10)

# Suite whose linux-image-amd64 metapackage names the kernel to fetch.
suite_of() {
	case "$1" in
	6.1) echo bookworm ;;
	6.12) echo bookworm-backports ;;
	5.10) echo bullseye ;;
	*) return 1 ;;
	esac
}
for k in "${kernels[@]}"; do
	suite_of "$k" >/dev/null || die "unknown kernel '$k' (known: 6.1 6.12 5.10)"
done

[ "$(id -u)" -eq 0 ] || die "run as root"
export DEBIAN_FRONTEND=noninteractive

# --- what is missing -------------------------------------------------------
missing_host=()
for p in "${host_pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing_host+=("$p")
done
need_vng=0
command -v vng >/dev/null 2>&1 || need_vng=1
missing_k=()
for k in "${kernels[@]}"; do
	[ -s "$CACHE/$k/kver" ] || missing_k+=("$k")
done
if [ ${#missing_host[@]} -eq 0 ] && [ $need_vng -eq 0 ] && [ ${#missing_k[@]} -eq 0 ]; then
	exit 0
fi

# Daemons shipped by these packages (udev) must not start on install: a
# policy-rc.d answering 101 tells invoke-rc.d so. Only ours is removed.
prc=/usr/sbin/policy-rc.d
own_prc=0
tmp=
cleanup() {
	[ $own_prc -eq 1 ] && rm -f "$prc"
	[ -n "$tmp" ] && rm -rf "$tmp"
	return 0
}
trap cleanup EXIT
if [ ! -e "$prc" ]; then
	printf '#!/bin/sh\nexit 101\n' >"$prc"
	chmod 755 "$prc"
	own_prc=1
fi

sys_updated=0
sys_install() {
	if [ $sys_updated -eq 0 ]; then
		apt-get update -qq
		sys_updated=1
	fi
	apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if [ ${#missing_host[@]} -gt 0 ]; then
	log "installing ${missing_host[*]}"
	sys_install "${missing_host[@]}"
fi

# --- temporary apt configuration -------------------------------------------
[ $need_vng -eq 0 ] && [ ${#missing_k[@]} -eq 0 ] && exit 0

# The mirror of the host's Debian entry (the .sources stanza whose Suites
# include bookworm); never written anywhere but the temporary list below.
mirror=$(awk '
	/^[[:space:]]*$/ { u = ""; s = ""; next }
	/^URIs:/ { u = $2 }
	/^Suites:/ { s = $0 }
	u != "" && s ~ /[[:space:]]bookworm([[:space:]]|$)/ { print u; exit }
' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
if [ -z "$mirror" ]; then
	mirror=$(awk '$1 == "deb" && / bookworm / { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' \
		/etc/apt/sources.list 2>/dev/null || true)
fi
[ -n "$mirror" ] || die "no bookworm entry found in /etc/apt/sources.list.d/*.sources"

tmp=$(mktemp -d /tmp/vm-deps.XXXXXX)
chmod 755 "$tmp"
mkdir -p "$tmp/lists/partial" "$tmp/archives/partial" "$tmp/debs"
{
	for s in bookworm bookworm-backports bullseye trixie; do
		echo "deb [signed-by=$KEYRING] $mirror $s main"
	done
} >"$tmp/sources.list"
APT=(-o "Dir::Etc::SourceList=$tmp/sources.list" -o Dir::Etc::SourceParts=/dev/null
	-o "Dir::State::Lists=$tmp/lists" -o "Dir::Cache::Archives=$tmp/archives"
	-o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=
	-o APT::Sandbox::User=root)
log "reading package lists (temporary source list)"
apt-get "${APT[@]}" update -qq

# apt-get download into $tmp/debs; prints the .deb's path.
fetch() {
	(cd "$tmp/debs" && apt-get "${APT[@]}" download -qq "$1" >/dev/null) ||
		die "download of $1 failed"
	local f
	f=$(ls -t "$tmp/debs/${1%%=*}"_*.deb 2>/dev/null | head -n1)
	[ -n "$f" ] || die "download of $1 left no .deb"
	echo "$f"
}

if [ $need_vng -eq 1 ]; then
	log "fetching virtme-ng (trixie)"
	deb=$(fetch virtme-ng)
	log "installing $(basename "$deb") with its dependencies from bookworm"
	sys_install "$deb"
	command -v vng >/dev/null || die "vng missing after installing virtme-ng"
fi

for k in "${missing_k[@]}"; do
	suite=$(suite_of "$k")
	# Version of the linux-image-amd64 metapackage in that suite, then the
	# image package it depends on: the suite's newest kernel of the series.
	ver=$(apt-cache "${APT[@]}" madison linux-image-amd64 |
		awk -F'|' -v s="$suite/main" '{ gsub(/ /, "", $2); n = split($3, a, " "); if (a[n - 2] == s) { print $2; exit } }')
	case "$ver" in
	"$k".*) ;;
	*) die "linux-image-amd64 in $suite is '$ver', not a $k kernel" ;;
	esac
	pkg=$(apt-cache "${APT[@]}" show "linux-image-amd64=$ver" |
		sed -n 's/^Depends: *\(linux-image-[^ ,]*\).*/\1/p' | head -n1)
	[ -n "$pkg" ] || die "no image package behind linux-image-amd64=$ver"
	log "kernel $k: $pkg ($ver, $suite)"
	deb=$(fetch "$pkg")
	dst="$CACHE/$k"
	rm -rf "$dst.tmp"
	mkdir -p "$dst.tmp"
	dpkg-deb -x "$deb" "$dst.tmp"
	kimg=$(ls "$dst.tmp"/boot/vmlinuz-* 2>/dev/null | head -n1)
	[ -n "$kimg" ] || die "$pkg has no boot/vmlinuz-*"
	kver=${kimg##*/vmlinuz-}
	[ -d "$dst.tmp/lib/modules/$kver" ] || die "$pkg has no lib/modules/$kver"
	# Debian's packages ship no modules.dep; vng would run depmod inside
	# the cache at boot, do it once here so the cache can stay read-only.
	depmod -a -b "$dst.tmp" "$kver"
	echo "$pkg $ver" >"$dst.tmp/package"
	echo "$kver" >"$dst.tmp/kver"
	rm -rf "$dst"
	mv "$dst.tmp" "$dst"
	rm -f "$deb"
	log "kernel $k: $kver in $dst"
done
