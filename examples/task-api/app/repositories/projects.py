"""Queries over `projects` and `project_members`."""

from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.models import Membership, Project, User


def add(session: Session, project: Project) -> Project:
    """Insert a project and flush, so its id and created_at are known."""
    session.add(project)
    session.flush()
    return project


def get(session: Session, project_id: int) -> Project | None:
    """Return the project with this id, if any."""
    return session.get(Project, project_id)


def delete_project(session: Session, project: Project) -> None:
    """Delete a project; its memberships and tasks go with it (ON DELETE CASCADE)."""
    session.delete(project)
    session.flush()


def list_for_member(
    session: Session, user_id: int, *, limit: int, offset: int
) -> Sequence[Project]:
    """Return one page of the projects a user belongs to, by id ascending."""
    query = (
        select(Project)
        .join(Membership, Membership.project_id == Project.id)
        .where(Membership.user_id == user_id)
        .order_by(Project.id)
        .limit(limit)
        .offset(offset)
    )
    return session.scalars(query).all()


def count_for_member(session: Session, user_id: int) -> int:
    """Count the projects a user belongs to."""
    query = select(func.count()).select_from(Membership).where(Membership.user_id == user_id)
    return session.scalar(query) or 0


def membership(session: Session, project_id: int, user_id: int) -> Membership | None:
    """Return a user's membership of a project, if they have one."""
    return session.get(Membership, (project_id, user_id))


def add_member(session: Session, member: Membership) -> Membership:
    """Insert a membership and flush, so added_at is known."""
    session.add(member)
    session.flush()
    return member


def remove_member(session: Session, project_id: int, user_id: int) -> None:
    """Delete a membership."""
    session.execute(
        delete(Membership).where(Membership.project_id == project_id, Membership.user_id == user_id)
    )


def members(session: Session, project_id: int) -> Sequence[tuple[Membership, User]]:
    """Return a project's members with their users, by user id ascending."""
    query = (
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.project_id == project_id)
        .order_by(Membership.user_id)
    )
    return [(membership, user) for membership, user in session.execute(query)]
