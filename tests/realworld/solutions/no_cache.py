"""A clean, well-tested solution that never got to Redis: no cache at all."""

from tests.realworld.solutions import parts

RANK = 6
WHY = "clean and well tested, but the caching half of the brief is simply not there"

APP = '''\
"""Book reviews API (PostgreSQL only)."""

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Query, status
from pydantic import BaseModel, ConfigDict, Field
from pydantic_settings import BaseSettings
from sqlalchemy import DateTime, ForeignKey, String, Text, create_engine, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker


class Settings(BaseSettings):
    """Configuration from the environment."""

    database_url: str = "postgresql+psycopg://postgres:postgres@localhost:5432/books"


settings = Settings()
engine = create_engine(settings.database_url)
SessionLocal = sessionmaker(engine)


class Base(DeclarativeBase):
    """Model base."""


class Book(Base):
    """A book."""

    __tablename__ = "books"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    author: Mapped[str] = mapped_column(String(255))
    published_year: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Review(Base):
    """A review of a book."""

    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id"), index=True)
    reviewer: Mapped[str] = mapped_column(String(100))
    rating: Mapped[int]
    text: Mapped[str] = mapped_column(Text)


class BookIn(BaseModel):
    """New book."""

    title: str = Field(min_length=1)
    author: str = Field(min_length=1)
    published_year: int | None = None


class BookOut(BookIn):
    """Stored book."""

    model_config = ConfigDict(from_attributes=True)
    id: int


class ReviewIn(BaseModel):
    """New review."""

    reviewer: str = Field(min_length=1)
    rating: int = Field(ge=1, le=5)
    text: str = Field(min_length=1)


class ReviewOut(ReviewIn):
    """Stored review."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    book_id: int


class Page(BaseModel):
    """A page of results."""

    items: list[BookOut] | list[ReviewOut]
    total: int


def get_session() -> Iterator[Session]:
    """A session per request."""
    with SessionLocal() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
app = FastAPI(title="Book Reviews")


@app.get("/books", response_model=Page)
def list_books(session: SessionDep, limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0)) -> Page:
    """List books."""
    rows = session.scalars(select(Book).order_by(Book.id).limit(limit).offset(offset)).all()
    total = session.scalar(select(func.count(Book.id))) or 0
    return Page(items=[BookOut.model_validate(row) for row in rows], total=total)


@app.post("/books", response_model=BookOut, status_code=status.HTTP_201_CREATED)
def create_book(payload: BookIn, session: SessionDep) -> Book:
    """Create a book."""
    book = Book(**payload.model_dump())
    session.add(book)
    session.commit()
    return book


def require_book(session: Session, book_id: int) -> None:
    """404 unless the book exists."""
    if session.get(Book, book_id) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Book {book_id} not found")


@app.get("/books/{book_id}/reviews", response_model=Page)
def list_reviews(book_id: int, session: SessionDep, limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0)) -> Page:
    """List a book's reviews."""
    require_book(session, book_id)
    query = select(Review).where(Review.book_id == book_id)
    rows = session.scalars(query.order_by(Review.id.desc()).limit(limit).offset(offset)).all()
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    return Page(items=[ReviewOut.model_validate(row) for row in rows], total=total)


@app.post("/books/{book_id}/reviews", response_model=ReviewOut, status_code=status.HTTP_201_CREATED)
def create_review(book_id: int, payload: ReviewIn, session: SessionDep) -> Review:
    """Create a review."""
    require_book(session, book_id)
    review = Review(book_id=book_id, **payload.model_dump())
    session.add(review)
    session.commit()
    return review


@app.get("/health")
def health() -> dict[str, str]:
    """Health check."""
    return {"status": "ok"}
'''

CONFTEST = """\
import pytest
from fastapi.testclient import TestClient

from app.main import Base, app, engine


@pytest.fixture(autouse=True)
def schema():
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)


@pytest.fixture
def client():
    return TestClient(app)
"""

TESTS = """\
import pytest


def make_book(client, **extra):
    return client.post("/books", json={"title": "Dune", "author": "Frank Herbert", **extra}).json()


def test_create_book(client):
    book = make_book(client, published_year=1965)
    assert book["published_year"] == 1965


def test_list_books(client):
    make_book(client)
    make_book(client)
    assert client.get("/books").json()["total"] == 2


def test_paging(client):
    ids = [make_book(client)["id"] for _ in range(3)]
    page = client.get("/books", params={"limit": 2, "offset": 1}).json()
    assert [item["id"] for item in page["items"]] == ids[1:]


@pytest.mark.parametrize("payload", [{}, {"title": "x"}, {"author": "y"}, {"title": "", "author": "y"}])
def test_invalid_books(client, payload):
    assert client.post("/books", json=payload).status_code == 422


def test_reviews_newest_first(client):
    book = make_book(client)
    for rating in (1, 2):
        client.post(f"/books/{book['id']}/reviews", json={"reviewer": "a", "rating": rating, "text": "t"})
    items = client.get(f"/books/{book['id']}/reviews").json()["items"]
    assert [item["rating"] for item in items] == [2, 1]


@pytest.mark.parametrize("rating", [0, 6])
def test_invalid_rating(client, rating):
    book = make_book(client)
    response = client.post(f"/books/{book['id']}/reviews", json={"reviewer": "a", "rating": rating, "text": "t"})
    assert response.status_code == 422


def test_unknown_book(client):
    assert client.get("/books/77/reviews").status_code == 404
    assert client.post("/books/77/reviews", json={"reviewer": "a", "rating": 3, "text": "t"}).status_code == 404
"""


def files() -> dict[str, str]:
    return {
        "README.md": "# Book Reviews\n\nSet `DATABASE_URL`, run `alembic upgrade head`, then `uvicorn app.main:app`.\n"
        "Tests: `pytest`.\n\nTODO: Redis cache for the book list.\n",
        "requirements.txt": parts.requirements(
            "pydantic-settings", "psycopg[binary]", "alembic", "pytest"
        ),
        "app/__init__.py": "",
        "app/main.py": APP,
        **parts.alembic(url="settings.database_url", imports="from app.main import Base, settings"),
        "tests/__init__.py": "",
        "tests/conftest.py": CONFTEST,
        "tests/test_api.py": TESTS,
    }
