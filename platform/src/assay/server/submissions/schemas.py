"""What the API says of a submission, its stages and its attempts."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from assay.server.gradings.models import AttemptStatus
from assay.server.submissions.models import Status


class StageRead(BaseModel):
    name: str
    status: str
    seconds: float = 0.0
    summary: str = ""
    at: datetime | None = Field(default=None, description="When the stage last reported.")


class AttemptRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    worker: str
    status: AttemptStatus
    stage: str
    started_at: datetime
    finished_at: datetime | None
    total: float | None
    image: str
    suite_sha256: str
    error: str | None


class PinnedConfiguration(BaseModel):
    """Environment variables the candidate's service (and its own tests) start with, over what
    the grader inferred; each value is a template, ``{db_user}``, ``{db_password}``,
    ``{db_host}``, ``{db_port}``, ``{db_name}``, ``{redis_host}``, ``{redis_port}`` and
    ``{redis_db}`` filled in for the pod as in a problem's ``env``."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "env": {
                        "APP_DB_DSN": "postgresql+asyncpg://{db_user}:{db_password}@{db_host}:"
                        "{db_port}/{db_name}",
                        "APP_CACHE_HOST": "{redis_host}",
                    }
                }
            ]
        },
    )

    env: dict[str, str] = Field(min_length=1)


class SubmissionRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "3f2a9c0d8e7b4a1f9c6d5e4b3a2f1e0d",
                    "problem": "book-reviews",
                    "candidate_id": "9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e",
                    "status": "grading",
                    "total": None,
                    "stage": "hidden tests",
                    "queue_position": None,
                    "links": {"self": "/api/v1/submissions/3f2a9c0d8e7b4a1f9c6d5e4b3a2f1e0d"},
                }
            ]
        }
    )

    id: str
    problem: str
    candidate_id: str
    status: Status
    created_at: datetime
    finished_at: datetime | None
    files: int
    size: int
    source: str
    commit: str | None = Field(default=None, description="The git commit graded, if any.")
    total: float | None = Field(description="The score of the last finished attempt, if graded.")
    error: str | None = Field(default=None, description="Why the platform could not grade it.")
    stage: str = ""
    stages: list[StageRead] = []
    queue_position: int | None = None
    attempts: int = 0
    left_out: list[str] = []
    binding: dict[str, Any] | None = Field(
        default=None, description="The binding a reviewer pinned for an open brief, if any."
    )
    configuration: PinnedConfiguration | None = Field(
        default=None, description="The environment a reviewer pinned for the service, if any."
    )
    links: dict[str, str] = {}


class PinnedOperation(BaseModel):
    """One operation of an open brief as the candidate spells it; the fields are those of the
    report's ``binding``, so a reviewer copies an operation from there and corrects it."""

    model_config = ConfigDict(extra="forbid")

    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
    path: str = Field(pattern=r"^/[^\s?#]*$", max_length=300)
    book: dict[str, str] | None = None
    fields: dict[str, str] = {}
    fill: dict[str, Any] = {}
    wrap: str | None = None
    items: str | None = None
    paging: dict[str, Any] = {}
    id: str | None = None
    statuses: list[int] = []


class PinnedBinding(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "operations": {
                        "list books": {"method": "GET", "path": "/api/v1/books", "items": "data"},
                        "create book": {"method": "POST", "path": "/api/v1/books"},
                    }
                }
            ]
        },
    )

    operations: dict[str, PinnedOperation] = Field(min_length=1)


class SubmissionList(BaseModel):
    items: list[SubmissionRead]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page.")


class AttemptList(BaseModel):
    items: list[AttemptRead]


Logs = dict[str, str]
ReportJson = dict[str, Any]
