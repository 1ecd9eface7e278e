"""Builders that insert rows directly, with explicit times so that order is known."""

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from app.models import Comment, Follow, Post, User

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def make_user(session: Session, name: str, display_name: str | None = None) -> User:
    """Insert a user called `name`."""
    user = User(username=name, display_name=display_name or name.capitalize())
    session.add(user)
    session.commit()
    return user


def follow(session: Session, follower: User, *followees: User) -> None:
    """Make `follower` follow each of `followees`."""
    session.add_all(Follow(follower_id=follower.id, followee_id=other.id) for other in followees)
    session.commit()


def make_post(session: Session, author: User, minute: int, body: str = "hello") -> Post:
    """Insert a post by `author`, `minute` minutes after T0."""
    post = Post(author_id=author.id, body=body, created_at=T0 + timedelta(minutes=minute))
    session.add(post)
    session.commit()
    return post


def make_comment(
    session: Session, post: Post, author: User, minute: int, body: str = "nice"
) -> Comment:
    """Insert a comment on `post`, `minute` minutes after T0."""
    comment = Comment(
        post_id=post.id, author_id=author.id, body=body, created_at=T0 + timedelta(minutes=minute)
    )
    session.add(comment)
    session.commit()
    return comment
