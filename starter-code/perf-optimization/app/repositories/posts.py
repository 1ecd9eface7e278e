"""Queries over `posts` and `comments`."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Comment, Post


def get(session: Session, post_id: int) -> Post | None:
    """Return the post with this id, if any."""
    return session.get(Post, post_id)


def latest_by_authors(session: Session, author_ids: list[int], *, limit: int) -> Sequence[Post]:
    """Return the newest posts written by any of `author_ids`, newest first."""
    query = (
        select(Post)
        .where(Post.author_id.in_(author_ids))
        .order_by(Post.created_at.desc(), Post.id.desc())
        .limit(limit)
    )
    return session.scalars(query).all()


def add_post(session: Session, post: Post) -> Post:
    """Insert a post and flush, so its id and created_at are known."""
    session.add(post)
    session.flush()
    session.refresh(post)
    return post


def add_comment(session: Session, comment: Comment) -> Comment:
    """Insert a comment and flush, so its id and created_at are known."""
    session.add(comment)
    session.flush()
    session.refresh(comment)
    return comment
