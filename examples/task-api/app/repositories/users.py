"""Queries over `users`."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import User


def add(session: Session, user: User) -> User:
    """Insert a user and flush, so its id and created_at are known."""
    session.add(user)
    session.flush()
    return user


def get(session: Session, user_id: int) -> User | None:
    """Return the user with this id, if any."""
    return session.get(User, user_id)


def by_email(session: Session, email: str) -> User | None:
    """Return the user with this (lower-case) email, if any."""
    return session.scalar(select(User).where(User.email == email))
