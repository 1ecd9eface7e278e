"""Routes under /users."""

from fastapi import APIRouter

from app.api.deps import CurrentUser, problem
from app.schemas import UserRead

router = APIRouter(prefix="/users", tags=["users"])


@router.get("/me", responses=problem(401))
def me(user: CurrentUser) -> UserRead:
    """Return the authenticated user."""
    return UserRead.model_validate(user)
