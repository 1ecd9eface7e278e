"""Queries over `reviews`."""

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Review


def add(session: Session, review: Review) -> Review:
    """Insert a review and flush, so its id and created_at are known."""
    session.add(review)
    session.flush()
    return review


def list_page(session: Session, book_id: int, *, limit: int, offset: int) -> Sequence[Review]:
    """Return one page of a book's reviews, newest (highest id) first."""
    query = (
        select(Review)
        .where(Review.book_id == book_id)
        .order_by(Review.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return session.scalars(query).all()


def count_for_book(session: Session, book_id: int) -> int:
    """Count the reviews of one book."""
    query = select(func.count()).select_from(Review).where(Review.book_id == book_id)
    return session.scalar(query) or 0
