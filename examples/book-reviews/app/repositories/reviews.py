"""Queries over `reviews`."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Review


@dataclass(frozen=True)
class RatingStats:
    """How many reviews a book has and their mean rating (None without reviews)."""

    count: int
    average: Decimal | None


NO_REVIEWS = RatingStats(count=0, average=None)


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


def stats_by_book(session: Session, book_ids: Collection[int]) -> dict[int, RatingStats]:
    """Aggregate the ratings of several books in one query; books without reviews are absent."""
    if not book_ids:
        return {}
    query = (
        select(Review.book_id, func.count(), func.avg(Review.rating))
        .where(Review.book_id.in_(book_ids))
        .group_by(Review.book_id)
    )
    return {
        book_id: RatingStats(count=count, average=average)
        for book_id, count, average in session.execute(query)
    }
