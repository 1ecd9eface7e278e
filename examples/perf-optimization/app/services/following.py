"""Following and unfollowing accounts."""

from sqlalchemy.orm import Session

from app.cache import FeedCache
from app.db import after_commit
from app.errors import InvalidRequestError, NotFoundError
from app.repositories import follows, users


def follow(session: Session, cache: FeedCache, user_id: int, followee_id: int) -> None:
    """Make `user_id` follow `followee_id`; following twice changes nothing."""
    _check_pair(session, user_id, followee_id)
    if user_id == followee_id:
        raise InvalidRequestError("A user cannot follow themselves")
    follows.add(session, user_id, followee_id)
    after_commit(session, lambda: cache.invalidate([user_id]))


def unfollow(session: Session, cache: FeedCache, user_id: int, followee_id: int) -> None:
    """Make `user_id` stop following `followee_id`; unfollowing twice changes nothing."""
    _check_pair(session, user_id, followee_id)
    follows.remove(session, user_id, followee_id)
    after_commit(session, lambda: cache.invalidate([user_id]))


def _check_pair(session: Session, user_id: int, followee_id: int) -> None:
    for account in (user_id, followee_id):
        if not users.exists(session, account):
            raise NotFoundError(f"User {account} not found")
