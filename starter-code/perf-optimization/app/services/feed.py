"""The home feed: the newest posts of the accounts a user follows."""

from sqlalchemy.orm import Session

from app.errors import NotFoundError
from app.models import Comment, Post
from app.repositories import follows, posts, users
from app.schemas import CommentRead, Feed, PostRead, UserSummary

LATEST_COMMENTS = 3


def get_feed(session: Session, *, user_id: int, limit: int) -> Feed:
    """Return the `limit` newest posts by the accounts `user_id` follows."""
    if users.get(session, user_id) is None:
        raise NotFoundError(f"User {user_id} not found")
    followed = follows.followee_ids(session, user_id)
    newest = posts.latest_by_authors(session, followed, limit=limit)
    return Feed(user_id=user_id, items=[to_post_read(post) for post in newest])


def to_post_read(post: Post) -> PostRead:
    """Show a post with its author, comment count and newest comments."""
    comments = sorted(post.comments, key=lambda comment: (comment.created_at, comment.id))
    comments.reverse()
    return PostRead(
        id=post.id,
        author=UserSummary.model_validate(post.author),
        body=post.body,
        created_at=post.created_at,
        comment_count=len(comments),
        latest_comments=[to_comment_read(comment) for comment in comments[:LATEST_COMMENTS]],
    )


def to_comment_read(comment: Comment) -> CommentRead:
    """Show a comment with its author."""
    return CommentRead(
        id=comment.id,
        post_id=comment.post_id,
        author=UserSummary.model_validate(comment.author),
        body=comment.body,
        created_at=comment.created_at,
    )
