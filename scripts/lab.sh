#!/usr/bin/env bash
# A lab in network namespaces: a server and a client joined by a veth pair,
# XDP-ready, with a private bpffs outside /sys so pins survive across
# `ip netns exec` calls (each remounts /sys; docs/design.md §6).
#
#   scripts/lab.sh up   DIR [PREFIX]   create; writes DIR/lab.env
#   scripts/lab.sh down DIR            remove everything `up` made
#
# Names carry PREFIX (default dxlab) so parallel labs do not collide.
# Server: netns ${PREFIX}-srv, interface ${PREFIX}s, 10.77.0.1/24.
# Client: netns ${PREFIX}-cli, interface ${PREFIX}c, pass-through XDP.
set -euo pipefail

cmd=${1:?usage: lab.sh up|down DIR [PREFIX]}
dir=${2:?usage: lab.sh up|down DIR [PREFIX]}
prefix=${3:-dxlab}
top=$(cd "$(dirname "$0")/.." && pwd)

srv_ns=$prefix-srv
cli_ns=$prefix-cli
srv_if=${prefix}s
cli_if=${prefix}c

up() {
	mkdir -p "$dir/bpffs"
	mountpoint -q "$dir/bpffs" || mount -t bpf bpf "$dir/bpffs"
	ip netns add "$srv_ns"
	ip netns add "$cli_ns"
	ip link add "$srv_if" netns "$srv_ns" type veth peer name "$cli_if" \
		netns "$cli_ns"
	ip -n "$srv_ns" link set lo up
	ip -n "$cli_ns" link set lo up
	ip -n "$srv_ns" addr add 10.77.0.1/24 dev "$srv_if"
	ip -n "$srv_ns" link set "$srv_if" up
	ip -n "$cli_ns" link set "$cli_if" up
	# XDP_TX frames reach the client only if it runs XDP as well.
	ip -n "$cli_ns" link set dev "$cli_if" xdpdrv \
		obj "$top/build/xdp_pass.bpf.o" sec xdp
	cat >"$dir/lab.env" <<ENV
SRV_NS=$srv_ns
CLI_NS=$cli_ns
SRV_IF=$srv_if
CLI_IF=$cli_if
SRV_IP=10.77.0.1
PIN_DIR=$dir/bpffs/dhcpxdp
ENV
}

down() {
	ip netns pids "$srv_ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
	ip netns pids "$cli_ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
	sleep 0.2
	ip netns pids "$srv_ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
	ip netns pids "$cli_ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
	ip netns del "$srv_ns" 2>/dev/null || true
	ip netns del "$cli_ns" 2>/dev/null || true
	if mountpoint -q "$dir/bpffs" 2>/dev/null; then
		umount "$dir/bpffs"
	fi
	rmdir "$dir/bpffs" 2>/dev/null || true
}

case $cmd in
up) up ;;
down) down ;;
*)
	echo "usage: lab.sh up|down DIR [PREFIX]" >&2
	exit 2
	;;
esac
