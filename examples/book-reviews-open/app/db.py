"""Declarative base and engine, plus the after-commit hook services use."""

from collections.abc import Callable

from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session

# Stable constraint names let Alembic migrations refer to constraints by name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def make_engine(database_url: str) -> Engine:
    """Build the connection pool, sized for FastAPI's thread pool of sync routes."""
    return create_engine(
        database_url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=10,
        # Timestamps come back in UTC whatever the server's default time zone is.
        connect_args={"options": "-c timezone=UTC"},
    )


def after_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run `callback` once the session's transaction has committed.

    Work that must only follow durable writes (dropping cached reads) goes here, so
    it never runs for a transaction that later rolls back.
    """
    event.listen(session, "after_commit", lambda _session: callback(), once=True)
