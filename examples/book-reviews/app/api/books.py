"""Routes under /books."""

from fastapi import APIRouter, status

from app.api.deps import BookCacheDep, Limit, Offset, SessionDep
from app.schemas import BookCreate, BookPage, BookRead
from app.services import books as book_service

router = APIRouter(prefix="/books", tags=["books"])


@router.get("")
def list_books(
    session: SessionDep, cache: BookCacheDep, limit: Limit = 20, offset: Offset = 0
) -> BookPage:
    """List books by id ascending, each with its review count and average rating."""
    return book_service.list_books(session, cache, limit=limit, offset=offset)


@router.post("", status_code=status.HTTP_201_CREATED)
def create_book(data: BookCreate, session: SessionDep, cache: BookCacheDep) -> BookRead:
    """Add a book."""
    return book_service.create_book(session, cache, data)
