"""Routes under /api/v1/books/{book_id}/reviews."""

from typing import Any

from fastapi import APIRouter, status

from app.api.deps import PageNumber, PageSize, SessionDep
from app.schemas import ReviewCreate, ReviewPage, ReviewRead
from app.services import reviews as review_service

router = APIRouter(prefix="/books/{book_id}/reviews", tags=["reviews"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    status.HTTP_404_NOT_FOUND: {"description": "No book has this id."}
}


@router.get("", responses=NOT_FOUND)
def list_reviews(
    book_id: int, session: SessionDep, page: PageNumber = 1, size: PageSize = 20
) -> ReviewPage:
    """List a book's reviews, newest first."""
    return review_service.list_reviews(session, book_id, page=page, size=size)


@router.post("", status_code=status.HTTP_201_CREATED, responses=NOT_FOUND)
def create_review(book_id: int, data: ReviewCreate, session: SessionDep) -> ReviewRead:
    """Review a book."""
    return review_service.create_review(session, book_id, data)
