"""Publishing posts and comments."""

from sqlalchemy.orm import Session

from app.errors import NotFoundError
from app.models import Comment, Post
from app.repositories import posts, users
from app.schemas import CommentCreate, CommentRead, PostCreate, PostRead
from app.services.feed import to_comment_read, to_post_read


def create_post(session: Session, data: PostCreate) -> PostRead:
    """Publish a post for an existing author."""
    if users.get(session, data.author_id) is None:
        raise NotFoundError(f"User {data.author_id} not found")
    post = posts.add_post(session, Post(author_id=data.author_id, body=data.body))
    return to_post_read(post)


def create_comment(session: Session, post_id: int, data: CommentCreate) -> CommentRead:
    """Add a comment to an existing post."""
    post = posts.get(session, post_id)
    if post is None:
        raise NotFoundError(f"Post {post_id} not found")
    if users.get(session, data.author_id) is None:
        raise NotFoundError(f"User {data.author_id} not found")
    comment = posts.add_comment(
        session, Comment(post_id=post.id, author_id=data.author_id, body=data.body)
    )
    return to_comment_read(comment)
