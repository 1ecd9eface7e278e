"""Everything in one module, written in a hurry: PostgreSQL and a Redis cache with no expiry,
no index, print debugging, and tests that call every endpoint and assert nothing."""

from tests.realworld.solutions import parts

RANK = 9
WHY = "runs, but sloppy: no TTL, no index, prints, and tests that would never fail"

MAIN = """\
import os, json
from typing import Optional, List
import redis
from fastapi import FastAPI, HTTPException, Depends
from pydantic import BaseModel, conint
from sqlalchemy import create_engine, Column, Integer, String, ForeignKey, Text
from sqlalchemy.orm import sessionmaker, declarative_base, Session

DB = os.getenv("DATABASE_URL", "postgresql://postgres:password@localhost/bookdb")
engine = create_engine(DB)
SessionLocal = sessionmaker(bind=engine)
Base = declarative_base()
rds = redis.from_url(os.getenv("REDIS_URL", "redis://localhost:6379"), socket_connect_timeout=1, socket_timeout=1)

class BookModel(Base):
    __tablename__ = "books"
    id = Column(Integer, primary_key=True)
    title = Column(String)
    author = Column(String)
    published_year = Column(Integer)

class ReviewModel(Base):
    __tablename__ = "reviews"
    id = Column(Integer, primary_key=True)
    book_id = Column(Integer, ForeignKey("books.id"))
    reviewer = Column(String)
    rating = Column(Integer)
    text = Column(Text)

class BookSchema(BaseModel):
    title: str
    author: str
    published_year: Optional[int] = None

class ReviewSchema(BaseModel):
    reviewer: str
    rating: conint(ge=1, le=5)
    text: str

app = FastAPI()

def get_db():
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()

@app.get("/v1/books")
def get_books(db: Session = Depends(get_db)):
    try:
        data = rds.get("all_books")
        if data != None:
            print("cache hit")
            return json.loads(data)
    except:
        print("redis down")
    books = db.query(BookModel).order_by(BookModel.id).all()
    result = []
    for b in books:
        result.append({"id": b.id, "title": b.title, "author": b.author, "published_year": b.published_year})
    try:
        rds.set("all_books", json.dumps(result))
    except:
        print("redis down")
    return result

@app.post("/v1/books", status_code=201)
def add_book(book: BookSchema, db: Session = Depends(get_db)):
    b = BookModel(title=book.title, author=book.author, published_year=book.published_year)
    db.add(b)
    db.commit()
    db.refresh(b)
    try:
        rds.delete("all_books")
    except:
        print("redis down")
    return {"id": b.id, "title": b.title, "author": b.author, "published_year": b.published_year}

@app.get("/v1/books/{book_id}/reviews")
def get_reviews(book_id: int, db: Session = Depends(get_db)):
    book = db.query(BookModel).filter(BookModel.id == book_id).first()
    if book == None:
        raise HTTPException(status_code=404, detail="Book not found")
    reviews = db.query(ReviewModel).filter(ReviewModel.book_id == book_id).all()
    return [{"id": r.id, "book_id": r.book_id, "reviewer": r.reviewer, "rating": r.rating, "text": r.text} for r in reviews]

@app.post("/v1/books/{book_id}/reviews", status_code=201)
def add_review(book_id: int, review: ReviewSchema, db: Session = Depends(get_db)):
    book = db.query(BookModel).filter(BookModel.id == book_id).first()
    if book == None:
        raise HTTPException(status_code=404, detail="Book not found")
    r = ReviewModel(book_id=book_id, reviewer=review.reviewer, rating=review.rating, text=review.text)
    db.add(r)
    db.commit()
    db.refresh(r)
    return {"id": r.id, "book_id": r.book_id, "reviewer": r.reviewer, "rating": r.rating, "text": r.text}
"""

TESTS = """\
from fastapi.testclient import TestClient
from main import app, Base, engine

Base.metadata.create_all(engine)
client = TestClient(app)

def test_get_books():
    response = client.get("/v1/books")
    print(response.json())

def test_add_book():
    response = client.post("/v1/books", json={"title": "test", "author": "test"})
    print(response.status_code)

def test_get_reviews():
    client.get("/v1/books/1/reviews")

def test_add_review():
    client.post("/v1/books/1/reviews", json={"reviewer": "me", "rating": 5, "text": "good"})

def test_cache():
    client.get("/v1/books")
    client.get("/v1/books")
"""


def files() -> dict[str, str]:
    return {
        "README.md": "# book review api\n\nrun: uvicorn main:app\n",
        "requirements.txt": "fastapi\nuvicorn\nsqlalchemy\npsycopg2-binary\nredis\nalembic\npytest\n",
        "main.py": MAIN,
        **parts.alembic(
            url='os.getenv("DATABASE_URL", "postgresql://postgres:password@localhost/bookdb")',
            imports="import os\nfrom main import Base",
            index=False,
        ),
        "test_main.py": TESTS,
    }
