"""One attempt at grading a submission; a submission's result is its last finished attempt."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from assay.server.db import Base, enum_column, utcnow
from assay.server.ids import new_id


class AttemptStatus(StrEnum):
    running = "running"
    graded = "graded"
    error = "error"  # the engine reported a platform fault
    interrupted = "interrupted"  # its worker died or went silent; another attempt follows


class Grading(Base):
    __tablename__ = "gradings"
    __table_args__ = (
        UniqueConstraint("submission_id", "number"),
        Index("ix_gradings_status_heartbeat", "status", "heartbeat_at"),
        Index("ix_gradings_finished", "finished_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    submission_id: Mapped[str] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    number: Mapped[int]
    worker: Mapped[str] = mapped_column(String(200))
    status: Mapped[AttemptStatus] = mapped_column(
        enum_column(AttemptStatus), default=AttemptStatus.running
    )
    stage: Mapped[str] = mapped_column(String(100), default="")
    stages: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    total: Mapped[float | None] = mapped_column(default=None)
    image: Mapped[str] = mapped_column(String(200), default="")
    suite_sha256: Mapped[str] = mapped_column(String(64), default="")
    error: Mapped[str | None] = mapped_column(Text, default=None)
    report: Mapped[dict[str, Any] | None] = mapped_column(default=None)


class HiddenOutcome(Base):
    """One hidden test's outcome in a submission's current result, for pass rates across
    candidates without reading every report."""

    __tablename__ = "hidden_outcomes"
    __table_args__ = (Index("ix_hidden_outcomes_problem_test", "problem", "test_id"),)

    submission_id: Mapped[str] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True
    )
    test_id: Mapped[str] = mapped_column(String(300), primary_key=True)
    problem: Mapped[str] = mapped_column(String(100))
    candidate_id: Mapped[str] = mapped_column(String(32))
    visible: Mapped[bool]
    passed: Mapped[bool]
