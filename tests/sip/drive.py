#!/usr/bin/python3
"""drive.py PORT "SECONDS COMMAND [PARAMS]" ...: sends commands to a
baresip's ctrl_tcp at the given seconds from the start (netstrings of
JSON, as ctrl_tcp takes them): dial, sndcode (keys as RFC 4733 events),
hangup, quit."""
import json
import socket
import sys
import time

port = int(sys.argv[1])
for _ in range(100):
    try:
        conn = socket.create_connection(("127.0.0.1", port))
        break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit("drive.py: no baresip on port %d" % port)
start = time.time()
for spec in sys.argv[2:]:
    when, command, params = (spec.split(" ", 2) + [""])[:3]
    while time.time() - start < float(when):
        time.sleep(0.01)
    body = json.dumps({"command": command, "params": params,
                       "token": command}).encode()
    conn.sendall(str(len(body)).encode() + b":" + body + b",")
time.sleep(0.5)
