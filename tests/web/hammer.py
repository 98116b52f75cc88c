#!/usr/bin/python3
"""hammer.py: one merchant's session sending many serials over one
keep-alive HTTPS connection, as a script searching the serial space would.

    /usr/bin/python3 hammer.py HOST PORT CAFILE COOKIE CSRF COUNT

Each serial is random, with a right check character when the site can tell
(it says "no such coupon" then). Prints how many answers were "no such
coupon", how many were refused as throttled, and how many were anything
else (each of those a line on standard error).
"""
import http.client
import random
import ssl
import sys
import urllib.parse

host, port, cafile, cookie, csrf, count = sys.argv[1:7]
alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
context = ssl.create_default_context(cafile=cafile)
conn = http.client.HTTPSConnection(host, int(port), context=context,
                                   timeout=30)
rng = random.Random(7)
unknown = throttled = other = 0
for i in range(int(count)):
    serial = "".join(rng.choice(alphabet) for _ in range(12))
    body = urllib.parse.urlencode({"serial": serial, "csrf": csrf})
    conn.request("POST", "/lookup", body,
                 {"Cookie": cookie,
                  "Content-Type": "application/x-www-form-urlencoded"})
    page = conn.getresponse().read().decode()
    if "no such coupon" in page:
        unknown += 1
    elif "were refused in the last" in page:
        throttled += 1
    elif "is not a valid serial" in page:
        pass                      # the check character: no lookup at all
    else:
        other += 1
        print(page[-300:], file=sys.stderr)
print(unknown, throttled, other)
