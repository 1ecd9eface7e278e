"""Fixtures for the hidden Book Reviews tests.

Every test talks to the running service over HTTP (`ASSAY_BASE_URL`) and creates the
books it needs: the database is shared by the whole run, so no test assumes an empty
list or another test's data. Data is random but reproducible from `ASSAY_SEED`.

Two ways in: `api` calls the statement's exact paths and shapes (functionality and
validation check the contract as written); `bound` calls the service through the binding
(`binding.py`, the same as the open brief's), found in its OpenAPI document, so that the
behaviour, cache and resilience tests measure what the service does, however it spells it.
"""

import os
import random
import string
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import redis
from binding import Binding
from bound import BoundApi
from establish import establish

BASE_URL = os.environ["ASSAY_BASE_URL"]
REDIS_URL = os.environ.get("ASSAY_REDIS_URL", "")
DATABASE_URL = os.environ.get("ASSAY_DATABASE_URL", "")
SEED = int(os.environ["ASSAY_SEED"])

PAGE_MAX = 100
WORDS = [
    "silent",
    "river",
    "garden",
    "empire",
    "winter",
    "glass",
    "orchard",
    "harbor",
    "lantern",
    "atlas",
    "copper",
    "meadow",
    "citadel",
    "ember",
    "Café",
    "Łódź",
    "東京",
    "north",
    "shadow",
    "voyage",
    "paper",
    "crown",
    "falcon",
    "island",
    "quiet",
]
SURNAMES = ["Okafor", "Lindqvist", "García", "Tanaka", "Novak", "Haddad", "Müller", "Reyes"]

Json = dict[str, Any]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "assay(category='functionality', weight=1, visible=True): scoring metadata for Assay",
    )
    config.addinivalue_line("markers", "degraded: runs after the grader has stopped Redis")


class BookApi:
    """Small helpers over the HTTP API: random valid payloads, creation, lookups."""

    def __init__(self, client: httpx.Client, rng: random.Random) -> None:
        self.client = client
        self.rng = rng

    def title(self) -> str:
        words = " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(1, 3)))
        tag = "".join(self.rng.choices(string.ascii_lowercase + string.digits, k=10))
        return f"{words.capitalize()} {tag}"

    def book_payload(self, **overrides: Any) -> Json:
        payload: Json = {
            "title": self.title(),
            "author": f"{self.rng.choice(string.ascii_uppercase)}. {self.rng.choice(SURNAMES)}",
            "published_year": self.rng.randint(1800, 2024),
        }
        payload.update(overrides)
        return payload

    def review_payload(self, **overrides: Any) -> Json:
        payload: Json = {
            "reviewer": f"reader-{self.rng.randrange(10**6)}",
            "rating": self.rng.randint(1, 5),
            "text": " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(3, 30))),
        }
        payload.update(overrides)
        return payload

    def create_book(self, **overrides: Any) -> Json:
        response = self.client.post("/books", json=self.book_payload(**overrides))
        assert response.status_code == 201, f"POST /books: {response.status_code} {response.text}"
        return response.json()

    def create_review(self, book_id: int, **overrides: Any) -> Json:
        response = self.client.post(
            f"/books/{book_id}/reviews", json=self.review_payload(**overrides)
        )
        assert response.status_code == 201, (
            f"POST /books/{book_id}/reviews: {response.status_code} {response.text}"
        )
        return response.json()

    def list_books(self, **params: int) -> Json:
        response = self.client.get("/books", params=params)
        assert response.status_code == 200, f"GET /books: {response.status_code} {response.text}"
        return response.json()

    def list_reviews(self, book_id: int, **params: int) -> Json:
        response = self.client.get(f"/books/{book_id}/reviews", params=params)
        assert response.status_code == 200, (
            f"GET /books/{book_id}/reviews: {response.status_code} {response.text}"
        )
        return response.json()

    def total_books(self) -> int:
        return int(self.list_books(limit=1)["total"])

    def tail(self, size: int = PAGE_MAX) -> list[Json]:
        """Return the last `size` books of the list (the newest, as ids ascend)."""
        total = self.total_books()
        return list(self.list_books(limit=size, offset=max(total - size, 0))["items"])

    def find_book(self, book_id: int) -> Json | None:
        """Find a book in GET /books: first among the newest, then page by page."""
        for book in self.tail():
            if book["id"] == book_id:
                return book
        offset = 0
        while True:
            items = self.list_books(limit=PAGE_MAX, offset=offset)["items"]
            for book in items:
                if book["id"] == book_id:
                    return book
            if len(items) < PAGE_MAX:
                return None
            offset += PAGE_MAX


@pytest.fixture(scope="session")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(base_url=BASE_URL, timeout=10.0) as http:
        yield http


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


@pytest.fixture
def rng(request: pytest.FixtureRequest) -> random.Random:
    # Seeded per test, so a test's data does not depend on which tests ran before it.
    return random.Random(f"{SEED}:{request.node.nodeid}")


@pytest.fixture
def api(client: httpx.Client, rng: random.Random) -> BookApi:
    return BookApi(client, rng)


@pytest.fixture(scope="session")
def binding(client: httpx.Client) -> Binding:
    """How the statement's four operations map to this service; written out for the report."""
    return establish(client)


@pytest.fixture
def bound(client: httpx.Client, binding: Binding, rng: random.Random) -> BoundApi:
    return BoundApi(client, binding, rng)


@pytest.fixture
def impatient(binding: Binding, rng: random.Random) -> Iterator[BoundApi]:
    """The service through a client that gives up on any request slower than 2 seconds."""
    with httpx.Client(base_url=BASE_URL, timeout=2.0) as http:
        yield BoundApi(http, binding, rng)
