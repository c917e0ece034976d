#!/usr/bin/env python3
"""Prints issue 9's figures as one table, `figure | measured | target | ratio | holds?`, from a figures file.

    summary.py FIGURES

FIGURES holds `name value` lines written by HeraldBenchmarks, wrk_figures.py, idle_connections.py and
scripts/bench. `ratio` is measured / target, rounded towards failing (down for `≥`, up for `≤`) so a shown 1.00 holds:
a `≥` target holds at 1.00 or more, a `≤` target at 1.00 or less.
Memory is in MiB (VmRSS / 1024). A figure that was not measured shows as such and does not hold.
"""
import math
import sys


def load(path):
    figures = {}
    with open(path) as lines:
        for line in lines:
            name, _, value = line.strip().partition(" ")
            if name:
                figures[name] = float(value)
    return figures


def number(value, decimals=0):
    return format(value, ",.%df" % decimals)


class Table:
    def __init__(self):
        self.rows = []

    def add(self, figure, measured, shown, target, at_least, extra_ok=True):
        """One row; `measured` is the number compared with `target` (None when missing)."""
        if measured is None:
            self.rows.append((figure, "not measured", ("≥ " if at_least else "≤ ") + target[1], "–", "no"))
            return
        ratio = measured / target[0] if target[0] else float("inf")
        holds = (ratio >= 1 if at_least else ratio <= 1) and extra_ok
        shown_ratio = (math.floor if at_least else math.ceil)(ratio * 100) / 100
        self.rows.append((figure, shown, ("≥ " if at_least else "≤ ") + target[1], "%.2f" % shown_ratio,
                          "yes" if holds else "**no**"))

    def print(self):
        print("| figure | measured | target | ratio | holds? |")
        print("|---|---|---|---|---|")
        for row in self.rows:
            print("| %s |" % " | ".join(row))


def main():
    f = load(sys.argv[1])
    get = f.get
    table = Table()

    drains = {loops: get("redis.drain.%d" % loops) for loops in (1, 16, 64)}
    if all(value is not None for value in drains.values()):
        best = max(drains.values())
        shown = "%s/s (1: %s, 16: %s, 64: %s)" % (number(best), number(drains[1]), number(drains[16]), number(drains[64]))
        table.add("Redis worker drain, one process, no-op channel, best of 1/16/64 loops", best, shown,
                  (30000, "30,000/s"), True)
        change = drains[64] / drains[16] if drains[16] else 0
        table.add("Redis worker drain, 64 loops against 16 (no drop)", change, "%.2f×" % change, (1.0, "1.00×"), True)
    else:
        table.add("Redis worker drain, one process, no-op channel, best of 1/16/64 loops", None, "", (30000, "30,000/s"), True)

    accept, ceiling = get("redis.accept.64"), get("ceiling.evalsha_accept")
    if accept is not None and ceiling:
        share = accept / ceiling
        table.add("Redis accept, 64 callers, share of `EVALSHA` HSET+LPUSH at -c 50 -P 16", share * 100,
                  "%s/s of %s/s = %.1f%%" % (number(accept), number(ceiling), share * 100), (40, "40% of the ceiling"), True)
    else:
        table.add("Redis accept, 64 callers, share of the ceiling", None, "", (40, "40% of the ceiling"), True)

    for name, label, rps_target in [("redis", "HTTP ingest, `herald serve --no-workers` on Redis", (15000, "15,000 req/s")),
                                    ("memory", "HTTP ingest, `herald serve` memory queue, workers on", (25000, "25,000 req/s"))]:
        rps, accepted = get("http.%s.rps" % name), get("http.%s.accepted_rps" % name)
        errors = (get("http.%s.non2xx" % name) or 0) + (get("http.%s.socket_errors" % name) or 0)
        shown = "%s 2xx/s (%s req/s, %d non-2xx or socket errors)" % (number(accepted), number(rps), errors) \
            if rps is not None else ""
        table.add(label + ", 2xx answers", accepted, shown, rps_target, True)
        if name == "redis":
            p99 = get("http.redis.p99_ms")
            table.add(label + ", p99", p99, "%.2f ms" % p99 if p99 is not None else "", (10, "10 ms"), False)

    connections = get("idle.connections")
    if connections is not None:
        kept = get("idle.still_open")
        table.add("%s idle keep-alive connections: all opened and still open" % number(connections), kept,
                  "%s opened, %s still open" % (number(get("idle.opened")), number(kept)),
                  (connections, number(connections)), True)
        failures = get("idle.probe_failures")
        table.add("… a new client served (200 requests on new connections), p99", get("idle.p99_ms"),
                  "%.2f ms, %d failed" % (get("idle.p99_ms"), failures), (20, "20 ms, none failed"), False,
                  extra_ok=failures == 0)
        table.add("… herald RSS", get("idle.rss_mb"), "%.1f MiB" % get("idle.rss_mb"), (150, "150 MiB"), False)
        limit = get("cores") + 4
        table.add("… herald threads", get("idle.threads"), "%d" % get("idle.threads"),
                  (limit, "%d (cores %d + 4)" % (limit, get("cores"))), False)
    else:
        table.add("10,000 idle keep-alive connections", None, "", (10000, "10,000"), True)

    queued = get("backlog.queued")
    for key, empty_key, label in [("backlog.accept.64", "backlog.empty_accept.64", "accept, 64 callers"),
                                  ("backlog.drain", "backlog.empty_drain",
                                   "reserve → sent, %d loops" % (get("backlog.drain_loops") or 16))]:
        measured, empty = get(key), get(empty_key)
        if measured is None or not empty:
            table.add("1,000,000 queued: " + label, None, "", (0.9, "0.90 × empty queue"), True)
            continue
        share = measured / empty
        table.add("%s queued: %s, against the empty queue" % (number(queued), label), share,
                  "%s/s against %s/s = %.2f×" % (number(measured), number(empty), share), (0.9, "0.90×"), True)

    rss = get("worker.rss_peak_mb")
    table.add("`herald worker` peak RSS draining %s notifications" % number(get("worker.notifications") or 0), rss,
              "%.1f MiB" % rss if rss is not None else "", (40, "40 MiB"), False)
    table.print()


if __name__ == "__main__":
    main()
