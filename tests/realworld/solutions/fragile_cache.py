"""Cache-aside done right while Redis is up, with no error handling at all: once Redis is gone,
every request that touches the cache is a 500."""

from tests.realworld.solutions import parts

RANK = 8
WHY = "caching works, but the service answers 500 the moment Redis goes away"

MAIN = """\
import json
import os

import redis
from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import ForeignKey, String, Text, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

engine = create_engine(os.getenv("DATABASE_URL", "postgresql+psycopg://books:books@localhost/books"))
SessionLocal = sessionmaker(engine)
r = redis.Redis.from_url(os.getenv("REDIS_URL", "redis://localhost:6379/0"))

CACHE_KEY = "books"


class Base(DeclarativeBase):
    pass


class Book(Base):
    __tablename__ = "books"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    author: Mapped[str] = mapped_column(String(255))
    published_year: Mapped[int | None]


class Review(Base):
    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id"), index=True)
    reviewer: Mapped[str] = mapped_column(String(100))
    rating: Mapped[int]
    text: Mapped[str] = mapped_column(Text)


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


def db():
    with SessionLocal() as session:
        yield session


app = FastAPI()


@app.get("/books", response_model=list[BookOut])
def books(session: Session = Depends(db)):
    cached = r.get(CACHE_KEY)
    if cached:
        return json.loads(cached)
    rows = [BookOut.model_validate(b).model_dump() for b in session.scalars(select(Book).order_by(Book.id))]
    r.set(CACHE_KEY, json.dumps(rows), ex=120)
    return rows


@app.post("/books", response_model=BookOut, status_code=201)
def add_book(book: BookIn, session: Session = Depends(db)):
    row = Book(**book.model_dump())
    session.add(row)
    session.commit()
    r.delete(CACHE_KEY)
    return row


@app.get("/books/{book_id}/reviews", response_model=list[ReviewOut])
def reviews(book_id: int, session: Session = Depends(db)):
    if not session.get(Book, book_id):
        raise HTTPException(404, "not found")
    return session.scalars(select(Review).where(Review.book_id == book_id).order_by(Review.id.desc())).all()


@app.post("/books/{book_id}/reviews", response_model=ReviewOut, status_code=201)
def add_review(book_id: int, review: ReviewIn, session: Session = Depends(db)):
    if not session.get(Book, book_id):
        raise HTTPException(404, "not found")
    row = Review(book_id=book_id, **review.model_dump())
    session.add(row)
    session.commit()
    return row
"""

TESTS = """\
from fastapi.testclient import TestClient

from main import Base, app, engine, r

Base.metadata.drop_all(engine)
Base.metadata.create_all(engine)
client = TestClient(app)


def test_add_book():
    assert client.post("/books", json={"title": "Dune", "author": "Herbert"}).status_code == 201


def test_cache_miss_fills_cache():
    r.flushdb()
    client.get("/books")
    assert r.exists("books")


def test_new_book_clears_cache():
    client.get("/books")
    client.post("/books", json={"title": "Emma", "author": "Austen"})
    assert not r.exists("books")


def test_review():
    book = client.post("/books", json={"title": "Dune", "author": "Herbert"}).json()
    assert client.post(f"/books/{book['id']}/reviews", json={"reviewer": "a", "rating": 2, "text": "meh"}).status_code == 201


def test_bad_rating():
    book = client.post("/books", json={"title": "Dune", "author": "Herbert"}).json()
    assert client.post(f"/books/{book['id']}/reviews", json={"reviewer": "a", "rating": 7, "text": "x"}).status_code == 422
"""


def files() -> dict[str, str]:
    return {
        "README.md": "# Book reviews\n\n`DATABASE_URL`, `REDIS_URL`; `alembic upgrade head`; `uvicorn main:app`.\n",
        "requirements.txt": parts.requirements("psycopg[binary]", "redis", "alembic", "pytest"),
        "main.py": MAIN,
        **parts.alembic(
            url='os.getenv("DATABASE_URL", "postgresql+psycopg://books:books@localhost/books")',
            imports="import os\n\nfrom main import Base",
        ),
        "test_main.py": TESTS,
    }
