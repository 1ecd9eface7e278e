"""Queries over `users`."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import User


def get(session: Session, user_id: int) -> User | None:
    """Return the user with this id, if any."""
    return session.get(User, user_id)


def exists(session: Session, user_id: int) -> bool:
    """Tell whether a user with this id exists."""
    return session.scalar(select(User.id).where(User.id == user_id)) is not None
