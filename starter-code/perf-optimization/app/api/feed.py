"""GET /feed."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import SessionDep
from app.schemas import Feed
from app.services import feed as feed_service

router = APIRouter(tags=["feed"])


@router.get("/feed")
async def read_feed(
    session: SessionDep,
    user_id: Annotated[int, Query(description="Whose feed to show.")],
    limit: Annotated[int, Query(ge=1, le=50, description="How many posts.")] = 20,
) -> Feed:
    """List the newest posts of the accounts a user follows, newest first."""
    return feed_service.get_feed(session, user_id=user_id, limit=limit)
