"""The environments one run gives the service, its own tests and the tester, with a reviewer's
overrides on top of the problem's values and the inferred ones."""

from pathlib import Path

from assay.grading import configure
from assay.grading.context import Run
from assay.sandbox.infra import APP_DB, SELFTEST_DB
from tests.builders import PROBLEM_TOML, make_report, tiny_problem
from tests.fakes import FakePod, FakeSandbox, ok

WITH_ENV = PROBLEM_TOML.replace(
    'services = ["redis"]',
    'services = ["postgres", "redis"]\n\n'
    "[env]\n"
    'DATABASE_URL = "postgresql://{{db_user}}:{{db_password}}@{{db_host}}:{{db_port}}/{{db_name}}"\n'
    'REDIS_URL = "redis://{{redis_host}}:{{redis_port}}/{{redis_db}}"',
)  # braces doubled: the builder formats the text with the slug
DSN = "postgresql+asyncpg://{db_user}:{db_password}@{db_host}:{db_port}/{db_name}"


def made(tmp_path: Path, overrides: dict[str, str], variables: dict[str, str] | None = None) -> Run:
    """A run of a problem with Postgres, Redis and an env of its own, in a pod running nothing;
    the submission reads ``variables`` (name: example) from its ``.env``."""
    discovered = configure.Discovered()
    for name, example in (variables or {}).items():
        discovered.read(name, ".env", example)
    pod = FakePod(lambda command: ok())
    return Run(
        problem=tiny_problem(tmp_path, problem=WITH_ENV),
        pod=pod,
        sandbox=FakeSandbox(lambda command: ok()),
        report=make_report(),
        seed=1,
        discovered=discovered,
        overrides=overrides,
    )


def password(run: Run) -> str:
    return run.pod.endpoints.credentials.app_password


def test_without_overrides_the_problems_env_is_filled_for_the_pod(tmp_path):
    run = made(tmp_path, {})

    env = run.service_env()

    assert env["DATABASE_URL"] == f"postgresql://app:{password(run)}@127.0.0.1:5432/{APP_DB}"
    assert env["REDIS_URL"] == "redis://127.0.0.1:6379/0"


def test_an_override_is_filled_like_the_problems_env(tmp_path):
    run = made(tmp_path, {"APP_DB_DSN": DSN})

    env = run.service_env()

    assert env["APP_DB_DSN"] == f"postgresql+asyncpg://app:{password(run)}@127.0.0.1:5432/{APP_DB}"


def test_an_override_wins_over_the_problems_value(tmp_path):
    run = made(tmp_path, {"REDIS_URL": "redis://{redis_host}:{redis_port}/5"})

    assert run.service_env()["REDIS_URL"] == "redis://127.0.0.1:6379/5"


def test_an_override_wins_over_an_inferred_value_and_replaces_its_note(tmp_path):
    run = made(tmp_path, {"DB_PORT": "6543"}, {"DB_PORT": "5433", "DB_HOST": "db"})

    env, notes = run.configured_env()

    assert env["DB_PORT"] == "6543"
    assert notes == [
        "DB_HOST (read in .env) set to 127.0.0.1",
        "DB_PORT (read in .env) pinned by a reviewer: 6543",
    ]


def test_the_notes_never_hold_the_pods_password(tmp_path):
    run = made(tmp_path, {"APP_DB_DSN": DSN, "APP_DB_PASSWORD": "{db_password}"})

    _, notes = run.configured_env()

    assert notes == [
        f"APP_DB_DSN pinned by a reviewer: {DSN}",
        "APP_DB_PASSWORD pinned by a reviewer: {db_password}",
    ]
    assert not any(password(run) in note for note in notes)


def test_own_tests_get_the_override_filled_with_their_own_database(tmp_path):
    run = made(tmp_path, {"APP_DB_DSN": DSN, "CACHE_DB": "{redis_db}"})

    env = run.selftest_env()

    assert env["APP_DB_DSN"].endswith(f"/{SELFTEST_DB}")
    assert env["CACHE_DB"] == "1"


def test_the_tester_sees_the_overridden_value_as_the_apps(tmp_path):
    run = made(tmp_path, {"APP_DB_DSN": DSN})

    env = run.tester_env()

    assert env["ASSAY_APP_APP_DB_DSN"] == run.service_env()["APP_DB_DSN"]
    assert "APP_DB_DSN" not in env
