#!/usr/bin/env python3
"""fault_proxy: a TCP proxy between a site and its centre that misbehaves.

    fault_proxy.py LISTEN_PORT TARGET_PORT MODE_FILE [LOG] [SEED]

Every new connection reads MODE_FILE (one word, re-read each time, so a
test can change it while the proxy runs) and behaves accordingly:

  pass      forward both ways untouched
  chaos     pick one of the faults below at random, or pass (1 in 3)
  delay     forward, sleeping 0-300 ms before each reply chunk
  cut       forward the request; cut the reply after a random byte count
            (the centre has done its work: the answer is what is lost)
  reset     forward the request, then reset the connection (RST)
  blackhole accept and read, never answer, never close (until 30 s)
  slow      forward replies at about 10 KB/s
  refuse    close at once without reading
  cutpush   like cut, but only for POST /sync/push (handshakes pass)

LOG, when given, gets one line per connection: the mode used and the
first line of the request, so a test can see what the site asked for.
"""
import os
import random
import socket
import struct
import sys
import threading
import time

listen_port, target_port, mode_file = (int(sys.argv[1]), int(sys.argv[2]),
                                        sys.argv[3])
log_path = sys.argv[4] if len(sys.argv) > 4 and sys.argv[4] != "-" else None
rng = random.Random(int(sys.argv[5]) if len(sys.argv) > 5 else None)
log_lock = threading.Lock()


def read_mode():
    try:
        with open(mode_file) as f:
            return f.read().strip() or "pass"
    except OSError:
        return "pass"


def log(mode, first):
    if log_path is None:
        return
    with log_lock, open(log_path, "a") as f:
        f.write("%s %s\n" % (mode, first.decode("latin-1", "replace")))


def rst(sock):
    """Resets sock.  Shutting the read side first wakes a thread blocked
    in recv() on it, so the close really is the last one and sends RST."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                        struct.pack("ii", 1, 0))
        sock.shutdown(socket.SHUT_RD)
    except OSError:
        pass
    sock.close()


def pump_up(client, upstream, first_line):
    """Site to centre; records the request's first line."""
    got = b""
    try:
        while True:
            data = client.recv(65536)
            if not data:
                break
            if b"\n" not in got:
                got += data[:512]
                if b"\n" in got:
                    first_line.append(got.split(b"\r\n")[0])
            upstream.sendall(data)
    except OSError:
        pass
    try:
        upstream.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def pump_down(upstream, client, mode, first):
    """Centre to site, misbehaving as mode says."""
    limit = rng.randint(0, 600) if mode == "cut" else None
    sent = 0
    try:
        while True:
            data = upstream.recv(2048 if mode == "slow" else 65536)
            if not data:
                break
            if mode == "delay":
                time.sleep(rng.random() * 0.3)
            if mode == "slow":
                time.sleep(0.2)
            if mode == "reset":
                rst(client)
                return
            if mode == "cutpush" and first and b"/sync/push" in first[0]:
                limit = rng.randint(0, len(data) - 1)
            if limit is not None and sent + len(data) >= limit:
                client.sendall(data[:max(0, limit - sent)])
                rst(client)
                return
            client.sendall(data)
            sent += len(data)
    except OSError:
        pass
    try:
        client.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def handle(client):
    mode = read_mode()
    if mode == "chaos":
        mode = rng.choice(["pass", "pass", "pass", "delay", "cut", "cut",
                           "reset", "blackhole", "refuse"])
    if mode == "refuse":
        log(mode, b"-")
        rst(client)
        return
    if mode == "blackhole":
        log(mode, b"-")
        client.settimeout(30)
        try:
            while client.recv(65536):
                pass
        except OSError:
            pass
        client.close()
        return
    try:
        upstream = socket.create_connection(("127.0.0.1", target_port), 5)
    except OSError:
        log("down", b"-")
        rst(client)
        return
    first = []
    up = threading.Thread(target=pump_up, args=(client, upstream, first))
    up.daemon = True
    up.start()
    pump_down(upstream, client, mode, first)
    up.join(5)
    log(mode, first[0] if first else b"-")
    for s in (client, upstream):
        try:
            s.close()
        except OSError:
            pass


def main():
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", listen_port))
    srv.listen(64)
    while True:
        client, _ = srv.accept()
        t = threading.Thread(target=handle, args=(client,))
        t.daemon = True
        t.start()


if __name__ == "__main__":
    main()
