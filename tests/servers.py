"""Real servers for the full tier, from Debian's packages, on free loopback ports.

PostgreSQL and Redis run as child processes of the test session in temporary folders; the
service's own processes (``assay worker``, ``assay serve``) run as the CLI runs them.
Everything is stopped when the session ends, and can be stopped and started in between
(what the outage tests do).
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from assay.sandbox import infra

PG_BIN = Path("/usr/lib/postgresql/15/bin")
PASSWORD = "assay-tests"
READY_S = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until(ready: Callable[[], bool], *, what: str, timeout: float = READY_S) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not ready within {timeout:g} s")
        time.sleep(0.2)


def answers(url: str) -> bool:
    """Whether an HTTP server answers 200 at ``url`` yet."""
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _as_postgres(argv: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root; a root CI runner starts it as ``postgres``."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@dataclass
class Process:
    """A server process with its log, stoppable and startable again."""

    name: str
    argv: list[str]
    log: Path
    env: dict[str, str] | None = None
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.argv,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.env,
                start_new_session=True,
            )

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, sig)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.is_file() else ""
        return "\n".join(text.splitlines()[-lines:])


def _postgres_folder() -> Path:
    """A folder the ``postgres`` user can reach (pytest's temporary folders are root's own)."""
    folder = Path(tempfile.mkdtemp(prefix="assay-test-pg-"))
    folder.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    return folder


@dataclass
class Postgres:
    folder: Path = field(default_factory=_postgres_folder)
    port: int = field(default_factory=free_port)

    def __post_init__(self) -> None:
        data = self.folder / "pg"
        data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(data, "postgres")
        argv = infra.initdb_argv(str(PG_BIN / "initdb"), str(data))
        subprocess.run(_as_postgres(argv), check=True, capture_output=True)
        server = infra.postgres_argv(
            str(PG_BIN / "postgres"), str(data), port=self.port, socket_dir=str(data)
        )
        self.socket_dir = str(data)
        self.server = Process("postgres", _as_postgres(server), self.folder / "postgres.log")

    def psql(self, *statements: str, database: str = "postgres") -> None:
        argv = [str(PG_BIN / "psql"), "-h", self.socket_dir, "-p", str(self.port)]
        argv += ["-U", infra.ADMIN, "-d", database, "-v", "ON_ERROR_STOP=1", "-q"]
        for statement in statements:
            argv += ["-c", statement]
        subprocess.run(_as_postgres(argv), check=True, capture_output=True)

    def start(self) -> None:
        self.server.start()
        ready = [str(PG_BIN / "pg_isready"), "-q", "-h", self.socket_dir, "-p", str(self.port)]
        wait_until(lambda: subprocess.run(ready, check=False).returncode == 0, what="PostgreSQL")

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{infra.ADMIN}:{PASSWORD}@127.0.0.1:{self.port}/{database}"

    def boot(self) -> "Postgres":
        self.start()
        self.psql(f"ALTER ROLE {infra.ADMIN} PASSWORD '{PASSWORD}'")
        return self

    def remove(self) -> None:
        self.server.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


@dataclass
class Redis:
    folder: Path
    port: int = field(default_factory=free_port)

    def __post_init__(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        argv = infra.redis_argv(port=self.port, folder=str(self.folder))
        self.server = Process("redis", argv, self.folder / "redis.log")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "Redis":
        self.server.start()
        ping = ["redis-cli", "-p", str(self.port), "ping"]
        wait_until(
            lambda: b"PONG" in subprocess.run(ping, capture_output=True, check=False).stdout,
            what="Redis",
        )
        return self


def assay(*args: str) -> list[str]:
    """The ``assay`` command of this environment."""
    return [sys.executable, "-m", "assay.cli", *args]
