#!/usr/bin/env python3
"""Times the dashboard's overview in headless Chromium: loads /ui#/overview `--runs` times and prints a Markdown
row with the median and worst of (a) navigation start to the overview drawn and (b) the render itself (both API
calls and the DOM), as `window.heraldLoadedAt` / `window.heraldRenderedMs` report them.
Usage: dashboard_render.py --url http://127.0.0.1:PORT --runs 7 --label TEXT"""
import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "Support", "Browser"))
from dashboard_check import Browser  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--label", default="overview")
    options = parser.parse_args()
    browser = Browser()
    loaded, rendered = [], []
    try:
        for _ in range(options.runs):
            browser.navigate("about:blank")
            browser.navigate(options.url.rstrip("/") + "/ui#/overview")
            if not browser.wait_for("document.getElementById('view')?.dataset.view === 'overview'", timeout=30):
                raise SystemExit("the overview did not render")
            loaded.append(browser.evaluate("window.heraldLoadedAt"))
            rendered.append(browser.evaluate("window.heraldRenderedMs"))
    finally:
        browser.close()
    print(f"| {options.label} | {statistics.median(loaded):.0f} ms | {max(loaded):.0f} ms | "
          f"{statistics.median(rendered):.0f} ms | {max(rendered):.0f} ms | {options.runs} |")


if __name__ == "__main__":
    main()
