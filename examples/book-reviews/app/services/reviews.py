"""Creating and listing the reviews of a book."""

from sqlalchemy.orm import Session

from app.cache import ListCache
from app.db import after_commit
from app.errors import BookNotFoundError
from app.models import Review
from app.repositories import books as book_rows
from app.repositories import reviews as review_rows
from app.schemas import ReviewCreate, ReviewPage, ReviewRead


def create_review(
    session: Session, book_cache: ListCache, book_id: int, data: ReviewCreate
) -> ReviewRead:
    """Store a review of an existing book.

    The cached book list carries review counts and averages, so it is dropped too.
    """
    _require_book(session, book_id)
    review = review_rows.add(session, Review(book_id=book_id, **data.model_dump()))
    after_commit(session, book_cache.invalidate)
    return ReviewRead.model_validate(review)


def list_reviews(session: Session, book_id: int, *, limit: int, offset: int) -> ReviewPage:
    """Return a page of a book's reviews, newest first."""
    _require_book(session, book_id)
    reviews = review_rows.list_page(session, book_id, limit=limit, offset=offset)
    return ReviewPage(
        items=[ReviewRead.model_validate(review) for review in reviews],
        total=review_rows.count_for_book(session, book_id),
        limit=limit,
        offset=offset,
    )


def _require_book(session: Session, book_id: int) -> None:
    if not book_rows.exists(session, book_id):
        raise BookNotFoundError(book_id)
