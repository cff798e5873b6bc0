"""Screenshots of the dashboard and home pages for the README, from a running demo server.

    make run   # in one terminal: the demo on http://127.0.0.1:8000
    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000

Drives Debian's Chromium with Playwright (no browser download) and writes PNGs to docs/.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

DOCS = Path(__file__).resolve().parent.parent / "docs"
PASSWORD = "stclare-demo-2026"  # noqa: S105 (the demo sign-ins' published password)
SHOTS = [
    ("hannah.reid@stclare.example", "/casework/dashboard/", "dashboard-hr.png", False),
    ("hannah.reid@stclare.example", "/", "home-hr.png", False),
    ("rachel.green@stclare.example", "/", "home-dsl.png", False),
]


def main(base_url: str) -> None:
    DOCS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True)
        for email, path, name, full_page in SHOTS:
            context = browser.new_context(
                base_url=base_url, viewport={"width": 1280, "height": 900}
            )
            page = context.new_page()
            page.goto("/accounts/login/")
            page.get_by_label("E-mail address").fill(email)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state("networkidle")
            page.goto(path)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(DOCS / name), full_page=full_page)
            print(f"Wrote docs/{name}")
            context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
