"""Projects and their members, and the access rules every project route goes through.

Access policy: a project the caller is not a member of answers 404, exactly like one
that does not exist, so ids reveal nothing. A member who asks for something only the
owner may do gets 403: they can already see the project, so there is nothing to hide.
"""

from sqlalchemy.orm import Session

from app.errors import ConflictError, NotFoundError, PermissionDeniedError
from app.models import Membership, Project, Role, User
from app.repositories import projects as project_rows
from app.repositories import tasks as task_rows
from app.repositories import users as user_rows
from app.schemas import MemberRead, ProjectCreate, ProjectPage, ProjectRead, ProjectUpdate


def require_member(session: Session, user: User, project_id: int) -> Membership:
    """Return the caller's membership of a project, or answer 404 as if it did not exist."""
    membership = project_rows.membership(session, project_id, user.id)
    if membership is None:
        raise NotFoundError(f"Project {project_id} not found")
    return membership


def require_owner(session: Session, user: User, project_id: int) -> Project:
    """Return a project the caller owns: 404 for outsiders, 403 for other members."""
    membership = require_member(session, user, project_id)
    if membership.role is not Role.owner:
        raise PermissionDeniedError("Only the project owner may do this")
    return _project(session, project_id)


def create_project(session: Session, user: User, data: ProjectCreate) -> ProjectRead:
    """Create a project owned by the caller, who becomes its first member."""
    project = project_rows.add(session, Project(owner_id=user.id, **data.model_dump()))
    project_rows.add_member(
        session, Membership(project_id=project.id, user_id=user.id, role=Role.owner)
    )
    return ProjectRead.model_validate(project)


def list_projects(session: Session, user: User, *, limit: int, offset: int) -> ProjectPage:
    """Return a page of the projects the caller belongs to, by id ascending."""
    projects = project_rows.list_for_member(session, user.id, limit=limit, offset=offset)
    return ProjectPage(
        items=[ProjectRead.model_validate(project) for project in projects],
        total=project_rows.count_for_member(session, user.id),
        limit=limit,
        offset=offset,
    )


def get_project(session: Session, user: User, project_id: int) -> ProjectRead:
    """Return a project the caller belongs to."""
    require_member(session, user, project_id)
    return ProjectRead.model_validate(_project(session, project_id))


def update_project(
    session: Session, user: User, project_id: int, data: ProjectUpdate
) -> ProjectRead:
    """Change a project's name or description (owner only)."""
    project = require_owner(session, user, project_id)
    for field, value in data.changes().items():
        setattr(project, field, value)
    session.flush()
    return ProjectRead.model_validate(project)


def delete_project(session: Session, user: User, project_id: int) -> None:
    """Delete a project with its members and tasks (owner only)."""
    project_rows.delete_project(session, require_owner(session, user, project_id))


def list_members(session: Session, user: User, project_id: int) -> list[MemberRead]:
    """Return a project's members, by user id."""
    require_member(session, user, project_id)
    return [
        _member_read(membership, member)
        for membership, member in project_rows.members(session, project_id)
    ]


def add_member(session: Session, user: User, project_id: int, email: str) -> MemberRead:
    """Add a registered user to a project (owner only)."""
    require_owner(session, user, project_id)
    newcomer = user_rows.by_email(session, email)
    if newcomer is None:
        raise NotFoundError("No user has this email")
    if project_rows.membership(session, project_id, newcomer.id) is not None:
        raise ConflictError("Already a member of this project")
    membership = project_rows.add_member(
        session, Membership(project_id=project_id, user_id=newcomer.id, role=Role.member)
    )
    return _member_read(membership, newcomer)


def remove_member(session: Session, user: User, project_id: int, member_id: int) -> None:
    """Remove a member (owner only); their tasks in the project lose their assignee."""
    require_owner(session, user, project_id)
    membership = project_rows.membership(session, project_id, member_id)
    if membership is None:
        raise NotFoundError(f"User {member_id} is not a member of this project")
    if membership.role is Role.owner:
        raise ConflictError("The owner cannot be removed from their project")
    task_rows.unassign(session, project_id, member_id)
    project_rows.remove_member(session, project_id, member_id)


def _project(session: Session, project_id: int) -> Project:
    project = project_rows.get(session, project_id)
    if project is None:  # pragma: no cover - a membership's project always exists
        raise NotFoundError(f"Project {project_id} not found")
    return project


def _member_read(membership: Membership, user: User) -> MemberRead:
    return MemberRead(
        user_id=user.id,
        email=user.email,
        name=user.name,
        role=membership.role,
        added_at=membership.added_at,
    )
