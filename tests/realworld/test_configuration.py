"""Solutions configured as real candidates configure them, graded in a Docker pod.

Each is the book-reviews reference changed the way real submissions differ from the scaffold:
the grader must start it and measure its behaviour, not its spelling of the settings.
"""

import shutil

import pytest

from assay.catalog.loader import Problem
from assay.grading.report import Report, StageStatus

pytestmark = [pytest.mark.docker, pytest.mark.xdist_group("realworld")]

POSTGRES_PARTS_CONFIG = '''"""Settings from the environment, as the team's services read them."""

import os
from functools import lru_cache

from pydantic import BaseModel


class Settings(BaseModel):
    """Where PostgreSQL and Redis are; the defaults are the office's staging machines."""

    database_url: str
    redis_url: str
    cache_ttl_seconds: int = 60
    redis_timeout_seconds: float = 0.25
    redis_backoff_seconds: float = 5.0


@lru_cache
def get_settings() -> Settings:
    """Assemble the URLs from their parts."""
    user = os.getenv("POSTGRES_USER", "books")
    password = os.getenv("POSTGRES_PASSWORD", "books")
    host = os.getenv("POSTGRES_HOST", "192.168.10.20")
    port = os.getenv("POSTGRES_PORT", "5432")
    name = os.getenv("POSTGRES_DB", "books")
    cache_host = os.getenv("CACHE_HOST", "192.168.10.21")
    return Settings(
        database_url=f"postgresql+psycopg://{user}:{password}@{host}:{port}/{name}",
        redis_url=f"redis://{cache_host}:6379/0",
    )
'''


NEED_HEALTH = ("test_health_reports_ok", "test_errors_are_still_reported_without_redis")


@pytest.fixture(scope="session")
def postgres_parts(
    grader, book_reviews: Problem, tmp_path_factory: pytest.TempPathFactory
) -> Report:
    """The reference reading POSTGRES_* parts and CACHE_HOST, with no /health route."""
    folder = tmp_path_factory.mktemp("parts") / "submission"
    shutil.copytree(book_reviews.reference, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "app" / "config.py").write_text(POSTGRES_PARTS_CONFIG, encoding="utf-8")
    (folder / "app" / "api" / "health.py").unlink()
    main = folder / "app" / "main.py"
    text = main.read_text(encoding="utf-8")
    text = text.replace("books, health, reviews", "books, reviews").replace(
        "(health, books, reviews)", "(books, reviews)"
    )
    main.write_text(text, encoding="utf-8")
    (folder / ".env.example").write_text("CACHE_HOST=redis\n", encoding="utf-8")
    return grader(folder, measure_load=False)


def _failed(report: Report) -> list[str]:
    return sorted(test.id.rsplit("::", 1)[-1] for test in report.hidden_tests if not test.passed)


def test_a_service_without_a_health_route_boots_and_is_graded(postgres_parts: Report) -> None:
    boot = next(stage for stage in postgres_parts.stages if stage.name == "boot")
    assert boot.status is StageStatus.passed, boot.summary + boot.log[-2000:]


def test_postgres_parts_read_from_the_environment_point_at_the_pods_database(
    postgres_parts: Report,
) -> None:
    configured = " ".join(postgres_parts.detection.configuration)
    assert "POSTGRES_HOST" in configured and "POSTGRES_PASSWORD" in configured
    # only the tests that call the missing route fail: the API works against the pod's database
    assert set(_failed(postgres_parts)) <= set(NEED_HEALTH)


@pytest.fixture(scope="session")
def extra_package(
    grader, book_reviews: Problem, tmp_path_factory: pytest.TempPathFactory
) -> Report:
    """The reference importing ujson (not in the runtime image) and a package no index has."""
    folder = tmp_path_factory.mktemp("extra") / "submission"
    shutil.copytree(book_reviews.reference, folder, ignore=shutil.ignore_patterns("__pycache__"))
    main = folder / "app" / "main.py"
    main.write_text("import ujson  # noqa: F401\n" + main.read_text(encoding="utf-8"))
    with (folder / "requirements.txt").open("a", encoding="utf-8") as requirements:
        requirements.write("ujson>=5\nleft-pad-for-python==1.0\n")
    return grader(folder, measure_load=False)


def test_a_requirement_the_wheelhouse_holds_is_installed_and_the_service_starts(
    extra_package: Report,
) -> None:
    boot = next(stage for stage in extra_package.stages if stage.name == "boot")
    assert extra_package.detection.requirements_installed == ["ujson"]
    assert boot.status is StageStatus.passed, boot.log[-2000:]


def test_a_requirement_no_wheelhouse_holds_is_named(extra_package: Report) -> None:
    assert extra_package.detection.requirements_missing == ["left-pad-for-python"]


@pytest.fixture(scope="session")
def procfile_started(
    grader, book_reviews: Problem, tmp_path_factory: pytest.TempPathFactory
) -> Report:
    """The reference with its app in ``app/server.py``, a scratch app in ``app/asgi.py`` that
    a guess from the code would start, and a Procfile that says which one is served."""
    folder = tmp_path_factory.mktemp("procfile") / "submission"
    shutil.copytree(book_reviews.reference, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "app" / "main.py").rename(folder / "app" / "server.py")
    (folder / "app" / "asgi.py").write_text(
        'from fastapi import FastAPI\n\napp = FastAPI(title="scratch")\n', encoding="utf-8"
    )
    (folder / "Procfile").write_text(
        "web: uvicorn app.server:app --host 0.0.0.0 --port $PORT\n", encoding="utf-8"
    )
    return grader(folder, measure_load=False)


def test_the_app_is_started_as_the_procfile_says(procfile_started: Report) -> None:
    detection = procfile_started.detection
    assert (detection.entrypoint, detection.entrypoint_source) == ("app.server:app", "declared")
    assert any("as the Procfile does" in note for note in detection.notes)
    assert _failed(procfile_started) == []
