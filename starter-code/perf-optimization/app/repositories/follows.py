"""Queries over `follows`."""

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.models import Follow


def followee_ids(session: Session, follower_id: int) -> list[int]:
    """Return the ids of the accounts `follower_id` follows."""
    query = select(Follow.followee_id).where(Follow.follower_id == follower_id)
    return list(session.scalars(query))


def exists(session: Session, follower_id: int, followee_id: int) -> bool:
    """Tell whether `follower_id` already follows `followee_id`."""
    return session.get(Follow, (follower_id, followee_id)) is not None


def add(session: Session, follower_id: int, followee_id: int) -> None:
    """Record that `follower_id` follows `followee_id`."""
    session.add(Follow(follower_id=follower_id, followee_id=followee_id))
    session.flush()


def remove(session: Session, follower_id: int, followee_id: int) -> None:
    """Forget that `follower_id` follows `followee_id`, if they did."""
    session.execute(
        delete(Follow).where(Follow.follower_id == follower_id, Follow.followee_id == followee_id)
    )
