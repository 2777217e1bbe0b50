#!/usr/bin/env python3
"""A DHCP relay agent (RFC 1542 §4) with option 82 (RFC 3046), for
test_relay.sh: it relays one client's messages to the server by unicast
from GIADDR:67, and reports what came back, including any ICMP
destination unreachable the server's host sent to the relay.

  relay.py dora   IFACE MAC GIADDR SERVER SERVER_MAC CIRCUIT
  relay.py rebind IFACE MAC GIADDR SERVER SERVER_MAC CIRCUIT CIADDR

Prints "addr=A ri=echoed|missing|changed|not-last icmp=N"; exit status
1 when no reply came.
"""
import random
import select
import socket
import sys
import time

from scapy.all import IP, UDP, Ether, conf, get_if_hwaddr, mac2str

conf.verb = 0
COOKIE = b"\x63\x82\x53\x63"


def opt(code, value):
    return bytes([code, len(value)]) + value


def bootrequest(mac, xid, giaddr, ciaddr, flags, opts):
    b = bytearray(236)
    b[0], b[1], b[2], b[3] = 1, 1, 6, 1  # op, htype, hlen, hops
    b[4:8] = xid.to_bytes(4, "big")
    b[10:12] = flags.to_bytes(2, "big")
    b[12:16] = socket.inet_aton(ciaddr)
    b[24:28] = socket.inet_aton(giaddr)
    b[28:34] = mac2str(mac)
    return bytes(b) + COOKIE + opts + b"\xff"


def options(payload):
    """[(code, value)] of a BOOTP payload, in order, END included."""
    out, i = [], 240
    while i < len(payload):
        code = payload[i]
        if code == 0:
            i += 1
            continue
        if code == 255:
            out.append((255, b""))
            break
        n = payload[i + 1]
        out.append((code, payload[i + 2:i + 2 + n]))
        i += 2 + n
    return out


def ri_state(opts, ri):
    codes = [c for c, _ in opts]
    if 82 not in codes:
        return "missing"
    if dict(opts)[82] != ri:
        return "changed"
    if codes[codes.index(82) + 1] != 255:
        return "not-last"
    return "echoed"


class Relay:
    def __init__(self, iface, giaddr, server, server_mac):
        self.iface, self.giaddr, self.server = iface, giaddr, server
        self.server_mac = server_mac
        self.mac = get_if_hwaddr(iface)
        self.icmp = 0
        self.sock = conf.L2socket(
            iface=iface,
            filter="(udp and src host %s) or (icmp and dst host %s)"
            % (server, giaddr))

    def recv(self, until):
        """The next frame before `until`, or None."""
        left = until - time.time()
        if left <= 0 or not select.select([self.sock], [], [], left)[0]:
            return None
        return self.sock.recv()

    def ask(self, payload, xid, want, timeout=6):
        """Send, retrying each 2 s; the reply of type `want` for xid."""
        frame = (Ether(src=self.mac, dst=self.server_mac)
                 / IP(src=self.giaddr, dst=self.server)
                 / UDP(sport=67, dport=67) / payload)
        deadline = time.time() + timeout
        while time.time() < deadline:
            self.sock.send(frame)
            until = min(deadline, time.time() + 2)
            while time.time() < until:
                p = self.recv(until)
                if p is None:
                    continue
                if p.haslayer("ICMP"):
                    if p["ICMP"].type == 3:
                        self.icmp += 1
                    continue
                if UDP not in p or p[UDP].dport != 67:
                    continue
                b = bytes(p[UDP].payload)
                if len(b) < 240 or b[0] != 2 or \
                        int.from_bytes(b[4:8], "big") != xid:
                    continue
                opts = options(b)
                if dict(opts).get(53) == bytes([want]):
                    return b, opts
        return None, None

    def drain_icmp(self, seconds):
        """ICMP that comes after the last reply is counted too."""
        until = time.time() + seconds
        while time.time() < until:
            p = self.recv(until)
            if p is not None and p.haslayer("ICMP") and \
                    p["ICMP"].type == 3:
                self.icmp += 1


def report(relay, b, opts, ri):
    if b is None:
        print("no reply icmp=%d" % relay.icmp)
        return 1
    print("addr=%s ri=%s icmp=%d" % (socket.inet_ntoa(b[16:20]),
                                      ri_state(opts, ri), relay.icmp))
    return 0


def main():
    cmd, iface, mac, giaddr, server, server_mac, circuit = sys.argv[1:8]
    # RFC 3046 §2.1 circuit id, §2.2 remote id
    ri = opt(1, circuit.encode()) + opt(2, b"relay-it")
    relay = Relay(iface, giaddr, server, server_mac)
    xid = random.randint(1, 0xFFFFFFFF)
    if cmd == "dora":
        b, opts = relay.ask(bootrequest(mac, xid, giaddr, "0.0.0.0", 0,
                                        opt(53, b"\x01") + opt(82, ri)),
                            xid, 2)
        if b is None:
            return report(relay, b, opts, ri)
        b, opts = relay.ask(bootrequest(
            mac, xid, giaddr, "0.0.0.0", 0,
            opt(53, b"\x03") + opt(50, b[16:20])
            + opt(54, dict(opts)[54]) + opt(82, ri)), xid, 5)
    else:
        # REBINDING (RFC 2131 §4.3.2): ciaddr, broadcast, no 50 or 54
        b, opts = relay.ask(bootrequest(mac, xid, giaddr, sys.argv[8],
                                        0x8000,
                                        opt(53, b"\x03") + opt(82, ri)),
                            xid, 5)
    relay.drain_icmp(0.5)
    return report(relay, b, opts, ri)


if __name__ == "__main__":
    sys.exit(main())
