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
    if os.path.exists(CHROMIUM) or shutil.which("chromium"):
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        # CI (.ci/run) sets this: a run without the browser journeys must be red, not a green run of skips.
        raise pytest.UsageError(f"REQUIRE_BROWSER=1 but Chromium is not at {CHROMIUM}: install Debian's 'chromium'.")
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


@pytest.fixture(autouse=True)
def _restore_reference_data(reference_data):
    """Each browser test starts with the reference data that the migrations load (root conftest).

    (Django's serialized rollback does not help here: under Playwright's event loop the test sees another
    connection object than the one serialized at set-up.)
    """
