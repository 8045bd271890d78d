"""Playwright (Python) driving Debian's Chromium against the live test server.

Without /usr/bin/chromium the browser tests skip with a visible reason; CI sets
ZHIBU_REQUIRE_BROWSER=1 so that a missing browser fails the run instead.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("ZHIBU_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--lang=zh-CN",  # date and time inputs in Chinese order, as users see them
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API runs an event loop in this thread; Django's ORM guard would refuse
# the test's own database calls otherwise.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _browser_missing_reason() -> str | None:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = _browser_missing_reason()
    if reason:
        if os.environ.get("ZHIBU_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser test required but cannot run: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    yield page
    context.close()


def shot(page, name: str) -> Path:
    """Save a screenshot under test-artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# -- Shared by the journeys ------------------------------------------------------------------


@pytest.fixture
def builtin_rows(transactional_db):
    """Rows the data migrations put in: the built-in meeting kinds and the default compliance
    rules. A transactional test's flush empties every table, so a journey after the first one
    would find none; each journey that needs them puts them back (the functions are idempotent)."""
    import importlib

    from django.apps import apps

    for module, function in (
        ("meetings.migrations.0002_builtin_kinds", "add_kinds"),
        ("study.migrations.0002_integrity_kinds", "add_kinds"),
        ("compliance.migrations.0003_default_rules", "add_rules"),
    ):
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture
def other_page(browser, live_server):
    """``other_page()`` opens a page in a browser context of its own: a second user at work
    alongside the first (separate cookies, so a separate login)."""
    contexts = []

    def _open():
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.base_url = live_server.url
        return page

    yield _open
    for context in contexts:
        context.close()


def log_in(page, username: str) -> None:
    """Sign in through the login form and wait until the app has let the user in."""
    import re

    from playwright.sync_api import expect

    from conftest import PASSWORD

    page.goto(f"{page.base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def log_out(page) -> None:
    page.get_by_role("button", name="退出").click()


def nav(page, name: str) -> None:
    """Click an entry of the main navigation bar."""
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=name, exact=True).click()
