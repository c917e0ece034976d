#!/usr/bin/env python3
"""An HTTP server for Herald's tests: records every request and answers from a script.

Control endpoints (under /__herald/): GET requests -> JSON list of recorded requests;
POST script -> append JSON list of {"status", "headers", "body", "delay_ms", "trickle_ms", "hang"} answers
(`trickle_ms` sends the body one byte every that many milliseconds; `hang` never answers);
POST reset -> forget requests and script. Without a script, answers `default_status` with "ok".
Prints "ready" once listening. Standard library only.
"""
import argparse
import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import signal

# A child spawned from a Dispatch worker thread inherits its blocked signals; the tests stop this server with SIGTERM.
signal.pthread_sigmask(signal.SIG_SETMASK, [])

lock = threading.Lock()
recorded = []
script = []


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(length) if length else b""

    def _answer(self, status, body=b"", headers=None):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _handle(self):
        body = self._body()
        if self.path.startswith("/__herald/"):
            return self._control(body)
        with lock:
            recorded.append({
                "method": self.command,
                "path": self.path,
                "headers": [[name, value] for name, value in self.headers.items()],
                "body": base64.b64encode(body).decode(),
            })
            answer = script.pop(0) if script else {"status": self.server.default_status, "body": "ok"}
        if answer.get("hang"):
            time.sleep(60)
            self.close_connection = True
            return
        if answer.get("delay_ms"):
            time.sleep(answer["delay_ms"] / 1000)
        try:
            if answer.get("trickle_ms"):
                self._trickle(answer.get("status", 200), answer.get("body", "").encode(), answer["trickle_ms"])
            else:
                self._answer(answer.get("status", 200), answer.get("body", "").encode(), answer.get("headers"))
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _trickle(self, status, body, interval_ms):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.flush()
        for byte in body:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(interval_ms / 1000)

    def _control(self, body):
        with lock:
            if self.path == "/__herald/requests":
                payload = json.dumps(recorded).encode()
            elif self.path == "/__herald/script":
                script.extend(json.loads(body or b"[]"))
                payload = b"{}"
            elif self.path == "/__herald/reset":
                recorded.clear()
                script.clear()
                payload = b"{}"
            else:
                return self._answer(404)
        self._answer(200, payload, {"Content-Type": "application/json"})

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--default-status", type=int, default=200)
    arguments = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", arguments.port), Handler)
    server.daemon_threads = True
    server.default_status = arguments.default_status
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
