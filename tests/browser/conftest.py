"""Browser tests: Playwright driving Debian's Chromium against live_server.

Playwright's sync API runs an event loop in this thread, so Django would
refuse ORM calls in the test process; the flag below allows them (tests only).
"""
import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(config, items):
    # Browser tests are transactional: the database is flushed after each one, and with it the
    # reference data that migrations load (sectors, places, resource types, groups), so the next
    # test's fixtures fail. Serialized rollback restores that data before each browser test.
    for item in items:
        marker = item.get_closest_marker("django_db")
        if "tests/browser" in str(item.fspath) and marker and marker.kwargs.get("transaction"):
            item.add_marker(pytest.mark.django_db(**{**marker.kwargs, "serialized_rollback": True}), append=False)
    if os.path.exists(CHROMIUM) or shutil.which("chromium"):
        return
    skip = pytest.mark.skip(
        reason=f"Chromium not found at {CHROMIUM}: install Debian's 'chromium' package "
        "(.ci/run does) to run the browser tests"
    )
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture
def login(page, live_server):
    """Sign in through the real sign-in form."""

    def _login(username, password):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("#sign-in")
        page.wait_for_load_state()
        return page

    return _login

