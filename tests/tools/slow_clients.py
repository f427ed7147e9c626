"""Holds many slow connections open against a server, as slowhttptest
would: each sends a request line and then one header byte every second,
never finishing.  usage: slow_clients.py HOST PORT COUNT SECONDS SOURCE_IP
Prints, after three seconds, how many connections are still open."""
import socket
import sys
import time

host, port, count, seconds, source = (sys.argv[1], int(sys.argv[2]),
                                      int(sys.argv[3]), float(sys.argv[4]),
                                      sys.argv[5])
conns = []
for i in range(count):
    s = socket.socket()
    s.settimeout(2)
    try:
        s.bind((source, 0))
        s.connect((host, port))
        s.sendall(b"POST /api/items HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Type: application/json\r\n")
        conns.append(s)
    except OSError:
        s.close()
end = time.time() + seconds
rounds = 0
while time.time() < end:
    for s in list(conns):
        try:
            s.sendall(b"X")
        except OSError:
            conns.remove(s)
    rounds += 1
    if rounds == 3:
        # Connections the server refused are gone by now.
        print(len(conns), flush=True)
    time.sleep(1)
