"""An async solution: SQLAlchemy with asyncpg and redis.asyncio, settings from POSTGRES_* parts,
routes under /api/v1 answering bare lists paged by skip/limit, a README with its decisions."""

from tests.realworld.solutions import parts

RANK = 2
WHY = "complete, async throughout, fails open without Redis; thin tests with no cache test"

CONFIG = """\
import os

POSTGRES_USER = os.getenv("POSTGRES_USER", "postgres")
POSTGRES_PASSWORD = os.getenv("POSTGRES_PASSWORD", "postgres")
POSTGRES_HOST = os.getenv("POSTGRES_HOST", "localhost")
POSTGRES_PORT = os.getenv("POSTGRES_PORT", "5432")
POSTGRES_DB = os.getenv("POSTGRES_DB", "bookreviews")

DATABASE_URL = (
    f"postgresql+asyncpg://{POSTGRES_USER}:{POSTGRES_PASSWORD}"
    f"@{POSTGRES_HOST}:{POSTGRES_PORT}/{POSTGRES_DB}"
)

REDIS_HOST = os.getenv("REDIS_HOST", "localhost")
REDIS_PORT = int(os.getenv("REDIS_PORT", "6379"))
CACHE_TTL = int(os.getenv("CACHE_TTL", "60"))
"""

DATABASE = """\
from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase

from app.config import DATABASE_URL

engine = create_async_engine(DATABASE_URL, pool_pre_ping=True)
SessionLocal = async_sessionmaker(engine, expire_on_commit=False)


class Base(DeclarativeBase):
    pass


async def get_session() -> AsyncIterator[AsyncSession]:
    async with SessionLocal() as session:
        yield session
"""

MODELS = """\
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base


class Book(Base):
    __tablename__ = "books"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    author: Mapped[str] = mapped_column(String(255))
    publication_year: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Review(Base):
    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id", ondelete="CASCADE"), index=True)
    reviewer_name: Mapped[str] = mapped_column(String(100))
    rating: Mapped[int]
    comment: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
"""

SCHEMAS = """\
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class BookCreate(BaseModel):
    title: str = Field(min_length=1)
    author: str = Field(min_length=1)
    publication_year: int | None = None


class BookRead(BookCreate):
    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: datetime


class ReviewCreate(BaseModel):
    reviewer_name: str = Field(min_length=1)
    rating: int = Field(ge=1, le=5)
    comment: str


class ReviewRead(ReviewCreate):
    model_config = ConfigDict(from_attributes=True)

    id: int
    book_id: int
    created_at: datetime
"""

CACHE = '''\
"""Redis cache for the book list. Any Redis error is logged and the database answers."""

import logging

from redis import asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from app.config import CACHE_TTL, REDIS_HOST, REDIS_PORT

logger = logging.getLogger(__name__)

redis = aioredis.Redis(
    host=REDIS_HOST,
    port=REDIS_PORT,
    socket_timeout=0.5,
    socket_connect_timeout=0.5,
    retry=Retry(NoBackoff(), 0),  # the default retries with backoff: seconds per request
    decode_responses=True,
)


async def get(key: str) -> str | None:
    try:
        return await redis.get(key)
    except RedisError as exc:
        logger.warning("redis get failed: %s", exc)
        return None


async def set(key: str, value: str) -> None:
    try:
        await redis.set(key, value, ex=CACHE_TTL)
    except RedisError as exc:
        logger.warning("redis set failed: %s", exc)


async def invalidate_books() -> None:
    try:
        keys = [key async for key in redis.scan_iter("books:*")]
        if keys:
            await redis.delete(*keys)
    except RedisError as exc:
        logger.warning("redis invalidate failed: %s", exc)
'''

BOOKS = """\
import json

from fastapi import APIRouter, Depends, status
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app import cache
from app.database import get_session
from app.models import Book
from app.schemas import BookCreate, BookRead

router = APIRouter(prefix="/books", tags=["books"])


@router.get("", response_model=list[BookRead])
async def list_books(skip: int = 0, limit: int = 50, session: AsyncSession = Depends(get_session)):
    key = f"books:{skip}:{limit}"
    cached = await cache.get(key)
    if cached:
        return json.loads(cached)
    result = await session.scalars(select(Book).order_by(Book.id).offset(skip).limit(limit))
    books = [BookRead.model_validate(book).model_dump(mode="json") for book in result]
    await cache.set(key, json.dumps(books))
    return books


@router.post("", response_model=BookRead, status_code=status.HTTP_201_CREATED)
async def create_book(payload: BookCreate, session: AsyncSession = Depends(get_session)):
    book = Book(**payload.model_dump())
    session.add(book)
    await session.commit()
    await session.refresh(book)
    await cache.invalidate_books()
    return book
"""

REVIEWS = """\
from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.database import get_session
from app.models import Book, Review
from app.schemas import ReviewCreate, ReviewRead

router = APIRouter(prefix="/books/{book_id}/reviews", tags=["reviews"])


async def get_book_or_404(book_id: int, session: AsyncSession) -> Book:
    book = await session.get(Book, book_id)
    if not book:
        raise HTTPException(status_code=404, detail="Book not found")
    return book


@router.get("", response_model=list[ReviewRead])
async def list_reviews(book_id: int, skip: int = 0, limit: int = 50,
                       session: AsyncSession = Depends(get_session)):
    await get_book_or_404(book_id, session)
    query = select(Review).where(Review.book_id == book_id).order_by(Review.id.desc())
    result = await session.scalars(query.offset(skip).limit(limit))
    return result.all()


@router.post("", response_model=ReviewRead, status_code=status.HTTP_201_CREATED)
async def create_review(book_id: int, payload: ReviewCreate,
                        session: AsyncSession = Depends(get_session)):
    await get_book_or_404(book_id, session)
    review = Review(book_id=book_id, **payload.model_dump())
    session.add(review)
    await session.commit()
    await session.refresh(review)
    return review
"""

MAIN = """\
from fastapi import FastAPI

from app.api import books, reviews

app = FastAPI(title="Book Review API", version="1.0.0")

app.include_router(books.router, prefix="/api/v1")
app.include_router(reviews.router, prefix="/api/v1")


@app.get("/")
async def root():
    return {"message": "Book Review API", "docs": "/docs"}
"""

ENV = """\
import asyncio
from logging.config import fileConfig

from alembic import context
from sqlalchemy import pool
from sqlalchemy.ext.asyncio import create_async_engine

from app.config import DATABASE_URL
from app.database import Base
from app import models  # noqa: F401

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

target_metadata = Base.metadata


def do_run_migrations(connection):
    context.configure(connection=connection, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations():
    engine = create_async_engine(DATABASE_URL, poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(do_run_migrations)
    await engine.dispose()


asyncio.run(run_async_migrations())
"""

CONFTEST = """\
import asyncio

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import pool
from sqlalchemy.ext.asyncio import create_async_engine

from app.config import DATABASE_URL
from app.database import Base
from app import models  # noqa: F401
from app.main import app


async def reset_schema():
    engine = create_async_engine(DATABASE_URL, poolclass=pool.NullPool)
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.drop_all)
        await conn.run_sync(Base.metadata.create_all)
    await engine.dispose()


@pytest.fixture(scope="session")
def client():
    asyncio.run(reset_schema())
    with TestClient(app) as c:
        yield c
"""

TESTS = """\
def test_create_book(client):
    r = client.post("/api/v1/books", json={"title": "Dune", "author": "Frank Herbert", "publication_year": 1965})
    assert r.status_code == 201
    assert r.json()["title"] == "Dune"


def test_list_books_contains_new_book(client):
    client.get("/api/v1/books")
    created = client.post("/api/v1/books", json={"title": "Emma", "author": "Jane Austen"}).json()
    ids = [book["id"] for book in client.get("/api/v1/books").json()]
    assert created["id"] in ids


def test_review_flow(client):
    book = client.post("/api/v1/books", json={"title": "Ubik", "author": "P. K. Dick"}).json()
    r = client.post(f"/api/v1/books/{book['id']}/reviews", json={"reviewer_name": "sam", "rating": 4, "comment": "Weird"})
    assert r.status_code == 201
    reviews = client.get(f"/api/v1/books/{book['id']}/reviews").json()
    assert reviews[0]["comment"] == "Weird"


def test_invalid_rating(client):
    book = client.post("/api/v1/books", json={"title": "Ubik", "author": "P. K. Dick"}).json()
    r = client.post(f"/api/v1/books/{book['id']}/reviews", json={"reviewer_name": "sam", "rating": 9, "comment": "x"})
    assert r.status_code == 422


def test_missing_book(client):
    assert client.get("/api/v1/books/424242/reviews").status_code == 404
"""

README = """\
# Book Review API

Async FastAPI service: PostgreSQL through SQLAlchemy 2 (asyncpg), Alembic, Redis cache.

## Setup

Set `POSTGRES_USER`, `POSTGRES_PASSWORD`, `POSTGRES_HOST`, `POSTGRES_PORT`, `POSTGRES_DB`,
`REDIS_HOST`, `REDIS_PORT` (see `docker-compose.yml`), then:

    pip install -r requirements.txt
    alembic upgrade head
    uvicorn app.main:app

## Endpoints (all under `/api/v1`)

| | |
|---|---|
| GET `/books?skip=0&limit=50` | list books |
| POST `/books` | add a book |
| GET `/books/{book_id}/reviews` | reviews of a book, newest first |
| POST `/books/{book_id}/reviews` | add a review |

## Notes

- The book list is cached in Redis for 60 s under `books:{skip}:{limit}`; adding a book
  deletes every `books:*` key.
- If Redis is down the cache calls time out after 0.5 s, get logged, and the database answers.
- `reviews.book_id` has an index, created by the first migration.
"""

COMPOSE = """\
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_USER: postgres
      POSTGRES_PASSWORD: postgres
      POSTGRES_DB: bookreviews
    ports: ["5432:5432"]
  redis:
    image: redis:7
    ports: ["6379:6379"]
"""


def files() -> dict[str, str]:
    return {
        "README.md": README,
        "docker-compose.yml": COMPOSE,
        "requirements.txt": parts.requirements(
            "asyncpg==0.30.0", "redis==5.2.0", "alembic==1.14.0", "pytest==8.3.3", "httpx==0.27.2"
        ),
        "app/__init__.py": "",
        "app/config.py": CONFIG,
        "app/database.py": DATABASE,
        "app/models.py": MODELS,
        "app/schemas.py": SCHEMAS,
        "app/cache.py": CACHE,
        "app/api/__init__.py": "",
        "app/api/books.py": BOOKS,
        "app/api/reviews.py": REVIEWS,
        "app/main.py": MAIN,
        **parts.alembic(
            url="DATABASE_URL",
            imports="from app.config import DATABASE_URL",
            columns={"year": "publication_year", "reviewer": "reviewer_name", "text": "comment"},
        ),
        "alembic/env.py": ENV,
        "tests/__init__.py": "",
        "tests/conftest.py": CONFTEST,
        "tests/test_api.py": TESTS,
    }
