"""Git intake and pull-request grading: a submission's commit, pushes and their history,
registered repositories, webhook deliveries and checks

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 05:20:10.773004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "repositories",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("full_name", sa.String(length=300), nullable=False),
        sa.Column("problem", sa.String(length=100), nullable=False),
        sa.Column("candidate_id", sa.String(length=32), nullable=False),
        sa.Column("secret", sa.String(length=200), nullable=False),
        sa.Column("api_url", sa.String(length=500), nullable=False),
        sa.Column("api_token", sa.String(length=500), nullable=False),
        sa.Column("min_score", sa.Double(), nullable=True),
        sa.Column("comment_author", sa.String(length=200), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["users.id"],
            name=op.f("fk_repositories_candidate_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_repositories_created_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repositories")),
        sa.UniqueConstraint("provider", "full_name", name=op.f("uq_repositories_provider")),
    )
    op.create_table(
        "git_pushes",
        sa.Column("submission_id", sa.String(length=32), nullable=False),
        sa.Column("invitation_id", sa.String(length=32), nullable=False),
        sa.Column("pushed_by", sa.String(length=32), nullable=False),
        sa.Column("ref", sa.String(length=300), nullable=False),
        sa.Column("commit", sa.String(length=64), nullable=False),
        sa.Column("commits", sa.Integer(), nullable=False),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.Column("pushed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["invitations.id"],
            name=op.f("fk_git_pushes_invitation_id_invitations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pushed_by"],
            ["users.id"],
            name=op.f("fk_git_pushes_pushed_by_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_git_pushes_submission_id_submissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("submission_id", name=op.f("pk_git_pushes")),
    )
    with op.batch_alter_table("git_pushes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_git_pushes_invitation_id"), ["invitation_id"], unique=False
        )

    op.create_table(
        "pull_checks",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("repository_id", sa.String(length=32), nullable=False),
        sa.Column("event", sa.String(length=20), nullable=False),
        sa.Column("sha", sa.String(length=64), nullable=False),
        sa.Column("ref", sa.String(length=300), nullable=False),
        sa.Column("pull", sa.Integer(), nullable=True),
        sa.Column("submission_id", sa.String(length=32), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("link_base", sa.String(length=500), nullable=False),
        sa.Column("reported", sa.String(length=50), nullable=False),
        sa.Column("report_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["repository_id"],
            ["repositories.id"],
            name=op.f("fk_pull_checks_repository_id_repositories"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_pull_checks_submission_id_submissions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pull_checks")),
    )
    with op.batch_alter_table("pull_checks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_pull_checks_repository_pull",
            ["repository_id", "pull", "created_at"],
            unique=False,
        )
        batch_op.create_index("ix_pull_checks_state_updated", ["state", "updated_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_pull_checks_submission_id"), ["submission_id"], unique=False
        )

    op.create_table(
        "webhook_deliveries",
        sa.Column("repository_id", sa.String(length=32), nullable=False),
        sa.Column("delivery_id", sa.String(length=100), nullable=False),
        sa.Column("event", sa.String(length=50), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["repository_id"],
            ["repositories.id"],
            name=op.f("fk_webhook_deliveries_repository_id_repositories"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("repository_id", "delivery_id", name=op.f("pk_webhook_deliveries")),
    )
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("commit", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_column("commit")

    op.drop_table("webhook_deliveries")
    with op.batch_alter_table("pull_checks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pull_checks_submission_id"))
        batch_op.drop_index("ix_pull_checks_state_updated")
        batch_op.drop_index("ix_pull_checks_repository_pull")
    op.drop_table("pull_checks")
    with op.batch_alter_table("git_pushes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_git_pushes_invitation_id"))
    op.drop_table("git_pushes")
    op.drop_table("repositories")
