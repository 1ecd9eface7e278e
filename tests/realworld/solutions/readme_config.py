"""Settings only in the README: the code reads PG_DSN and REDIS_DSN from os.environ with no
default and no .env file. Routes under /api, page/per_page in an items envelope, 200 for
creations, no /health; the rating is an int with no range check."""

from tests.realworld.solutions import parts

RANK = 5
WHY = "works and caches well, but accepts any rating, the one rule the brief spells out"

SETTINGS = """\
import os

PG_DSN = os.environ["PG_DSN"]
REDIS_DSN = os.environ["REDIS_DSN"]
"""

STORE = '''\
"""Persistence: SQLAlchemy Core tables and the queries the API needs."""

from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, Text, create_engine, func, select

from service.settings import PG_DSN

metadata = MetaData()
engine = create_engine(PG_DSN, pool_size=5)

books = Table(
    "books",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String(200), nullable=False),
    Column("author", String(200), nullable=False),
    Column("year", Integer),
)

reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("book_id", ForeignKey("books.id"), nullable=False, index=True),
    Column("reviewer", String(100), nullable=False),
    Column("rating", Integer, nullable=False),
    Column("text", Text, nullable=False),
)


def page_of_books(page: int, per_page: int) -> tuple[list[dict], int]:
    """One page of books and the number of books."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(books).order_by(books.c.id).limit(per_page).offset((page - 1) * per_page)
        ).mappings().all()
        total = conn.execute(select(func.count()).select_from(books)).scalar_one()
    return [dict(row) for row in rows], total


def insert_book(data: dict) -> dict:
    """Insert a book and return it."""
    with engine.begin() as conn:
        row = conn.execute(books.insert().values(**data).returning(books)).mappings().one()
    return dict(row)


def book_exists(book_id: int) -> bool:
    """Whether a book exists."""
    with engine.connect() as conn:
        return conn.execute(select(books.c.id).where(books.c.id == book_id)).first() is not None


def page_of_reviews(book_id: int, page: int, per_page: int) -> tuple[list[dict], int]:
    """One page of a book's reviews, newest first."""
    where = reviews.c.book_id == book_id
    with engine.connect() as conn:
        rows = conn.execute(
            select(reviews).where(where).order_by(reviews.c.id.desc())
            .limit(per_page).offset((page - 1) * per_page)
        ).mappings().all()
        total = conn.execute(select(func.count()).select_from(reviews).where(where)).scalar_one()
    return [dict(row) for row in rows], total


def insert_review(book_id: int, data: dict) -> dict:
    """Insert a review and return it."""
    with engine.begin() as conn:
        row = conn.execute(
            reviews.insert().values(book_id=book_id, **data).returning(reviews)
        ).mappings().one()
    return dict(row)
'''

CACHE = '''\
"""Book-list cache in Redis. Failures are logged and ignored."""

import json
import logging

import redis

from service.settings import REDIS_DSN

log = logging.getLogger(__name__)
_redis = redis.Redis.from_url(REDIS_DSN, socket_timeout=0.25, socket_connect_timeout=0.25)
PREFIX = "booklist:"


def get(page: int, per_page: int):
    """A cached page, or None."""
    try:
        raw = _redis.get(f"{PREFIX}{page}:{per_page}")
    except redis.RedisError as exc:
        log.warning("cache get: %s", exc)
        return None
    return json.loads(raw) if raw else None


def put(page: int, per_page: int, value) -> None:
    """Cache a page for a minute."""
    try:
        _redis.setex(f"{PREFIX}{page}:{per_page}", 60, json.dumps(value))
    except redis.RedisError as exc:
        log.warning("cache put: %s", exc)


def clear() -> None:
    """Forget every cached page."""
    try:
        for key in _redis.scan_iter(f"{PREFIX}*"):
            _redis.delete(key)
    except redis.RedisError as exc:
        log.warning("cache clear: %s", exc)
'''

API = '''\
"""HTTP API."""

from fastapi import FastAPI, HTTPException, Query
from pydantic import BaseModel, Field

from service import cache, store

app = FastAPI(title="Books")


class NewBook(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    author: str = Field(min_length=1, max_length=200)
    year: int | None = None


class NewReview(BaseModel):
    reviewer: str = Field(min_length=1, max_length=100)
    rating: int
    text: str


@app.get("/api/books")
def get_books(page: int = Query(1, ge=1), per_page: int = Query(25, ge=1, le=100)) -> dict:
    """List books."""
    cached = cache.get(page, per_page)
    if cached is not None:
        return cached
    items, total = store.page_of_books(page, per_page)
    result = {"items": items, "total": total, "page": page, "per_page": per_page}
    cache.put(page, per_page, result)
    return result


@app.post("/api/books")
def post_book(book: NewBook) -> dict:
    """Add a book."""
    created = store.insert_book(book.model_dump())
    cache.clear()
    return created


@app.get("/api/books/{book_id}/reviews")
def get_reviews(book_id: int, page: int = Query(1, ge=1), per_page: int = Query(25, ge=1, le=100)) -> dict:
    """List reviews of a book."""
    if not store.book_exists(book_id):
        raise HTTPException(404, "no such book")
    items, total = store.page_of_reviews(book_id, page, per_page)
    return {"items": items, "total": total, "page": page, "per_page": per_page}


@app.post("/api/books/{book_id}/reviews")
def post_review(book_id: int, review: NewReview) -> dict:
    """Add a review."""
    if not store.book_exists(book_id):
        raise HTTPException(404, "no such book")
    return store.insert_review(book_id, review.model_dump())
'''

TESTS = """\
from fastapi.testclient import TestClient

from service import store
from service.api import app

store.metadata.drop_all(store.engine)
store.metadata.create_all(store.engine)
client = TestClient(app)


def test_post_and_get_book():
    created = client.post("/api/books", json={"title": "Kindred", "author": "Octavia Butler"}).json()
    listed = client.get("/api/books").json()
    assert created["id"] in [book["id"] for book in listed["items"]]


def test_reviews_of_missing_book():
    assert client.get("/api/books/123456/reviews").status_code == 404


def test_post_review():
    book = client.post("/api/books", json={"title": "Kindred", "author": "Octavia Butler"}).json()
    review = client.post(f"/api/books/{book['id']}/reviews", json={"reviewer": "jo", "rating": 4, "text": "Tense"})
    assert review.status_code == 200
    assert client.get(f"/api/books/{book['id']}/reviews").json()["total"] == 1


def test_validation():
    assert client.post("/api/books", json={"author": "X"}).status_code == 422
"""

README = """\
# Books service

Required environment:

| variable | example |
|---|---|
| `PG_DSN` | `postgresql://books:books@localhost:5432/books` |
| `REDIS_DSN` | `redis://localhost:6379/0` |

Run `alembic upgrade head`, then `uvicorn service.api:app`. Tests: `pytest` (needs both).

API: `/api/books` (GET, POST), `/api/books/{id}/reviews` (GET, POST); lists take
`page` and `per_page`. The book list is cached for a minute and cleared on every new book.
"""


def files() -> dict[str, str]:
    return {
        "README.md": README,
        "requirements.txt": parts.requirements(
            "psycopg2-binary", "redis", "alembic", "pytest", "httpx"
        ),
        "service/__init__.py": "",
        "service/settings.py": SETTINGS,
        "service/store.py": STORE,
        "service/cache.py": CACHE,
        "service/api.py": API,
        **parts.alembic(
            url="PG_DSN",
            imports="from service.settings import PG_DSN\nfrom service.store import metadata",
            metadata="metadata",
            columns={"year": "year"},
        ),
        "tests/test_service.py": TESTS,
    }
