"""Publishing posts and comments, and dropping the feeds they change."""

from sqlalchemy.orm import Session

from app.cache import FeedCache
from app.db import after_commit
from app.errors import NotFoundError
from app.models import Comment, Post, User
from app.repositories import follows, posts, users
from app.repositories.feed import AuthorRow, CommentRow, PostRow
from app.schemas import CommentCreate, CommentRead, PostCreate, PostRead
from app.services.feed import to_comment_read, to_post_read


def create_post(session: Session, cache: FeedCache, data: PostCreate) -> PostRead:
    """Publish a post; once committed, drop the feeds of the author's followers."""
    author = _user(session, data.author_id)
    post = posts.add_post(session, Post(author_id=author.id, body=data.body))
    _invalidate_followers_of(session, cache, author.id)
    row = PostRow(id=post.id, author=_author(author), body=post.body, created_at=post.created_at)
    return to_post_read(row, 0, [])


def create_comment(
    session: Session, cache: FeedCache, post_id: int, data: CommentCreate
) -> CommentRead:
    """Comment on a post; once committed, drop the feeds that show the post."""
    post_author_id = posts.author_id_of(session, post_id)
    if post_author_id is None:
        raise NotFoundError(f"Post {post_id} not found")
    author = _user(session, data.author_id)
    comment = posts.add_comment(
        session, Comment(post_id=post_id, author_id=author.id, body=data.body)
    )
    _invalidate_followers_of(session, cache, post_author_id)
    row = CommentRow(
        id=comment.id,
        post_id=post_id,
        author=_author(author),
        body=comment.body,
        created_at=comment.created_at,
    )
    return to_comment_read(row)


def _user(session: Session, user_id: int) -> User:
    user = users.get(session, user_id)
    if user is None:
        raise NotFoundError(f"User {user_id} not found")
    return user


def _author(user: User) -> AuthorRow:
    return AuthorRow(id=user.id, username=user.username, display_name=user.display_name)


def _invalidate_followers_of(session: Session, cache: FeedCache, author_id: int) -> None:
    # Read inside the transaction, drop after it commits: a reader can never cache the
    # old feed under the new version.
    followers = follows.follower_ids(session, author_id)
    after_commit(session, lambda: cache.invalidate(followers))
