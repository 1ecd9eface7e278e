"""Routes under /projects, members included."""

from fastapi import APIRouter, status

from app.api.deps import CurrentUser, Limit, Offset, SessionDep, problem
from app.schemas import (
    MemberCreate,
    MemberRead,
    ProjectCreate,
    ProjectPage,
    ProjectRead,
    ProjectUpdate,
)
from app.services import projects as project_service

router = APIRouter(prefix="/projects", tags=["projects"], responses=problem(401))


@router.post("", status_code=status.HTTP_201_CREATED)
def create_project(data: ProjectCreate, user: CurrentUser, session: SessionDep) -> ProjectRead:
    """Create a project; the caller becomes its owner."""
    return project_service.create_project(session, user, data)


@router.get("")
def list_projects(
    user: CurrentUser, session: SessionDep, limit: Limit = 20, offset: Offset = 0
) -> ProjectPage:
    """List the projects the caller belongs to, by id ascending."""
    return project_service.list_projects(session, user, limit=limit, offset=offset)


@router.get("/{project_id}", responses=problem(404))
def get_project(project_id: int, user: CurrentUser, session: SessionDep) -> ProjectRead:
    """Return a project the caller belongs to."""
    return project_service.get_project(session, user, project_id)


@router.patch("/{project_id}", responses=problem(403, 404))
def update_project(
    project_id: int, data: ProjectUpdate, user: CurrentUser, session: SessionDep
) -> ProjectRead:
    """Rename or redescribe a project (owner only)."""
    return project_service.update_project(session, user, project_id, data)


@router.delete("/{project_id}", status_code=status.HTTP_204_NO_CONTENT, responses=problem(403, 404))
def delete_project(project_id: int, user: CurrentUser, session: SessionDep) -> None:
    """Delete a project with its members and tasks (owner only)."""
    project_service.delete_project(session, user, project_id)


@router.get("/{project_id}/members", responses=problem(404))
def list_members(project_id: int, user: CurrentUser, session: SessionDep) -> list[MemberRead]:
    """List a project's members, by user id."""
    return project_service.list_members(session, user, project_id)


@router.post(
    "/{project_id}/members",
    status_code=status.HTTP_201_CREATED,
    responses=problem(403, 404, 409),
)
def add_member(
    project_id: int, data: MemberCreate, user: CurrentUser, session: SessionDep
) -> MemberRead:
    """Add a registered user to a project by email (owner only)."""
    return project_service.add_member(session, user, project_id, data.email)


@router.delete(
    "/{project_id}/members/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem(403, 404, 409),
)
def remove_member(project_id: int, user_id: int, user: CurrentUser, session: SessionDep) -> None:
    """Remove a member (owner only); their tasks here become unassigned."""
    project_service.remove_member(session, user, project_id, user_id)
