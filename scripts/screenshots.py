"""Take screenshots of pages as a logged-in demo user, for a visual check.

Usage: .venv/bin/python scripts/screenshots.py EMAIL PATH [PATH ...]
Writes PNGs to var/screenshots/ at laptop (1366 px) and tablet (820 px) widths.
Needs the server from ``make run`` on 127.0.0.1:8000.
"""

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = os.environ.get("CASEWORK_URL", "http://127.0.0.1:8000")
OUT = Path("var/screenshots")
PASSWORD = "casework-demo"  # noqa: S105 - the demo password


def main() -> None:
    email, paths = sys.argv[1], sys.argv[2:]
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for width, label in ((1366, "laptop"), (820, "tablet")):
            page = browser.new_page(viewport={"width": width, "height": 900})
            if email != "-":
                page.goto(f"{BASE}/login/")
                page.fill("input[name=username]", email)
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
            for path in paths:
                page.goto(BASE + path)
                name = path.strip("/").replace("/", "_") or "root"
                page.screenshot(path=str(OUT / f"{name}-{label}.png"), full_page=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
