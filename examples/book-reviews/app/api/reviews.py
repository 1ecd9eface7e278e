"""Routes under /books/{book_id}/reviews."""

from typing import Any

from fastapi import APIRouter, status

from app.api.deps import BookCacheDep, Limit, Offset, SessionDep
from app.schemas import ReviewCreate, ReviewPage, ReviewRead
from app.services import reviews as review_service

router = APIRouter(prefix="/books/{book_id}/reviews", tags=["reviews"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    status.HTTP_404_NOT_FOUND: {"description": "No book has this id."}
}


@router.get("", responses=NOT_FOUND)
def list_reviews(
    book_id: int, session: SessionDep, limit: Limit = 20, offset: Offset = 0
) -> ReviewPage:
    """List a book's reviews, newest first."""
    return review_service.list_reviews(session, book_id, limit=limit, offset=offset)


@router.post("", status_code=status.HTTP_201_CREATED, responses=NOT_FOUND)
def create_review(
    book_id: int, data: ReviewCreate, session: SessionDep, cache: BookCacheDep
) -> ReviewRead:
    """Review a book."""
    return review_service.create_review(session, cache, book_id, data)
