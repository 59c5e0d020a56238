"""Real-browser journeys: Playwright driving Debian's Chromium (no browser download).

In CI (CI=true) a browser that cannot start fails the run; on a developer's machine without
Chromium these tests are skipped with the reason shown."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls in these tests are
# ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("GZA_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:  # pragma: no cover - dev extra missing
        pytest.fail(f"playwright is not installed: {error}")
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    from gza.taxonomy.services import reference_data_load

    # Live-server tests run in their own transaction-less database, emptied after each test.
    reference_data_load(only={"countries", "georgian_regions", "municipalities"}, force=True)
    context = browser.new_context(base_url=live_server.url, locale="ka-GE")
    page = context.new_page()
    yield page
    context.close()
