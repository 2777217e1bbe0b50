#!/usr/bin/python3
"""Read a capture of DHCP replies and check them against the lease DB.

  acks.py PCAP LEASES_JSON [KILL_TIME]
Prints what it checked; exits 1 when
  - an address was ACKed to two different MACs during the run, or
  - an address ACKed before KILL_TIME (unix seconds, the daemon's kill -9;
    without it, any ACK of the capture) is missing from the lease
    database afterwards.
"""
import json
import sys

from scapy.all import BOOTP, DHCP, rdpcap


def acks(path):
    for p in rdpcap(path):
        if BOOTP not in p or DHCP not in p or p[BOOTP].op != 2:
            continue
        opts = dict(o for o in p[DHCP].options if isinstance(o, tuple))
        if opts.get("message-type") != 5:
            continue
        yield float(p.time), p[BOOTP].yiaddr, p[BOOTP].chaddr[:6].hex(":")


def main():
    pcap, leases_json = sys.argv[1], sys.argv[2]
    kill_time = float(sys.argv[3]) if len(sys.argv) > 3 else float("inf")
    when = "before the kill" if len(sys.argv) > 3 else "in all"
    with open(leases_json) as f:
        db = {(l["address"], l["hw-address"]) for l in json.load(f)}
    owner, before, total, bad = {}, set(), 0, 0
    for t, addr, mac in acks(pcap):
        total += 1
        if owner.setdefault(addr, mac) != mac:
            print(f"DOUBLE GRANT: {addr} ACKed to {owner[addr]} and {mac}")
            bad += 1
        if t < kill_time:
            before.add((addr, mac))
    missing = sorted(before - db)
    for addr, mac in missing:
        print(f"LOST: {addr} ACKed to {mac} {when}, not in the DB")
    print(f"{total} ACKs captured, {len(owner)} addresses, "
          f"{len(before)} leases ACKed {when}, {len(missing)} lost, "
          f"{bad} double grants")
    sys.exit(1 if bad or missing or total == 0 else 0)


if __name__ == "__main__":
    main()
