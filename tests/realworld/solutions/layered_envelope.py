"""A careful, layered solution: settings from DATABASE_URL and REDIS_URL, routers over services,
an envelope with limit/offset, versioned cache keys that fail open, the index, real tests."""

from tests.realworld.solutions import parts

RANK = 1
WHY = "everything the brief asks, layered and tested, cache invalidated and failing open"

CONFIG = '''\
"""Settings, read from the environment or a .env file."""

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Where the database and the cache are, and how long cached pages live."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "postgresql+psycopg://books:books@localhost:5432/books"
    redis_url: str = "redis://localhost:6379/0"
    cache_ttl_seconds: int = 120
    redis_timeout_seconds: float = 0.3


@lru_cache
def get_settings() -> Settings:
    """Read the settings once."""
    return Settings()
'''

DB = '''\
"""Engine, sessions and the declarative base."""

from collections.abc import Iterator

from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from app.config import get_settings

engine = create_engine(get_settings().database_url, pool_pre_ping=True)
SessionLocal = sessionmaker(engine, expire_on_commit=False)


class Base(DeclarativeBase):
    """Base class of the models."""


def get_session() -> Iterator[Session]:
    """One session per request, committed by the service that writes."""
    with SessionLocal() as session:
        yield session
'''

MODELS = '''\
"""Books and their reviews."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class Book(Base):
    """A book."""

    __tablename__ = "books"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    author: Mapped[str] = mapped_column(String(255))
    published_year: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Review(Base):
    """A reader's review of a book."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id", ondelete="CASCADE"), index=True)
    reviewer: Mapped[str] = mapped_column(String(100))
    rating: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
'''

SCHEMAS = '''\
"""Request and response bodies."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class BookIn(BaseModel):
    """A new book."""

    title: str = Field(min_length=1, max_length=255)
    author: str = Field(min_length=1, max_length=255)
    published_year: int | None = Field(default=None, ge=0, le=2100)


class BookOut(BookIn):
    """A stored book."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: datetime


class ReviewIn(BaseModel):
    """A new review."""

    reviewer: str = Field(min_length=1, max_length=100)
    rating: int = Field(ge=1, le=5)
    text: str = Field(min_length=1)


class ReviewOut(ReviewIn):
    """A stored review."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    book_id: int
    created_at: datetime


class BookList(BaseModel):
    """A page of books."""

    items: list[BookOut]
    total: int


class ReviewList(BaseModel):
    """A page of a book's reviews."""

    items: list[ReviewOut]
    total: int
'''

CACHE = '''\
"""Cache-aside for the book list. Redis is optional: every failure is logged and skipped."""

import logging

import redis

from app.config import get_settings

log = logging.getLogger(__name__)
VERSION_KEY = "books:version"


class BookCache:
    """Pages of the book list under a version number that every write bumps."""

    def __init__(self, client: redis.Redis, ttl: int) -> None:
        self.client = client
        self.ttl = ttl

    def get(self, page: str) -> str | None:
        """The cached page, or None on a miss or when Redis is away."""
        try:
            return self.client.get(self._key(page))
        except redis.RedisError as error:
            log.warning("cache read failed: %s", error)
            return None

    def put(self, page: str, value: str) -> None:
        """Store a page with its time to live."""
        try:
            self.client.set(self._key(page), value, ex=self.ttl)
        except redis.RedisError as error:
            log.warning("cache write failed: %s", error)

    def invalidate(self) -> None:
        """Make every cached page stale at once."""
        try:
            self.client.incr(VERSION_KEY)
        except redis.RedisError as error:
            log.warning("cache invalidation failed: %s", error)

    def _key(self, page: str) -> str:
        version = self.client.get(VERSION_KEY) or "0"
        return f"books:v{version}:{page}"


def make_cache() -> BookCache:
    """A cache with short timeouts and no retries, so a dead Redis costs milliseconds."""
    settings = get_settings()
    client = redis.Redis.from_url(
        settings.redis_url,
        socket_timeout=settings.redis_timeout_seconds,
        socket_connect_timeout=settings.redis_timeout_seconds,
        retry_on_timeout=False,
        decode_responses=True,
    )
    return BookCache(client, settings.cache_ttl_seconds)


book_cache = make_cache()
'''

SERVICES = '''\
"""Use cases: the routers call these, these call the database and the cache."""

from fastapi import HTTPException
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.cache import BookCache
from app.models import Book, Review
from app.schemas import BookIn, BookList, BookOut, ReviewIn, ReviewList, ReviewOut


def list_books(session: Session, cache: BookCache, limit: int, offset: int) -> BookList:
    """A page of books, from the cache when it has it."""
    page = f"limit={limit}:offset={offset}"
    cached = cache.get(page)
    if cached is not None:
        return BookList.model_validate_json(cached)
    books = session.scalars(select(Book).order_by(Book.id).limit(limit).offset(offset)).all()
    total = session.scalar(select(func.count()).select_from(Book)) or 0
    result = BookList(items=[BookOut.model_validate(book) for book in books], total=total)
    cache.put(page, result.model_dump_json())
    return result


def create_book(session: Session, cache: BookCache, data: BookIn) -> BookOut:
    """Store a book, then drop the cached list."""
    book = Book(**data.model_dump())
    session.add(book)
    session.commit()
    cache.invalidate()
    return BookOut.model_validate(book)


def _book_or_404(session: Session, book_id: int) -> Book:
    book = session.get(Book, book_id)
    if book is None:
        raise HTTPException(status_code=404, detail=f"Book {book_id} not found")
    return book


def list_reviews(session: Session, book_id: int, limit: int, offset: int) -> ReviewList:
    """A page of a book's reviews, newest first."""
    _book_or_404(session, book_id)
    query = select(Review).where(Review.book_id == book_id)
    reviews = session.scalars(query.order_by(Review.id.desc()).limit(limit).offset(offset)).all()
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    return ReviewList(items=[ReviewOut.model_validate(r) for r in reviews], total=total)


def create_review(session: Session, book_id: int, data: ReviewIn) -> ReviewOut:
    """Store a review of an existing book."""
    _book_or_404(session, book_id)
    review = Review(book_id=book_id, **data.model_dump())
    session.add(review)
    session.commit()
    return ReviewOut.model_validate(review)
'''

ROUTES = '''\
"""HTTP routes."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status
from sqlalchemy.orm import Session

from app import services
from app.cache import BookCache, book_cache
from app.db import get_session
from app.schemas import BookIn, BookList, BookOut, ReviewIn, ReviewList, ReviewOut

router = APIRouter()
SessionDep = Annotated[Session, Depends(get_session)]
Limit = Annotated[int, Query(ge=1, le=100)]
Offset = Annotated[int, Query(ge=0)]


def get_cache() -> BookCache:
    """The process-wide book cache."""
    return book_cache


CacheDep = Annotated[BookCache, Depends(get_cache)]


@router.get("/books", response_model=BookList)
def list_books(session: SessionDep, cache: CacheDep, limit: Limit = 20, offset: Offset = 0) -> BookList:
    """List books, oldest first."""
    return services.list_books(session, cache, limit, offset)


@router.post("/books", response_model=BookOut, status_code=status.HTTP_201_CREATED)
def create_book(data: BookIn, session: SessionDep, cache: CacheDep) -> BookOut:
    """Add a book."""
    return services.create_book(session, cache, data)


@router.get("/books/{book_id}/reviews", response_model=ReviewList)
def list_reviews(book_id: int, session: SessionDep, limit: Limit = 20, offset: Offset = 0) -> ReviewList:
    """List a book's reviews, newest first."""
    return services.list_reviews(session, book_id, limit, offset)


@router.post("/books/{book_id}/reviews", response_model=ReviewOut, status_code=status.HTTP_201_CREATED)
def create_review(book_id: int, data: ReviewIn, session: SessionDep) -> ReviewOut:
    """Review a book."""
    return services.create_review(session, book_id, data)


@router.get("/health")
def health() -> dict[str, str]:
    """Liveness."""
    return {"status": "ok"}
'''

MAIN = '''\
"""The application."""

from fastapi import FastAPI

from app.routes import router

app = FastAPI(title="Book Reviews")
app.include_router(router)
'''

CONFTEST = """\
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from app.cache import book_cache
from app.db import Base, engine
from app.main import app


@pytest.fixture(scope="session", autouse=True)
def schema() -> Iterator[None]:
    Base.metadata.create_all(engine)
    yield
    Base.metadata.drop_all(engine)


@pytest.fixture(autouse=True)
def clean() -> None:
    with engine.begin() as connection:
        connection.execute(text("TRUNCATE reviews, books RESTART IDENTITY CASCADE"))
    book_cache.client.flushdb()


@pytest.fixture
def client() -> TestClient:
    return TestClient(app)
"""

TEST_BOOKS = """\
def test_create_and_list_books(client):
    created = client.post("/books", json={"title": "Dune", "author": "Frank Herbert", "published_year": 1965})
    assert created.status_code == 201
    listed = client.get("/books").json()
    assert listed["total"] == 1
    assert listed["items"][0]["title"] == "Dune"


def test_book_needs_a_title(client):
    assert client.post("/books", json={"author": "Nobody"}).status_code == 422


def test_paging(client):
    for n in range(3):
        client.post("/books", json={"title": f"Book {n}", "author": "A"})
    page = client.get("/books", params={"limit": 1, "offset": 1}).json()
    assert [book["title"] for book in page["items"]] == ["Book 1"]
    assert page["total"] == 3
"""

TEST_REVIEWS = """\
def test_review_a_book(client):
    book = client.post("/books", json={"title": "Dune", "author": "F. Herbert"}).json()
    response = client.post(f"/books/{book['id']}/reviews", json={"reviewer": "ana", "rating": 5, "text": "Great"})
    assert response.status_code == 201
    reviews = client.get(f"/books/{book['id']}/reviews").json()
    assert [review["rating"] for review in reviews["items"]] == [5]


def test_rating_must_be_one_to_five(client):
    book = client.post("/books", json={"title": "Dune", "author": "F. Herbert"}).json()
    for rating in (0, 6):
        payload = {"reviewer": "ana", "rating": rating, "text": "x"}
        assert client.post(f"/books/{book['id']}/reviews", json=payload).status_code == 422


def test_unknown_book_is_404(client):
    assert client.get("/books/999/reviews").status_code == 404
    payload = {"reviewer": "ana", "rating": 3, "text": "x"}
    assert client.post("/books/999/reviews", json=payload).status_code == 404
"""

TEST_CACHE = """\
import redis

from app.cache import BookCache, book_cache


def test_a_miss_reads_the_database_and_fills_the_cache(client):
    client.post("/books", json={"title": "Dune", "author": "F. Herbert"})
    book_cache.client.flushdb()
    assert client.get("/books").json()["total"] == 1
    assert any(key.startswith("books:v") for key in book_cache.client.keys("*"))


def test_a_new_book_invalidates_the_list(client):
    client.get("/books")
    client.post("/books", json={"title": "Dune", "author": "F. Herbert"})
    assert client.get("/books").json()["total"] == 1


def test_redis_down_is_a_miss():
    client = redis.Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.1)
    dead = BookCache(client, ttl=10)
    assert dead.get("page") is None
    dead.put("page", "{}")
    dead.invalidate()
"""

README = """\
# Book Reviews API

FastAPI + PostgreSQL (SQLAlchemy 2, Alembic) + Redis.

## Run

    cp .env.example .env
    docker compose up -d db redis
    pip install -r requirements.txt
    alembic upgrade head
    uvicorn app.main:app --reload

Tests: `pytest` (uses the database in `DATABASE_URL`; it is wiped).

## API

- `GET /books?limit=&offset=` -> `{"items": [...], "total": n}`
- `POST /books` -> 201
- `GET /books/{id}/reviews?limit=&offset=` -> `{"items": [...], "total": n}`, newest first
- `POST /books/{id}/reviews` -> 201; 404 for an unknown book

## Decisions

- Cache-aside on the book list with versioned keys: a new book bumps `books:version`, which
  makes every cached page stale in one command. Pages expire after two minutes anyway.
- Redis is optional: 300 ms timeouts, no retries, every error logged and treated as a miss.
- `reviews.book_id` is indexed (the migration creates `ix_reviews_book_id`).
"""


def files() -> dict[str, str]:
    return {
        "README.md": README,
        "requirements.txt": parts.requirements(
            "pydantic-settings==2.6.1", "psycopg[binary]==3.2.3", "redis==5.2.0", "alembic==1.14.0"
        ),
        ".env.example": (
            "DATABASE_URL=postgresql+psycopg://books:books@localhost:5432/books\n"
            "REDIS_URL=redis://localhost:6379/0\n"
        ),
        "app/__init__.py": "",
        "app/config.py": CONFIG,
        "app/db.py": DB,
        "app/models.py": MODELS,
        "app/schemas.py": SCHEMAS,
        "app/cache.py": CACHE,
        "app/services.py": SERVICES,
        "app/routes.py": ROUTES,
        "app/main.py": MAIN,
        **parts.alembic(
            url="get_settings().database_url",
            imports=(
                "from app.config import get_settings\n"
                "from app.db import Base\n"
                "from app import models  # noqa: F401"
            ),
        ),
        "tests/__init__.py": "",
        "tests/conftest.py": CONFTEST,
        "tests/test_books.py": TEST_BOOKS,
        "tests/test_reviews.py": TEST_REVIEWS,
        "tests/test_cache.py": TEST_CACHE,
    }
