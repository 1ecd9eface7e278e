"""PUT and DELETE /users/{user_id}/following/{followee_id}."""

from fastapi import APIRouter, Response, status

from app.api.deps import FeedCacheDep, SessionDep
from app.services import following

router = APIRouter(prefix="/users/{user_id}/following", tags=["following"])


@router.put("/{followee_id}", status_code=status.HTTP_204_NO_CONTENT)
def follow(user_id: int, followee_id: int, session: SessionDep, cache: FeedCacheDep) -> Response:
    """Follow an account."""
    following.follow(session, cache, user_id, followee_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete("/{followee_id}", status_code=status.HTTP_204_NO_CONTENT)
def unfollow(user_id: int, followee_id: int, session: SessionDep, cache: FeedCacheDep) -> Response:
    """Stop following an account."""
    following.unfollow(session, cache, user_id, followee_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
