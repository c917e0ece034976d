#!/usr/bin/env python3
"""A TLS server that speaks only HTTP/2 (ALPN "h2", nothing else), for Herald's push-channel wire tests.

It records every request as one JSON line in --log (method, path, headers, body, the negotiated ALPN
protocol) and answers from a plan given as JSON in --plan:

    {"rules": [{"method": "POST", "path_contains": "/3/device/bad",
                "responses": [{"status": 410, "headers": {"apns-id": "x"}, "body": "{...}"}]}],
     "default": {"status": 200, "headers": {}, "body": ""}}

The first rule whose method and path match answers with its next response; the last response of a rule
repeats once the others are used. A response may hold "delay_ms". A body may contain "{{n}}", replaced by
the number of requests the rule has answered so far (so token endpoints hand out distinct tokens).

Standard library plus the `h2` package (Debian's python3-h2, or PyPI). Prints "ready" once listening on --port.
"""
import argparse
import json
import socket
import ssl
import threading
import time

import h2.config
import h2.connection
import h2.events
import signal

# A child spawned from a Dispatch worker thread inherits its blocked signals; the tests stop this server with SIGTERM.
signal.pthread_sigmask(signal.SIG_SETMASK, [])


class Plan:
    def __init__(self, text):
        plan = json.loads(text) if text else {}
        self.rules = plan.get("rules", [])
        self.default = plan.get("default", {"status": 200})
        self.counts = [0] * len(self.rules)
        self.lock = threading.Lock()

    def answer(self, method, path):
        with self.lock:
            for index, rule in enumerate(self.rules):
                if rule.get("method", method) != method:
                    continue
                if rule.get("path_contains", "") not in path:
                    continue
                responses = rule["responses"]
                count = self.counts[index]
                self.counts[index] += 1
                response = dict(responses[min(count, len(responses) - 1)])
                response["body"] = response.get("body", "").replace("{{n}}", str(count + 1))
                return response
            return dict(self.default)


class Recorder:
    def __init__(self, path):
        self.file = open(path, "a", buffering=1, encoding="utf-8")
        self.lock = threading.Lock()

    def record(self, entry):
        with self.lock:
            self.file.write(json.dumps(entry) + "\n")
            self.file.flush()


def serve_connection(raw, context, plan, recorder):
    try:
        tls = context.wrap_socket(raw, server_side=True)
    except (ssl.SSLError, OSError):
        raw.close()
        return
    protocol = tls.selected_alpn_protocol()
    if protocol != "h2":
        recorder.record({"rejected": True, "alpn": protocol})
        tls.close()
        return
    connection = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=False, header_encoding="utf-8"))
    connection.initiate_connection()
    tls.sendall(connection.data_to_send())
    streams = {}
    # One thread per connection reads and answers: an SSL socket must not be read and written from two threads.
    write_lock = threading.Lock()

    def respond(stream_id, request):
        response = plan.answer(request["method"], request["path"])
        delay = response.get("delay_ms", 0)
        if delay:
            time.sleep(delay / 1000)
        body = response.get("body", "").encode("utf-8")
        headers = [(":status", str(response.get("status", 200)))]
        headers += [(name.lower(), str(value)) for name, value in response.get("headers", {}).items()]
        headers.append(("content-length", str(len(body))))
        with write_lock:
            try:
                connection.send_headers(stream_id, headers, end_stream=not body)
                if body:
                    connection.send_data(stream_id, body, end_stream=True)
                tls.sendall(connection.data_to_send())
            except Exception:
                pass

    try:
        while True:
            data = tls.recv(65536)
            if not data:
                break
            with write_lock:
                events = connection.receive_data(data)
            for event in events:
                if isinstance(event, h2.events.RequestReceived):
                    headers = dict(event.headers)
                    streams[event.stream_id] = {
                        "method": headers.get(":method"), "path": headers.get(":path"),
                        "headers": [[name, value] for name, value in event.headers], "body": b"",
                    }
                elif isinstance(event, h2.events.DataReceived):
                    streams[event.stream_id]["body"] += event.data
                    with write_lock:
                        connection.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                elif isinstance(event, h2.events.StreamEnded):
                    request = streams.pop(event.stream_id)
                    recorder.record({
                        "alpn": protocol, "http_version": "2", "method": request["method"], "path": request["path"],
                        "headers": request["headers"], "body": request["body"].decode("utf-8", "replace"),
                    })
                    respond(event.stream_id, request)
            with write_lock:
                pending = connection.data_to_send()
                if pending:
                    tls.sendall(pending)
    except (OSError, ssl.SSLError, h2.exceptions.ProtocolError):
        pass
    finally:
        tls.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--plan", default="")
    args = parser.parse_args()

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(args.cert, args.key)
    context.set_alpn_protocols(["h2"])
    plan = Plan(args.plan)
    recorder = Recorder(args.log)

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.port))
    listener.listen(1024)
    print("ready", flush=True)
    while True:
        raw, _ = listener.accept()
        threading.Thread(target=serve_connection, args=(raw, context, plan, recorder), daemon=True).start()


if __name__ == "__main__":
    main()
