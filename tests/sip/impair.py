#!/usr/bin/python3
"""impair.py SIP_PORT SERVER_PORT LOSS JITTER_MS SEED: a bad network in
front of a SIP server on 127.0.0.1, for fault tests (loopback has no
netem here).

Callers send their SIP requests to 127.0.0.1:SIP_PORT; they go on to
127.0.0.1:SERVER_PORT with the relay's Via on top, so the answers come
back through it. The SDP of an answer is rewritten to name a port of the
relay as the server's RTP address: what the caller sends the server
passes through the relay, which drops each packet with probability LOSS
and holds each one for a random 0..JITTER_MS (so packets also arrive out
of order when JITTER_MS exceeds their 20 ms spacing). Requests inside the
dialog (ACK, BYE) follow the Contact, straight to the server. Seeded: the
same run every time. Prints "relaying" when ready; counts what it did to
stderr at exit ("sent N, dropped D, reordered R")."""
import heapq
import random
import re
import select
import signal
import socket
import sys
import time

sip_port, server_port = int(sys.argv[1]), int(sys.argv[2])
loss, jitter = float(sys.argv[3]), float(sys.argv[4]) / 1000.0
rng = random.Random(int(sys.argv[5]))
HOST = "127.0.0.1"

sip = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sip.bind((HOST, sip_port))
media = {}       # relay socket -> the server's real RTP address
pending = []     # (due, order, socket, packet, to)
order = 0
sent = dropped = reordered = 0
last_due = {}


def rewrite_sdp(msg):
    """Points the SDP's audio at a new relay socket; returns the message
    with Content-Length made right."""
    head, _, body = msg.partition(b"\r\n\r\n")
    c = re.search(rb"^c=IN IP4 (\S+)", body, re.M)
    m = re.search(rb"^m=audio (\d+)", body, re.M)
    if not c or not m:
        return msg
    relay = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    relay.bind((HOST, 0))
    media[relay] = (c.group(1).decode(), int(m.group(1)))
    port = relay.getsockname()[1]
    body = re.sub(rb"^c=IN IP4 \S+", b"c=IN IP4 " + HOST.encode(), body, flags=re.M)
    body = re.sub(rb"^m=audio \d+", b"m=audio %d" % port, body, flags=re.M)
    head = re.sub(rb"(?im)^(Content-Length|l):\s*\d+", b"Content-Length: %d" % len(body), head)
    return head + b"\r\n\r\n" + body


def on_sip(data, src):
    if data.startswith(b"SIP/2.0"):
        # an answer: our Via off the top, on to the caller's
        lines = data.split(b"\r\n")
        vias = [i for i, l in enumerate(lines) if re.match(rb"(?i)(via|v):", l)]
        if len(vias) < 2:
            return
        del lines[vias[0]]
        via = lines[vias[1] - 1]
        addr = re.search(rb"SIP/2.0/UDP ([\d.]+):(\d+)", via)
        to = (addr.group(1).decode(), int(addr.group(2)))
        data = b"\r\n".join(lines)
        if b"application/sdp" in data and re.match(rb"SIP/2.0 2", data):
            data = rewrite_sdp(data)
        sip.sendto(data, to)
    else:
        line, _, rest = data.partition(b"\r\n")
        via = b"Via: SIP/2.0/UDP %s:%d;branch=z9hG4bK-relay%d\r\n" % (
            HOST.encode(), sip_port, hash(rest[:200]) & 0xffffff)
        sip.sendto(line + b"\r\n" + via + rest, (HOST, server_port))


def on_media(sock, data):
    global order, dropped, reordered
    if rng.random() < loss:
        dropped += 1
        return
    due = time.monotonic() + rng.uniform(0, jitter)
    if due < last_due.get(sock, 0):
        reordered += 1
    last_due[sock] = max(due, last_due.get(sock, 0))
    order += 1
    heapq.heappush(pending, (due, order, sock, data, media[sock]))


def report(*_):
    sys.stderr.write("sent %d, dropped %d, reordered %d\n" % (sent, dropped, reordered))
    sys.exit(0)


signal.signal(signal.SIGTERM, report)
print("relaying", flush=True)
while True:
    timeout = max(0.0, pending[0][0] - time.monotonic()) if pending else 0.5
    ready, _, _ = select.select([sip] + list(media), [], [], timeout)
    for s in ready:
        data, src = s.recvfrom(65536)
        if s is sip:
            on_sip(data, src)
        else:
            on_media(s, data)
    now = time.monotonic()
    while pending and pending[0][0] <= now:
        _, _, s, data, to = heapq.heappop(pending)
        s.sendto(data, to)
        sent += 1
