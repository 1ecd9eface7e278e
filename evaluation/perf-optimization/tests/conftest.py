"""Fixtures for the hidden perf-optimization tests.

Every test talks to the running service over HTTP (`ASSAY_BASE_URL`) and compares what
it answers with the answer built here, with plain SQL, from the service's own database
(`ASSAY_DATABASE_URL`): the ground truth the slow version of the service returns, byte
for byte. The database is shared by the whole run, so no test assumes another test's
data; users and posts are sampled reproducibly from `ASSAY_SEED`.
"""

import json
import os
import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import psycopg
import pytest
import redis

BASE_URL = os.environ["ASSAY_BASE_URL"]
REDIS_URL = os.environ.get("ASSAY_REDIS_URL", "")
DATABASE_URL = os.environ.get("ASSAY_DATABASE_URL", "")
SEED = int(os.environ["ASSAY_SEED"])
APPLICATION_NAME = "assay-hidden"
LATEST_COMMENTS = 3
DEFAULT_LIMIT = 20

Json = dict[str, Any]

POSTS_SQL = """
SELECT p.id, p.body, p.created_at, u.id, u.username, u.display_name
FROM posts p JOIN users u ON u.id = p.author_id
WHERE p.author_id IN (SELECT followee_id FROM follows WHERE follower_id = %s)
ORDER BY p.created_at DESC, p.id DESC
LIMIT %s
"""
COUNTS_SQL = "SELECT post_id, count(*) FROM comments WHERE post_id = ANY(%s) GROUP BY post_id"
LATEST_SQL = """
SELECT c.id, c.post_id, u.id, u.username, u.display_name, c.body, c.created_at
FROM (
    SELECT comments.*, row_number() OVER (
        PARTITION BY post_id ORDER BY created_at DESC, id DESC
    ) AS rank
    FROM comments WHERE post_id = ANY(%s)
) c JOIN users u ON u.id = c.author_id
WHERE c.rank <= %s
ORDER BY c.post_id, c.created_at DESC, c.id DESC
"""
POST_SQL = """
SELECT p.id, p.body, p.created_at, u.id, u.username, u.display_name
FROM posts p JOIN users u ON u.id = p.author_id WHERE p.id = %s
"""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "assay(category='functionality', weight=1, visible=True): scoring metadata for Assay",
    )


def timestamp(moment: datetime) -> str:
    """Render a time as the service does: UTC, ISO 8601, `Z`, microseconds when not zero."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def render(document: object) -> bytes:
    """Serialize as the service does: compact, UTF-8, keys in the documented order."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def first_difference(actual: bytes, expected: bytes) -> str:
    """Say where two bodies first differ, with some context, for a failure message."""
    at = next(
        (i for i, (a, b) in enumerate(zip(actual, expected, strict=False)) if a != b),
        min(len(actual), len(expected)),
    )
    start = max(at - 80, 0)
    return (
        f"the body differs from the expected one at byte {at} "
        f"(lengths {len(actual)} and {len(expected)}):\n"
        f"  got      ...{actual[start : at + 80]!r}\n"
        f"  expected ...{expected[start : at + 80]!r}"
    )


def author(user_id: int, username: str, display_name: str) -> Json:
    return {"id": user_id, "username": username, "display_name": display_name}


class Truth:
    """The expected answers, read from the service's database with plain SQL."""

    def __init__(self, connection: psycopg.Connection) -> None:
        self.db = connection

    def rows(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        with self.db.cursor() as cursor:
            cursor.execute(sql, params)  # type: ignore[arg-type]
            return list(cursor.fetchall())

    def value(self, sql: str, *params: object) -> Any:
        rows = self.rows(sql, *params)
        return rows[0][0] if rows else None

    def user_exists(self, user_id: int) -> bool:
        return bool(self.value("SELECT EXISTS (SELECT 1 FROM users WHERE id = %s)", user_id))

    def feed(self, user_id: int, limit: int = DEFAULT_LIMIT) -> Json:
        posts = self.rows(POSTS_SQL, user_id, limit)
        ids = [row[0] for row in posts]
        counts = dict(self.rows(COUNTS_SQL, ids)) if ids else {}
        latest: dict[int, list[Json]] = {post_id: [] for post_id in ids}
        if counts:
            for row in self.rows(LATEST_SQL, ids, LATEST_COMMENTS):
                latest[row[1]].append(self._comment(row))
        items = [
            {
                "id": post_id,
                "author": author(author_id, username, display_name),
                "body": body,
                "created_at": timestamp(created_at),
                "comment_count": counts.get(post_id, 0),
                "latest_comments": latest[post_id],
            }
            for post_id, body, created_at, author_id, username, display_name in posts
        ]
        return {"user_id": user_id, "items": items}

    def post(self, post_id: int) -> Json:
        (row,) = self.rows(POST_SQL, post_id)
        post_id, body, created_at, author_id, username, display_name = row
        return {
            "id": post_id,
            "author": author(author_id, username, display_name),
            "body": body,
            "created_at": timestamp(created_at),
            "comment_count": 0,
            "latest_comments": [],
        }

    def comment(self, comment_id: int) -> Json:
        (row,) = self.rows(
            "SELECT c.id, c.post_id, u.id, u.username, u.display_name, c.body, c.created_at "
            "FROM comments c JOIN users u ON u.id = c.author_id WHERE c.id = %s",
            comment_id,
        )
        return self._comment(row)

    @staticmethod
    def _comment(row: tuple[Any, ...]) -> Json:
        comment_id, post_id, author_id, username, display_name, body, created_at = row
        return {
            "id": comment_id,
            "post_id": post_id,
            "author": author(author_id, username, display_name),
            "body": body,
            "created_at": timestamp(created_at),
        }

    def followers(self, user_id: int) -> list[int]:
        rows = self.rows(
            "SELECT follower_id FROM follows WHERE followee_id = %s ORDER BY follower_id", user_id
        )
        return [row[0] for row in rows]

    def followees(self, user_id: int) -> list[int]:
        rows = self.rows(
            "SELECT followee_id FROM follows WHERE follower_id = %s ORDER BY followee_id", user_id
        )
        return [row[0] for row in rows]

    def active_users(self, minimum_follows: int = 5) -> list[int]:
        """Users of the seed who follow at least `minimum_follows` accounts."""
        rows = self.rows(
            "SELECT follower_id FROM follows WHERE follower_id <= 2000 "
            "GROUP BY follower_id HAVING count(*) >= %s ORDER BY follower_id",
            minimum_follows,
        )
        return [row[0] for row in rows]

    def authors_with_followers(self, minimum: int) -> list[int]:
        rows = self.rows(
            "SELECT followee_id FROM follows WHERE followee_id <= 2000 "
            "GROUP BY followee_id HAVING count(*) >= %s ORDER BY followee_id",
            minimum,
        )
        return [row[0] for row in rows]


class Chirp:
    """The service over HTTP, with assertions that compare it with the ground truth."""

    def __init__(self, client: httpx.Client, truth: Truth) -> None:
        self.client = client
        self.truth = truth

    def feed(self, user_id: int, limit: int | None = None) -> httpx.Response:
        params = {"user_id": user_id} if limit is None else {"user_id": user_id, "limit": limit}
        return self.client.get("/feed", params=params)

    def assert_feed(self, user_id: int, limit: int | None = None) -> Json:
        """GET the feed and check it is exactly the ground truth; return the truth."""
        response = self.feed(user_id, limit)
        where = f"GET /feed?user_id={user_id}" + (f"&limit={limit}" if limit else "")
        assert response.status_code == 200, f"{where}: {response.status_code} {response.text}"
        expected = self.truth.feed(user_id, limit or DEFAULT_LIMIT)
        if response.content != render(expected):
            raise AssertionError(f"{where}: {first_difference(response.content, render(expected))}")
        return expected

    def create_post(self, author_id: int, body: str) -> Json:
        response = self.client.post("/posts", json={"author_id": author_id, "body": body})
        assert response.status_code == 201, f"POST /posts: {response.status_code} {response.text}"
        return dict(response.json())

    def create_comment(self, post_id: int, author_id: int, body: str) -> Json:
        response = self.client.post(
            f"/posts/{post_id}/comments", json={"author_id": author_id, "body": body}
        )
        assert response.status_code == 201, (
            f"POST /posts/{post_id}/comments: {response.status_code} {response.text}"
        )
        return dict(response.json())

    def follow(self, user_id: int, followee_id: int) -> None:
        response = self.client.put(f"/users/{user_id}/following/{followee_id}")
        assert response.status_code == 204, (
            f"PUT /users/{user_id}/following/{followee_id}: {response.status_code} {response.text}"
        )

    def unfollow(self, user_id: int, followee_id: int) -> None:
        response = self.client.delete(f"/users/{user_id}/following/{followee_id}")
        assert response.status_code == 204, (
            f"DELETE /users/{user_id}/following/{followee_id}: "
            f"{response.status_code} {response.text}"
        )

    @staticmethod
    def text(rng: random.Random, count: int = 8) -> str:
        """Random words, with accents, CJK, emoji, quotes and a backslash among them."""
        vocabulary = ["perf", "índice", "cache", "東京", "“fast”", '"q"', "p95", "🙂", "a\\b", "ok"]
        return " ".join(rng.choice(vocabulary) for _ in range(count))

    def timed_feed(self, user_id: int) -> float:
        """GET a feed and return how long it took, in milliseconds."""
        started = time.perf_counter()
        response = self.feed(user_id)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, f"GET /feed: {response.status_code}"
        return elapsed


@pytest.fixture(scope="session")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(base_url=BASE_URL, timeout=30.0) as http:
        yield http


@pytest.fixture(scope="session")
def db() -> Iterator[psycopg.Connection]:
    if not DATABASE_URL:
        pytest.fail("ASSAY_DATABASE_URL is not set")
    with psycopg.connect(
        DATABASE_URL, autocommit=True, application_name=APPLICATION_NAME
    ) as connection:
        yield connection


@pytest.fixture(scope="session")
def redis_client() -> Iterator[redis.Redis]:
    if not REDIS_URL:
        pytest.fail("ASSAY_REDIS_URL is not set")
    connection = redis.Redis.from_url(REDIS_URL, socket_timeout=5)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def truth(db: psycopg.Connection) -> Truth:
    return Truth(db)


@pytest.fixture(scope="session")
def chirp(client: httpx.Client, truth: Truth) -> Chirp:
    return Chirp(client, truth)


@pytest.fixture
def rng(request: pytest.FixtureRequest) -> random.Random:
    # Seeded per test, so a test's data does not depend on which tests ran before it.
    return random.Random(f"{SEED}:{request.node.nodeid}")
