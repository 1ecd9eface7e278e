"""Declarative base and the database engine."""

from sqlalchemy import Engine, MetaData, create_engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import NullPool

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
    """Build the engine.

    NullPool opens a connection per session and closes it afterwards: nothing is left
    open between requests.
    """
    return create_engine(
        database_url,
        poolclass=NullPool,
        # Timestamps come back in UTC whatever the server's default time zone is.
        connect_args={"options": "-c timezone=UTC"},
    )
