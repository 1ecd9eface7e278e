"""A shell: tidy routes and models that store nothing; lists are always empty and a "created"
book is echoed back with a made-up id."""

RANK = 12
WHY = "a tidy shell: nothing is stored, nothing is cached, the lists are always empty"

MAIN = '''\
"""Book reviews API."""

from fastapi import FastAPI, status
from pydantic import BaseModel, Field

app = FastAPI(title="Book Reviews")


class BookIn(BaseModel):
    """A new book."""

    title: str = Field(min_length=1)
    author: str = Field(min_length=1)
    published_year: int | None = None


class BookOut(BookIn):
    """A book."""

    id: int


class ReviewIn(BaseModel):
    """A new review."""

    reviewer: str = Field(min_length=1)
    rating: int = Field(ge=1, le=5)
    text: str = Field(min_length=1)


class ReviewOut(ReviewIn):
    """A review."""

    id: int
    book_id: int


@app.get("/books")
def list_books() -> list[BookOut]:
    """List books."""
    return []


@app.post("/books", status_code=status.HTTP_201_CREATED)
def create_book(book: BookIn) -> BookOut:
    """Create a book."""
    return BookOut(id=1, **book.model_dump())


@app.get("/books/{book_id}/reviews")
def list_reviews(book_id: int) -> list[ReviewOut]:
    """List a book's reviews."""
    return []


@app.post("/books/{book_id}/reviews", status_code=status.HTTP_201_CREATED)
def create_review(book_id: int, review: ReviewIn) -> ReviewOut:
    """Review a book."""
    return ReviewOut(id=1, book_id=book_id, **review.model_dump())
'''

TESTS = """\
from fastapi.testclient import TestClient

from app.main import app

client = TestClient(app)


def test_list_books() -> None:
    assert client.get("/books").status_code == 200


def test_create_book() -> None:
    assert client.post("/books", json={"title": "Dune", "author": "Herbert"}).status_code == 201
"""


def files() -> dict[str, str]:
    return {
        "README.md": "# Book Reviews API\n\nWork in progress: `uvicorn app.main:app`.\n",
        "requirements.txt": "fastapi\nuvicorn\npytest\nhttpx\n",
        "app/__init__.py": "",
        "app/main.py": MAIN,
        "tests/__init__.py": "",
        "tests/test_api.py": TESTS,
    }
