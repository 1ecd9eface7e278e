"""Fixtures for the hidden tests of the open Book Review brief.

The brief names four operations, not routes: every test calls the service through the
binding (``binding.py``), made once per run from the service's OpenAPI document and confirmed
by requests, or pinned by a reviewer (``establish.py``). The database is shared by the whole
run, so each test creates what it needs and assumes nothing about what else is there; data is
random but reproducible from ``ASSAY_SEED``.
"""

import os
import random
from collections.abc import Iterator

import httpx
import pytest
import redis
from binding import Binding
from bound import BoundApi
from establish import establish

BASE_URL = os.environ.get("ASSAY_BASE_URL", "http://127.0.0.1:8000")
REDIS_URL = os.environ.get("ASSAY_REDIS_URL", "")
DATABASE_URL = os.environ.get("ASSAY_DATABASE_URL", "")
SEED = int(os.environ.get("ASSAY_SEED", "0"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "assay(category='functionality', weight=1, visible=True): scoring metadata for Assay",
    )
    config.addinivalue_line("markers", "degraded: runs after the grader has stopped Redis")


@pytest.fixture(scope="session")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(base_url=BASE_URL, timeout=10.0) as http:
        yield http


@pytest.fixture(scope="session")
def binding(client: httpx.Client) -> Binding:
    """How the brief's operations map to this service; written out for the report."""
    return establish(client)


@pytest.fixture
def rng(request: pytest.FixtureRequest) -> random.Random:
    # Seeded per test, so a test's data does not depend on which tests ran before it.
    return random.Random(f"{SEED}:{request.node.nodeid}")


@pytest.fixture
def bound(client: httpx.Client, binding: Binding, rng: random.Random) -> BoundApi:
    return BoundApi(client, binding, rng)


@pytest.fixture
def impatient(binding: Binding, rng: random.Random) -> Iterator[BoundApi]:
    """The service through a client that gives up on any request slower than 2 seconds."""
    with httpx.Client(base_url=BASE_URL, timeout=2.0) as http:
        yield BoundApi(http, binding, rng)


@pytest.fixture(scope="session")
def redis_client() -> Iterator[redis.Redis]:
    if not REDIS_URL:
        pytest.fail("ASSAY_REDIS_URL is not set")
    connection = redis.Redis.from_url(REDIS_URL, socket_timeout=5, decode_responses=True)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def database_url() -> str:
    if not DATABASE_URL:
        pytest.fail("ASSAY_DATABASE_URL is not set")
    return DATABASE_URL
