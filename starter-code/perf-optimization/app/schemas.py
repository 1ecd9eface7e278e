"""Request and response bodies. Field order is the order of the keys in the JSON."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class UserSummary(BaseModel):
    """Who wrote a post or a comment."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    display_name: str


class CommentRead(BaseModel):
    """A comment as the API shows it."""

    id: int
    post_id: int
    author: UserSummary
    body: str
    created_at: datetime


class PostRead(BaseModel):
    """A post with its author, its number of comments and the newest three."""

    id: int
    author: UserSummary
    body: str
    created_at: datetime
    comment_count: int
    latest_comments: list[CommentRead]


class Feed(BaseModel):
    """The newest posts of the accounts a user follows."""

    user_id: int
    items: list[PostRead]


class PostCreate(BaseModel):
    """Body of `POST /posts`."""

    author_id: int
    body: str = Field(min_length=1, max_length=1000)


class CommentCreate(BaseModel):
    """Body of `POST /posts/{post_id}/comments`."""

    author_id: int
    body: str = Field(min_length=1, max_length=1000)
