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
    year: int | None = Field(default=None, ge=MIN_YEAR, le=MAX_YEAR, description="Published.")


class BookRead(BaseModel):
    """A stored book."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    author: str
    year: int | None
    created_at: datetime


class ReviewCreate(_Input):
    """A new review of a book."""

    reviewer: str = Field(min_length=1, max_length=100)
    rating: int = Field(ge=1, le=5)
    comment: str = Field(min_length=1, max_length=2000)


class ReviewRead(BaseModel):
    """A stored review."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    book_id: int
    reviewer: str
    rating: int
    comment: str
    created_at: datetime


class Page(BaseModel, Generic[ItemT]):
    """One page of a list, numbered from 1, with the size of the whole list."""

    items: list[ItemT]
    page: int
    size: int
    total: int


class BookPage(Page[BookRead]):
    """A page of books, oldest first."""


class ReviewPage(Page[ReviewRead]):
    """A page of one book's reviews, newest first."""
