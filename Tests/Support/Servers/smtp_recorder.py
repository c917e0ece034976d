#!/usr/bin/env python3
"""An SMTP server for Herald's tests: records envelopes and raw messages, answers from a script.

SMTP on --port; an HTTP control server on --control-port: GET /messages -> JSON list of
{"helo", "auth", "mail_from", "rcpt_to", "data"(base64 of the raw DATA bytes, dot-stuffing kept)};
GET /connections -> number of SMTP connections accepted; POST /script -> {"MAIL": ["550 no"], ...}
replies used (once each) instead of the normal ones for GREETING, EHLO, MAIL, RCPT, DATA, END;
POST /config -> {"eight_bit": bool, "auth": bool}; POST /reset. Prints "ready". Standard library only.
"""
import argparse
import base64
import json
import socketserver
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import signal

# A child spawned from a Dispatch worker thread inherits its blocked signals; the tests stop this server with SIGTERM.
signal.pthread_sigmask(signal.SIG_SETMASK, [])

lock = threading.Lock()
messages = []
script = {}
config = {"eight_bit": True, "auth": True}
counters = {"connections": 0}


def scripted(step, normal):
    with lock:
        replies = script.get(step) or []
        return replies.pop(0) if replies else normal


class SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, text):
        self.wfile.write((text + "\r\n").encode())
        self.wfile.flush()

    def handle(self):
        with lock:
            counters["connections"] += 1
        session = {"helo": None, "auth": None, "mail_from": None, "rcpt_to": []}
        greeting = scripted("GREETING", "220 test.local ESMTP ready")
        self.reply(greeting)
        if not greeting.startswith("2"):
            return
        while True:
            line = self.rfile.readline()
            if not line:
                return
            text = line.decode("utf-8", "replace").rstrip("\r\n")
            verb = text.split(" ", 1)[0].upper()
            if verb == "EHLO":
                session["helo"] = text[5:]
                normal = ["250-test.local"] + (["250-8BITMIME"] if config["eight_bit"] else [])
                normal += (["250-AUTH PLAIN LOGIN"] if config["auth"] else []) + ["250 SIZE 10485760"]
                answer = scripted("EHLO", "\r\n".join(normal))
                self.reply(answer)
            elif verb == "HELO":
                session["helo"] = text[5:]
                self.reply("250 test.local")
            elif verb == "AUTH":
                parts = text.split(" ")
                if parts[1].upper() == "PLAIN":
                    session["auth"] = base64.b64decode(parts[2]).decode("utf-8", "replace")
                    self.reply("235 2.7.0 authenticated")
                else:
                    self.reply("334 VXNlcm5hbWU6")
                    user = base64.b64decode(self.rfile.readline().strip()).decode()
                    self.reply("334 UGFzc3dvcmQ6")
                    password = base64.b64decode(self.rfile.readline().strip()).decode()
                    session["auth"] = "LOGIN " + user + " " + password
                    self.reply("235 2.7.0 authenticated")
            elif verb == "MAIL":
                session["mail_from"] = text[5:]
                session["rcpt_to"] = []
                self.reply(scripted("MAIL", "250 2.1.0 ok"))
            elif verb == "RCPT":
                session["rcpt_to"].append(text[5:])
                self.reply(scripted("RCPT", "250 2.1.5 ok"))
            elif verb == "DATA":
                answer = scripted("DATA", "354 end with <CRLF>.<CRLF>")
                self.reply(answer)
                if not answer.startswith("354"):
                    continue
                data = b""
                while True:
                    chunk = self.rfile.readline()
                    if not chunk or chunk == b".\r\n":
                        break
                    data += chunk
                end = scripted("END", "250 2.0.0 queued")
                if end.startswith("250"):
                    with lock:
                        messages.append(dict(session, data=base64.b64encode(data).decode()))
                self.reply(end)
            elif verb == "RSET":
                self.reply("250 ok")
            elif verb == "NOOP":
                self.reply("250 ok")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("500 unknown command")


class ControlHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _answer(self, payload):
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        with lock:
            payload = list(messages) if self.path == "/messages" else counters["connections"]
        self._answer(payload)

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        with lock:
            if self.path == "/script":
                for step, replies in body.items():
                    script.setdefault(step, []).extend(replies)
            elif self.path == "/config":
                config.update(body)
            elif self.path == "/reset":
                messages.clear()
                script.clear()
                counters["connections"] = 0
                config.update({"eight_bit": True, "auth": True})
        self._answer({})


class ThreadingSMTPServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--control-port", type=int, required=True)
    arguments = parser.parse_args()
    smtp = ThreadingSMTPServer(("127.0.0.1", arguments.port), SMTPHandler)
    control = ThreadingHTTPServer(("127.0.0.1", arguments.control_port), ControlHandler)
    control.daemon_threads = True
    threading.Thread(target=control.serve_forever, daemon=True).start()
    print("ready", flush=True)
    smtp.serve_forever()


if __name__ == "__main__":
    main()
