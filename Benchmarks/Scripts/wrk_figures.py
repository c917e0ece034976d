#!/usr/bin/env python3
"""Reads `wrk --latency` output on stdin; prints one Markdown row and appends `http.<name>.*` figures.

    wrk ... --latency URL | wrk_figures.py --name redis --label "redis, --no-workers" [--figures FILE]

Row: | label | requests/s | 2xx/s | p50 | p99 | non-2xx | socket errors |. Latencies are in ms; 2xx/s counts only
the answers that accepted a notification, so fast refusals (`503 queue_full`) do not pass for ingest.
"""
import argparse
import re
import sys

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def milliseconds(text):
    number, unit = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS_MS[unit]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--name", required=True)
    parser.add_argument("--label", required=True)
    parser.add_argument("--figures")
    options = parser.parse_args()
    output = sys.stdin.read()

    rps = float(re.search(r"Requests/sec:\s*([0-9.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    p50 = milliseconds(re.search(r"^\s*50%\s+(\S+)", output, re.M).group(1))
    p99 = milliseconds(re.search(r"^\s*99%\s+(\S+)", output, re.M).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", output)
    non2xx = int(non2xx.group(1)) if non2xx else 0
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    detail = socket_errors.group(0) if socket_errors else "none"
    accepted = rps * max(0, requests - non2xx - errors) / requests if requests else 0.0

    print("| %s | %s | %s | %.2f ms | %.2f ms | %d | %s |" % (
        options.label, format(int(rps), ","), format(int(accepted), ","), p50, p99, non2xx, detail))
    if options.figures:
        with open(options.figures, "a") as figures:
            for key, value in [("rps", rps), ("accepted_rps", accepted), ("p50_ms", p50), ("p99_ms", p99),
                               ("non2xx", non2xx), ("socket_errors", errors)]:
                figures.write("http.%s.%s %s\n" % (options.name, key, value))


if __name__ == "__main__":
    main()
