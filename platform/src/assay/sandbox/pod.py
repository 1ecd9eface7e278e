"""What a grading stage may ask of a pod, whichever backend runs it."""

from contextlib import AbstractContextManager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Protocol

from assay.sandbox.infra import APP_DB, APP_ROLE, GRADER_DB, GRADER_ROLE, Credentials, Login
from assay.sandbox.limits import Limits
from assay.sandbox.wheelhouse import Prepared


class Role(StrEnum):
    """Who runs a command: the candidate's service, the grader's tests, or the candidate's tests."""

    app = "app"
    tester = "tester"
    selftest = "selftest"


class Stop(StrEnum):
    """Why the sandbox ended a command or a process before it finished by itself."""

    deadline = "deadline"
    memory = "memory"
    pids = "pids"
    file_size = "file_size"

    @property
    def reason(self) -> str:
        return {
            Stop.deadline: "stopped at its deadline",
            Stop.memory: "killed by the out-of-memory killer at the memory limit",
            Stop.pids: "hit the limit on processes and threads",
            Stop.file_size: "killed for writing a file over the file-size limit",
        }[self]


SIGXFSZ_EXIT = 128 + 25


@dataclass(frozen=True)
class ExecResult:
    exit_code: int
    output: str
    seconds: float
    stopped_by: Stop | None = None
    truncated: bool = False  # the output was longer than the cap: head and tail are kept

    @property
    def timed_out(self) -> bool:
        return self.stopped_by is Stop.deadline

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and self.stopped_by is None

    def why(self) -> str:
        """One phrase for a report: how the command ended."""
        if self.stopped_by is not None:
            return self.stopped_by.reason
        return f"exited with code {self.exit_code}"


@dataclass(frozen=True)
class AppState:
    running: bool
    exit_code: int | None
    logs: str
    stopped_by: Stop | None = None

    def why(self) -> str:
        if self.stopped_by is not None:
            return self.stopped_by.reason
        return f"exited with code {self.exit_code}"


@dataclass(frozen=True)
class Endpoints:
    """Where the pod's services answer, and the credentials each side uses."""

    credentials: Credentials
    db_host: str = "127.0.0.1"
    db_port: int = 5432
    redis_host: str = "127.0.0.1"
    redis_port: int = 6379
    app_port: int = 8000

    @property
    def app_url(self) -> str:
        return f"http://127.0.0.1:{self.app_port}"

    def database_url(self, database: str = APP_DB, *, grader: bool = False) -> str:
        """A libpq URL: the app's role owns its databases; the grader's may read them all."""
        role, password = (
            (GRADER_ROLE, self.credentials.grader_password)
            if grader
            else (APP_ROLE, self.credentials.app_password)
        )
        return f"postgresql://{role}:{password}@{self.db_host}:{self.db_port}/{database}"

    def grader_database_url(self) -> str:
        return self.database_url(GRADER_DB, grader=True)

    def redis_url(self, database: int = 0) -> str:
        return f"redis://{self.redis_host}:{self.redis_port}/{database}"


@dataclass(frozen=True)
class Paths:
    """Where the grader's files are as the pod's processes see them.

    The app and selftest roles run in their own writable copy of the submission, so for them
    the submission is ``.``. The tester runs in its scratch folder, outside the submission,
    and reads a read-only copy at ``source``.
    """

    toolkit: PurePosixPath
    evaluation: PurePosixPath
    scratch: PurePosixPath
    source: PurePosixPath


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
        """Run a command as ``role`` in its working folder, killed at ``timeout`` seconds."""

    def read_text(self, role: Role, path: PurePosixPath) -> str | None:
        """Read a file a command left behind; None when it is not there."""

    def stop_service(self, name: str) -> None:
        """Stop an infrastructure service or one of the candidate's processes (faults)."""

    def pause_service(self, name: str) -> None:
        """Freeze a service or process: connections are still accepted, never answered."""

    def resume_service(self, name: str) -> None:
        """Thaw what ``pause_service`` froze."""

    def app_peak_memory_mb(self) -> float | None: ...


@dataclass(frozen=True)
class PodSpec:
    """What one grading run's pod is made of, whichever backend opens it."""

    run_id: str
    submission: bytes  # a tar of the submission, as ``assay.tree.pack`` makes it
    toolkit: Path
    evaluation: Path
    services: tuple[str, ...]
    limits: Limits
    app_port: int = 8000
    fixed_ports: bool = False  # the submission's commands name their ports: keep them
    logins: tuple[Login, ...] = ()  # roles and databases the submission names itself
    host_aliases: tuple[str, ...] = ()  # names the submission gives its services: loopback
    app_image: str | None = None  # the runtime image with the submission's extra packages


class Sandbox(Protocol):
    """Opens pods; one per grading run."""

    name: str
    image: str
    image_id: str
    packages: frozenset[str]  # normalized names of the distributions the image provides

    def pod(self, spec: PodSpec) -> AbstractContextManager[Pod]: ...

    def load_window(self) -> AbstractContextManager[None]:
        """Hold the host while load is measured, so that two measurements never overlap."""

    def prepare(self, requirements: dict[str, str]) -> Prepared:
        """What a submission needs beyond the image (name -> requirement): an image holding
        what can be installed offline, and what cannot."""
