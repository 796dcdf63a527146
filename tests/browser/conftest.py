"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser).

A real HTTP server (Django's threaded live server) serves the whole platform on a
free port; each site is reached on its own ``*.localhost`` name, which Chromium
resolves to 127.0.0.1 by itself.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.test.testcases import LiveServerThread

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
# the test itself are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


BROWSER_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    """Every test under tests/browser/ is a browser test, marked or not.

    ``make test-fast`` (``-m "not browser"``) then never starts Chromium, even for a module
    that forgot its ``pytestmark``.
    """
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def live_server_port(sites, django_db_blocker):
    """The platform served over real HTTP for this module; yields the port."""
    with django_db_blocker.unblock():
        thread = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        try:
            yield thread.port
        finally:
            thread.terminate()


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def watch_csp(page, seen: list[str]) -> None:
    """Record every Content-Security-Policy violation Chromium reports on ``page``."""

    def on_console(message):
        if "Content Security Policy" in message.text:
            seen.append(f"{page.url}: {message.text}")

    page.on("console", on_console)


@pytest.fixture
def csp_violations():
    """Violations seen by the browser during one test; any of them fails the test."""
    seen: list[str] = []
    yield seen
    assert not seen, "Content-Security-Policy violations:\n" + "\n".join(seen)


@pytest.fixture
def page(browser, csp_violations):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.on("page", lambda popup: watch_csp(popup, csp_violations))
    page = context.new_page()
    watch_csp(page, csp_violations)
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under var/screenshots/ for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def wait_until(condition, *, timeout: float = 30.0, message: str = "the condition"):
    """Poll ``condition()`` (a committed database read, say) until it gives a truthy value.

    For what the browser cannot show (a workflow state, a worker's result): the test waits
    for the condition itself, up to ``timeout`` seconds on a busy machine, never for a fixed
    time.  Returns the value; fails naming ``message``.
    """
    import time

    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"{message}: still not true after {timeout} s"
        time.sleep(0.1)


def click_and_submit_once(page, locator) -> None:
    """Click a submit button whose form navigates, exactly once, and wait for the new page.

    The click is scheduled from inside the page (``setTimeout``) so that the evaluation has
    returned before the navigation starts: a click evaluated while the page goes away can
    be run again by Playwright on the next page, which posted a form twice on a busy
    machine.  The form's POSTs are counted: more than one fails the test.
    """
    posts: list[str] = []

    def on_request(request):
        if request.method == "POST" and request.is_navigation_request():
            posts.append(request.url)

    page.on("request", on_request)
    try:
        with page.expect_navigation(wait_until="load"):
            locator.evaluate("button => { setTimeout(() => button.click(), 0); }")
    finally:
        page.remove_listener("request", on_request)
    assert len(posts) == 1, f"the form was posted {len(posts)} times: {posts}"
