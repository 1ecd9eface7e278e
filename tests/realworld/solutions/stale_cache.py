"""A straightforward solution whose cache is never invalidated: a new book shows in the list
only when the cached list expires, five minutes later."""

from tests.realworld.solutions import parts

RANK = 10
WHY = "add a book and the list does not show it for five minutes: wrong answers on the main path"

MAIN = """\
import json
import logging
import os
from datetime import datetime

import redis
from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import DateTime, ForeignKey, String, create_engine, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres:postgres@localhost:5432/books")
REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")

engine = create_engine(DATABASE_URL)
SessionLocal = sessionmaker(engine)
cache = redis.Redis.from_url(REDIS_URL, socket_timeout=1, decode_responses=True)
log = logging.getLogger("books")


class Base(DeclarativeBase):
    pass


class Book(Base):
    __tablename__ = "books"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    author: Mapped[str] = mapped_column(String(255))
    published_year: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Review(Base):
    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id"), index=True)
    reviewer: Mapped[str] = mapped_column(String(100))
    rating: Mapped[int]
    text: Mapped[str]


class BookIn(BaseModel):
    title: str = Field(min_length=1)
    author: str = Field(min_length=1)
    published_year: int | None = None


class BookOut(BookIn):
    model_config = ConfigDict(from_attributes=True)
    id: int


class ReviewIn(BaseModel):
    reviewer: str
    rating: int = Field(ge=1, le=5)
    text: str


class ReviewOut(ReviewIn):
    model_config = ConfigDict(from_attributes=True)
    id: int
    book_id: int


def get_db():
    with SessionLocal() as db:
        yield db


app = FastAPI()


@app.get("/books", response_model=list[BookOut])
def list_books(skip: int = 0, limit: int = 100, db: Session = Depends(get_db)):
    key = f"books:{skip}:{limit}"
    try:
        cached = cache.get(key)
        if cached:
            return json.loads(cached)
    except redis.RedisError:
        log.warning("cache down")
    books = [BookOut.model_validate(b).model_dump() for b in db.scalars(select(Book).order_by(Book.id).offset(skip).limit(limit))]
    try:
        cache.setex(key, 300, json.dumps(books))
    except redis.RedisError:
        log.warning("cache down")
    return books


@app.post("/books", response_model=BookOut, status_code=201)
def create_book(book: BookIn, db: Session = Depends(get_db)):
    row = Book(**book.model_dump())
    db.add(row)
    db.commit()
    db.refresh(row)
    return row


@app.get("/books/{book_id}/reviews", response_model=list[ReviewOut])
def list_reviews(book_id: int, db: Session = Depends(get_db)):
    if db.get(Book, book_id) is None:
        raise HTTPException(404, "Book not found")
    return db.scalars(select(Review).where(Review.book_id == book_id).order_by(Review.id.desc())).all()


@app.post("/books/{book_id}/reviews", response_model=ReviewOut, status_code=201)
def create_review(book_id: int, review: ReviewIn, db: Session = Depends(get_db)):
    if db.get(Book, book_id) is None:
        raise HTTPException(404, "Book not found")
    row = Review(book_id=book_id, **review.model_dump())
    db.add(row)
    db.commit()
    db.refresh(row)
    return row
"""

TESTS = """\
from fastapi.testclient import TestClient

from app.main import Base, app, cache, engine

Base.metadata.create_all(engine)
client = TestClient(app)


def test_books():
    r = client.post("/books", json={"title": "Dune", "author": "Frank Herbert"})
    assert r.status_code == 201


def test_list_is_cached():
    cache.flushdb()
    client.get("/books")
    assert cache.keys("books:*")


def test_reviews():
    book = client.post("/books", json={"title": "Dune", "author": "Frank Herbert"}).json()
    r = client.post(f"/books/{book['id']}/reviews", json={"reviewer": "a", "rating": 3, "text": "ok"})
    assert r.status_code == 201


def test_404():
    assert client.get("/books/99999/reviews").status_code == 404
"""

README = """\
# Book reviews

`DATABASE_URL` and `REDIS_URL` configure the service.

    alembic upgrade head
    uvicorn app.main:app

Book list cached in Redis for 5 minutes.
"""


def files() -> dict[str, str]:
    return {
        "README.md": README,
        "requirements.txt": parts.requirements("psycopg2-binary", "redis", "alembic"),
        "app/__init__.py": "",
        "app/main.py": MAIN,
        **parts.alembic(
            url='os.environ.get("DATABASE_URL", "postgresql://postgres:postgres@localhost:5432/books")',
            imports="import os\n\nfrom app.main import Base",
        ),
        "tests/test_app.py": TESTS,
    }
