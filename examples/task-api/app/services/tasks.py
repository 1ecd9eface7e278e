"""The tasks of a project: any member may create, read and change them.

Deleting is for the task's creator and the project's owner; other members get 403.
"""

from typing import Any

from sqlalchemy.orm import Session

from app.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from app.models import Role, Task, User
from app.repositories import projects as project_rows
from app.repositories import tasks as task_rows
from app.schemas import TaskCreate, TaskFilters, TaskPage, TaskRead, TaskUpdate
from app.services.projects import require_member


def create_task(session: Session, user: User, project_id: int, data: TaskCreate) -> TaskRead:
    """Add a task to a project the caller belongs to."""
    require_member(session, user, project_id)
    _check_assignee(session, project_id, data.assignee_id)
    task = task_rows.add(
        session, Task(project_id=project_id, created_by=user.id, **data.model_dump())
    )
    return TaskRead.model_validate(task)


def list_tasks(
    session: Session,
    user: User,
    project_id: int,
    filters: TaskFilters,
    *,
    limit: int,
    offset: int,
) -> TaskPage:
    """Return a filtered, sorted page of a project's tasks."""
    require_member(session, user, project_id)
    tasks = task_rows.list_page(session, project_id, filters, limit=limit, offset=offset)
    return TaskPage(
        items=[TaskRead.model_validate(task) for task in tasks],
        total=task_rows.count(session, project_id, filters),
        limit=limit,
        offset=offset,
    )


def get_task(session: Session, user: User, project_id: int, task_id: int) -> TaskRead:
    """Return one task of a project the caller belongs to."""
    require_member(session, user, project_id)
    return TaskRead.model_validate(_task(session, project_id, task_id))


def update_task(
    session: Session, user: User, project_id: int, task_id: int, data: TaskUpdate
) -> TaskRead:
    """Apply a partial update to a task."""
    require_member(session, user, project_id)
    task = _task(session, project_id, task_id)
    changes: dict[str, Any] = data.changes()
    if "assignee_id" in changes:
        _check_assignee(session, project_id, changes["assignee_id"])
    for field, value in changes.items():
        setattr(task, field, value)
    return TaskRead.model_validate(task_rows.save(session, task))


def delete_task(session: Session, user: User, project_id: int, task_id: int) -> None:
    """Delete a task: its creator or the project owner may."""
    membership = require_member(session, user, project_id)
    task = _task(session, project_id, task_id)
    if task.created_by != user.id and membership.role is not Role.owner:
        raise PermissionDeniedError("Only the task's creator or the project owner may delete it")
    task_rows.delete_task(session, task)


def _task(session: Session, project_id: int, task_id: int) -> Task:
    task = task_rows.get_in_project(session, project_id, task_id)
    if task is None:
        raise NotFoundError(f"Task {task_id} not found")
    return task


def _check_assignee(session: Session, project_id: int, assignee_id: int | None) -> None:
    if (
        assignee_id is not None
        and project_rows.membership(session, project_id, assignee_id) is None
    ):
        raise InvalidInputError("The assignee must be a member of the project")
