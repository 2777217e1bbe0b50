#!/usr/bin/python3
"""A DHCP client among several servers on one segment (scapy), for
tests/integration/test_multinode.sh.

  multi_client.py IFACE dora MAC SERVER
      DISCOVER, take SERVER's OFFER (others ignored), REQUEST it from
      SERVER; after a NAK start over (at most 4 rounds). Prints the ACKed
      address; exit 1 when SERVER offered nothing or never ACKed.
  multi_client.py IFACE select MAC ADDR SERVER
      A SELECTING REQUEST for ADDR to SERVER, no DISCOVER before it.
      Prints "ack ADDR" or "nak"; exit 1 without an answer.
  multi_client.py IFACE offers MAC
      One DISCOVER; prints the server identifiers of the OFFERs seen in
      the next 1.5 s, sorted, one line ("" when none).
"""
import random
import sys
import time

from scapy.all import (BOOTP, DHCP, IP, UDP, AsyncSniffer, Ether, conf,
                       sendp)

conf.verb = 0


def opt(rep, name):
    for o in rep[DHCP].options:
        if isinstance(o, tuple) and o[0] == name:
            return o[1]
    return None


def frame(mac, xid, opts):
    return (Ether(src=mac, dst="ff:ff:ff:ff:ff:ff")
            / IP(src="0.0.0.0", dst="255.255.255.255")
            / UDP(sport=68, dport=67)
            / BOOTP(chaddr=bytes.fromhex(mac.replace(":", "")), xid=xid,
                    flags=0x8000)
            / DHCP(options=opts + ["end"]))


def exchange(iface, mac, opts, server, types, timeout=2.0):
    """Send, then the first reply of one of `types` from `server`."""
    for _ in range(2):
        xid = random.randint(1, 0xFFFFFFFF)

        def mine(p):
            return (BOOTP in p and DHCP in p and p[BOOTP].op == 2
                    and p[BOOTP].xid == xid
                    and opt(p, "server_id") == server
                    and opt(p, "message-type") in types)

        sn = AsyncSniffer(iface=iface, filter="udp and port 68",
                          lfilter=mine, count=1, timeout=timeout)
        sn.start()
        # The capture is set up in the background: not before it is.
        time.sleep(0.3)
        sendp(frame(mac, xid, opts), iface=iface)
        sn.join()
        if sn.results:
            return sn.results[0]
    return None


def dora(iface, mac, server):
    for _ in range(4):
        offer = exchange(iface, mac, [("message-type", "discover")],
                         server, (2,))
        if offer is None:
            return None
        addr = offer[BOOTP].yiaddr
        rep = exchange(iface, mac, [("message-type", "request"),
                                    ("server_id", server),
                                    ("requested_addr", addr)],
                       server, (5, 6))
        if rep is not None and opt(rep, "message-type") == 5:
            return rep[BOOTP].yiaddr
    return None


def offers(iface, mac):
    xid = random.randint(1, 0xFFFFFFFF)
    sn = AsyncSniffer(iface=iface, filter="udp and port 68",
                      lfilter=lambda p: (BOOTP in p and DHCP in p
                                         and p[BOOTP].op == 2
                                         and p[BOOTP].xid == xid
                                         and opt(p, "message-type") == 2),
                      timeout=1.8)
    sn.start()
    time.sleep(0.3)
    sendp(frame(mac, xid, [("message-type", "discover")]), iface=iface)
    sn.join()
    return sorted({opt(p, "server_id") for p in sn.results})


def main():
    iface, cmd, mac = sys.argv[1], sys.argv[2], sys.argv[3]
    if cmd == "dora":
        addr = dora(iface, mac, sys.argv[4])
        if addr is None:
            sys.exit(1)
        print(addr)
    elif cmd == "select":
        addr, server = sys.argv[4], sys.argv[5]
        rep = exchange(iface, mac, [("message-type", "request"),
                                    ("server_id", server),
                                    ("requested_addr", addr)],
                       server, (5, 6))
        if rep is None:
            sys.exit(1)
        print("ack " + rep[BOOTP].yiaddr if opt(rep, "message-type") == 5
              else "nak")
    elif cmd == "offers":
        print(" ".join(offers(iface, mac)))
    else:
        sys.exit(2)


if __name__ == "__main__":
    main()
