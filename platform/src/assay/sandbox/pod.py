"""What a grading stage may ask of a pod, whichever backend runs it."""

from contextlib import AbstractContextManager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Protocol

from assay.sandbox.limits import Limits


class Role(StrEnum):
    """Who runs a command: the candidate's service, the grader's tests, or the candidate's tests."""

    app = "app"
    tester = "tester"
    selftest = "selftest"


@dataclass(frozen=True)
class ExecResult:
    exit_code: int
    output: str
    timed_out: bool
    seconds: float

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out


@dataclass(frozen=True)
class AppState:
    running: bool
    exit_code: int | None
    logs: str


@dataclass(frozen=True)
class Endpoints:
    db_host: str = "127.0.0.1"
    db_port: int = 5432
    redis_host: str = "127.0.0.1"
    redis_port: int = 6379
    app_port: int = 8000

    @property
    def app_url(self) -> str:
        return f"http://127.0.0.1:{self.app_port}"


@dataclass(frozen=True)
class Paths:
    """Where the grader's files are as the pod's processes see them.

    Every role runs in its own copy of the submission as its working directory, so the
    submission itself is always ``.``.
    """

    toolkit: PurePosixPath
    evaluation: PurePosixPath
    scratch: PurePosixPath


DB_USER = "app"
DB_PASSWORD = "app"  # noqa: S105 - a throwaway database inside a pod with no route out
APP_DB = "app"
SELFTEST_DB = "selftest"


def create_databases_argv(psql: str, port: int) -> list[str]:
    """The ``psql`` call that makes the app's role and its two empty databases."""
    statements = [
        f"CREATE ROLE {DB_USER} LOGIN PASSWORD '{DB_PASSWORD}'",
        f"CREATE DATABASE {APP_DB} OWNER {DB_USER}",
        f"CREATE DATABASE {SELFTEST_DB} OWNER {DB_USER}",
    ]
    argv = [psql, "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-v", "ON_ERROR_STOP=1"]
    for statement in statements:
        argv += ["-c", statement]
    return argv


class Pod(Protocol):
    endpoints: Endpoints
    paths: Paths
    backend: str

    def start_app(self, script: str, env: dict[str, str], name: str = "app") -> None:
        """Start one of the candidate's processes from a shell script run in its own copy."""

    def app_state(self, name: str = "app") -> AppState: ...

    def run(
        self, role: Role, argv: list[str], *, env: dict[str, str] | None = None, timeout: float
    ) -> ExecResult:
        """Run a command as ``role`` in its working copy, killed at ``timeout`` seconds."""

    def read_text(self, role: Role, path: PurePosixPath) -> str | None:
        """Read a file a command left behind; None when it is not there."""

    def stop_service(self, name: str) -> None:
        """Stop an infrastructure service or one of the candidate's processes (faults)."""

    def app_peak_memory_mb(self) -> float | None: ...


@dataclass(frozen=True)
class PodSpec:
    """What one grading run's pod is made of, whichever backend opens it."""

    run_id: str
    submission: Path
    toolkit: Path
    evaluation: Path
    services: tuple[str, ...]
    limits: Limits
    app_port: int = 8000
    fixed_ports: bool = False  # the submission's commands name their ports: keep them


class Sandbox(Protocol):
    """Opens pods; one per grading run."""

    name: str
    image: str
    image_id: str

    def pod(self, spec: PodSpec) -> AbstractContextManager[Pod]: ...
