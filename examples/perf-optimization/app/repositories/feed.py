"""The feed's reads: a page of posts with their authors, then their comments.

Each function is one query, whatever the number of posts: the feed costs three round
trips on a cache miss instead of one per post, author and comment. The statements are
built once, with bound parameters: building a lateral join costs more Python time than
PostgreSQL needs to run it, and a constant SQL text lets psycopg prepare it server-side.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, bindparam, func, select, true
from sqlalchemy.orm import Session

from app.models import Comment, Follow, Post, User


@dataclass(frozen=True)
class AuthorRow:
    """The public fields of a user."""

    id: int
    username: str
    display_name: str


@dataclass(frozen=True)
class PostRow:
    """A post joined with its author."""

    id: int
    author: AuthorRow
    body: str
    created_at: datetime


@dataclass(frozen=True)
class CommentRow:
    """A comment joined with its author."""

    id: int
    post_id: int
    author: AuthorRow
    body: str
    created_at: datetime


def _newest_posts_statement() -> Select[tuple[int, int, str, datetime, str, str]]:
    followed = (
        select(Follow.followee_id)
        .where(Follow.follower_id == bindparam("follower_id"))
        .subquery("followed")
    )
    per_author = (
        select(Post.id, Post.author_id, Post.body, Post.created_at)
        .where(Post.author_id == followed.c.followee_id)
        .order_by(Post.created_at.desc(), Post.id.desc())
        .limit(bindparam("limit"))
        .lateral("per_author")
    )
    return (
        select(
            per_author.c.id,
            per_author.c.author_id,
            per_author.c.body,
            per_author.c.created_at,
            User.username,
            User.display_name,
        )
        .select_from(followed)
        .join(per_author, true())
        .join(User, User.id == per_author.c.author_id)
        .order_by(per_author.c.created_at.desc(), per_author.c.id.desc())
        .limit(bindparam("limit"))
    )


def _newest_comments_statement() -> Select[tuple[int, int, int, str, datetime, str, str]]:
    posts = (
        select(Post.id.label("post_id"))
        .where(Post.id.in_(bindparam("post_ids", expanding=True)))
        .subquery("feed_posts")
    )
    latest = (
        select(Comment.id, Comment.author_id, Comment.body, Comment.created_at)
        .where(Comment.post_id == posts.c.post_id)
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(bindparam("per_post"))
        .lateral("latest")
    )
    return (
        select(
            posts.c.post_id,
            latest.c.id,
            latest.c.author_id,
            latest.c.body,
            latest.c.created_at,
            User.username,
            User.display_name,
        )
        .select_from(posts)
        .join(latest, true())
        .join(User, User.id == latest.c.author_id)
        .order_by(posts.c.post_id, latest.c.created_at.desc(), latest.c.id.desc())
    )


NEWEST_POSTS = _newest_posts_statement()
NEWEST_COMMENTS = _newest_comments_statement()
COMMENT_COUNTS = (
    select(Comment.post_id, func.count())
    .where(Comment.post_id.in_(bindparam("post_ids", expanding=True)))
    .group_by(Comment.post_id)
)


def newest_posts(session: Session, follower_id: int, *, limit: int) -> list[PostRow]:
    """Return the `limit` newest posts by the accounts `follower_id` follows.

    A lateral join takes at most `limit` posts per followed account, straight from the
    (author_id, created_at, id) index, and only those few hundred rows are sorted.
    """
    rows = session.execute(NEWEST_POSTS, {"follower_id": follower_id, "limit": limit})
    return [
        PostRow(
            id=post_id,
            author=AuthorRow(author_id, username, display_name),
            body=body,
            created_at=created_at,
        )
        for post_id, author_id, body, created_at, username, display_name in rows
    ]


def comment_counts(session: Session, post_ids: Sequence[int]) -> dict[int, int]:
    """Count the comments of each post; posts without comments are absent."""
    return dict(session.execute(COMMENT_COUNTS, {"post_ids": list(post_ids)}).all())


def newest_comments(
    session: Session, post_ids: Sequence[int], *, per_post: int
) -> list[CommentRow]:
    """Return the `per_post` newest comments of each post, newest first within a post."""
    rows = session.execute(NEWEST_COMMENTS, {"post_ids": list(post_ids), "per_post": per_post})
    return [
        CommentRow(
            id=comment_id,
            post_id=post_id,
            author=AuthorRow(author_id, username, display_name),
            body=body,
            created_at=created_at,
        )
        for post_id, comment_id, author_id, body, created_at, username, display_name in rows
    ]
