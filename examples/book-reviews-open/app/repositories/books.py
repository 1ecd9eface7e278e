"""Queries over `books`."""

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Book


def add(session: Session, book: Book) -> Book:
    """Insert a book and flush, so its id and created_at are known."""
    session.add(book)
    session.flush()
    return book


def exists(session: Session, book_id: int) -> bool:
    """Tell whether a book with this id exists."""
    return session.scalar(select(Book.id).where(Book.id == book_id)) is not None


def list_page(session: Session, *, limit: int, offset: int) -> Sequence[Book]:
    """Return one page of books, ordered by id ascending."""
    query = select(Book).order_by(Book.id).limit(limit).offset(offset)
    return session.scalars(query).all()


def count(session: Session) -> int:
    """Count every book."""
    return session.scalar(select(func.count()).select_from(Book)) or 0
