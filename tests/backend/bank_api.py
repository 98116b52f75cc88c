#!/usr/bin/env python3
"""bank_api.py: a real HTTP service for the menus' fetch tests, on loopback.

    python3 bank_api.py PORT LOG

GET /v1/accounts/N/balance answers by the account's first digit: 4 a
balance of 1,204.50, 5 after 5 s (slower than the menu waits), 6 a 503,
7 a text that is not JSON, 8 JSON without a balance, others 88.10.
GET /v1/echo?... and POST /v1/cards/block answer what they were sent.
Each request is appended to LOG as "METHOD PATH BODY". Prints "ready"
once listening; runs until killed.
"""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, LOG = int(sys.argv[1]), sys.argv[2]


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body, kind="application/json"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def note(self, body=""):
        with open(LOG, "a") as log:
            log.write("%s %s %s\n" % (self.command, self.path, body))

    def do_GET(self):
        self.note()
        parts = self.path.split("/")
        if self.path.startswith("/v1/echo"):
            return self.answer(200, json.dumps({"path": self.path}))
        if len(parts) == 5 and parts[2] == "accounts" and parts[4] == "balance":
            first = parts[3][:1]
            if first == "5":
                time.sleep(5)
            if first == "6":
                return self.answer(503, '{"error": "maintenance"}')
            if first == "7":
                return self.answer(200, "<html>maintenance</html>", "text/html")
            if first == "8":
                return self.answer(200, '{"account": "%s"}' % parts[3])
            spoken = ("1,204 dollars and 50 cents" if first == "4"
                      else "88 dollars and 10 cents")
            return self.answer(200, json.dumps({
                "account": parts[3],
                "balance": {"amount": 1204.5 if first == "4" else 88.1,
                            "currency": "USD", "spoken": spoken}}))
        self.answer(404, '{"error": "no such thing"}')

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode()
        self.note(body)
        if self.path == "/v1/cards/block":
            sent = json.loads(body)
            return self.answer(200, json.dumps({"status": "blocked",
                                                "account": sent.get("account")}))
        self.answer(404, '{"error": "no such thing"}')


server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
print("ready", flush=True)
server.serve_forever()
