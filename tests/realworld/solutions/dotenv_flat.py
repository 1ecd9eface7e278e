"""The tutorial layout: flat modules (main, database, models, schemas, crud, cache), settings in a
committed .env read with python-dotenv, bare lists at /books/, a Redis client built with
redis.Redis(host=...) whose default retries make every request slow once Redis is gone."""

from tests.realworld.solutions import parts

RANK = 7
WHY = "complete and readable, but without Redis every request crawls through the client's retries"

DATABASE = """\
import os

from dotenv import load_dotenv
from sqlalchemy import create_engine
from sqlalchemy.orm import declarative_base, sessionmaker

load_dotenv()

SQLALCHEMY_DATABASE_URL = os.getenv("DATABASE_URL")

engine = create_engine(SQLALCHEMY_DATABASE_URL)
SessionLocal = sessionmaker(autocommit=False, autoflush=False, bind=engine)

Base = declarative_base()


def get_db():
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()
"""

MODELS = """\
from sqlalchemy import Column, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from database import Base


class Book(Base):
    __tablename__ = "books"

    id = Column(Integer, primary_key=True, index=True)
    title = Column(String(255), nullable=False)
    author = Column(String(255), nullable=False)
    year = Column(Integer, nullable=True)

    reviews = relationship("Review", back_populates="book")


class Review(Base):
    __tablename__ = "reviews"

    id = Column(Integer, primary_key=True, index=True)
    book_id = Column(Integer, ForeignKey("books.id"), index=True)
    username = Column(String(100), nullable=False)
    rating = Column(Integer, nullable=False)
    content = Column(Text, nullable=False)

    book = relationship("Book", back_populates="reviews")
"""

SCHEMAS = """\
from typing import Optional

from pydantic import BaseModel, Field


class BookBase(BaseModel):
    title: str
    author: str
    year: Optional[int] = None


class BookCreate(BookBase):
    pass


class Book(BookBase):
    id: int

    class Config:
        from_attributes = True


class ReviewBase(BaseModel):
    username: str
    rating: int = Field(..., ge=1, le=5)
    content: str


class ReviewCreate(ReviewBase):
    pass


class Review(ReviewBase):
    id: int
    book_id: int

    class Config:
        from_attributes = True
"""

CRUD = """\
from sqlalchemy.orm import Session

import models
import schemas


def get_books(db: Session):
    return db.query(models.Book).order_by(models.Book.id).all()


def get_book(db: Session, book_id: int):
    return db.query(models.Book).filter(models.Book.id == book_id).first()


def create_book(db: Session, book: schemas.BookCreate):
    db_book = models.Book(**book.dict())
    db.add(db_book)
    db.commit()
    db.refresh(db_book)
    return db_book


def get_reviews(db: Session, book_id: int):
    return (
        db.query(models.Review)
        .filter(models.Review.book_id == book_id)
        .order_by(models.Review.id.desc())
        .all()
    )


def create_review(db: Session, book_id: int, review: schemas.ReviewCreate):
    db_review = models.Review(**review.dict(), book_id=book_id)
    db.add(db_review)
    db.commit()
    db.refresh(db_review)
    return db_review
"""

CACHE = """\
import json
import os

import redis
from dotenv import load_dotenv

load_dotenv()

r = redis.Redis(
    host=os.getenv("REDIS_HOST", "localhost"),
    port=int(os.getenv("REDIS_PORT", 6379)),
    decode_responses=True,
)

BOOKS_KEY = "books:all"


def get_books():
    try:
        data = r.get(BOOKS_KEY)
        if data:
            return json.loads(data)
    except Exception as e:
        print("Redis error:", e)
    return None


def set_books(books):
    try:
        r.set(BOOKS_KEY, json.dumps(books), ex=60)
    except Exception as e:
        print("Redis error:", e)


def invalidate_books():
    try:
        r.delete(BOOKS_KEY)
    except Exception as e:
        print("Redis error:", e)
"""

MAIN = """\
from typing import List

from fastapi import Depends, FastAPI, HTTPException
from sqlalchemy.orm import Session

import cache
import crud
import schemas
from database import get_db

app = FastAPI()


@app.get("/books/", response_model=List[schemas.Book])
def read_books(db: Session = Depends(get_db)):
    cached = cache.get_books()
    if cached is not None:
        return cached
    books = crud.get_books(db)
    result = [schemas.Book.from_orm(b).dict() for b in books]
    cache.set_books(result)
    return result


@app.post("/books/", response_model=schemas.Book, status_code=201)
def create_book(book: schemas.BookCreate, db: Session = Depends(get_db)):
    new_book = crud.create_book(db, book)
    cache.invalidate_books()
    return new_book


@app.get("/books/{book_id}/reviews/", response_model=List[schemas.Review])
def read_reviews(book_id: int, db: Session = Depends(get_db)):
    if crud.get_book(db, book_id) is None:
        raise HTTPException(status_code=404, detail="Book not found")
    return crud.get_reviews(db, book_id)


@app.post("/books/{book_id}/reviews/", response_model=schemas.Review, status_code=201)
def create_review(book_id: int, review: schemas.ReviewCreate, db: Session = Depends(get_db)):
    if crud.get_book(db, book_id) is None:
        raise HTTPException(status_code=404, detail="Book not found")
    return crud.create_review(db, book_id, review)
"""

TESTS = """\
from fastapi.testclient import TestClient

from database import Base, engine
from main import app
import cache

Base.metadata.drop_all(bind=engine)
Base.metadata.create_all(bind=engine)
client = TestClient(app)


def test_create_book():
    response = client.post("/books/", json={"title": "1984", "author": "George Orwell", "year": 1949})
    assert response.status_code == 201
    assert response.json()["title"] == "1984"


def test_list_books_uses_cache():
    cache.r.flushdb()
    client.get("/books/")
    assert cache.r.get(cache.BOOKS_KEY) is not None


def test_create_review():
    book = client.post("/books/", json={"title": "Dune", "author": "Frank Herbert"}).json()
    response = client.post(f"/books/{book['id']}/reviews/", json={"username": "bob", "rating": 5, "content": "Great"})
    assert response.status_code == 201
    assert client.get(f"/books/{book['id']}/reviews/").json()[0]["content"] == "Great"
"""

README = """\
# Book Review API

## How to run

1. `docker-compose up -d` (Postgres + Redis)
2. `pip install -r requirements.txt`
3. `alembic upgrade head`
4. `uvicorn main:app --reload`

Configuration is in `.env`.

## Notes

The list of books is cached in Redis for 60 seconds and the cache is deleted when a book is
added. If Redis is not available the errors are caught and the database is used.
"""


def files() -> dict[str, str]:
    return {
        "README.md": README,
        ".env": "DATABASE_URL=postgresql://postgres:postgres@db:5432/books\nREDIS_HOST=redis\nREDIS_PORT=6379\n",
        "requirements.txt": parts.requirements(
            "psycopg2-binary", "redis", "alembic", "python-dotenv", "pytest", "httpx"
        ),
        "database.py": DATABASE,
        "models.py": MODELS,
        "schemas.py": SCHEMAS,
        "crud.py": CRUD,
        "cache.py": CACHE,
        "main.py": MAIN,
        **parts.alembic(
            url='os.getenv("DATABASE_URL")',
            imports="import os\n\nfrom dotenv import load_dotenv\n\nfrom database import Base\nimport models\n\nload_dotenv()",
            columns={"year": "year", "reviewer": "username", "text": "content"},
        ),
        "test_main.py": TESTS,
    }
