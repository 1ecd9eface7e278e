"""Tables: books and their reviews."""

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, SmallInteger, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base


class Book(Base):
    """A book that can be reviewed."""

    __tablename__ = "books"
    __table_args__ = (CheckConstraint("year BETWEEN 1000 AND 2100", name="year_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    author: Mapped[str] = mapped_column(String(100))
    year: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    # lazy="raise": an accidental per-book query in a list fails loudly instead of N+1.
    reviews: Mapped[list["Review"]] = relationship(back_populates="book", lazy="raise")


class Review(Base):
    """One reader's rating and opinion of a book."""

    __tablename__ = "reviews"
    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        # Leads with book_id for "reviews of a book"; id second serves newest-first
        # pages straight from the index, without a sort.
        Index("ix_reviews_book_id_id", "book_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id", ondelete="CASCADE"))
    reviewer: Mapped[str] = mapped_column(String(100))
    rating: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    book: Mapped[Book] = relationship(back_populates="reviews", lazy="raise")
