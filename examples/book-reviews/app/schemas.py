"""Request and response bodies: the JSON contract of the API."""

from datetime import datetime
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

MIN_YEAR = 1000
MAX_YEAR = 2100

ItemT = TypeVar("ItemT", bound=BaseModel)


class _Input(BaseModel):
    # Surrounding whitespace is noise; stripping it first also makes "   " fail min_length.
    model_config = ConfigDict(str_strip_whitespace=True)


class BookCreate(_Input):
    """A new book."""

    title: str = Field(min_length=1, max_length=200)
    author: str = Field(min_length=1, max_length=100)
    published_year: int | None = Field(default=None, ge=MIN_YEAR, le=MAX_YEAR)


class BookRead(BaseModel):
    """A stored book with the aggregates of its reviews."""

    id: int
    title: str
    author: str
    published_year: int | None
    review_count: int
    average_rating: float | None = Field(description="Mean rating rounded to 2 decimals.")
    created_at: datetime


class ReviewCreate(_Input):
    """A new review of a book."""

    reviewer: str = Field(min_length=1, max_length=100)
    rating: int = Field(ge=1, le=5)
    text: str = Field(min_length=1, max_length=2000)


class ReviewRead(BaseModel):
    """A stored review."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    book_id: int
    reviewer: str
    rating: int
    text: str
    created_at: datetime


class Page(BaseModel, Generic[ItemT]):
    """One slice of a list, with the size of the whole list."""

    items: list[ItemT]
    total: int
    limit: int
    offset: int


class BookPage(Page[BookRead]):
    """A page of books, ordered by id ascending."""


class ReviewPage(Page[ReviewRead]):
    """A page of one book's reviews, newest first."""
