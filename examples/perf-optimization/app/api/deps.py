"""Request-scoped dependencies, as `Annotated` aliases the routes declare."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from app.cache import FeedCache


def get_session(request: Request) -> Iterator[Session]:
    """Give the route a session, committing if it returns and rolling back if it raises.

    The session takes a pooled connection only when it first queries: a feed served
    from the cache never touches PostgreSQL.
    """
    with request.app.state.session_factory.begin() as session:
        yield session


# The two getters below do no I/O, so they are `async def`: FastAPI then calls them on
# the event loop instead of paying a thread pool round trip for each.
async def get_session_factory(request: Request) -> sessionmaker[Session]:
    """Give the route the session factory, for work that opens a session only if needed."""
    factory: sessionmaker[Session] = request.app.state.session_factory
    return factory


async def get_feed_cache(request: Request) -> FeedCache:
    """Give the route the feed cache."""
    cache: FeedCache = request.app.state.feed_cache
    return cache


# scope="function" commits before the response is sent: a client that gets its 201
# can read what it wrote at once, and the cache is invalidated by then.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SessionFactoryDep = Annotated[sessionmaker[Session], Depends(get_session_factory)]
FeedCacheDep = Annotated[FeedCache, Depends(get_feed_cache)]
