"""Index what the feed and its cache invalidation read.

Revision ID: 0002
Revises: 0001
Create Date: 2024-06-12 00:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A B-tree read backwards serves ORDER BY created_at DESC, id DESC per author/post.
    op.create_index("ix_posts_author_id_created_at_id", "posts", ["author_id", "created_at", "id"])
    op.create_index(
        "ix_comments_post_id_created_at_id", "comments", ["post_id", "created_at", "id"]
    )
    op.create_index("ix_follows_followee_id_follower_id", "follows", ["followee_id", "follower_id"])
    op.execute("ANALYZE posts, comments, follows")


def downgrade() -> None:
    op.drop_index("ix_follows_followee_id_follower_id", table_name="follows")
    op.drop_index("ix_comments_post_id_created_at_id", table_name="comments")
    op.drop_index("ix_posts_author_id_created_at_id", table_name="posts")
