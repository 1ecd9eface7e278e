"""The pod's PostgreSQL and Redis: how they start, and who may use which database.

PostgreSQL trusts only its own Unix socket, which lives in the infrastructure's private
``/tmp``; over TCP every role needs its password. The candidate's role owns the app's and the
self-test databases and nothing else; the grader's role reads everything and owns a database
the candidate's role cannot even connect to. Passwords are new for every pod.
"""

import secrets
from dataclasses import dataclass, field

ADMIN = "assay_admin"  # not "postgres": a submission may name that role for itself
ADMIN_DB = "postgres"
RESERVED_ROLES = frozenset({ADMIN, "app", "grader"})
RESERVED_DATABASES = frozenset({"app", "selftest", "grader", "template0", "template1"})
APP_ROLE = "app"
APP_DB = "app"
SELFTEST_DB = "selftest"
GRADER_ROLE = "grader"
GRADER_DB = "grader"


def _password() -> str:
    return secrets.token_hex(16)


@dataclass(frozen=True)
class Login:
    """A role and its database that a submission names itself (a hard-coded URL)."""

    user: str
    password: str
    database: str


@dataclass(frozen=True)
class Credentials:
    app_password: str = field(default_factory=_password)
    grader_password: str = field(default_factory=_password)


def initdb_argv(initdb: str, data: str) -> list[str]:
    return [
        initdb,
        "-D",
        data,
        "-U",
        ADMIN,
        "--auth-local=trust",
        "--auth-host=scram-sha-256",
        "-E",
        "UTF8",
        "--no-sync",
    ]


def postgres_argv(postgres: str, data: str, *, port: int, socket_dir: str) -> list[str]:
    settings = {
        "listen_addresses": "127.0.0.1",
        "port": str(port),
        "unix_socket_directories": socket_dir,
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
        "max_connections": "200",
    }
    argv = [postgres, "-D", data]
    for key, value in settings.items():
        argv += ["-c", f"{key}={value}"]
    return argv


def setup_statements(credentials: Credentials) -> list[str]:
    """Roles and databases, each statement on its own (CREATE DATABASE refuses a transaction)."""
    return [
        f"CREATE ROLE {APP_ROLE} LOGIN PASSWORD '{credentials.app_password}'",
        f"CREATE DATABASE {APP_DB} OWNER {APP_ROLE}",
        f"CREATE DATABASE {SELFTEST_DB} OWNER {APP_ROLE}",
        f"CREATE ROLE {GRADER_ROLE} LOGIN PASSWORD '{credentials.grader_password}' "
        "IN ROLE pg_read_all_data, pg_read_all_stats",
        f"CREATE DATABASE {GRADER_DB} OWNER {GRADER_ROLE}",
        f"REVOKE ALL ON DATABASE {GRADER_DB} FROM PUBLIC",
        f"REVOKE ALL ON DATABASE {ADMIN_DB} FROM PUBLIC",
        "REVOKE ALL ON DATABASE template1 FROM PUBLIC",
    ]


def login_statements(logins: tuple[Login, ...]) -> list[str]:
    """The submission's own roles, each owning its database and nothing else.

    Names were checked to be plain identifiers and passwords to hold no quote; reserved names
    (the pod's own) are left alone.
    """
    statements, roles, databases = [], set(), set()
    for login in logins:
        if login.user in RESERVED_ROLES or login.database in RESERVED_DATABASES:
            continue
        if login.user not in roles:
            roles.add(login.user)
            statements.append(f"CREATE ROLE \"{login.user}\" LOGIN PASSWORD '{login.password}'")
        if login.database in databases:
            continue
        databases.add(login.database)
        if login.database == ADMIN_DB:
            statements.append(f'ALTER DATABASE {ADMIN_DB} OWNER TO "{login.user}"')
        else:
            statements.append(f'CREATE DATABASE "{login.database}" OWNER "{login.user}"')
    return statements


def psql_argv(
    psql: str,
    *,
    socket_dir: str,
    port: int,
    credentials: Credentials,
    logins: tuple[Login, ...] = (),
) -> list[str]:
    argv = [psql, "-h", socket_dir, "-p", str(port), "-U", ADMIN, "-d", ADMIN_DB]
    argv += ["-q", "-v", "ON_ERROR_STOP=1"]
    for statement in [*setup_statements(credentials), *login_statements(logins)]:
        argv += ["-c", statement]
    return argv


def redis_argv(*, port: int, folder: str) -> list[str]:
    return [
        "redis-server",
        "--bind",
        "127.0.0.1",
        "--port",
        str(port),
        "--save",
        "",
        "--appendonly",
        "no",
        "--protected-mode",
        "no",
        "--dir",
        folder,
    ]
