"""Engines, sessions and schema creation; each service passes its own schema's metadata."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine, MetaData, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

# Stable constraint names, so that a later migration can refer to a constraint by name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def schema_metadata(schema: str) -> MetaData:
    """Metadata whose tables all live in the service's own schema."""
    return MetaData(schema=schema, naming_convention=NAMING_CONVENTION)


def make_engine(database_url: str, *, pool_size: int = 10) -> Engine:
    """Build a connection pool sized for FastAPI's thread pool of sync routes."""
    return create_engine(
        database_url,
        pool_pre_ping=True,
        pool_size=pool_size,
        max_overflow=10,
        connect_args={"options": "-c timezone=UTC"},
    )


def create_schema(engine: Engine, metadata: MetaData) -> None:
    """Create the service's schema and tables if they are missing; safe to run twice."""
    with engine.begin() as connection:
        # Several services may start at once; the lock serialises their catalog changes.
        connection.execute(text("SELECT pg_advisory_xact_lock(4242)"))
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{metadata.schema}"'))
        metadata.create_all(connection)


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: commit when the route returns, roll back if it raises."""
    factory: sessionmaker[Session] = request.app.state.session_factory
    with factory() as session, session.begin():
        yield session


# scope="function" commits before the response is sent: a client that gets its 201
# can read what it wrote at once, and a failed commit becomes a 500, not a lie.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_plain_session(request: Request) -> Iterator[Session]:
    """A session the route commits itself, for work that must follow the commit."""
    factory: sessionmaker[Session] = request.app.state.session_factory
    with factory() as session:
        yield session


PlainSessionDep = Annotated[Session, Depends(get_plain_session, scope="function")]
