"""Accounts and tokens: register, log in, refresh with rotation, log out, authenticate."""

from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import security
from app.config import Settings
from app.errors import AuthenticationError, ConflictError
from app.models import RefreshToken, User
from app.repositories import tokens as token_rows
from app.repositories import users as user_rows
from app.schemas import Credentials, TokenPair, UserCreate

INVALID_CREDENTIALS = "Invalid email or password"
INVALID_REFRESH = "Invalid or expired refresh token"
INVALID_ACCESS = "Invalid or expired access token"


def register(session: Session, data: UserCreate) -> User:
    """Create an account; an email may be registered once, whatever its case."""
    if user_rows.by_email(session, data.email) is not None:
        raise ConflictError("Email already registered")
    user = User(
        email=data.email, name=data.name, password_hash=security.hash_password(data.password)
    )
    try:
        with session.begin_nested():
            return user_rows.add(session, user)
    except IntegrityError as error:
        # Two registrations raced past the check above; the unique constraint decided.
        raise ConflictError("Email already registered") from error


def login(session: Session, settings: Settings, credentials: Credentials) -> TokenPair:
    """Check the credentials and issue a token pair.

    The same error whether the email or the password is wrong, so the answer does not
    tell which emails have accounts.
    """
    user = user_rows.by_email(session, credentials.email)
    password_hash = user.password_hash if user is not None else None
    if user is None or not security.verify_password(credentials.password, password_hash):
        raise AuthenticationError(INVALID_CREDENTIALS)
    return _issue(session, settings, user.id)


def refresh(session: Session, settings: Settings, refresh_token: str) -> TokenPair:
    """Exchange a refresh token for a new pair; the old refresh token is spent."""
    token = _claim(session, refresh_token)
    token.revoked_at = datetime.now(UTC)
    return _issue(session, settings, token.user_id)


def logout(session: Session, refresh_token: str) -> None:
    """Revoke a refresh token, so it can never be exchanged again."""
    token = _claim(session, refresh_token)
    token.revoked_at = datetime.now(UTC)


def authenticate(session: Session, settings: Settings, access_token: str) -> User:
    """Return the user an access token was issued to, or refuse it."""
    try:
        claims = security.decode_access_token(
            access_token, secret=settings.jwt_secret.get_secret_value()
        )
    except security.InvalidTokenError as error:
        raise AuthenticationError(INVALID_ACCESS) from error
    user = user_rows.get(session, claims.user_id)
    if user is None:
        raise AuthenticationError(INVALID_ACCESS)
    return user


def _claim(session: Session, refresh_token: str) -> RefreshToken:
    digest = security.digest_refresh_token(refresh_token)
    token = token_rows.claim(session, digest, now=datetime.now(UTC))
    if token is None:
        raise AuthenticationError(INVALID_REFRESH)
    return token


def _issue(session: Session, settings: Settings, user_id: int) -> TokenPair:
    lifetime = timedelta(minutes=settings.access_token_minutes)
    refresh_token = security.new_refresh_token()
    token_rows.add(
        session,
        RefreshToken(
            user_id=user_id,
            token_digest=security.digest_refresh_token(refresh_token),
            expires_at=datetime.now(UTC) + timedelta(days=settings.refresh_token_days),
        ),
    )
    access_token = security.create_access_token(
        user_id, secret=settings.jwt_secret.get_secret_value(), lifetime=lifetime
    )
    return TokenPair(
        access_token=access_token,
        refresh_token=refresh_token,
        expires_in=int(lifetime.total_seconds()),
    )
