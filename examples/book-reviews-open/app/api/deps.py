"""Request-scoped dependencies, as `Annotated` aliases the routes declare."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy.orm import Session

from app.cache import ListCache


def get_session(request: Request) -> Iterator[Session]:
    """Give the route a session, committing if it returns and rolling back if it raises."""
    with request.app.state.session_factory.begin() as session:
        yield session


def get_book_cache(request: Request) -> ListCache:
    """Give the route the cache of the book list."""
    cache: ListCache = request.app.state.book_cache
    return cache


# scope="function" commits before the response is sent: a client that gets its 201
# can read what it wrote at once, and a failed commit becomes a 500, not a lie.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
BookCacheDep = Annotated[ListCache, Depends(get_book_cache)]

PageNumber = Annotated[int, Query(ge=1, description="Page number, from 1.")]
PageSize = Annotated[int, Query(ge=1, le=100, description="Items per page.")]
