"""Request-scoped dependencies, as `Annotated` aliases the routes declare."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session


def get_session(request: Request) -> Iterator[Session]:
    """Give the route a session, committing if it returns and rolling back if it raises."""
    with request.app.state.session_factory.begin() as session:
        yield session


# scope="function" commits before the response is sent: a client that gets its 201
# can read what it wrote at once.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
