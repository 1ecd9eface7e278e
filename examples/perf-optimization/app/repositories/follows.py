"""Queries over `follows`."""

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from app.models import Follow


def follower_ids(session: Session, followee_id: int) -> list[int]:
    """Return the ids of the accounts that follow `followee_id`."""
    query = select(Follow.follower_id).where(Follow.followee_id == followee_id)
    return list(session.scalars(query))


def add(session: Session, follower_id: int, followee_id: int) -> None:
    """Record that `follower_id` follows `followee_id`; nothing happens if they already do."""
    statement = insert(Follow).values(follower_id=follower_id, followee_id=followee_id)
    session.execute(statement.on_conflict_do_nothing())


def remove(session: Session, follower_id: int, followee_id: int) -> None:
    """Forget that `follower_id` follows `followee_id`, if they did."""
    session.execute(
        delete(Follow).where(Follow.follower_id == follower_id, Follow.followee_id == followee_id)
    )
