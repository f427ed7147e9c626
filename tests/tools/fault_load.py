#!/usr/bin/env python3
"""fault_load: keeps people submitting while the fault suite breaks things.

    fault_load.py KIOSK_PORT SMS_PORT ACKED_FILE STOP_FILE

Alternates a kiosk item (POST /api/items) and an SMS (a Kannel get-url
on /sms/k) until STOP_FILE exists.  Every submission that was
acknowledged (2xx; for the kiosk, with the item's id in the answer) is
appended to ACKED_FILE as "kiosk ID CODE" or "sms PROVIDER_ID", and only
those: a refused or cut submission was never promised to anyone.
"""
import http.client
import json
import os
import sys
import time
import urllib.parse
import uuid

kport, sport, acked_path, stop_path = (int(sys.argv[1]), int(sys.argv[2]),
                                       sys.argv[3], sys.argv[4])


def request(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=3)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def kiosk(n, out):
    body = json.dumps({"text": "kiosk idea %d" % n, "role": "student",
                       "lang": "en"}).encode()
    status, data = request(kport, "POST", "/api/items", body,
                           {"Content-Type": "application/json"})
    if status == 200 or status == 201:
        j = json.loads(data)
        out.write("kiosk %s %s\n" % (j["id"], j["code"]))


def sms(n, out):
    pid = str(uuid.UUID(int=uuid.uuid4().int))
    q = urllib.parse.urlencode({"from": "+4477009%05d" % (n % 100000),
                                "to": "40404", "text": "sms idea %d" % n,
                                "coding": "0", "id": pid})
    status, _ = request(sport, "GET", "/sms/k?" + q)
    if 200 <= status < 300:
        out.write("sms %s\n" % pid)


def main():
    n = 0
    with open(acked_path, "a", buffering=1) as out:
        while not os.path.exists(stop_path):
            n += 1
            try:
                (kiosk if n % 2 else sms)(n, out)
            except (OSError, http.client.HTTPException, ValueError,
                    KeyError):
                time.sleep(0.05)


main()
