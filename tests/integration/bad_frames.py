#!/usr/bin/python3
"""Send malformed DHCP frames at the server (scapy), one of each class the
XDP table test covers, plus DHCP payloads that are well-framed but broken.

  bad_frames.py IFACE SERVER_MAC
Prints the number of frames sent.
"""
import struct
import sys

from scapy.all import IP, UDP, Ether, Raw, conf, sendp

conf.verb = 0

MAC = "02:bd:00:00:00:01"
CHADDR = bytes.fromhex("02bd00000001") + bytes(10)


def bootp(options, op=1, htype=1, hlen=6, cookie=b"\x63\x82\x53\x63"):
    hdr = struct.pack("!BBBBIHHIIII", op, htype, hlen, 0, 0x1234, 0, 0,
                      0, 0, 0, 0)
    return hdr + CHADDR + bytes(64 + 128) + cookie + options


def udp_frame(payload, dst_mac="ff:ff:ff:ff:ff:ff", **ip):
    return (Ether(src=MAC, dst=dst_mac)
            / IP(src="0.0.0.0", dst="255.255.255.255", **ip)
            / UDP(sport=68, dport=67) / Raw(payload))


def main():
    iface = sys.argv[1]
    good = bootp(b"\x35\x01\x01\xff")
    frames = [
        udp_frame(good[:100]),                        # truncated BOOTP
        udp_frame(good[:239]),                        # cut in the cookie
        udp_frame(bootp(b"\x35\x01\x01\xff", cookie=b"\x00" * 4)),
        udp_frame(bootp(b"\x35\x01\x01\x0c\x28abc")),  # option past the end
        udp_frame(bootp(b"\x35\x01\x01\x0c")),         # length byte missing
        udp_frame(bootp(b"\x00" * 308)),               # PADs, no END
        udp_frame(bootp(b"\x35\x01\x01\x34\x01\x03\xff")),  # overload, empty areas
        udp_frame(bootp(b"\x35\x01\x01\x32\x03\x0a\x00\x00\xff")),  # 50 len 3
        udp_frame(bootp(b"\x35\x01\x01\x36\x05\x0a\x00\x00\x01\x02\xff")),  # 54 len 5
        udp_frame(bootp(b"\x35\x01\x09\xff")),         # message type 9
        udp_frame(bootp(b"\x35\x01\x01\x3d\x00\xff")),  # client-id length 0
        udp_frame(bootp(b"\x35\x01\x01\xff", op=2)),   # BOOTREPLY
        udp_frame(bootp(b"\x35\x01\x01\xff", htype=6)),
        udp_frame(good, flags="MF"),                   # fragment
        udp_frame(good, ihl=4),                        # IHL < 5
    ]
    # UDP length claiming more than the frame holds
    f = udp_frame(good)
    f[UDP].len = len(good) + 8 + 50
    frames.append(f)
    # IPv4 header checksum wrong by one bit (a dissected frame keeps it)
    raw = bytearray(bytes(udp_frame(good)))
    raw[14 + 11] ^= 0x01
    frames.append(Ether(bytes(raw)))
    for fr in frames:
        sendp(fr, iface=iface)
    print(len(frames))


if __name__ == "__main__":
    main()
