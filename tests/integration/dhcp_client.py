#!/usr/bin/python3
"""A scripted DHCP client for the integration tests (scapy).

  dhcp_client.py IFACE dora MAC            -> prints the ACKed address
  dhcp_client.py IFACE discover MAC        -> prints the offered address
  dhcp_client.py IFACE offer-from MAC      -> prints the OFFER's server id
  dhcp_client.py IFACE decline MAC ADDR SERVER
  dhcp_client.py IFACE renew MAC ADDR SERVER SERVER_MAC [VLAN]
                                           -> prints the reply's type
  dhcp_client.py IFACE dora-boot MAC [ARCH] -> "ADDR SIADDR SNAME FILE"
                                              of the ACK ("-" for empty);
                                              exit 3 if the OFFER's
                                              differ; ARCH: option 93
                                              (RFC 4578 §2.1), 7 for x64
                                              UEFI, 0 for BIOS
  dhcp_client.py IFACE renew-boot MAC ADDR SERVER SERVER_MAC
                                           -> "TYPE SIADDR SNAME FILE"
  dhcp_client.py IFACE init-reboot MAC ADDR -> "ack YIADDR" or "nak"
  dhcp_client.py IFACE flood N             -> N DISCOVERs from made-up
                                              MACs at once; prints the
                                              number of OFFERs
Exit status 1 when no answer came within the timeout.
"""
import random
import sys

from scapy.all import (BOOTP, DHCP, IP, UDP, Dot1Q, Ether, conf, sendp,
                       sniff, srp1)

conf.verb = 0
# Replies come from the server's address, not the broadcast we sent to.
conf.checkIPaddr = False


def request(iface, mac, opts, ciaddr="0.0.0.0"):
    xid = random.randint(1, 0xFFFFFFFF)
    pkt = (Ether(src=mac, dst="ff:ff:ff:ff:ff:ff")
           / IP(src="0.0.0.0", dst="255.255.255.255")
           / UDP(sport=68, dport=67)
           / BOOTP(chaddr=bytes.fromhex(mac.replace(":", "")), xid=xid,
                   ciaddr=ciaddr, flags=0x8000)
           / DHCP(options=opts + ["end"]))
    return pkt


def answer(iface, pkt, want):
    for _ in range(3):
        rep = srp1(pkt, iface=iface, timeout=2, filter="udp and port 68")
        if rep and DHCP in rep:
            for o in rep[DHCP].options:
                if isinstance(o, tuple) and o[0] == "message-type" \
                        and o[1] == want:
                    return rep
    return None


def server_id(rep):
    for o in rep[DHCP].options:
        if isinstance(o, tuple) and o[0] == "server_id":
            return o[1]
    return None


def renew(iface, mac, addr, server, server_mac, vlan):
    """The message type of renew_reply()'s reply, or None."""
    rep = renew_reply(iface, mac, addr, server, server_mac, vlan)
    if rep is None:
        return None
    for o in rep[DHCP].options:
        if isinstance(o, tuple) and o[0] == "message-type":
            return o[1]
    return None


def boot_fields(rep):
    """siaddr, sname and file of a reply (RFC 2131 §2), "-" for empty."""
    def text(b):
        return b.rstrip(b"\0").decode("ascii", "replace") or "-"
    return "%s %s %s" % (rep[BOOTP].siaddr, text(rep[BOOTP].sname),
                         text(rep[BOOTP].file))


def renew_reply(iface, mac, addr, server, server_mac, vlan):
    """RENEWING (RFC 2131 §4.3.2): unicast from ADDR to the server, ciaddr
    ADDR, tagged with VLAN unless 0. The reply, or None.
    Replies are matched by xid, tagged or not: a kernel filter would see
    the frame with or without its tag depending on VLAN offload."""
    xid = random.randint(1, 0xFFFFFFFF)
    l2 = Ether(src=mac, dst=server_mac)
    if vlan:
        l2 = l2 / Dot1Q(vlan=vlan)
    pkt = (l2 / IP(src=addr, dst=server) / UDP(sport=68, dport=67)
           / BOOTP(chaddr=bytes.fromhex(mac.replace(":", "")), xid=xid,
                   ciaddr=addr)
           / DHCP(options=[("message-type", "request"), "end"]))
    got = sniff(iface=iface, timeout=3, count=1,
                lfilter=lambda p: BOOTP in p and p[BOOTP].op == 2
                and p[BOOTP].xid == xid,
                started_callback=lambda: sendp(pkt, iface=iface))
    if not got or DHCP not in got[0]:
        return None
    return got[0]


def flood(iface, n):
    """N DISCOVERs from random locally administered MACs, sent back to
    back (a pool starvation attempt); the OFFERs that answer them."""
    pkts = []
    for _ in range(n):
        mac = "02:%02x:%02x:%02x:%02x:%02x" % tuple(
            random.randint(0, 255) for _ in range(5))
        pkts.append(request(iface, mac, [("message-type", "discover")]))
    xids = {p[BOOTP].xid for p in pkts}
    got = sniff(iface=iface, timeout=3,
                lfilter=lambda p: BOOTP in p and p[BOOTP].op == 2
                and p[BOOTP].xid in xids,
                started_callback=lambda: sendp(pkts, iface=iface))
    return len({p[BOOTP].xid for p in got})


def main():
    iface, cmd, mac = sys.argv[1], sys.argv[2], sys.argv[3]
    if cmd == "flood":
        print(flood(iface, int(mac)))
        return
    if cmd == "dora-boot":
        arch = []
        if len(sys.argv) > 4:
            arch = [(93, int(sys.argv[4]).to_bytes(2, "big"))]
        offer = answer(iface, request(iface, mac,
                                      [("message-type", "discover")] + arch),
                       2)
        if not offer:
            sys.exit(1)
        addr = offer[BOOTP].yiaddr
        ack = answer(iface, request(iface, mac, [
            ("message-type", "request"), ("requested_addr", addr),
            ("server_id", server_id(offer))] + arch), 5)
        if not ack:
            sys.exit(1)
        print(addr, boot_fields(ack))
        if boot_fields(offer) != boot_fields(ack):
            print("OFFER had", boot_fields(offer))
            sys.exit(3)
        return
    if cmd == "renew-boot":
        rep = renew_reply(iface, mac, sys.argv[4], sys.argv[5], sys.argv[6],
                          0)
        if rep is None:
            sys.exit(1)
        t = [o[1] for o in rep[DHCP].options
             if isinstance(o, tuple) and o[0] == "message-type"]
        print(t[0] if t else 0, boot_fields(rep))
        return
    if cmd in ("discover", "dora", "dora-decline", "offer-from"):
        offer = answer(iface, request(iface, mac,
                                      [("message-type", "discover")]), 2)
        if not offer:
            sys.exit(1)
        if cmd == "offer-from":
            print(server_id(offer))
            return
        addr = offer[BOOTP].yiaddr
        if cmd in ("dora", "dora-decline"):
            ack = answer(iface, request(iface, mac, [
                ("message-type", "request"), ("requested_addr", addr),
                ("server_id", server_id(offer))]), 5)
            if not ack:
                sys.exit(1)
        if cmd == "dora-decline":
            # At once, from the same process: a slow machine (a VM
            # without acceleration) may take longer to start Python
            # than a short test lease lasts, and a lease that ran out
            # can no longer be declined.
            sendp(request(iface, mac, [("message-type", "decline"),
                                       ("requested_addr", addr),
                                       ("server_id", server_id(ack))]),
                  iface=iface, verbose=False)
        print(addr)
    elif cmd == "decline":
        addr, server = sys.argv[4], sys.argv[5]
        sendp(request(iface, mac, [("message-type", "decline"),
                                   ("requested_addr", addr),
                                   ("server_id", server)]), iface=iface)
    elif cmd == "release":
        # RFC 2131 §4.4.6: the address in ciaddr, the server in option 54.
        sendp(request(iface, mac, [("message-type", "release"),
                                   ("server_id", sys.argv[5])],
                      ciaddr=sys.argv[4]), iface=iface)
    elif cmd == "init-reboot":
        # RFC 2131 §4.3.2 INIT-REBOOT: option 50, no server id, ciaddr 0.
        pkt = request(iface, mac, [("message-type", "request"),
                                   ("requested_addr", sys.argv[4])])
        # The ACK waits for its lease's commit (an fsync): be patient.
        for _ in range(3):
            rep = srp1(pkt, iface=iface, timeout=4, filter="udp and port 68")
            if rep and DHCP in rep:
                break
        else:
            sys.exit(1)
        for o in rep[DHCP].options:
            if isinstance(o, tuple) and o[0] == "message-type":
                print("ack " + rep[BOOTP].yiaddr if o[1] == 5 else
                      "nak" if o[1] == 6 else "type %d" % o[1])
    elif cmd == "renew":
        vlan = int(sys.argv[7]) if len(sys.argv) > 7 else 0
        t = renew(iface, mac, sys.argv[4], sys.argv[5], sys.argv[6], vlan)
        if t is None:
            sys.exit(1)
        print(t)
    else:
        sys.exit(2)


if __name__ == "__main__":
    main()
