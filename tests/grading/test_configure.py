"""How a submission expects to be configured, read as a reviewer reads it, and its values;
the values a reviewer pins over them."""

from pathlib import Path

import pytest

from assay.errors import InvalidInput
from assay.grading import configure
from assay.grading.configure import Discovered
from assay.sandbox.infra import Login, login_statements
from assay.tree import walk

POD = configure.Pod(
    db_user="app",
    db_password="secret",
    db_host="127.0.0.1",
    db_port=5432,
    db_name="app",
    redis_host="127.0.0.1",
    redis_port=6379,
    redis_db=0,
)
BOTH = frozenset({"postgres", "redis"})


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def configured(
    tmp_path: Path,
    files: dict[str, str],
    *,
    given: dict[str, str] | None = None,
    services: frozenset[str] = BOTH,
) -> dict[str, str]:
    discovered = configure.discover(walk(write(tmp_path / "s", files)))
    env, _ = configure.environment(discovered, POD, given=given or {}, services=services)
    return env


def test_postgres_parts_from_an_env_example_point_at_the_pods_database(tmp_path):
    env = configured(
        tmp_path,
        {
            ".env.example": "POSTGRES_USER=books\nPOSTGRES_PASSWORD=books\nPOSTGRES_HOST=db\n"
            "POSTGRES_PORT=5433\nPOSTGRES_DB=books\n"
        },
    )

    assert env == {
        "POSTGRES_USER": "app",
        "POSTGRES_PASSWORD": "secret",
        "POSTGRES_HOST": "127.0.0.1",
        "POSTGRES_PORT": "5432",
        "POSTGRES_DB": "app",
    }


def test_db_names_read_with_os_getenv_are_set_whatever_their_defaults(tmp_path):
    code = (
        "import os\n"
        "HOST = os.getenv('DB_HOST', '192.168.1.10')\n"
        "NAME = os.environ.get('DB_NAME', 'reviews')\n"
        "USER = os.environ['DB_USER']\n"
    )

    env = configured(tmp_path, {"app/config.py": code})

    assert env == {"DB_HOST": "127.0.0.1", "DB_NAME": "app", "DB_USER": "app"}


def test_parts_whose_defaults_are_named_postgres_are_parts_not_urls(tmp_path):
    code = (
        "import os\n"
        "USER = os.getenv('POSTGRES_USER', 'postgres')\n"
        "PASSWORD = os.getenv('POSTGRES_PASSWORD', 'postgres')\n"
        "NAME = os.getenv('POSTGRES_DB', 'postgres')\n"
    )

    env = configured(tmp_path, {"app/config.py": code})

    assert env == {"POSTGRES_USER": "app", "POSTGRES_PASSWORD": "secret", "POSTGRES_DB": "app"}


def test_a_database_url_keeps_the_driver_the_submission_uses(tmp_path):
    code = (
        "from pydantic_settings import BaseSettings, SettingsConfigDict\n\n"
        "class Settings(BaseSettings):\n"
        "    model_config = SettingsConfigDict(env_prefix='APP_')\n"
        "    database_url: str = 'postgresql+asyncpg://u:p@localhost/books'\n"
        "    redis_url: str = 'redis://10.0.0.5:6379/0'\n"
    )

    env = configured(tmp_path, {"settings.py": code})

    assert env == {
        "APP_DATABASE_URL": "postgresql+asyncpg://app:secret@127.0.0.1:5432/app",
        "APP_REDIS_URL": "redis://127.0.0.1:6379/0",
    }


def test_a_sqlite_solution_runs_as_it_is(tmp_path):
    env = configured(tmp_path, {".env": "DATABASE_URL=sqlite:///./books.db\n"})

    assert env == {}


def test_what_the_problem_sets_itself_is_not_overridden(tmp_path):
    env = configured(
        tmp_path, {".env": "DATABASE_URL=postgresql://x@y/z\n"}, given={"DATABASE_URL": "mine"}
    )

    assert env == {}


def test_a_cache_variable_is_left_alone_when_the_problem_has_no_redis(tmp_path):
    env = configured(
        tmp_path, {".env": "REDIS_HOST=redis\nDB_HOST=db\n"}, services=frozenset({"postgres"})
    )

    assert env == {"DB_HOST": "127.0.0.1"}


def test_a_variable_named_otherwise_is_known_by_its_redis_example(tmp_path):
    env = configured(tmp_path, {".env.example": "BROKER=redis://queue:6379/1\n"})

    assert env == {"BROKER": "redis://127.0.0.1:6379/0"}


def test_compose_environment_names_are_read_and_its_services_become_host_names(tmp_path):
    compose = (
        "services:\n  api:\n    environment:\n      - PGHOST=pg\n      - PGUSER=me\n"
        "  pg:\n    image: postgres\n"
    )

    discovered = configure.discover(walk(write(tmp_path / "s", {"docker-compose.yml": compose})))

    assert {"PGHOST", "PGUSER"} <= set(discovered.variables)
    assert {"api", "pg"} <= set(configure.aliases(discovered))


def test_a_hard_coded_alembic_url_has_its_role_and_database_made(tmp_path):
    ini = "[alembic]\nsqlalchemy.url = postgresql://books:pw@database:5432/bookreviews\n"

    discovered = configure.discover(walk(write(tmp_path / "s", {"alembic.ini": ini})))

    assert discovered.logins == {Login("books", "pw", "bookreviews"): "alembic.ini"}
    assert "database" in configure.aliases(discovered)


def test_a_url_with_a_name_that_is_not_a_plain_identifier_makes_nothing(tmp_path):
    ini = "[alembic]\nsqlalchemy.url = postgresql://x;drop:pw@db/books\n"

    discovered = configure.discover(walk(write(tmp_path / "s", {"alembic.ini": ini})))

    assert discovered.logins == {}


def test_every_inferred_value_comes_with_where_it_was_read(tmp_path):
    discovered = configure.discover(walk(write(tmp_path / "s", {".env": "DB_HOST=db\n"})))

    _, notes = configure.environment(discovered, POD, given={}, services=BOTH)

    assert notes == ["DB_HOST (read in .env) set to 127.0.0.1"]


def test_an_inferred_url_is_noted_without_the_pods_password(tmp_path):
    discovered = configure.discover(
        walk(write(tmp_path / "s", {".env": "DATABASE_URL=postgresql+asyncpg://u:p@db/x\n"}))
    )

    env, notes = configure.environment(discovered, POD, given={}, services=BOTH)

    assert env["DATABASE_URL"] == "postgresql+asyncpg://app:secret@127.0.0.1:5432/app"
    assert notes == [
        "DATABASE_URL (read in .env) set to postgresql+asyncpg://app:…@127.0.0.1:5432/app"
    ]


def test_a_submissions_own_role_owns_only_its_database() -> None:
    statements = login_statements((Login("books", "pw", "bookreviews"),))

    assert statements == [
        "CREATE ROLE \"books\" LOGIN PASSWORD 'pw'",
        'CREATE DATABASE "bookreviews" OWNER "books"',
    ]


def test_the_pods_own_roles_and_databases_are_never_given_away() -> None:
    logins = (Login("app", "x", "mine"), Login("me", "x", "grader"), Login("assay_admin", "x", "a"))

    assert login_statements(logins) == []


def test_a_role_named_postgres_may_own_the_postgres_database() -> None:
    statements = login_statements((Login("postgres", "postgres", "postgres"),))

    assert statements == [
        "CREATE ROLE \"postgres\" LOGIN PASSWORD 'postgres'",
        'ALTER DATABASE postgres OWNER TO "postgres"',
    ]


def test_a_url_literal_given_to_create_engine_has_its_role_made(tmp_path):
    code = "from sqlalchemy import create_engine\nengine = create_engine('postgresql://me:pw@db/shop')\n"

    discovered = configure.discover(walk(write(tmp_path / "s", {"db.py": code})))

    assert discovered.logins == {Login("me", "pw", "shop"): "db.py"}


def test_a_settings_default_the_grader_overrides_makes_no_role(tmp_path):
    code = (
        "from pydantic_settings import BaseSettings\n\n"
        "class Settings(BaseSettings):\n"
        "    database_url: str = 'postgresql://books:books@localhost/books'\n"
    )

    discovered = configure.discover(walk(write(tmp_path / "s", {"config.py": code})))

    assert discovered.logins == {}


# A reviewer's overrides

VALUES = {
    "db_user": "app",
    "db_password": "secret",
    "db_host": "127.0.0.1",
    "db_port": "5432",
    "db_name": "app",
    "redis_host": "127.0.0.1",
    "redis_port": "6379",
    "redis_db": "0",
}
DSN = "postgresql+asyncpg://{db_user}:{db_password}@{db_host}:{db_port}/{db_name}"


def test_overrides_with_plain_names_and_values_are_accepted():
    overrides = {"APP_DB_DSN": DSN, "_debug": "", "LOG_FORMAT": "{levelname}: {message}"}

    assert configure.check_overrides(overrides) == overrides


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"1DB": "x"}, "not an environment variable name"),
        ({"DB-URL": "x"}, "not an environment variable name"),
        ({"": "x"}, "not an environment variable name"),
        ({"A" * 101: "x"}, "not an environment variable name"),
        ({"ASSAY_BASE_URL": "x"}, "names starting with ASSAY_ cannot be pinned"),
        ({"assay_seed": "x"}, "names starting with ASSAY_ cannot be pinned"),
        ({"DB": "x" * 2001}, "longer than 2000 characters"),
        ({"DB": "a\0b"}, "NUL character"),
        ({f"V{index}": "x" for index in range(51)}, "at most 50 variables"),
    ],
    ids=[
        "leading digit",
        "dash",
        "empty name",
        "long name",
        "grader's name",
        "grader's name in lower case",
        "long value",
        "NUL",
        "too many",
    ],
)
def test_an_override_the_pod_cannot_be_given_is_refused_with_the_reason(overrides, reason):
    with pytest.raises(InvalidInput, match=reason):
        configure.check_overrides(overrides)


def test_typed_overrides_are_split_at_their_first_equals_sign():
    lines = ["APP_DB_DSN=postgresql://{db_user}@{db_host}/x?a=b", "EMPTY="]

    assert configure.parse_overrides(lines) == {
        "APP_DB_DSN": "postgresql://{db_user}@{db_host}/x?a=b",
        "EMPTY": "",
    }


def test_typed_overrides_skip_blank_lines_and_comments():
    assert configure.parse_overrides(["", "# the DSN", "  ", "A=1"]) == {"A": "1"}


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        (["A=1", "DATABASE_URL"], "line 2 is not NAME=value: 'DATABASE_URL'"),
        (["A=1", "A=2"], r"A is given twice \(line 2\)"),
        (["ASSAY_SEED=1"], "cannot be pinned"),
    ],
    ids=["no equals sign", "twice", "checked"],
)
def test_typed_overrides_that_cannot_be_given_are_refused_with_the_line(lines, reason):
    with pytest.raises(InvalidInput, match=reason):
        configure.parse_overrides(lines)


def test_pinned_templates_are_filled_with_the_pods_values():
    env, _ = configure.pinned({"APP_DB_DSN": DSN, "CACHE": "{redis_host}"}, VALUES, Discovered())

    assert env == {
        "APP_DB_DSN": "postgresql+asyncpg://app:secret@127.0.0.1:5432/app",
        "CACHE": "127.0.0.1",
    }


def test_a_pinned_value_with_the_pods_password_is_noted_as_written():
    _, notes = configure.pinned({"APP_DB_DSN": DSN}, VALUES, Discovered())

    assert notes == [f"APP_DB_DSN pinned by a reviewer: {DSN}"]
    assert "secret" not in notes[0]


def test_a_pinned_value_without_the_password_is_noted_as_filled():
    _, notes = configure.pinned({"DB_HOST": "{db_host}"}, VALUES, Discovered())

    assert notes == ["DB_HOST pinned by a reviewer: 127.0.0.1"]


def test_a_pinned_variable_the_submission_reads_says_where_it_is_read(tmp_path):
    discovered = configure.discover(walk(write(tmp_path / "s", {".env": "APP_DB_DSN=x\n"})))

    _, notes = configure.pinned({"APP_DB_DSN": "sqlite://"}, VALUES, discovered)

    assert notes == ["APP_DB_DSN (read in .env) pinned by a reviewer: sqlite://"]


def test_a_brace_that_is_no_placeholder_is_kept_and_the_note_says_so():
    env, notes = configure.pinned({"DB_PASSWORD": "{db_pass}"}, VALUES, Discovered())

    assert env == {"DB_PASSWORD": "{db_pass}"}
    assert notes == [
        "DB_PASSWORD pinned by a reviewer: {db_pass} ({db_pass} kept as written: "
        "not one of the pod's placeholders)"
    ]


def test_a_pinned_variable_is_not_inferred_as_well(tmp_path):
    discovered = configure.discover(walk(write(tmp_path / "s", {".env": "DB_HOST=db\n"})))
    pinned, _ = configure.pinned({"DB_HOST": "localhost"}, VALUES, discovered)

    env, notes = configure.environment(discovered, POD, given=pinned, services=BOTH)

    assert env == {}
    assert notes == []
