"""Declarative base, the pooled engine, and the after-commit hook services use."""

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


def make_engine(database_url: str, *, pool_size: int = 10, max_overflow: int = 10) -> Engine:
    """Build a connection pool.

    Connections are opened once and reused: a new PostgreSQL connection costs a process
    fork and an authentication round trip, several milliseconds per request. The pool
    matches the thread pool that runs the sync routes; connections are recycled hourly.
    """
    return create_engine(
        database_url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_recycle=3600,
        # Timestamps come back in UTC whatever the server's default time zone is.
        connect_args={"options": "-c timezone=UTC"},
    )


def after_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run `callback` once the session's transaction has committed.

    Cache invalidation goes here: it never runs for a transaction that rolls back, and
    never before the rows it announces are visible to other connections.
    """
    event.listen(session, "after_commit", lambda _session: callback(), once=True)
