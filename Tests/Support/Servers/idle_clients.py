"""Holds many idle keep-alive HTTP connections open for a server test (Python 3 standard library only).

    idle_clients.py PORT COUNT

Raises its own descriptor limit, opens COUNT connections to 127.0.0.1:PORT, sends each one GET /healthz and
reads its 200, then prints "open N" (N answered). Two seconds later it asks again on its first connection and
prints "first STATUS". It holds every connection open until it is stopped. It runs in its own process so the test
process's descriptor count stays steady (Foundation's Process.run reads /proc/self/fd while other tests spawn).
"""
import resource
import socket
import sys
import time

REQUEST = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


def ask(connection):
    connection.sendall(REQUEST)
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = connection.recv(4096)
        if not chunk:
            return 0
        received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = connection.recv(4096)
        if not chunk:
            return 0
        body += chunk
    return int(head.split(b" ")[1])


def main():
    port, count = int(sys.argv[1]), int(sys.argv[2])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, count + 100), hard))
    connections = []
    for _ in range(count):
        connection = socket.create_connection(("127.0.0.1", port), timeout=10)
        if ask(connection) != 200:
            break
        connections.append(connection)
    print("open %d" % len(connections), flush=True)
    time.sleep(2)
    print("first %d" % (ask(connections[0]) if connections else 0), flush=True)
    while True:
        time.sleep(3600)


main()
