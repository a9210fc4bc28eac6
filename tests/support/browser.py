"""Headless Chromium for tests that check what a person sees: Playwright's Python package driving
Debian's system Chromium (Playwright's own browser download is not available here).

    with chromium() as browser:
        page = visit(browser, url)
        assert page.errors == []          # JavaScript errors and console errors, as text
        page.screenshot(path=...)

`visit` also records every URL the page requested (`page.requests`), so a test can assert that a
page stays offline.
"""

import contextlib
import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> None:
    """Fail with the install line when the system Chromium is missing (.ci/run installs it)."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")


@contextlib.contextmanager
def chromium():
    """A headless system Chromium, closed when the block ends."""
    from playwright.sync_api import sync_playwright

    require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def visit(browser, url: str, *, width: int = 1280, height: int = 900, timeout_ms: int = 15000):
    """A new page at `url`, loaded, with `.errors` (JavaScript and console errors) and `.requests`."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(timeout_ms)
    page.errors, page.requests = [], []
    page.on("pageerror", lambda error: page.errors.append(f"pageerror: {error}"))
    page.on("console", lambda message: message.type == "error" and page.errors.append(f"console: {message.text}"))
    page.on("request", lambda request: page.requests.append(request.url))
    page.goto(url, wait_until="load")
    return page
