"""Registered repositories, the deliveries seen from them, and one check per commit to grade."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from assay.server.db import Base, enum_column, utcnow
from assay.server.ids import new_id


class Provider(StrEnum):
    github = "github"
    gitlab = "gitlab"


class CheckState(StrEnum):
    fetching = "fetching"  # the head commit is to be fetched from the provider
    submitted = "submitted"  # a submission exists; its grading is reported when it ends
    refused = "refused"  # grading it was refused (deadline, rate, archive): reported as such
    failed = "failed"  # the provider never gave the commit


class Repository(Base):
    """A repository whose pushes and pull requests are graded as one candidate's work.

    The webhook secret and the API token are kept as given: the secret is needed to compute
    signatures and the token to call the provider, so neither can be stored as a hash.
    """

    __tablename__ = "repositories"
    __table_args__ = (UniqueConstraint("provider", "full_name"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    provider: Mapped[Provider] = mapped_column(enum_column(Provider))
    full_name: Mapped[str] = mapped_column(String(300))
    problem: Mapped[str] = mapped_column(String(100))
    candidate_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    secret: Mapped[str] = mapped_column(String(200))
    api_url: Mapped[str] = mapped_column(String(500))
    api_token: Mapped[str] = mapped_column(String(500))
    min_score: Mapped[float | None] = mapped_column(default=None)
    # who wrote Assay's comment (learnt from the first one): a copy of its marker in anyone
    # else's comment is never taken for it
    comment_author: Mapped[str | None] = mapped_column(String(200), default=None)
    created_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Delivery(Base):
    """A webhook delivery already accepted: the same id again is a replay."""

    __tablename__ = "webhook_deliveries"

    repository_id: Mapped[str] = mapped_column(
        ForeignKey("repositories.id", ondelete="CASCADE"), primary_key=True
    )
    delivery_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    event: Mapped[str] = mapped_column(String(50))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class Check(Base):
    """One commit to grade from one delivery, and what was last reported of it."""

    __tablename__ = "pull_checks"
    __table_args__ = (
        Index("ix_pull_checks_repository_pull", "repository_id", "pull", "created_at"),
        Index("ix_pull_checks_state_updated", "state", "updated_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    repository_id: Mapped[str] = mapped_column(ForeignKey("repositories.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(20))
    sha: Mapped[str] = mapped_column(String(64))
    ref: Mapped[str] = mapped_column(String(300))
    pull: Mapped[int | None] = mapped_column(default=None)
    submission_id: Mapped[str | None] = mapped_column(
        ForeignKey("submissions.id", ondelete="SET NULL"), index=True, default=None
    )
    state: Mapped[CheckState] = mapped_column(enum_column(CheckState), default=CheckState.fetching)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    link_base: Mapped[str] = mapped_column(String(500))
    # what the provider was last told ("pending", "graded:2"...): a report is sent only when
    # there is something new to say, so a task delivered twice reports once
    reported: Mapped[str] = mapped_column(String(50), default="")
    report_error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
