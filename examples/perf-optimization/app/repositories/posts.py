"""Writes to `posts` and `comments`, and the lookups they need."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Comment, Post


def author_id_of(session: Session, post_id: int) -> int | None:
    """Return the author of a post, or None when there is no such post."""
    return session.scalar(select(Post.author_id).where(Post.id == post_id))


def add_post(session: Session, post: Post) -> Post:
    """Insert a post and flush, so its id and created_at are known."""
    session.add(post)
    session.flush()
    session.refresh(post, ["created_at"])
    return post


def add_comment(session: Session, comment: Comment) -> Comment:
    """Insert a comment and flush, so its id and created_at are known."""
    session.add(comment)
    session.flush()
    session.refresh(comment, ["created_at"])
    return comment
