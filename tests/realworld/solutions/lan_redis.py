"""A tidy solution whose settings class defaults Redis to the office LAN (192.168.1.50), with a
DRF-style envelope (count/results) and limit/offset; its migration forgot the reviews index."""

from tests.realworld.solutions import parts

RANK = 4
WHY = "works, caches and survives Redis going away; the index the brief asks for is missing"

CONFIG = '''\
"""Application settings."""

from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    """Defaults match the team's dev box."""

    database_url: str = "postgresql+psycopg://dev:dev@192.168.1.50:5432/bookreviews"
    redis_host: str = "192.168.1.50"
    redis_port: int = 6379
    cache_seconds: int = 90


settings = Settings()
'''

DB = '''\
"""Database session handling."""

from collections.abc import Iterator

from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from app.core.config import settings

engine = create_engine(settings.database_url)
SessionLocal = sessionmaker(bind=engine)


class Base(DeclarativeBase):
    """Declarative base."""


def get_db() -> Iterator[Session]:
    """Yield a session."""
    session = SessionLocal()
    try:
        yield session
    finally:
        session.close()
'''

MODELS = '''\
"""ORM models."""

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class Book(Base):
    """A book."""

    __tablename__ = "books"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    author: Mapped[str] = mapped_column(String(255))
    published_year: Mapped[int | None]


class Review(Base):
    """A review."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id"))
    reviewer: Mapped[str] = mapped_column(String(100))
    rating: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
'''

SCHEMAS = '''\
"""API schemas."""

from pydantic import BaseModel, ConfigDict, Field


class BookCreate(BaseModel):
    """Payload to create a book."""

    title: str = Field(min_length=1, max_length=255)
    author: str = Field(min_length=1, max_length=255)
    published_year: int | None = None


class BookRead(BookCreate):
    """A book as returned."""

    model_config = ConfigDict(from_attributes=True)
    id: int


class ReviewCreate(BaseModel):
    """Payload to create a review."""

    reviewer: str = Field(min_length=1, max_length=100)
    rating: int = Field(ge=1, le=5)
    text: str = Field(min_length=1)


class ReviewRead(ReviewCreate):
    """A review as returned."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    book_id: int


class BookPage(BaseModel):
    """Paginated books."""

    count: int
    results: list[BookRead]


class ReviewPage(BaseModel):
    """Paginated reviews."""

    count: int
    results: list[ReviewRead]
'''

CACHE = '''\
"""Redis helpers; the API keeps working when Redis is down."""

import logging

import redis

from app.core.config import settings

logger = logging.getLogger(__name__)

client = redis.Redis.from_url(
    f"redis://{settings.redis_host}:{settings.redis_port}/0",
    socket_timeout=0.5,
    socket_connect_timeout=0.5,
)


def cache_get(key: str) -> bytes | None:
    """Get a value, or None."""
    try:
        return client.get(key)
    except redis.RedisError:
        logger.warning("redis unavailable on get")
        return None


def cache_set(key: str, value: str) -> None:
    """Set a value with the configured TTL."""
    try:
        client.set(key, value, ex=settings.cache_seconds)
    except redis.RedisError:
        logger.warning("redis unavailable on set")


def cache_drop(prefix: str) -> None:
    """Delete all keys with a prefix."""
    try:
        keys = list(client.scan_iter(f"{prefix}*"))
        if keys:
            client.delete(*keys)
    except redis.RedisError:
        logger.warning("redis unavailable on delete")
'''

ROUTES = '''\
"""API routes."""

from fastapi import APIRouter, Depends, HTTPException, Query, status
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.cache import cache_drop, cache_get, cache_set
from app.db import get_db
from app.models import Book, Review
from app.schemas import BookCreate, BookPage, BookRead, ReviewCreate, ReviewPage, ReviewRead

router = APIRouter()


@router.get("/books", response_model=BookPage)
def list_books(
    limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0), db: Session = Depends(get_db)
) -> BookPage:
    """List books."""
    key = f"books:{limit}:{offset}"
    hit = cache_get(key)
    if hit:
        return BookPage.model_validate_json(hit)
    rows = db.scalars(select(Book).order_by(Book.id).limit(limit).offset(offset)).all()
    page = BookPage(count=db.scalar(select(func.count(Book.id))), results=rows)
    cache_set(key, page.model_dump_json())
    return page


@router.post("/books", response_model=BookRead, status_code=status.HTTP_201_CREATED)
def create_book(payload: BookCreate, db: Session = Depends(get_db)) -> Book:
    """Create a book."""
    book = Book(**payload.model_dump())
    db.add(book)
    db.commit()
    db.refresh(book)
    cache_drop("books:")
    return book


def _get_book(db: Session, book_id: int) -> Book:
    book = db.get(Book, book_id)
    if not book:
        raise HTTPException(status_code=404, detail="Book not found")
    return book


@router.get("/books/{book_id}/reviews", response_model=ReviewPage)
def list_reviews(
    book_id: int,
    limit: int = Query(20, ge=1, le=100),
    offset: int = Query(0, ge=0),
    db: Session = Depends(get_db),
) -> ReviewPage:
    """List the reviews of a book."""
    _get_book(db, book_id)
    query = select(Review).where(Review.book_id == book_id)
    rows = db.scalars(query.order_by(Review.id.desc()).limit(limit).offset(offset)).all()
    count = db.scalar(select(func.count()).select_from(query.subquery()))
    return ReviewPage(count=count, results=rows)


@router.post("/books/{book_id}/reviews", response_model=ReviewRead, status_code=status.HTTP_201_CREATED)
def create_review(book_id: int, payload: ReviewCreate, db: Session = Depends(get_db)) -> Review:
    """Add a review."""
    _get_book(db, book_id)
    review = Review(book_id=book_id, **payload.model_dump())
    db.add(review)
    db.commit()
    db.refresh(review)
    return review
'''

MAIN = '''\
"""Entry point."""

from fastapi import FastAPI

from app.routes import router

app = FastAPI(title="Book Reviews")
app.include_router(router)


@app.get("/health")
def health() -> dict[str, str]:
    """Health check."""
    return {"status": "ok"}
'''

CONFTEST = """\
import pytest
from fastapi.testclient import TestClient

from app.cache import client as redis_client
from app.db import Base, engine
from app.main import app


@pytest.fixture(autouse=True)
def clean_state():
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    redis_client.flushdb()
    yield


@pytest.fixture
def client():
    return TestClient(app)
"""

TESTS = """\
def test_health(client):
    assert client.get("/health").json() == {"status": "ok"}


def test_create_book(client):
    response = client.post("/books", json={"title": "Dune", "author": "Frank Herbert"})
    assert response.status_code == 201
    assert response.json()["id"] == 1


def test_list_books_paginates(client):
    for n in range(3):
        client.post("/books", json={"title": f"B{n}", "author": "A"})
    page = client.get("/books", params={"limit": 2}).json()
    assert page["count"] == 3
    assert len(page["results"]) == 2


def test_cache_miss_then_hit(client):
    client.post("/books", json={"title": "Dune", "author": "Frank Herbert"})
    client.get("/books")
    assert redis_client.exists("books:20:0")


def test_reviews(client):
    book = client.post("/books", json={"title": "Dune", "author": "Frank Herbert"}).json()
    client.post(f"/books/{book['id']}/reviews", json={"reviewer": "a", "rating": 4, "text": "good"})
    page = client.get(f"/books/{book['id']}/reviews").json()
    assert page["count"] == 1


def test_review_unknown_book(client):
    response = client.post("/books/5/reviews", json={"reviewer": "a", "rating": 4, "text": "good"})
    assert response.status_code == 404
"""

README = """\
# Book Reviews

Settings come from the environment (`DATABASE_URL`, `REDIS_HOST`, `REDIS_PORT`); the defaults
point at our dev server.

```
alembic upgrade head
uvicorn app.main:app
pytest
```

The book list is cached per page for 90 s; adding a book deletes the `books:*` keys. Redis
errors are logged and ignored.
"""


def files() -> dict[str, str]:
    return {
        "README.md": README,
        "requirements.txt": parts.requirements(
            "pydantic-settings", "psycopg[binary]", "redis", "alembic"
        ),
        "app/__init__.py": "",
        "app/core/__init__.py": "",
        "app/core/config.py": CONFIG,
        "app/db.py": DB,
        "app/models.py": MODELS,
        "app/schemas.py": SCHEMAS,
        "app/cache.py": CACHE,
        "app/routes.py": ROUTES,
        "app/main.py": MAIN,
        **parts.alembic(
            url="settings.database_url",
            imports="from app.core.config import settings\nfrom app.db import Base\nimport app.models",
            index=False,
        ),
        "tests/__init__.py": "",
        "tests/conftest.py": CONFTEST,
        "tests/test_api.py": TESTS,
    }
