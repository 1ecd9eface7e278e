"""Queries over `users`."""

from sqlalchemy.orm import Session

from app.models import User


def get(session: Session, user_id: int) -> User | None:
    """Return the user with this id, if any."""
    return session.get(User, user_id)
