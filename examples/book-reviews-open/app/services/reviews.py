"""Creating and listing the reviews of a book.

The book list carries no review data, so writing a review leaves its cache alone.
"""

from sqlalchemy.orm import Session

from app.errors import BookNotFoundError
from app.models import Review
from app.repositories import books as book_rows
from app.repositories import reviews as review_rows
from app.schemas import ReviewCreate, ReviewPage, ReviewRead


def create_review(session: Session, book_id: int, data: ReviewCreate) -> ReviewRead:
    """Store a review of an existing book."""
    _require_book(session, book_id)
    review = review_rows.add(session, Review(book_id=book_id, **data.model_dump()))
    return ReviewRead.model_validate(review)


def list_reviews(session: Session, book_id: int, *, page: int, size: int) -> ReviewPage:
    """Return a page of a book's reviews, newest first."""
    _require_book(session, book_id)
    reviews = review_rows.list_page(session, book_id, limit=size, offset=(page - 1) * size)
    return ReviewPage(
        items=[ReviewRead.model_validate(review) for review in reviews],
        page=page,
        size=size,
        total=review_rows.count_for_book(session, book_id),
    )


def _require_book(session: Session, book_id: int) -> None:
    if not book_rows.exists(session, book_id):
        raise BookNotFoundError(book_id)
