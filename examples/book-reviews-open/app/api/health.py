"""Liveness probe."""

from fastapi import APIRouter

router = APIRouter(tags=["health"])


@router.get("/health")
async def health() -> dict[str, str]:
    """Answer as soon as the process serves requests; it checks no dependency."""
    return {"status": "ok"}
