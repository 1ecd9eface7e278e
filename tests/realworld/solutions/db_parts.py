"""A solid sync solution in its own package: DB_HOST/DB_PORT/... settings, page/size paging in a
"data" envelope, 200 for creations, its own field names, no /health, a handful of tests."""

from tests.realworld.solutions import parts

RANK = 3
WHY = "works and caches correctly; thinner tests and docs, 200 for creations, no /health"

SETTINGS = """\
import os

DB_HOST = os.environ.get("DB_HOST", "localhost")
DB_PORT = os.environ.get("DB_PORT", "5432")
DB_NAME = os.environ.get("DB_NAME", "reviews")
DB_USER = os.environ.get("DB_USER", "reviews")
DB_PASSWORD = os.environ.get("DB_PASSWORD", "reviews")

SQLALCHEMY_URL = f"postgresql://{DB_USER}:{DB_PASSWORD}@{DB_HOST}:{DB_PORT}/{DB_NAME}"

REDIS_HOST = os.environ.get("REDIS_HOST", "localhost")
REDIS_PORT = os.environ.get("REDIS_PORT", "6379")
"""

DB = """\
from sqlalchemy import create_engine
from sqlalchemy.orm import declarative_base, sessionmaker

from bookreviews.settings import SQLALCHEMY_URL

engine = create_engine(SQLALCHEMY_URL)
Session = sessionmaker(bind=engine)
Base = declarative_base()


def get_db():
    db = Session()
    try:
        yield db
    finally:
        db.close()
"""

MODELS = """\
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text, func

from bookreviews.db import Base


class Book(Base):
    __tablename__ = "book"

    id = Column(Integer, primary_key=True)
    name = Column(String(255), nullable=False)
    author = Column(String(255), nullable=False)
    year = Column(Integer)
    created_at = Column(DateTime(timezone=True), server_default=func.now())


class Review(Base):
    __tablename__ = "review"

    id = Column(Integer, primary_key=True)
    book_id = Column(Integer, ForeignKey("book.id"), nullable=False, index=True)
    user = Column(String(100), nullable=False)
    score = Column(Integer, nullable=False)
    comment = Column(Text, nullable=False)
    created_at = Column(DateTime(timezone=True), server_default=func.now())
"""

CACHE = """\
import json
import logging

import redis

from bookreviews.settings import REDIS_HOST, REDIS_PORT

log = logging.getLogger("cache")
client = redis.Redis.from_url(f"redis://{REDIS_HOST}:{REDIS_PORT}/0", socket_timeout=0.5,
                              socket_connect_timeout=0.5, decode_responses=True)
TTL = 300


def read(key):
    try:
        value = client.get(key)
    except redis.RedisError:
        log.exception("cache read failed")
        return None
    return json.loads(value) if value else None


def write(key, value):
    try:
        client.setex(key, TTL, json.dumps(value))
    except redis.RedisError:
        log.exception("cache write failed")


def clear_books():
    try:
        for key in client.scan_iter("books:*"):
            client.delete(key)
    except redis.RedisError:
        log.exception("cache clear failed")
"""

MAIN = """\
from datetime import datetime

from fastapi import Depends, FastAPI, HTTPException, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func
from sqlalchemy.orm import Session

from bookreviews import cache
from bookreviews.db import get_db
from bookreviews.models import Book, Review

app = FastAPI(title="Book reviews")


class BookIn(BaseModel):
    name: str = Field(min_length=1)
    author: str = Field(min_length=1)
    year: int | None = None


class BookOut(BookIn):
    model_config = ConfigDict(from_attributes=True)
    id: int
    created_at: datetime


class ReviewIn(BaseModel):
    user: str = Field(min_length=1)
    score: int = Field(ge=1, le=5)
    comment: str = Field(min_length=1)


class ReviewOut(ReviewIn):
    model_config = ConfigDict(from_attributes=True)
    id: int
    book_id: int


class BookPage(BaseModel):
    data: list[BookOut]
    page: int
    size: int
    total: int


class ReviewPage(BaseModel):
    data: list[ReviewOut]
    page: int
    size: int
    total: int


@app.get("/books", response_model=BookPage)
def list_books(page: int = Query(1, ge=1), size: int = Query(10, ge=1, le=100),
               db: Session = Depends(get_db)):
    key = f"books:{page}:{size}"
    cached = cache.read(key)
    if cached:
        return cached
    rows = db.query(Book).order_by(Book.id).offset((page - 1) * size).limit(size).all()
    result = BookPage(data=rows, page=page, size=size, total=db.query(func.count(Book.id)).scalar())
    cache.write(key, result.model_dump(mode="json"))
    return result


@app.post("/books", response_model=BookOut)
def add_book(book: BookIn, db: Session = Depends(get_db)):
    row = Book(**book.model_dump())
    db.add(row)
    db.commit()
    db.refresh(row)
    cache.clear_books()
    return row


def find_book(db: Session, book_id: int) -> Book:
    book = db.get(Book, book_id)
    if book is None:
        raise HTTPException(404, "book not found")
    return book


@app.get("/books/{book_id}/reviews", response_model=ReviewPage)
def book_reviews(book_id: int, page: int = Query(1, ge=1), size: int = Query(10, ge=1, le=100),
                 db: Session = Depends(get_db)):
    find_book(db, book_id)
    query = db.query(Review).filter(Review.book_id == book_id)
    rows = query.order_by(Review.id.desc()).offset((page - 1) * size).limit(size).all()
    return ReviewPage(data=rows, page=page, size=size, total=query.count())


@app.post("/books/{book_id}/reviews", response_model=ReviewOut)
def add_review(book_id: int, review: ReviewIn, db: Session = Depends(get_db)):
    find_book(db, book_id)
    row = Review(book_id=book_id, **review.model_dump())
    db.add(row)
    db.commit()
    db.refresh(row)
    return row
"""

TESTS = """\
import pytest
from fastapi.testclient import TestClient

from bookreviews.cache import client as redis_client
from bookreviews.db import Base, engine
from bookreviews.main import app


@pytest.fixture(autouse=True)
def fresh():
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    redis_client.flushdb()


client = TestClient(app)


def test_add_and_list():
    assert client.post("/books", json={"name": "Dune", "author": "Herbert"}).status_code == 200
    body = client.get("/books").json()
    assert body["total"] == 1 and body["data"][0]["name"] == "Dune"


def test_cache_filled_on_miss():
    client.post("/books", json={"name": "Dune", "author": "Herbert"})
    client.get("/books")
    assert redis_client.get("books:1:10") is not None


def test_review_and_404():
    book = client.post("/books", json={"name": "Dune", "author": "Herbert"}).json()
    r = client.post(f"/books/{book['id']}/reviews", json={"user": "x", "score": 5, "comment": "ok"})
    assert r.status_code == 200
    assert client.get("/books/999/reviews").status_code == 404


def test_bad_score():
    book = client.post("/books", json={"name": "Dune", "author": "Herbert"}).json()
    r = client.post(f"/books/{book['id']}/reviews", json={"user": "x", "score": 0, "comment": "ok"})
    assert r.status_code == 422
"""

README = """\
# book reviews

Env: DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD, REDIS_HOST, REDIS_PORT.

    pip install -r requirements.txt
    alembic upgrade head
    uvicorn bookreviews.main:app

GET /books?page=1&size=10 is cached in redis (5 min), cleared when a book is added.
"""


def files() -> dict[str, str]:
    return {
        "README.md": README,
        "requirements.txt": parts.requirements("psycopg2-binary", "redis", "alembic", "pytest"),
        "bookreviews/__init__.py": "",
        "bookreviews/settings.py": SETTINGS,
        "bookreviews/db.py": DB,
        "bookreviews/models.py": MODELS,
        "bookreviews/cache.py": CACHE,
        "bookreviews/main.py": MAIN,
        **parts.alembic(
            folder="migrations",
            url="SQLALCHEMY_URL",
            imports="from bookreviews.settings import SQLALCHEMY_URL\nfrom bookreviews.db import Base\nimport bookreviews.models",
            books="book",
            reviews="review",
            columns={
                "title": "name",
                "year": "year",
                "reviewer": "user",
                "rating": "score",
                "text": "comment",
            },
        ),
        "tests/test_api.py": TESTS,
    }
