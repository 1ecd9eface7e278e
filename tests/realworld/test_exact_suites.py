"""The hidden suites are strict where the statement is, lenient where it is silent, and tell
real work from a shell: the exact problems', and the open brief's where it can be.

Each reference is changed both ways in one submission. The ways a statement leaves open
(fields beyond those shown, claims of its own in the tokens it checks, a version table in
`public`) cost nothing; a prefix on every route, or 200 for a creation, costs the one test
that checks it. A shortcut that only looks like the work (tables made at startup beside an
empty migration, no circuit breaker, a connection per request with one left idle, cache keys
that never expire, no index) fails the test that looks for it and no other.
"""

from pathlib import Path

import pytest

from assay.catalog.loader import load_problem
from assay.grading.report import Report
from tests.conftest import ROOT
from tests.realworld.variants import Edits, edited

pytestmark = pytest.mark.docker

EMPTY_MIGRATION = '''"""An empty revision: the tables are made at startup.

Revision ID: 0001
Revises:
"""

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
'''
VERSION_TABLE = "CREATE TABLE IF NOT EXISTS public.alembic_version_users (version_num text)"
TASK_API: Edits = {
    "app/schemas.py": [
        ("    owner_id: int\n", "    owner_id: int\n    archived: bool = False\n"),
        (
            "    assignee_id: int | None\n",
            "    assignee_id: int | None\n    tags: list[str] = []\n",
        ),
    ],
    "app/api/tasks.py": [
        ('@router.post("", status_code=status.HTTP_201_CREATED)', '@router.post("")')
    ],
    "app/security.py": [
        ('claims = {"sub"', 'claims = {"iss": "tasks", "jti": secrets.token_hex(8), "sub"'),
        (
            'options={"require": ["exp", "sub"]}',
            'issuer="tasks", options={"require": ["exp", "sub", "iss", "jti"]}',
        ),
    ],
    "app/main.py": [
        ("        yield\n", "        Base.metadata.create_all(engine)\n        yield\n"),
        (
            "from app.db import make_engine\n",
            "from app import models\nfrom app.db import make_engine\n",
        ),
        ("    engine = make_engine(", "    Base = models.Base\n    engine = make_engine("),
        ("(module.router)", '(module.router, prefix="" if module is health else "/api/v1")'),
    ],
}
ECOMMERCE: Edits = {
    "orders/schemas.py": [
        ("    total_cents: int\n", '    total_cents: int\n    currency: str = "EUR"\n')
    ],
    "users/security.py": [
        ('        "type": "access",\n', '        "type": "access",\n        "iss": "shop",\n')
    ],
    "gateway/auth.py": [
        ('"require": ["sub", "exp"]', '"require": ["sub", "exp", "iss"]'),
        ('options={"require"', 'issuer="shop", options={"require"'),
    ],
    "gateway/config.py": [
        ("breaker_failures: int = Field(default=5,", "breaker_failures: int = Field(default=10**6,")
    ],
    "gateway/routing.py": [('re.compile(f"^{regex}$")', 're.compile(f"^/api/v1{regex}$")')],
    "gateway/main.py": [
        ('            f"/{path}",\n', '            f"/{path}".removeprefix("/api/v1"),\n')
    ],
    "users/migrate.py": [
        (
            "    engine.dispose()\n",
            "    with engine.begin() as connection:\n"
            f"        connection.exec_driver_sql({VERSION_TABLE!r})\n"
            "    engine.dispose()\n",
        )
    ],
}
PERF: Edits = {
    "app/db.py": [
        (
            "from sqlalchemy.orm import DeclarativeBase, Session\n",
            "from sqlalchemy.orm import DeclarativeBase, Session\n"
            "from sqlalchemy.pool import NullPool\n\nKEPT = []\n",
        ),
        ("    return create_engine(\n", "    engine = create_engine(\n"),
        ("        pool_size=pool_size,\n", "        poolclass=NullPool,\n"),
        ("        max_overflow=max_overflow,\n        pool_recycle=3600,\n", ""),
        (
            "    )\n\n\ndef after_commit",
            "    )\n    KEPT.append(engine.raw_connection())\n    return engine\n"
            "\n\ndef after_commit",
        ),
    ],
    "migrations/versions/0002_feed_indexes.py": [
        ('    op.create_index("ix_posts_author_id_created_at_id", "posts", ', "    ("),
        ('    op.drop_index("ix_posts_author_id_created_at_id", table_name="posts")\n', ""),
    ],
    "app/cache.py": [
        (
            "ex=self._ttl_seconds)\n",
            'ex=self._ttl_seconds)\n            self._client.sadd("feeds:rendered", key)\n',
        )
    ],
}
OPEN_BRIEF: Edits = {
    "app/main.py": [
        ("        yield\n", "        models.Base.metadata.create_all(engine)\n        yield\n"),
        ("from app import cache\n", "from app import cache, models\n"),
    ],
}


def failing(report: Report) -> dict[str, str]:
    return {
        test.id.rsplit("::", 1)[-1]: test.message for test in report.hidden_tests if not test.passed
    }


def variant(grader, slug: str, edits: Edits, tmp: Path, **files: str) -> Report:
    problem = load_problem(ROOT, slug)
    folder = edited(problem.reference, edits, tmp / "submission")
    for relative, text in files.items():
        (folder / relative).write_text(text, encoding="utf-8")
    return grader(folder, problem, measure_load=False)


@pytest.fixture(scope="session")
def task_api(grader, tmp_path_factory: pytest.TempPathFactory) -> Report:
    tmp = tmp_path_factory.mktemp("task-api-variant")
    migration = "migrations/versions/0001_create_users_projects_and_tasks.py"
    return variant(grader, "task-api", TASK_API, tmp, **{migration: EMPTY_MIGRATION})


@pytest.fixture(scope="session")
def ecommerce(grader, tmp_path_factory: pytest.TempPathFactory) -> Report:
    tmp = tmp_path_factory.mktemp("ecommerce-variant")
    return variant(grader, "ecommerce-microservices", ECOMMERCE, tmp)


@pytest.fixture(scope="session")
def perf(grader, tmp_path_factory: pytest.TempPathFactory) -> Report:
    return variant(grader, "perf-optimization", PERF, tmp_path_factory.mktemp("perf-variant"))


@pytest.mark.xdist_group("task-api")
def test_task_api_takes_extra_fields_and_claims_but_not_tables_made_at_startup(
    task_api: Report,
) -> None:
    failed = failing(task_api)

    assert set(failed) == {
        "test_routes_are_at_the_statements_paths",
        "test_create_task_returns_201_with_defaults",
        "test_schema_is_made_by_alembic",
    }, failed
    assert "outside the migrations" in failed["test_schema_is_made_by_alembic"]


@pytest.mark.xdist_group("task-api")
def test_a_prefix_and_a_200_for_creations_cost_a_test_each_and_keep_the_gates_open(
    task_api: Report,
) -> None:
    gates = {c.id: c.gate.value for c in task_api.criteria if c.gate is not None}

    assert "under /api/v1" in failing(task_api)["test_routes_are_at_the_statements_paths"]
    assert gates and min(gates.values()) > 0.9, gates


@pytest.mark.xdist_group("ecommerce-microservices")
def test_ecommerce_takes_extra_fields_claims_and_version_tables_but_not_a_missing_breaker(
    ecommerce: Report,
) -> None:
    failed = failing(ecommerce)

    assert set(failed) == {
        "test_routes_are_at_the_statements_paths",
        "test_the_breaker_stops_waiting_on_a_hung_service",
    }, failed
    assert "no breaker opened" in failed["test_the_breaker_stops_waiting_on_a_hung_service"]


@pytest.mark.xdist_group("ecommerce-microservices")
def test_a_gateway_prefix_costs_one_test_and_keeps_the_gates_open(ecommerce: Report) -> None:
    gates = {c.id: c.gate.value for c in ecommerce.criteria if c.gate is not None}

    assert "under /api/v1" in failing(ecommerce)["test_routes_are_at_the_statements_paths"]
    assert gates and min(gates.values()) > 0.9, gates


@pytest.mark.xdist_group("perf-optimization")
def test_perf_shortcuts_fail_the_tests_that_look_for_the_work(perf: Report) -> None:
    failed = failing(perf)

    assert {
        "test_feeds_find_posts_without_scanning_them",
        "test_cached_feeds_expire",
        "test_database_connections_are_pooled",
    } <= set(failed), failed
    assert "feeds:rendered" in failed["test_cached_feeds_expire"]
    assert "sessions opened for 10 requests" in failed["test_database_connections_are_pooled"]
    assert "scanned posts" in failed["test_feeds_find_posts_without_scanning_them"]


@pytest.mark.xdist_group("perf-optimization")
def test_perf_shortcuts_keep_every_answer_right(perf: Report) -> None:
    wrong = [
        test.id for test in perf.hidden_tests if test.category != "efficiency" and not test.passed
    ]

    assert wrong == []


@pytest.fixture(scope="session")
def open_brief(grader, tmp_path_factory: pytest.TempPathFactory) -> Report:
    tmp = tmp_path_factory.mktemp("open-variant")
    migration = "migrations/versions/0001_create_books_and_reviews.py"
    return variant(grader, "book-reviews-open", OPEN_BRIEF, tmp, **{migration: EMPTY_MIGRATION})


@pytest.mark.xdist_group("book-reviews-open")
def test_an_open_brief_finds_tables_made_at_startup_beside_an_empty_migration(
    open_brief: Report,
) -> None:
    failed = failing(open_brief)

    assert list(failed) == ["test_the_schema_is_made_by_alembic"], failed
    assert "outside the migrations" in failed["test_the_schema_is_made_by_alembic"]
