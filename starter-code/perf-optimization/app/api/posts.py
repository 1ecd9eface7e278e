"""POST /posts and POST /posts/{post_id}/comments."""

from fastapi import APIRouter, status

from app.api.deps import SessionDep
from app.schemas import CommentCreate, CommentRead, PostCreate, PostRead
from app.services import publishing

router = APIRouter(prefix="/posts", tags=["posts"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_post(data: PostCreate, session: SessionDep) -> PostRead:
    """Publish a post."""
    return publishing.create_post(session, data)


@router.post("/{post_id}/comments", status_code=status.HTTP_201_CREATED)
async def create_comment(post_id: int, data: CommentCreate, session: SessionDep) -> CommentRead:
    """Comment on a post."""
    return publishing.create_comment(session, post_id, data)
