"""Following and unfollowing accounts."""

from sqlalchemy.orm import Session

from app.errors import InvalidRequestError, NotFoundError
from app.repositories import follows, users


def follow(session: Session, user_id: int, followee_id: int) -> None:
    """Make `user_id` follow `followee_id`; following twice changes nothing."""
    _check_pair(session, user_id, followee_id)
    if user_id == followee_id:
        raise InvalidRequestError("A user cannot follow themselves")
    if not follows.exists(session, user_id, followee_id):
        follows.add(session, user_id, followee_id)


def unfollow(session: Session, user_id: int, followee_id: int) -> None:
    """Make `user_id` stop following `followee_id`; unfollowing twice changes nothing."""
    _check_pair(session, user_id, followee_id)
    follows.remove(session, user_id, followee_id)


def _check_pair(session: Session, user_id: int, followee_id: int) -> None:
    for account in (user_id, followee_id):
        if users.get(session, account) is None:
            raise NotFoundError(f"User {account} not found")
