"""A real browser for the generated-project checks: Debian's Chromium driven by Playwright.

Shared by the Flask and Django template tests.  It never downloads a browser: it launches
``/usr/bin/chromium`` (``.ci/browser.sh`` installs it).  Without it the browser tests skip,
unless ``STACKPICK_TEST_REQUIRE_BROWSER=1`` (as CI sets), which makes them fail instead.

Usage::

    from browser import browser_page

    def test_home(live_url: str) -> None:
        with browser_page("flask-home") as page:
            page.goto(live_url + "/")
            page.check_clean()           # no console error, no failed request, no 4xx/5xx
            page.screenshot("home")      # STACKPICK_TEST_CACHE/screenshots/flask-home-home.png
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from generated import CACHE

CHROMIUM = Path(os.environ.get("STACKPICK_TEST_CHROMIUM", "/usr/bin/chromium"))
REQUIRE_BROWSER = os.environ.get("STACKPICK_TEST_REQUIRE_BROWSER", "") == "1"
SCREENSHOTS = CACHE / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (run .ci/browser.sh)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    return None


def require_browser() -> None:
    """Skip (or, with STACKPICK_TEST_REQUIRE_BROWSER=1, fail) when no browser can run."""
    reason = browser_missing()
    if reason is None:
        return
    if REQUIRE_BROWSER:
        pytest.fail(f"STACKPICK_TEST_REQUIRE_BROWSER=1, but {reason}", pytrace=False)
    pytest.skip(reason)


# For test modules: ``pytestmark = browser_mark`` or ``@browser_mark`` on a test.
browser_mark = pytest.mark.skipif(
    browser_missing() is not None and not REQUIRE_BROWSER,
    reason=str(browser_missing()),
)


class Page:
    """A Playwright page that records console errors and failed or 4xx/5xx requests."""

    def __init__(self, page: Any, name: str) -> None:
        self.page = page
        self.name = name
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            where = (message.location or {}).get("url", "")
            self.problems.append(f"console error: {message.text} ({where or self.page.url})")

    def _failed(self, request: Any) -> None:
        # net::ERR_ABORTED is the browser cancelling a load (a favicon, say) because the page
        # navigated on; what the server refuses shows up as an HTTP status in _response.
        if "ERR_ABORTED" in str(request.failure):
            return
        self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _response(self, response: Any) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def goto(self, url: str) -> Any:
        """Open ``url``; returns Playwright's response."""
        return self.page.goto(url, wait_until="load")

    def screenshot(self, label: str) -> Path:
        """A full-page PNG under STACKPICK_TEST_CACHE/screenshots; returns its path."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{self.name}-{label}")
        path = SCREENSHOTS / f"{safe}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def take_problems(self) -> list[str]:
        """The problems recorded so far, and forget them (for pages expected to refuse)."""
        problems, self.problems = self.problems, []
        return problems

    def check_clean(self) -> None:
        """Fail with every console error and failed or 4xx/5xx request seen so far."""
        problems = self.take_problems()
        assert not problems, "\n".join(problems)

    def stylesheets_applied(self) -> bool:
        """Every stylesheet of the page loaded and has rules (served, not a 404 page)."""
        return bool(
            self.page.evaluate(
                """() => {
                    const links = [...document.querySelectorAll('link[rel=stylesheet]')];
                    return links.length > 0 && links.every(
                        (l) => l.sheet && l.sheet.cssRules.length > 0);
                }"""
            )
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self.page, name)


@contextmanager
def browser_page(name: str, *, locale: str = "en-US") -> Iterator[Page]:
    """A fresh headless Chromium page (its own profile and cookies); ``name`` prefixes shots."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            context = browser.new_context(locale=locale, viewport={"width": 1100, "height": 800})
            context.set_default_timeout(15_000)
            yield Page(context.new_page(), name)
            context.close()
        finally:
            browser.close()
