"""Routes under /auth: register, log in, refresh, log out."""

from fastapi import APIRouter, status

from app.api.deps import SessionDep, SettingsDep, problem
from app.schemas import Credentials, RefreshRequest, TokenPair, UserCreate, UserRead
from app.services import auth as auth_service

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/register", status_code=status.HTTP_201_CREATED, responses=problem(409))
def register(data: UserCreate, session: SessionDep) -> UserRead:
    """Create an account."""
    return UserRead.model_validate(auth_service.register(session, data))


@router.post("/login", responses=problem(401))
def login(credentials: Credentials, session: SessionDep, settings: SettingsDep) -> TokenPair:
    """Exchange an email and password for an access token and a refresh token."""
    return auth_service.login(session, settings, credentials)


@router.post("/refresh", responses=problem(401))
def refresh(body: RefreshRequest, session: SessionDep, settings: SettingsDep) -> TokenPair:
    """Exchange a refresh token for a new pair; the one sent cannot be used again."""
    return auth_service.refresh(session, settings, body.refresh_token)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, responses=problem(401))
def logout(body: RefreshRequest, session: SessionDep) -> None:
    """Revoke a refresh token."""
    auth_service.logout(session, body.refresh_token)
