"""A reviewer's judgement of one criterion of a submission, and every change ever made to one."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from assay.server.db import Base, enum_column, utcnow
from assay.server.ids import new_id


class Kind(StrEnum):
    manual = "manual"  # a 1-5 score of a criterion the rubric leaves to reviewers
    override = "override"  # points replacing what the engine gave a measured criterion


class Action(StrEnum):
    set = "set"
    cleared = "cleared"


class Review(Base):
    """The judgement in force for one criterion of one submission; it outlives regrades."""

    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("submission_id", "criterion"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    submission_id: Mapped[str] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    criterion: Mapped[str] = mapped_column(String(100))
    kind: Mapped[Kind] = mapped_column(enum_column(Kind))
    score: Mapped[int | None] = mapped_column(default=None)
    points: Mapped[float | None] = mapped_column(default=None)
    note: Mapped[str] = mapped_column(Text, default="")
    reviewer_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReviewEvent(Base):
    """One change to a review, never edited: who, when, what, and the totals before and after."""

    __tablename__ = "review_events"
    __table_args__ = (Index("ix_review_events_submission_at", "submission_id", "at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    submission_id: Mapped[str] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    criterion: Mapped[str] = mapped_column(String(100))
    action: Mapped[Action] = mapped_column(enum_column(Action))
    kind: Mapped[Kind] = mapped_column(enum_column(Kind))
    score: Mapped[int | None] = mapped_column(default=None)
    points: Mapped[float | None] = mapped_column(default=None)
    note: Mapped[str] = mapped_column(Text, default="")
    points_before: Mapped[float | None] = mapped_column(default=None)
    points_after: Mapped[float | None] = mapped_column(default=None)
    total_before: Mapped[float | None] = mapped_column(default=None)
    total_after: Mapped[float | None] = mapped_column(default=None)
    reviewer_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    reviewer_email: Mapped[str] = mapped_column(String(320))
    at: Mapped[datetime] = mapped_column(default=utcnow)
