"""Queries over `tasks`."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select, update
from sqlalchemy.orm import Session

from app.models import Task
from app.schemas import TaskFilters

_SORT_COLUMNS = {
    "created_at": Task.created_at,
    "due_date": Task.due_date,
    "priority": Task.priority,
    "title": Task.title,
}


def add(session: Session, task: Task) -> Task:
    """Insert a task and flush, so its id and timestamps are known."""
    session.add(task)
    session.flush()
    return task


def get_in_project(session: Session, project_id: int, task_id: int) -> Task | None:
    """Return a task, but only when it belongs to this project."""
    query = select(Task).where(Task.id == task_id, Task.project_id == project_id)
    return session.scalar(query)


def save(session: Session, task: Task) -> Task:
    """Flush a changed task and read back what the database set (updated_at)."""
    session.flush()
    session.refresh(task)
    return task


def delete_task(session: Session, task: Task) -> None:
    """Delete a task."""
    session.delete(task)
    session.flush()


def list_page(
    session: Session, project_id: int, filters: TaskFilters, *, limit: int, offset: int
) -> Sequence[Task]:
    """Return one page of a project's tasks, filtered and sorted as asked."""
    query = _filtered(select(Task), project_id, filters)
    query = query.order_by(*_ordering(filters.sort)).limit(limit).offset(offset)
    return session.scalars(query).all()


def count(session: Session, project_id: int, filters: TaskFilters) -> int:
    """Count a project's tasks that pass the filters."""
    query = _filtered(select(func.count()).select_from(Task), project_id, filters)
    return session.scalar(query) or 0


def unassign(session: Session, project_id: int, user_id: int) -> None:
    """Leave a project's tasks assigned to this user without an assignee."""
    session.execute(
        update(Task)
        .where(Task.project_id == project_id, Task.assignee_id == user_id)
        .values(assignee_id=None, updated_at=func.now())
    )


def _filtered(query: Select[Any], project_id: int, filters: TaskFilters) -> Select[Any]:
    query = query.where(Task.project_id == project_id)
    if filters.status is not None:
        query = query.where(Task.status == filters.status)
    if filters.priority is not None:
        query = query.where(Task.priority == filters.priority)
    if filters.assignee_id is not None:
        query = query.where(Task.assignee_id == filters.assignee_id)
    if filters.due_before is not None:
        query = query.where(Task.due_date <= filters.due_before)
    if filters.due_after is not None:
        query = query.where(Task.due_date >= filters.due_after)
    return query


def _ordering(sort: str) -> tuple[ColumnElement[Any], ...]:
    descending = sort.startswith("-")
    column = _SORT_COLUMNS[sort.removeprefix("-")]
    primary = column.desc() if descending else column.asc()
    # Tasks without a due date come last in both directions; id breaks every tie.
    return (primary.nulls_last(), Task.id.asc())
