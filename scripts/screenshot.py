#!/usr/bin/env python
"""Screenshot pages of a running portal in headless Chromium (both languages, desktop and phone).

Usage: .venv/bin/python scripts/screenshot.py --base http://127.0.0.1:8000 \
           --user admin --password PW --out docs/screenshots /path1 /path2 ...
Writes <out>/<name>-<lang>-<width>.png for each path (name from the path).
"""
import argparse
import re
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--out", default=str(Path(tempfile.gettempdir()) / "shots"))
    parser.add_argument("--langs", default="vi,en")
    parser.add_argument("--widths", default="1366,390")
    parser.add_argument("--full-page", action="store_true")
    parser.add_argument("paths", nargs="+")
    opts = parser.parse_args()
    out = Path(opts.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        for lang in opts.langs.split(","):
            for width in [int(w) for w in opts.widths.split(",")]:
                ctx = browser.new_context(viewport={"width": width, "height": 900})
                ctx.add_cookies([{"name": "django_language", "value": lang, "url": opts.base}])
                page = ctx.new_page()
                page.goto(opts.base + "/accounts/login/")
                page.fill("#id_username", opts.user)
                page.fill("#id_password", opts.password)
                page.click("#sign-in")
                page.wait_for_load_state()
                for path in opts.paths:
                    page.goto(opts.base + path)
                    page.wait_for_load_state()
                    name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
                    target = out / f"{name}-{lang}-{width}.png"
                    page.screenshot(path=str(target), full_page=opts.full_page)
                    print(target)
                ctx.close()
        browser.close()


if __name__ == "__main__":
    main()
