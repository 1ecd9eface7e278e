"""Creating and listing books."""

from sqlalchemy.orm import Session

from app.cache import ListCache
from app.db import after_commit
from app.models import Book
from app.repositories import books as book_rows
from app.schemas import BookCreate, BookPage, BookRead


def create_book(session: Session, cache: ListCache, data: BookCreate) -> BookRead:
    """Store a new book and drop the cached book list once it is committed."""
    book = book_rows.add(session, Book(**data.model_dump()))
    after_commit(session, cache.invalidate)
    return BookRead.model_validate(book)


def list_books(session: Session, cache: ListCache, *, page: int, size: int) -> BookPage:
    """Return a page of books, from the cache when possible."""
    return cache.get_or_load(
        f"page={page}:size={size}",
        BookPage,
        lambda: _load_page(session, page=page, size=size),
    )


def _load_page(session: Session, *, page: int, size: int) -> BookPage:
    books = book_rows.list_page(session, limit=size, offset=(page - 1) * size)
    return BookPage(
        items=[BookRead.model_validate(book) for book in books],
        page=page,
        size=size,
        total=book_rows.count(session),
    )
