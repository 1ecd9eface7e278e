"""The dashboard in a real browser: Debian's Chromium driven by Playwright, against a real
``assay serve`` on PostgreSQL and Redis (and a real worker where a grading runs).

Everything is started here, by the test command itself; Playwright's own browser download is
never used. Each page a test visits is screenshotted into ``tests/artifacts/screenshots/`` and
checked with axe-core (vendored in ``vendor/axe.min.js``, MPL-2.0): no serious or critical
violation.
"""

import os
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from assay.server import migrate
from assay.server.db import engine_for
from tests.browser.pages import LAPTOP, PHONE, REVIEWER, ROOT, Dashboard
from tests.servers import PASSWORD, Postgres, Process, Redis, assay, free_port, wait_until

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DATABASE = "assay_dashboard"


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture(scope="session")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    """PostgreSQL, Redis and ``assay serve``, with a reviewer who can sign in."""
    tmp = tmp_path_factory.mktemp("dashboard")
    postgres = Postgres().boot()
    postgres.psql(f"CREATE DATABASE {DATABASE}")
    database = postgres.url(DATABASE)
    migrate.upgrade(database)
    redis = Redis(tmp / "redis").start()
    env = {
        **os.environ,
        "ASSAY_ROOT": str(ROOT),
        "ASSAY_DATABASE_URL": database,
        "ASSAY_BROKER_URL": redis.url,
        "ASSAY_SECRET_KEY": "dashboard-test-signing-key-long-enough-for-hs256",
        "ASSAY_DATA_DIR": str(tmp / "data"),
        "ASSAY_CACHE_DIR": str(tmp / "cache"),
        "ASSAY_NEW_PASSWORD": PASSWORD,
        "ASSAY_UPLOADS_PER_HOUR": "100",
    }
    port = free_port()
    api = Process("api", assay("serve", "--port", str(port)), tmp / "api.log", env)
    api.start()
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _answers(f"{url}/healthz"), what="the dashboard")
        service = Dashboard(url, env, database, tmp)
        service.cli("users", "create", REVIEWER, "--role", "reviewer", "--name", "Rita Reviewer")
        yield service
    finally:
        api.stop()
        engine_for(database).dispose()
        redis.server.stop()
        postgres.remove()


@pytest.fixture(scope="session")
def worker(dashboard: Dashboard) -> Iterator[Process]:
    """One ``assay worker`` grading in Docker pods, for the tests that watch a grading."""
    process = Process("worker", assay("worker"), dashboard.tmp / "worker.log", dashboard.env)
    process.start()
    yield process
    process.stop()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser profile (no cookies) at laptop size."""
    context = browser.new_context(viewport=LAPTOP)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()
