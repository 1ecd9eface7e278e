"""The service under test in-process, on a real migrated database, with no broker needed.

Every test runs on SQLite (the embedded default) and, in the full tier, on PostgreSQL too.
Migrations run once into a template database; each test gets its own copy of it.
"""

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy.orm import Session

from assay.config import Settings
from assay.server import migrate
from assay.server.accounts import security
from assay.server.app import create_app
from assay.server.db import engine_for, sessions
from tests.servers import Postgres

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = "assay_template"


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at its lowest cost: the same code paths, a hundredth of the time."""
    monkeypatch.setattr(
        security, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "assay.db"
    migrate.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    server = Postgres().boot()
    server.psql(f"CREATE DATABASE {TEMPLATE}")
    migrate.upgrade(server.url(TEMPLATE))
    yield server
    server.remove()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.servers)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh copy of the migrated template, on each kind of database; the test must leave
    no connection checked out of its pool."""
    if request.param == "sqlite":
        path = tmp_path / "assay.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        server: Postgres = request.getfixturevalue("postgres")
        name = f"test_{uuid.uuid4().hex[:12]}"
        server.psql(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        url = server.url(name)
    yield url
    checked_out = engine_for(url).pool.checkedout()  # type: ignore[attr-defined]
    assert checked_out == 0, f"{checked_out} connection(s) still checked out after the test"
    engine_for(url).dispose()
    if request.param == "postgresql":
        server.psql(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def settings(tmp_path: Path, database: str) -> Settings:
    return Settings(
        root=ROOT,
        data_dir=tmp_path,
        database_url=database,
        broker_url="memory://",
        secret_key=SecretStr("test-signing-key-that-is-long-enough-for-hs256"),
        uploads_per_hour=3,
    )


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def session(settings: Settings) -> Iterator[Session]:
    """A session on the test's database, for arranging rows and checking them afterwards."""
    with sessions(settings.database)() as opened:
        yield opened
