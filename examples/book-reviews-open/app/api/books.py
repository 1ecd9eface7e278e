"""Routes under /api/v1/books."""

from fastapi import APIRouter, status

from app.api.deps import BookCacheDep, PageNumber, PageSize, SessionDep
from app.schemas import BookCreate, BookPage, BookRead
from app.services import books as book_service

router = APIRouter(prefix="/books", tags=["books"])


@router.get("")
def list_books(
    session: SessionDep, cache: BookCacheDep, page: PageNumber = 1, size: PageSize = 20
) -> BookPage:
    """List books, oldest first."""
    return book_service.list_books(session, cache, page=page, size=size)


@router.post("", status_code=status.HTTP_201_CREATED)
def create_book(data: BookCreate, session: SessionDep, cache: BookCacheDep) -> BookRead:
    """Add a book."""
    return book_service.create_book(session, cache, data)
