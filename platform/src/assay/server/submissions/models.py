"""A submission and the archive it points at, stored once per content."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from assay.server.db import Base, enum_column, utcnow
from assay.server.ids import new_id


class Status(StrEnum):
    queued = "queued"
    grading = "grading"
    graded = "graded"
    error = "error"  # the platform could not grade it: never the candidate's score

    @property
    def finished(self) -> bool:
        return self in (Status.graded, Status.error)


class Blob(Base):
    """A submission's files as a canonical tar, addressed by its SHA-256."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Submission(Base):
    __tablename__ = "submissions"
    __table_args__ = (
        UniqueConstraint("candidate_id", "idempotency_key"),
        Index("ix_submissions_candidate_created", "candidate_id", "created_at"),
        Index("ix_submissions_problem_created", "problem", "created_at"),
        Index("ix_submissions_status_queued", "status", "queued_at"),
        Index("ix_submissions_problem_candidate", "problem", "candidate_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    candidate_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    problem: Mapped[str] = mapped_column(String(100))
    archive_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
    files: Mapped[int]
    size: Mapped[int]
    source: Mapped[str] = mapped_column(String(20), default="upload")
    # the git commit whose tree this is, when it came from a push or a pull request
    commit: Mapped[str | None] = mapped_column(String(64), default=None)
    idempotency_key: Mapped[str | None] = mapped_column(String(200), default=None)
    status: Mapped[Status] = mapped_column(enum_column(Status), default=Status.queued)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    dispatched_at: Mapped[datetime | None] = mapped_column(default=None)
    deliveries: Mapped[int] = mapped_column(default=0)
    total: Mapped[float | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    # The result with the reviewers' judgements applied, kept for leaderboards: the total and
    # each criterion's points (None: not scored yet).
    reviewed_total: Mapped[float | None] = mapped_column(default=None)
    points: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    # An open brief's binding as a reviewer corrected it: the hidden suite uses it as given.
    binding: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    # Environment variables a reviewer set for the service (templates filled like a problem's
    # env): they win over what the grader inferred.
    overrides: Mapped[dict[str, str] | None] = mapped_column(JSON, default=None)
