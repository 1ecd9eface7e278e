"""GET /feed."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.api.deps import FeedCacheDep, SessionFactoryDep
from app.schemas import Feed
from app.services import feed as feed_service

router = APIRouter(tags=["feed"])


# A plain `def`: FastAPI runs it in its thread pool, so the blocking database and Redis
# calls never stall the event loop that serves every other request. It takes the session
# factory rather than a session: a cache hit needs no session and no commit.
@router.get("/feed", response_model=Feed)
def read_feed(
    sessions: SessionFactoryDep,
    cache: FeedCacheDep,
    user_id: Annotated[int, Query(description="Whose feed to show.")],
    limit: Annotated[int, Query(ge=1, le=50, description="How many posts.")] = 20,
) -> Response:
    """List the newest posts of the accounts a user follows, newest first."""
    body = feed_service.feed_json(sessions, cache, user_id=user_id, limit=limit)
    return Response(content=body, media_type="application/json")
