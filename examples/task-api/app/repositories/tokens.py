"""Queries over `refresh_tokens`."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import RefreshToken


def add(session: Session, token: RefreshToken) -> RefreshToken:
    """Insert an issued refresh token."""
    session.add(token)
    session.flush()
    return token


def claim(session: Session, digest: str, *, now: datetime) -> RefreshToken | None:
    """Lock and return the usable token with this digest: not revoked, not expired.

    The row lock makes two concurrent refreshes with one token take turns, so only the
    first one finds it usable.
    """
    query = (
        select(RefreshToken)
        .where(
            RefreshToken.token_digest == digest,
            RefreshToken.revoked_at.is_(None),
            RefreshToken.expires_at > now,
        )
        .with_for_update()
    )
    return session.scalar(query)
