"""Tables: users, who follows whom, posts and their comments.

Relationships are `lazy="raise"`: touching one that was not loaded explicitly fails
loudly instead of sending one more query per row (the N+1 the feed used to have).
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base


class User(Base):
    """An account that posts, comments and follows other accounts."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    posts: Mapped[list["Post"]] = relationship(back_populates="author", lazy="raise")


class Follow(Base):
    """`follower` sees the posts of `followee` in their feed."""

    __tablename__ = "follows"
    __table_args__ = (
        CheckConstraint("follower_id <> followee_id", name="not_self"),
        # The primary key serves "whom does X follow"; this serves "who follows X",
        # the fan-out of a cache invalidation when X writes.
        Index("ix_follows_followee_id_follower_id", "followee_id", "follower_id"),
    )

    follower_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    followee_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Post(Base):
    """A short text someone published."""

    __tablename__ = "posts"
    __table_args__ = (
        # "The newest posts of this author", read backwards: the feed's lateral join
        # takes the first rows of each followed author without sorting them all.
        Index("ix_posts_author_id_created_at_id", "author_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    author: Mapped[User] = relationship(back_populates="posts", lazy="raise")
    comments: Mapped[list["Comment"]] = relationship(back_populates="post", lazy="raise")


class Comment(Base):
    """A reply to a post."""

    __tablename__ = "comments"
    __table_args__ = (
        # Counts a post's comments and, read backwards, gives its newest ones.
        Index("ix_comments_post_id_created_at_id", "post_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    post: Mapped[Post] = relationship(back_populates="comments", lazy="raise")
    author: Mapped[User] = relationship(lazy="raise")
