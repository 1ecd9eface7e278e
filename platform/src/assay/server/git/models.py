"""What a push to an invitation's remote leaves beside its submission: the commit and its
history, as reviewers read it against the time box."""

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from assay.server.db import Base, utcnow


class Push(Base):
    """The push that made a submission: which commit of which branch, and the history behind it
    (newest first, capped; ``commits`` counts all of it)."""

    __tablename__ = "git_pushes"

    submission_id: Mapped[str] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True
    )
    invitation_id: Mapped[str] = mapped_column(
        ForeignKey("invitations.id", ondelete="CASCADE"), index=True
    )
    pushed_by: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    ref: Mapped[str] = mapped_column(String(300))
    commit: Mapped[str] = mapped_column(String(64))
    commits: Mapped[int]
    history: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    pushed_at: Mapped[datetime] = mapped_column(default=utcnow)
