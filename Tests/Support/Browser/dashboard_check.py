#!/usr/bin/env python3
"""Drives the Herald dashboard (/ui) in a real headless Chromium over the Chrome DevTools Protocol.

Usage: dashboard_check.py --url http://127.0.0.1:PORT --failed-id ID --xss-id ID --xss TEXT --screenshots DIR

Loads every view, filters the notification list, opens a failed notification, retries its dead letter (the
confirmation dialog is accepted) and waits until it reads `sent`; checks that a message and a topic holding
HTML render as text (no element made from them, no script run); saves a screenshot of each view. Prints one
JSON line with the results and exits 0 when every check held, 1 otherwise. Needs Debian's `chromium` and
`python3-websocket` (scripts/test installs them).
"""
import argparse
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="herald-chromium-")
        binary = shutil.which("chromium") or shutil.which("chromium-browser")
        if not binary:
            raise SystemExit("chromium is not installed; run scripts/test, which installs it")
        self.process = subprocess.Popen(
            [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--no-first-run", "--no-default-browser-check", "--remote-debugging-port=0",
             "--remote-allow-origins=*", f"--user-data-dir={self.profile}", "--window-size=1280,900", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        port = None
        deadline = time.time() + 30
        while time.time() < deadline and port is None:
            line = self.process.stderr.readline()
            found = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line)
            if found:
                port = int(found.group(1))
        if port is None:
            raise SystemExit("chromium did not start its DevTools endpoint")
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list"))
        page = next(t for t in targets if t["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30, suppress_origin=True)
        self.next_id = 0
        self.dialogs = 0
        self.call("Page.enable")
        self.call("Runtime.enable")
        self.call("Emulation.setDeviceMetricsOverride", width=1280, height=900, deviceScaleFactor=1, mobile=False)

    def call(self, method, **params):
        self.next_id += 1
        wanted = self.next_id
        self.socket.send(json.dumps({"id": wanted, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("method") == "Page.javascriptDialogOpening":
                # Every confirmation the dashboard asks for is accepted, as an operator clicking OK.
                self.dialogs += 1
                self.next_id += 1
                self.socket.send(json.dumps({"id": self.next_id, "method": "Page.handleJavaScriptDialog",
                                             "params": {"accept": True}}))
            if message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def wait_for(self, expression, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.evaluate(expression):
                return True
            time.sleep(0.1)
        return False

    def navigate(self, url):
        self.call("Page.navigate", url=url)

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as file:
            file.write(base64.b64decode(data))

    def close(self):
        try:
            self.socket.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--failed-id", required=True)
    parser.add_argument("--xss-id", required=True)
    parser.add_argument("--xss", required=True)
    parser.add_argument("--screenshots", required=True)
    options = parser.parse_args()
    os.makedirs(options.screenshots, exist_ok=True)
    results, failures = {}, []

    def check(name, condition):
        results[name] = bool(condition)
        if not condition:
            failures.append(name)

    def loaded(view):
        return (f"document.getElementById('view')?.dataset.view === {json.dumps(view)}"
                " && !!document.getElementById('view')?.dataset.loaded")

    browser = Browser()
    try:
        base = options.url.rstrip("/") + "/ui"
        browser.navigate(base + "#/overview")
        check("overview renders", browser.wait_for(loaded("overview")))
        check("overview has the chart", browser.evaluate("!!document.querySelector('.chart svg rect')"))
        check("overview counts the dead letter", browser.evaluate(
            "document.querySelector('[data-card=dead] .value').textContent !== '0'"))
        results["overview_render_ms"] = browser.evaluate("window.heraldRenderedMs")
        browser.screenshot(os.path.join(options.screenshots, "overview.png"))

        browser.evaluate("location.hash = '#/notifications'")
        check("list renders", browser.wait_for(loaded("notifications") + " && !!document.querySelector('tr[data-id]')"))
        browser.evaluate("document.getElementById('view').dataset.loaded = ''")
        browser.evaluate("""(() => { const form = document.querySelector('form.filters');
            form.querySelector('[name=status]').value = 'failed'; form.requestSubmit(); })()""")
        check("filter applies", browser.wait_for(loaded("notifications") + " && location.hash.includes('status=failed')"))
        rows = browser.evaluate("[...document.querySelectorAll('tr[data-id]')].map(r => r.dataset.id)")
        check("the failed notification is listed", options.failed_id in (rows or []))
        check("only failed notifications are listed", options.xss_id not in (rows or []))
        browser.screenshot(os.path.join(options.screenshots, "notifications.png"))

        browser.evaluate(f"document.querySelector('tr[data-id={json.dumps(options.failed_id)}]').click()")
        check("detail opens", browser.wait_for(loaded("notification")))
        check("detail shows the failed attempt", browser.evaluate(
            "!!document.querySelector('.timeline li.failed') && document.querySelector('[data-card=status] [data-status]').dataset.status === 'failed'"))
        if not results["detail shows the failed attempt"]:
            results["detail_html"] = browser.evaluate("document.getElementById('view').innerHTML")[:3000]
        browser.screenshot(os.path.join(options.screenshots, "notification.png"))
        browser.evaluate("document.querySelector('[data-action=retry-dead-letter]').click()")
        check("the retry was confirmed", browser.dialogs >= 1)
        check("the retried notification reads sent", browser.wait_for(
            "document.querySelector('[data-card=status] [data-status]')?.dataset.status === 'sent'", timeout=30))
        check("its timeline shows the sent attempt", browser.evaluate("!!document.querySelector('.timeline li.sent')"))

        browser.evaluate("location.hash = '#/dead-letters'")
        check("dead letters render", browser.wait_for(loaded("dead-letters")))
        check("the retried letter is gone", browser.evaluate(
            f"![...document.querySelectorAll('tr[data-id]')].some(r => r.dataset.id.startsWith({json.dumps(options.failed_id)}))"))
        check("the other letter is listed", browser.evaluate("document.querySelectorAll('tr[data-id]').length >= 1"))
        browser.screenshot(os.path.join(options.screenshots, "dead-letters.png"))

        browser.evaluate("location.hash = '#/notifications'")
        browser.wait_for(loaded("notifications") + " && !location.hash.includes('status')")
        check("the html-looking message renders as text", browser.evaluate(
            f"[...document.querySelectorAll('td')].some(td => td.textContent === {json.dumps(options.xss)})"))
        check("the html-looking topic renders as text", browser.evaluate(
            f"[...document.querySelectorAll('td')].filter(td => td.textContent === {json.dumps(options.xss)}).length >= 2"))
        check("no element was made from user data", browser.evaluate("document.querySelectorAll('#view img, #view script, #view iframe').length === 0"))
        browser.evaluate(f"location.hash = '#/notification/' + encodeURIComponent({json.dumps(options.xss_id)})")
        browser.wait_for(loaded("notification") + f" && location.hash.includes({json.dumps(options.xss_id)})")
        check("the detail shows the message as text", browser.evaluate(
            f"document.querySelector('[data-field=message]').textContent === {json.dumps(options.xss)}"))
        check("no script from user data ran", browser.evaluate("window.heraldXSS === undefined"))

        browser.evaluate("location.hash = '#/workers'")
        check("workers render", browser.wait_for(loaded("workers") + " && !!document.querySelector('tr[data-worker]')"))
        browser.screenshot(os.path.join(options.screenshots, "workers.png"))
        browser.evaluate("location.hash = '#/catalog'")
        check("templates and topics render", browser.wait_for(loaded("catalog") + " && !!document.querySelector('tr[data-topic]')"))
        browser.screenshot(os.path.join(options.screenshots, "catalog.png"))
        check("no error was shown", browser.evaluate("document.getElementById('error').hidden"))
    except Exception as error:  # a broken page is a failed check, with the reason
        failures.append(f"exception: {error}")
    finally:
        browser.close()
    results["failures"] = failures
    print(json.dumps(results), flush=True)
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
