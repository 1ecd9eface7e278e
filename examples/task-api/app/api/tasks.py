"""Routes under /projects/{project_id}/tasks."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.api.deps import CurrentUser, Limit, Offset, SessionDep, problem
from app.schemas import TaskCreate, TaskFilters, TaskPage, TaskRead, TaskUpdate
from app.services import tasks as task_service

router = APIRouter(
    prefix="/projects/{project_id}/tasks", tags=["tasks"], responses=problem(401, 404)
)


@router.post("", status_code=status.HTTP_201_CREATED)
def create_task(
    project_id: int, data: TaskCreate, user: CurrentUser, session: SessionDep
) -> TaskRead:
    """Add a task to a project."""
    return task_service.create_task(session, user, project_id, data)


@router.get("")
def list_tasks(
    project_id: int,
    filters: Annotated[TaskFilters, Query()],
    user: CurrentUser,
    session: SessionDep,
    limit: Limit = 20,
    offset: Offset = 0,
) -> TaskPage:
    """List a project's tasks, filtered and sorted (newest first by default)."""
    return task_service.list_tasks(session, user, project_id, filters, limit=limit, offset=offset)


@router.get("/{task_id}")
def get_task(project_id: int, task_id: int, user: CurrentUser, session: SessionDep) -> TaskRead:
    """Return one task."""
    return task_service.get_task(session, user, project_id, task_id)


@router.patch("/{task_id}")
def update_task(
    project_id: int, task_id: int, data: TaskUpdate, user: CurrentUser, session: SessionDep
) -> TaskRead:
    """Change some of a task's fields; null clears `due_date` or `assignee_id`."""
    return task_service.update_task(session, user, project_id, task_id, data)


@router.delete("/{task_id}", status_code=status.HTTP_204_NO_CONTENT, responses=problem(403))
def delete_task(project_id: int, task_id: int, user: CurrentUser, session: SessionDep) -> None:
    """Delete a task (its creator or the project owner)."""
    task_service.delete_task(session, user, project_id, task_id)
