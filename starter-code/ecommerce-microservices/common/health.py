"""The health route every process serves."""

from fastapi import APIRouter

router = APIRouter(tags=["health"])


@router.get("/health")
def health() -> dict[str, str]:
    """Answer as soon as the process can serve requests."""
    return {"status": "ok"}
