"""A SQLite solution: tables made by create_all at start-up, no Alembic, no Redis. The API
itself works."""

RANK = 11
WHY = "the API works, but on SQLite, without migrations or any cache: most of the brief skipped"

MAIN = """\
from typing import List, Optional

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field
from sqlalchemy import Column, ForeignKey, Integer, String, create_engine
from sqlalchemy.orm import Session, declarative_base

engine = create_engine("sqlite:///./books.db", connect_args={"check_same_thread": False})
Base = declarative_base()


class Book(Base):
    __tablename__ = "books"
    id = Column(Integer, primary_key=True)
    title = Column(String, nullable=False)
    author = Column(String, nullable=False)
    year = Column(Integer)


class Review(Base):
    __tablename__ = "reviews"
    id = Column(Integer, primary_key=True)
    book_id = Column(Integer, ForeignKey("books.id"))
    reviewer = Column(String)
    rating = Column(Integer)
    text = Column(String)


Base.metadata.create_all(engine)


class BookIn(BaseModel):
    title: str
    author: str
    year: Optional[int] = None


class ReviewIn(BaseModel):
    reviewer: str
    rating: int = Field(ge=1, le=5)
    text: str


app = FastAPI()


def book_dict(book):
    return {"id": book.id, "title": book.title, "author": book.author, "year": book.year}


def review_dict(review):
    return {"id": review.id, "book_id": review.book_id, "reviewer": review.reviewer,
            "rating": review.rating, "text": review.text}


@app.get("/books")
def list_books():
    with Session(engine) as session:
        return [book_dict(book) for book in session.query(Book).all()]


@app.post("/books", status_code=201)
def create_book(book: BookIn):
    with Session(engine) as session:
        row = Book(**book.dict())
        session.add(row)
        session.commit()
        return book_dict(row)


@app.get("/books/{book_id}/reviews")
def list_reviews(book_id: int):
    with Session(engine) as session:
        if session.get(Book, book_id) is None:
            raise HTTPException(404, "Book not found")
        return [review_dict(r) for r in session.query(Review).filter(Review.book_id == book_id)]


@app.post("/books/{book_id}/reviews", status_code=201)
def create_review(book_id: int, review: ReviewIn):
    with Session(engine) as session:
        if session.get(Book, book_id) is None:
            raise HTTPException(404, "Book not found")
        row = Review(book_id=book_id, **review.dict())
        session.add(row)
        session.commit()
        return review_dict(row)
"""

TESTS = """\
from fastapi.testclient import TestClient

from main import app

client = TestClient(app)


def test_create_book():
    response = client.post("/books", json={"title": "Dune", "author": "Herbert"})
    assert response.status_code == 201


def test_review_missing_book():
    response = client.get("/books/100000/reviews")
    assert response.status_code == 404
"""


def files() -> dict[str, str]:
    return {
        "README.md": "# Book reviews\n\n`pip install -r requirements.txt && uvicorn main:app`\n\nUses SQLite (books.db).\n",
        "requirements.txt": "fastapi\nuvicorn\nsqlalchemy\npytest\nhttpx\n",
        "main.py": MAIN,
        "test_main.py": TESTS,
    }
