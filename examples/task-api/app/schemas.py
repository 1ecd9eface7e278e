"""Request and response bodies: the JSON contract of the API.

No response model has a password or hash field, so none can leak one.
"""

from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Generic, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    model_validator,
)

from app.models import Priority, Role, TaskStatus

ItemT = TypeVar("ItemT", bound=BaseModel)

Email = Annotated[EmailStr, Field(max_length=254), AfterValidator(str.lower)]
# Passwords are taken as typed: trimming them would change what the user chose.
Password = Annotated[str, StringConstraints(min_length=8, max_length=128, strip_whitespace=False)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
TaskDescription = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
ProjectDescription = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]

TaskSort = Literal[
    "created_at", "-created_at", "due_date", "-due_date", "priority", "-priority", "title", "-title"
]


class _Patch(BaseModel):
    """A partial update: fields left out keep their value; some may not be set to null."""

    not_null: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="after")
    def _reject_nulls(self) -> "_Patch":
        sent = self.not_null & self.model_fields_set
        nulled = sorted(name for name in sent if getattr(self, name) is None)
        if nulled:
            raise ValueError(f"{', '.join(nulled)} may not be null")
        return self

    def changes(self) -> dict[str, Any]:
        """The fields the client sent, with their new values."""
        return self.model_dump(exclude_unset=True)


class UserCreate(BaseModel):
    """A new account."""

    email: Email
    password: Password
    name: Name


class Credentials(BaseModel):
    """Email and password, to log in."""

    email: Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, max_length=254)]
    password: Annotated[str, StringConstraints(max_length=128)]


class UserRead(BaseModel):
    """A user as others may see them."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    name: str
    created_at: datetime


class TokenPair(BaseModel):
    """What a login or a refresh returns."""

    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = Field(default="bearer")
    expires_in: int = Field(description="Seconds until the access token expires.")


class RefreshRequest(BaseModel):
    """A refresh token, to exchange (refresh) or revoke (logout)."""

    refresh_token: Annotated[str, StringConstraints(min_length=1, max_length=512)]


class ProjectCreate(BaseModel):
    """A new project; its creator becomes its owner."""

    name: Name
    description: ProjectDescription = ""


class ProjectUpdate(_Patch):
    """Changes to a project."""

    not_null = frozenset({"name", "description"})

    name: Name | None = None
    description: ProjectDescription | None = None


class ProjectRead(BaseModel):
    """A stored project."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    description: str
    owner_id: int
    created_at: datetime


class MemberCreate(BaseModel):
    """A user to add to a project, by email."""

    email: Email


class MemberRead(BaseModel):
    """A member of a project."""

    user_id: int
    email: str
    name: str
    role: Role
    added_at: datetime


class TaskCreate(BaseModel):
    """A new task in a project."""

    title: Title
    description: TaskDescription = ""
    status: TaskStatus = TaskStatus.todo
    priority: Priority = Priority.medium
    due_date: date | None = None
    assignee_id: int | None = None


class TaskUpdate(_Patch):
    """Changes to a task; `due_date` and `assignee_id` may be set to null to clear them."""

    not_null = frozenset({"title", "description", "status", "priority"})

    title: Title | None = None
    description: TaskDescription | None = None
    status: TaskStatus | None = None
    priority: Priority | None = None
    due_date: date | None = None
    assignee_id: int | None = None


class TaskRead(BaseModel):
    """A stored task."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    project_id: int
    title: str
    description: str
    status: TaskStatus
    priority: Priority
    due_date: date | None
    assignee_id: int | None
    created_by: int | None
    created_at: datetime
    updated_at: datetime


class TaskFilters(BaseModel):
    """Which tasks of a project to list, and in which order."""

    status: TaskStatus | None = None
    priority: Priority | None = None
    assignee_id: int | None = None
    due_before: date | None = None
    due_after: date | None = None
    sort: TaskSort = "-created_at"


class Page(BaseModel, Generic[ItemT]):
    """One slice of a list, with the size of the whole list."""

    items: list[ItemT]
    total: int
    limit: int
    offset: int


class ProjectPage(Page[ProjectRead]):
    """A page of the caller's projects, by id ascending."""


class TaskPage(Page[TaskRead]):
    """A page of a project's tasks, filtered and sorted."""
