#!/usr/bin/python3
"""A DHCP starvation flood and the clients it must not hurt, for
tests/integration/test_flood.sh (scapy builds the frames).

  flood.py lease IFACE N            DORA for N clients at once (MACs
                                    02:f0:00:00:00:01 ...); prints "MAC ADDR"
  flood.py flood IFACE SECONDS MACS RATE
                                    DISCOVERs from MACS random MACs, RATE
                                    frames/s for SECONDS, from one socket;
                                    prints how many were sent
  flood.py renew IFACE SERVER SERVER_MAC LEASES
                                    a RENEWING REQUEST (RFC 2131 §4.3.2:
                                    unicast, ciaddr) from every "MAC ADDR"
                                    line of LEASES, one retransmission;
                                    prints "renewed N of M"
  flood.py relay-dora IFACE MAC GIADDR SERVER SERVER_MAC
                                    DORA as a relay agent at GIADDR
                                    (RFC 1542 §4); prints the address
Exit status 1 when an exchange failed.
"""
import random
import select
import socket
import sys
import time

from scapy.all import (BOOTP, DHCP, IP, UDP, Ether, conf, get_if_hwaddr,
                       mac2str)

conf.verb = 0
BCAST = "ff:ff:ff:ff:ff:ff"


def msg_type(pkt):
    if DHCP not in pkt:
        return None
    for o in pkt[DHCP].options:
        if isinstance(o, tuple) and o[0] == "message-type":
            return o[1]
    return None


def option(pkt, name):
    for o in pkt[DHCP].options:
        if isinstance(o, tuple) and o[0] == name:
            return o[1]
    return None


def exchange(sock, pkts, want, timeout, tries=3):
    """Send every packet of {xid: pkt}; the replies of type `want` by xid.
    Those still unanswered after timeout/tries are sent again."""
    got = {}
    for _ in range(tries):
        for xid, p in pkts.items():
            if xid not in got:
                sock.send(p)
        deadline = time.monotonic() + timeout / tries
        while len(got) < len(pkts):
            left = deadline - time.monotonic()
            if left <= 0:
                break
            r, _, _ = select.select([sock], [], [], left)
            if not r:
                break
            rep = sock.recv()
            if rep is None or BOOTP not in rep or rep[BOOTP].op != 2:
                continue
            xid = rep[BOOTP].xid
            if xid in pkts and xid not in got and msg_type(rep) == want:
                got[xid] = rep
        if len(got) == len(pkts):
            break
    return got


def client_frame(mac, xid, opts, src="0.0.0.0", dst="255.255.255.255",
                 dst_mac=BCAST, ciaddr="0.0.0.0", flags=0x8000):
    return (Ether(src=mac, dst=dst_mac) / IP(src=src, dst=dst)
            / UDP(sport=68, dport=67)
            / BOOTP(chaddr=mac2str(mac), xid=xid, ciaddr=ciaddr,
                    flags=flags)
            / DHCP(options=opts + ["end"]))


def lease(iface, n):
    macs = ["02:f0:00:00:%02x:%02x" % (i >> 8, i & 0xff)
            for i in range(1, n + 1)]
    xids = {m: random.randint(1, 0xFFFFFFFF) for m in macs}
    sock = conf.L2socket(iface=iface, filter="udp and dst port 68")
    offers = exchange(sock, {xids[m]: client_frame(
        m, xids[m], [("message-type", "discover")]) for m in macs}, 2, 6)
    reqs = {}
    for m in macs:
        o = offers.get(xids[m])
        if o:
            reqs[xids[m]] = client_frame(m, xids[m], [
                ("message-type", "request"),
                ("requested_addr", o[BOOTP].yiaddr),
                ("server_id", option(o, "server_id"))])
    acks = exchange(sock, reqs, 5, 6)
    for m in macs:
        a = acks.get(xids[m])
        if a:
            print(m, a[BOOTP].yiaddr)
    return 0 if len(acks) == n else 1


def flood(iface, seconds, n_macs, rate):
    frames = []
    for _ in range(n_macs):
        mac = "02:%02x:%02x:%02x:%02x:%02x" % tuple(
            random.randint(0, 255) for _ in range(5))
        frames.append(bytes(client_frame(
            mac, random.randint(1, 0xFFFFFFFF),
            [("message-type", "discover")])))
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    sent, batch = 0, 50
    start = time.monotonic()
    while True:
        now = time.monotonic() - start
        if now >= seconds:
            break
        # Paced in batches: RATE frames/s, whatever the CPU has spare.
        ahead = sent / rate - now
        if ahead > 0:
            time.sleep(ahead)
        for _ in range(batch):
            try:
                s.send(frames[sent % n_macs])
                sent += 1
            except OSError:
                pass
    print(sent)
    return 0


def renew(iface, server, server_mac, leases_file):
    leases = [ln.split() for ln in open(leases_file) if ln.strip()]
    pkts = {}
    for mac, addr in leases:
        xid = random.randint(1, 0xFFFFFFFF)
        pkts[xid] = client_frame(mac, xid, [("message-type", "request")],
                                 src=addr, dst=server, dst_mac=server_mac,
                                 ciaddr=addr, flags=0)
    sock = conf.L2socket(iface=iface, filter="udp and dst port 68")
    # A client retransmits (RFC 2131 §4.4.5): one retransmission here.
    acks = exchange(sock, pkts, 5, 4, tries=2)
    print("renewed %d of %d" % (len(acks), len(pkts)))
    return 0 if len(acks) == len(pkts) else 1


def relay_dora(iface, mac, giaddr, server, server_mac):
    relay_mac = get_if_hwaddr(iface)
    xid = random.randint(1, 0xFFFFFFFF)

    def relayed(opts):
        return (Ether(src=relay_mac, dst=server_mac)
                / IP(src=giaddr, dst=server) / UDP(sport=67, dport=67)
                / BOOTP(chaddr=mac2str(mac), xid=xid, giaddr=giaddr, hops=1)
                / DHCP(options=opts + ["end"]))

    sock = conf.L2socket(iface=iface, filter="udp and src host " + server)
    offer = exchange(sock, {xid: relayed([("message-type", "discover")])},
                     2, 6).get(xid)
    if not offer:
        return 1
    addr = offer[BOOTP].yiaddr
    ack = exchange(sock, {xid: relayed([
        ("message-type", "request"), ("requested_addr", addr),
        ("server_id", option(offer, "server_id"))])}, 5, 6).get(xid)
    if not ack:
        return 1
    print(ack[BOOTP].yiaddr)
    return 0


def main():
    cmd, iface = sys.argv[1], sys.argv[2]
    a = sys.argv[3:]
    if cmd == "lease":
        return lease(iface, int(a[0]))
    if cmd == "flood":
        return flood(iface, float(a[0]), int(a[1]), int(a[2]))
    if cmd == "renew":
        return renew(iface, a[0], a[1], a[2])
    if cmd == "relay-dora":
        return relay_dora(iface, a[0], a[1], a[2], a[3])
    return 2


if __name__ == "__main__":
    sys.exit(main())
