"""The page in a real browser: Debian's Chromium (never a downloaded one) driven by Playwright.

Skips when ``/usr/bin/chromium`` or Playwright is missing, unless
``STACKPICK_TEST_REQUIRE_BROWSER=1`` (as CI sets), which makes that a failure.
"""

from __future__ import annotations

import io
import os
import re
import socket
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("STACKPICK_TEST_CHROMIUM", "/usr/bin/chromium"))
REQUIRE_BROWSER = os.environ.get("STACKPICK_TEST_REQUIRE_BROWSER", "") == "1"
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
SCREENSHOTS = (
    Path(
        os.environ.get(
            "STACKPICK_TEST_CACHE", Path(__file__).resolve().parent.parent / ".cache" / "tests"
        )
    )
    / "screenshots"
)


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    for module in ("playwright.sync_api", "starlette", "uvicorn"):
        try:
            __import__(module)
        except ImportError:
            return f"{module} is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="module", autouse=True)
def _browser_available() -> None:
    reason = _missing()
    if reason is None:
        return
    if REQUIRE_BROWSER:
        pytest.fail(f"STACKPICK_TEST_REQUIRE_BROWSER=1, but {reason}", pytrace=False)
    pytest.skip(reason)


@contextmanager
def live_server(temp_dir: Path) -> Iterator[str]:
    """``stackpick serve``'s app under uvicorn on a free 127.0.0.1 port, in a thread."""
    import uvicorn

    from stackpick.serve.app import ServeConfig, create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(ServeConfig(temp_dir=str(temp_dir)))
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    temp = tmp_path_factory.mktemp("serve-browser")
    with live_server(temp) as url:
        yield url
    assert list(temp.iterdir()) == []


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One browser for the module; each test has a context of its own (no shared state)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def browser_page(browser: Any, **context_options: Any) -> Iterator[tuple[Any, list[str]]]:
    """A page in a new context and the problems it met (console errors, failed requests,
    CSP violations)."""
    problems: list[str] = []
    context = browser.new_context(accept_downloads=True, **context_options)
    try:
        page = context.new_page()
        page.on(
            "console",
            lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on(
            "requestfailed",
            # a download ends its navigation (net::ERR_ABORTED); the test checks the file
            lambda r: (
                None
                if "/starter.zip" in r.url
                else problems.append(f"request failed: {r.url} {r.failure}")
            ),
        )
        page.set_default_timeout(20_000)
        yield page, problems
    finally:
        context.close()


def wait_for_update(page: Any) -> None:
    """Until the page has shown the answers' recommendation (no eval: the page's CSP forbids it)."""
    from playwright.sync_api import expect

    expect(page.locator("#summary")).not_to_have_text("…")
    expect(page.locator("#answers")).not_to_have_attribute("aria-busy", "true")


def field(page: Any, key: str) -> Any:
    """The form field of a question, found by its label (which ends with the key)."""
    return page.get_by_label(re.compile(rf"(^|\s){key}$"))


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"serve-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def test_answers_change_the_recommendation_and_the_zip_downloads(
    base_url: str, chromium: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    with browser_page(chromium, viewport={"width": 1280, "height": 900}) as (page, problems):
        page.goto(base_url + "/")
        wait_for_update(page)
        assert page.locator("#summary").inner_text().startswith("Flask")
        assert page.locator("#files li").count() > 10
        assert page.locator("#reasons li").count() >= 1

        field(page, "project_name").fill("Team Portal")
        field(page, "app_type").select_option("cms")
        # by keyboard: focus the admin field and choose "yes"
        field(page, "admin").focus()
        page.keyboard.press("ArrowDown")
        expect(page.locator("#summary")).to_have_text(re.compile("^Django"))
        wait_for_update(page)
        assert page.locator("#folder").inner_text().startswith("team_portal/")
        expect(page.locator("#margin")).to_contain_text("django leads by")
        assert page.locator("#flips li").count() >= 1
        assert page.locator("#files li", has_text="team_portal/settings/base.py").count() == 1
        screenshot(page, "django")

        with page.expect_download() as download_info:
            page.get_by_role("button", name="Download the project (.zip)").click()
        download = download_info.value
        assert download.suggested_filename == "team_portal.zip"
        saved = tmp_path / "team_portal.zip"
        download.save_as(saved)
        with zipfile.ZipFile(io.BytesIO(saved.read_bytes())) as archive:
            names = archive.namelist()
        assert {name.split("/")[0] for name in names} == {"team_portal"}
        assert "team_portal/manage.py" in names and "team_portal/.env" not in names

        assert problems == []
        field(page, "project_slug").fill("import")
        expect(page.locator("#errors")).to_contain_text("project_slug")
        assert page.get_by_role("button", name="Download the project (.zip)").is_disabled()
        field(page, "project_slug").fill("")
        expect(page.locator("#errors")).to_be_empty()
        assert page.get_by_role("button", name="Download the project (.zip)").is_enabled()
        # the refused answers: the API's 422s, which the browser logs; nothing else
        assert problems and all("status of 422" in p for p in problems), problems


def test_usable_on_a_phone(base_url: str, chromium: Any) -> None:
    from playwright.sync_api import expect

    with browser_page(
        chromium, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    ) as (
        page,
        problems,
    ):
        page.goto(base_url + "/")
        wait_for_update(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
        box = field(page, "app_type").bounding_box()
        assert box is not None and box["height"] >= 40 and box["width"] > 300
        field(page, "app_type").select_option("api")
        expect(page.locator("#summary")).to_have_text(re.compile("^Flask"))
        # the outcome stays in sight beside the download button while answering
        expect(page.locator("#short")).to_have_text(re.compile("^Recommended: Flask"))
        assert page.locator("#download").is_visible()
        # "what would change it": trying the first suggestion turns the recommendation
        page.locator("#flips button.apply").first.click()
        expect(page.locator("#summary")).to_have_text(re.compile("^Django"))
        screenshot(page, "phone")
        assert problems == []


def test_a_shared_link_reproduces_the_answers_the_recommendation_and_the_zip(
    base_url: str, chromium: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    with browser_page(chromium, viewport={"width": 1280, "height": 900}) as (page, problems):
        page.goto(base_url + "/?app_type=cms&admin=yes&project_name=Team+Wiki")
        wait_for_update(page)
        expect(field(page, "app_type")).to_have_value("cms")
        expect(field(page, "admin")).to_have_value("yes")
        expect(field(page, "project_name")).to_have_value("Team Wiki")
        expect(page.locator("#summary")).to_have_text(re.compile("^Django"))
        expect(page.locator("#short")).to_have_text(
            re.compile(r"^Recommended: Django \(\d+ points")
        )
        # the requirements come first, the framework after them (as the CLI decides first)
        legends = page.locator("legend").all_inner_texts()
        assert legends[0].startswith("Requirements") and legends[1].startswith("Framework")

        field(page, "scale").select_option("large")
        wait_for_update(page)
        expect(page.locator("#share")).to_have_attribute("href", re.compile("scale=large"))
        shared = page.locator("#share").get_attribute("href")
        assert shared is not None and "app_type=cms" in shared and page.url.endswith(shared)

        other = page.context.new_page()
        other.goto(base_url + shared)
        wait_for_update(other)
        expect(field(other, "scale")).to_have_value("large")
        assert other.locator("#summary").inner_text() == page.locator("#summary").inner_text()
        with other.expect_download() as download_info:
            other.get_by_role("button", name="Download the project (.zip)").click()
        assert download_info.value.suggested_filename == "team_wiki.zip"
        screenshot(other, "shared-link")
        assert problems == []
