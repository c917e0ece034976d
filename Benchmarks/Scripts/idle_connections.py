#!/usr/bin/env python3
"""Holds many idle keep-alive connections open to `herald serve`, then measures a new client.

    idle_connections.py --port P --pid PID [--connections 10000] [--probes 200] [--deadline 180] [--figures FILE]

Each idle connection sends one `GET /healthz` and reads its answer, so the server holds it as a kept-alive
connection, then stays silent; 64 are opened at a time, each given 5 s, all within --deadline seconds. With
them open, a new client makes --probes sequential requests, each on a new connection; their latency (connect
to the last byte of the answer) is reported with herald's resident set (VmRSS) and thread count from
/proc/PID/status. A probe that fails, takes over 2 s, or is not made within 60 s counts as failed, at 2 s.
Prints a Markdown table; appends `idle.*` figures (`name value` lines) to --figures.
"""
import argparse
import os
import resource
import select
import selectors
import socket
import time

REQUEST = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
PROBE_TIMEOUT_S = 2.0
PROBE_DEADLINE_S = 60.0


def answer_status(data):
    """The status code of the HTTP answer (with a Content-Length body) in `data`, or None while it is incomplete."""
    head, separator, body = data.partition(b"\r\n\r\n")
    if not separator:
        return None
    lines = head.split(b"\r\n")
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    return int(lines[0].split()[1]) if len(body) >= length else None


def read_answer(sock):
    """Reads one HTTP answer on a blocking socket; returns its status code."""
    data = b""
    while answer_status(data) is None:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before the answer ended")
        data += chunk
    return answer_status(data)


def request(port, timeout):
    """One GET /healthz on a new connection; returns (socket, status). The caller owns the socket."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.sendall(REQUEST)
        return sock, read_answer(sock)
    except BaseException:
        sock.close()
        raise


def process_status(pid):
    """(VmRSS in MiB, Threads) of pid, from /proc."""
    rss, threads = 0.0, 0
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
            elif line.startswith("Threads:"):
                threads = int(line.split()[1])
    return rss, threads


class Opening:
    """The connections being opened: `parallel` at a time, each connected, asked once, and kept once answered."""

    def __init__(self, port, pid, parallel=64, timeout_s=5.0):
        self.port, self.pid, self.parallel, self.timeout_s = port, pid, parallel, timeout_s
        self.selector = selectors.DefaultSelector()
        self.pending = {}
        self.opened, self.failures, self.first_failure = [], 0, None

    def launch(self):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        sock.connect_ex(("127.0.0.1", self.port))
        self.pending[sock] = [time.monotonic(), b"", False]
        self.selector.register(sock, selectors.EVENT_WRITE)

    def fail(self, sock, reason):
        self.selector.unregister(sock)
        del self.pending[sock]
        sock.close()
        self.failures += 1
        self.first_failure = self.first_failure or "%s after %d open" % (reason, len(self.opened))

    def advance(self, sock):
        state = self.pending[sock]
        if not state[2]:
            error = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if error:
                return self.fail(sock, os.strerror(error))
            sock.send(REQUEST)
            state[2] = True
            return self.selector.modify(sock, selectors.EVENT_READ)
        try:
            chunk = sock.recv(65536)
        except OSError as error:
            return self.fail(sock, type(error).__name__)
        if not chunk:
            return self.fail(sock, "closed before the answer")
        state[1] += chunk
        status = answer_status(state[1])
        if status is None:
            return
        if status != 200:
            return self.fail(sock, "status %d" % status)
        self.selector.unregister(sock)
        del self.pending[sock]
        self.opened.append(sock)
        if len(self.opened) % 2000 == 0:
            rss, threads = process_status(self.pid)
            print("  %d open: herald RSS %.0f MiB, %d threads" % (len(self.opened), rss, threads), flush=True)

    def run(self, count, deadline_s):
        """Opens up to `count`; stops at `deadline_s` seconds or after 1,000 failures."""
        started = time.monotonic()
        while len(self.opened) < count and self.failures < 1000 and time.monotonic() - started < deadline_s:
            while len(self.pending) < self.parallel and len(self.opened) + len(self.pending) < count:
                self.launch()
            for key, _ in self.selector.select(timeout=0.1):
                self.advance(key.fileobj)
            now = time.monotonic()
            for sock, state in list(self.pending.items()):
                if now - state[0] > self.timeout_s:
                    self.fail(sock, "no answer in %.0f s" % self.timeout_s)
        for sock in list(self.pending):
            self.fail(sock, "deadline")
        return time.monotonic() - started


def still_open(sockets):
    """How many of `sockets` the server has not closed (no EOF or error waiting on them)."""
    poller = select.poll()
    for sock in sockets:
        poller.register(sock, select.POLLIN)
    closed = len(poller.poll(0))
    return len(sockets) - closed


def probe(port, count):
    """`count` sequential requests, each on a new connection: (latencies in ms, failures). Those not made
    within PROBE_DEADLINE_S count as failed."""
    latencies, failures = [], 0
    started = time.monotonic()
    for _ in range(count):
        if time.monotonic() - started > PROBE_DEADLINE_S:
            failures += 1
            latencies.append(PROBE_TIMEOUT_S * 1000)
            continue
        started = time.perf_counter()
        try:
            sock, status = request(port, timeout=PROBE_TIMEOUT_S)
            sock.close()
            ok = status == 200
        except OSError:
            ok = False
        elapsed = (time.perf_counter() - started) * 1000
        if not ok:
            failures += 1
            elapsed = max(elapsed, PROBE_TIMEOUT_S * 1000)
        latencies.append(elapsed)
    return sorted(latencies), failures


def percentile(sorted_values, fraction):
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--connections", type=int, default=10000)
    parser.add_argument("--probes", type=int, default=200)
    parser.add_argument("--deadline", type=float, default=180, help="seconds to open them in")
    parser.add_argument("--figures")
    options = parser.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = options.connections + 256
    if hard != resource.RLIM_INFINITY and hard < wanted:
        raise SystemExit("idle_connections.py: RLIMIT_NOFILE hard limit %d < %d needed" % (hard, wanted))
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, wanted), hard))

    rss_before, threads_before = process_status(options.pid)
    opening = Opening(options.port, options.pid)
    opening_s = opening.run(options.connections, options.deadline)
    sockets, open_failures, first_failure = opening.opened, opening.failures, opening.first_failure
    for sock in sockets:
        sock.setblocking(True)
    time.sleep(2)
    rss_idle, threads_idle = process_status(options.pid)
    latencies, probe_failures = probe(options.port, options.probes)
    rss_after, threads_after = process_status(options.pid)
    kept = still_open(sockets)
    for sock in sockets:
        sock.close()

    p50, p99 = percentile(latencies, 0.50), percentile(latencies, 0.99)
    rss, threads = max(rss_idle, rss_after), max(threads_idle, threads_after)
    print()
    print("| %s idle keep-alive connections (`herald serve`, memory queue) | value |" % format(options.connections, ","))
    print("|---|---|")
    print("| opened and answered | %s in %.1f s, %d failed%s |" % (
        format(len(sockets), ","), opening_s, open_failures, " (first: %s)" % first_failure if first_failure else ""))
    print("| still open after the probes | %s |" % format(kept, ","))
    print("| new client, %d sequential requests on new connections | p50 %.2f ms, p99 %.2f ms, %d failed |" % (
        options.probes, p50, p99, probe_failures))
    print("| herald RSS (VmRSS): before, idle, after the probes | %.1f, %.1f, %.1f MiB |" % (rss_before, rss_idle, rss_after))
    print("| herald threads: before, idle, after the probes | %d, %d, %d |" % (threads_before, threads_idle, threads_after))
    print("| cores (nproc) | %d |" % len(os.sched_getaffinity(0)))
    if options.figures:
        with open(options.figures, "a") as figures:
            for name, value in [
                ("idle.connections", options.connections), ("idle.opened", len(sockets)), ("idle.still_open", kept),
                ("idle.probe_failures", probe_failures), ("idle.p50_ms", p50), ("idle.p99_ms", p99),
                ("idle.rss_mb", rss), ("idle.threads", threads), ("cores", len(os.sched_getaffinity(0))),
            ]:
                figures.write("%s %s\n" % (name, value))


if __name__ == "__main__":
    main()
