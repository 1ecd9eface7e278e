"""Reviews and their audit trail, hidden test outcomes, reviewed totals, the time-box clock

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 04:40:08.634827
"""

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _backfill() -> None:
    """Results graded before this revision: their points and hidden outcomes (no review yet)."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT s.id, s.problem, s.candidate_id, g.report FROM submissions s "
            "JOIN gradings g ON g.submission_id = s.id "
            "WHERE s.status = 'graded' AND g.status = 'graded' AND g.number = ("
            "SELECT max(number) FROM gradings h WHERE h.submission_id = s.id "
            "AND h.status IN ('graded', 'error'))"
        )
    )
    for submission_id, problem, candidate_id, raw in rows:
        report: dict[str, Any] = json.loads(raw) if isinstance(raw, str) else raw or {}
        points = {item["id"]: item.get("points") for item in report.get("criteria", [])}
        bind.execute(
            sa.text("UPDATE submissions SET points = :points WHERE id = :id"),
            {"points": json.dumps(points), "id": submission_id},
        )
        tests = {test["id"][:300]: test for test in report.get("hidden_tests", [])}
        for test_id, test in tests.items():
            bind.execute(
                sa.text(
                    "INSERT INTO hidden_outcomes "
                    "(submission_id, test_id, problem, candidate_id, visible, passed) "
                    "VALUES (:s, :t, :p, :c, :v, :ok)"
                ),
                {
                    "s": submission_id,
                    "t": test_id,
                    "p": problem,
                    "c": candidate_id,
                    "v": bool(test.get("visible", True)),
                    "ok": test.get("outcome") == "passed",
                },
            )
    bind.execute(sa.text("UPDATE submissions SET reviewed_total = total"))


def upgrade() -> None:
    op.create_table(
        "hidden_outcomes",
        sa.Column("submission_id", sa.String(length=32), nullable=False),
        sa.Column("test_id", sa.String(length=300), nullable=False),
        sa.Column("problem", sa.String(length=100), nullable=False),
        sa.Column("candidate_id", sa.String(length=32), nullable=False),
        sa.Column("visible", sa.Boolean(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_hidden_outcomes_submission_id_submissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("submission_id", "test_id", name=op.f("pk_hidden_outcomes")),
    )
    with op.batch_alter_table("hidden_outcomes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_hidden_outcomes_problem_test", ["problem", "test_id"], unique=False
        )

    op.create_table(
        "review_events",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("submission_id", sa.String(length=32), nullable=False),
        sa.Column("criterion", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("points", sa.Double(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("points_before", sa.Double(), nullable=True),
        sa.Column("points_after", sa.Double(), nullable=True),
        sa.Column("total_before", sa.Double(), nullable=True),
        sa.Column("total_after", sa.Double(), nullable=True),
        sa.Column("reviewer_id", sa.String(length=32), nullable=False),
        sa.Column("reviewer_email", sa.String(length=320), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["users.id"], name=op.f("fk_review_events_reviewer_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_review_events_submission_id_submissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_events")),
    )
    with op.batch_alter_table("review_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_review_events_submission_at", ["submission_id", "at"], unique=False
        )

    op.create_table(
        "reviews",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("submission_id", sa.String(length=32), nullable=False),
        sa.Column("criterion", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("points", sa.Double(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("reviewer_id", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["users.id"], name=op.f("fk_reviews_reviewer_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_reviews_submission_id_submissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
        sa.UniqueConstraint("submission_id", "criterion", name=op.f("uq_reviews_submission_id")),
    )
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("started_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reviewed_total", sa.Double(), nullable=True))
        batch_op.add_column(sa.Column("points", sa.JSON(), nullable=True))
        batch_op.create_index(
            "ix_submissions_problem_candidate",
            ["problem", "candidate_id", "created_at"],
            unique=False,
        )
    _backfill()


def downgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_index("ix_submissions_problem_candidate")
        batch_op.drop_column("points")
        batch_op.drop_column("reviewed_total")

    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.drop_column("started_at")

    op.drop_table("reviews")
    with op.batch_alter_table("review_events", schema=None) as batch_op:
        batch_op.drop_index("ix_review_events_submission_at")
    op.drop_table("review_events")
    with op.batch_alter_table("hidden_outcomes", schema=None) as batch_op:
        batch_op.drop_index("ix_hidden_outcomes_problem_test")
    op.drop_table("hidden_outcomes")
