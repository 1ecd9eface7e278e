"""Creating and listing books."""

from decimal import Decimal

from sqlalchemy.orm import Session

from app.cache import ListCache
from app.db import after_commit
from app.models import Book
from app.repositories import books as book_rows
from app.repositories import reviews as review_rows
from app.repositories.reviews import NO_REVIEWS, RatingStats
from app.schemas import BookCreate, BookPage, BookRead


def create_book(session: Session, cache: ListCache, data: BookCreate) -> BookRead:
    """Store a new book and drop the cached book list once it is committed."""
    book = book_rows.add(session, Book(**data.model_dump()))
    after_commit(session, cache.invalidate)
    return to_read(book, NO_REVIEWS)


def list_books(session: Session, cache: ListCache, *, limit: int, offset: int) -> BookPage:
    """Return a page of books with their review aggregates, from the cache when possible."""
    return cache.get_or_load(
        f"limit={limit}:offset={offset}",
        BookPage,
        lambda: _load_page(session, limit=limit, offset=offset),
    )


def to_read(book: Book, stats: RatingStats) -> BookRead:
    """Combine a stored book with its review aggregates."""
    return BookRead(
        id=book.id,
        title=book.title,
        author=book.author,
        published_year=book.published_year,
        review_count=stats.count,
        average_rating=_rounded(stats.average),
        created_at=book.created_at,
    )


def _load_page(session: Session, *, limit: int, offset: int) -> BookPage:
    books = book_rows.list_page(session, limit=limit, offset=offset)
    stats = review_rows.stats_by_book(session, [book.id for book in books])
    return BookPage(
        items=[to_read(book, stats.get(book.id, NO_REVIEWS)) for book in books],
        total=book_rows.count(session),
        limit=limit,
        offset=offset,
    )


def _rounded(average: Decimal | None) -> float | None:
    return None if average is None else float(round(average, 2))
