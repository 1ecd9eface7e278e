"""The home feed: the newest posts of the accounts a user follows, cached per user."""

from collections import defaultdict

from sqlalchemy.orm import Session, sessionmaker

from app.cache import FeedCache
from app.errors import NotFoundError
from app.repositories import feed as feed_rows
from app.repositories import users
from app.repositories.feed import AuthorRow, CommentRow, PostRow
from app.schemas import CommentRead, Feed, PostRead, UserSummary

LATEST_COMMENTS = 3


def feed_json(
    sessions: sessionmaker[Session], cache: FeedCache, *, user_id: int, limit: int
) -> bytes:
    """Return the JSON body of a user's feed, from the cache when possible.

    The body is exactly what the API used to render from the `Feed` model; it is
    cached as bytes, so a hit costs two Redis reads, no serialization and no session.
    """

    def render() -> bytes:
        with sessions() as session:
            return load_feed(session, user_id=user_id, limit=limit).model_dump_json().encode()

    return cache.get_or_render(user_id, limit, render)


def load_feed(session: Session, *, user_id: int, limit: int) -> Feed:
    """Read a user's feed from the database in three queries."""
    posts = feed_rows.newest_posts(session, user_id, limit=limit)
    # Only an empty feed needs to tell an unknown user from one who follows nobody.
    if not posts and not users.exists(session, user_id):
        raise NotFoundError(f"User {user_id} not found")
    post_ids = [post.id for post in posts]
    counts = feed_rows.comment_counts(session, post_ids) if posts else {}
    latest: dict[int, list[CommentRow]] = defaultdict(list)
    if counts:
        for comment in feed_rows.newest_comments(session, post_ids, per_post=LATEST_COMMENTS):
            latest[comment.post_id].append(comment)
    return Feed(
        user_id=user_id,
        items=[to_post_read(post, counts.get(post.id, 0), latest[post.id]) for post in posts],
    )


def to_post_read(post: PostRow, comment_count: int, latest: list[CommentRow]) -> PostRead:
    """Show a post with its author, comment count and newest comments."""
    return PostRead(
        id=post.id,
        author=to_summary(post.author),
        body=post.body,
        created_at=post.created_at,
        comment_count=comment_count,
        latest_comments=[to_comment_read(comment) for comment in latest],
    )


def to_comment_read(comment: CommentRow) -> CommentRead:
    """Show a comment with its author."""
    return CommentRead(
        id=comment.id,
        post_id=comment.post_id,
        author=to_summary(comment.author),
        body=comment.body,
        created_at=comment.created_at,
    )


def to_summary(author: AuthorRow) -> UserSummary:
    """Show the public fields of a user."""
    return UserSummary(id=author.id, username=author.username, display_name=author.display_name)
