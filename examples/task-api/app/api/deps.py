"""Request-scoped dependencies, as `Annotated` aliases the routes declare."""

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Query, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import AuthenticationError
from app.models import User
from app.services import auth as auth_service

_bearer = HTTPBearer(auto_error=False, description="An access token from POST /auth/login.")


def get_session(request: Request) -> Iterator[Session]:
    """Give the route a session, committing if it returns and rolling back if it raises."""
    with request.app.state.session_factory.begin() as session:
        yield session


def get_settings(request: Request) -> Settings:
    """Give the route the settings the application was built with."""
    settings: Settings = request.app.state.settings
    return settings


# scope="function" commits before the response is sent: a client that gets its 201
# can read what it wrote at once, and a failed commit becomes a 500, not a lie.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_current_user(
    session: SessionDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    """Authenticate the request by its `Authorization: Bearer <access token>` header."""
    if credentials is None:
        raise AuthenticationError("Not authenticated")
    return auth_service.authenticate(session, settings, credentials.credentials)


CurrentUser = Annotated[User, Depends(get_current_user)]

Limit = Annotated[int, Query(ge=1, le=100, description="Page size.")]
Offset = Annotated[int, Query(ge=0, description="Items to skip.")]


def problem(*codes: int) -> dict[int | str, dict[str, Any]]:
    """Document the error statuses a route can answer with."""
    descriptions = {
        status.HTTP_401_UNAUTHORIZED: "Missing, invalid or expired access token.",
        status.HTTP_403_FORBIDDEN: "A member asked for something only the owner may do.",
        status.HTTP_404_NOT_FOUND: "No such resource, or the caller is not a member.",
        status.HTTP_409_CONFLICT: "The request contradicts stored state.",
    }
    return {code: {"description": descriptions[code]} for code in codes}
