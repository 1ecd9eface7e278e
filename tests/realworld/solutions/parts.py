"""Pieces real Book Review solutions share because tools wrote them: `alembic init`'s files,
a first migration, a requirements list. Each solution fills in its own names."""

ALEMBIC_INI = """\
# A generic, single database configuration.

[alembic]
script_location = {folder}
prepend_sys_path = .
sqlalchemy.url = driver://user:pass@localhost/dbname

[loggers]
keys = root,sqlalchemy,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console
qualname =

[logger_sqlalchemy]
level = WARN
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
datefmt = %H:%M:%S
"""

SCRIPT_MAKO = '''\
"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}
"""
from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
'''

ENV_PY = """\
from logging.config import fileConfig

from alembic import context
from sqlalchemy import engine_from_config, pool

{imports}

config = context.config
config.set_main_option("sqlalchemy.url", {url})

if config.config_file_name is not None:
    fileConfig(config.config_file_name)

target_metadata = {metadata}


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {{}}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
"""

MIGRATION = '''\
"""create books and reviews

Revision ID: {revision}
Revises:
Create Date: 2024-03-02 10:14:07.120394
"""
from alembic import op
import sqlalchemy as sa

revision = "{revision}"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "{books}",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("{title}", sa.String(length=255), nullable=False),
        sa.Column("{author}", sa.String(length=255), nullable=False),
        sa.Column("{year}", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )
    op.create_table(
        "{reviews}",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("book_id", sa.Integer(), sa.ForeignKey("{books}.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("{reviewer}", sa.String(length=100), nullable=False),
        sa.Column("{rating}", sa.Integer(), nullable=False),
        sa.Column("{text}", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    ){index}


def downgrade() -> None:
    op.drop_table("{reviews}")
    op.drop_table("{books}")
'''

INDEX = '\n    op.create_index("ix_{reviews}_book_id", "{reviews}", ["book_id"])'


def alembic(
    *,
    folder: str = "alembic",
    url: str,
    imports: str,
    metadata: str = "Base.metadata",
    index: bool = True,
    books: str = "books",
    reviews: str = "reviews",
    columns: dict[str, str] | None = None,
) -> dict[str, str]:
    """alembic.ini, env.py, the template and one revision creating both tables."""
    names = {
        "title": "title",
        "author": "author",
        "year": "published_year",
        "reviewer": "reviewer",
        "rating": "rating",
        "text": "text",
        **(columns or {}),
    }
    migration = MIGRATION.format(
        revision="3f2a1c9d8e7b",
        books=books,
        reviews=reviews,
        index=INDEX.format(reviews=reviews) if index else "",
        **names,
    )
    return {
        "alembic.ini": ALEMBIC_INI.format(folder=folder),
        f"{folder}/env.py": ENV_PY.format(imports=imports, url=url, metadata=metadata),
        f"{folder}/script.py.mako": SCRIPT_MAKO,
        f"{folder}/versions/3f2a1c9d8e7b_create_books_and_reviews.py": migration,
    }


def requirements(*extra: str) -> str:
    base = ["fastapi==0.115.6", "uvicorn[standard]==0.32.1", "SQLAlchemy==2.0.36"]
    return "\n".join([*base, *extra]) + "\n"
