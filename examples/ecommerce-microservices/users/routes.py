"""HTTP routes of the user service; the gateway exposes them unchanged."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, status

from common.db import SessionDep
from common.identity import caller_id
from users import security, service
from users.config import Settings
from users.schemas import Credentials, Token, UserCreate, UserRead, UserUpdate

router = APIRouter(tags=["users"])
CallerId = Annotated[int, Depends(caller_id)]


@router.post("/auth/register", status_code=status.HTTP_201_CREATED, response_model=UserRead)
def register(data: UserCreate, session: SessionDep) -> object:
    """Create an account."""
    return service.register(session, data)


@router.post("/auth/login", response_model=Token)
def login(credentials: Credentials, session: SessionDep, request: Request) -> Token:
    """Exchange an email and password for an access token."""
    user = service.authenticate(session, credentials)
    settings: Settings = request.app.state.settings
    token = security.issue_access_token(
        user.id,
        secret=settings.jwt_secret.get_secret_value(),
        minutes=settings.access_token_minutes,
    )
    return Token(access_token=token, expires_in=settings.access_token_minutes * 60)


@router.get("/users/me", response_model=UserRead)
def me(user_id: CallerId, session: SessionDep) -> object:
    """The caller's profile."""
    return service.get_user(session, user_id)


@router.patch("/users/me", response_model=UserRead)
def update_me(data: UserUpdate, user_id: CallerId, session: SessionDep) -> object:
    """Change the caller's profile."""
    return service.update_profile(session, user_id, data)
