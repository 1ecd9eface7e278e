"""The local backend: the same stages as plain processes, for throwaway CI runners only.

Nothing is isolated: the submission runs with this machine's user and network. Opt-in only,
and announced loudly by :func:`assay.sandbox.backends.open_sandbox`. PostgreSQL and Redis come
from this machine (Debian's packages), on free loopback ports; the tools (pytest, ruff,
Locust, uvicorn) from the Python environment Assay runs in.
"""

import contextlib
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from assay.errors import SandboxError
from assay.sandbox.archive import pack
from assay.sandbox.output import CappedOutput
from assay.sandbox.pod import (
    AppState,
    Endpoints,
    ExecResult,
    Paths,
    PodSpec,
    Role,
    create_databases_argv,
)

PG_BIN = Path("/usr/lib/postgresql/15/bin")
READY_TIMEOUT_S = 30


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _as_postgres(argv: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root; a root CI runner starts it as ``postgres``."""
    runuser = shutil.which("runuser") or "/usr/sbin/runuser"
    return [runuser, "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@dataclass
class LocalPod:
    root: Path
    output_cap: int
    endpoints: Endpoints
    paths: Paths
    backend: str = "local"
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    app_names: list[str] = field(default_factory=list)

    def _dir(self, role: Role | str) -> Path:
        return self.root / str(role)

    def _env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        """A clean environment: nothing of the grader's own leaks into the submission."""
        path = os.pathsep.join([str(Path(sys.executable).parent), str(PG_BIN), "/usr/bin", "/bin"])
        return {
            "PATH": path,
            "HOME": str(self.root / "home"),
            "LANG": "C.UTF-8",
            "PYTHONPATH": f".{os.pathsep}{self.paths.toolkit}",
            "ASSAY_SCRATCH": str(self.paths.scratch),
            **(extra or {}),
        }

    def _spawn(self, name: str, argv: list[str], *, cwd: Path, env: dict[str, str]) -> None:
        with (self.root / f"{name}.log").open("wb") as log:
            self.processes[name] = subprocess.Popen(
                argv, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def start_infra(self, services: tuple[str, ...]) -> None:
        if "postgres" in services:
            self._start_postgres()
        if "redis" in services:
            self._spawn(
                "redis",
                [
                    "redis-server",
                    "--bind",
                    "127.0.0.1",
                    "--port",
                    str(self.endpoints.redis_port),
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    str(self.root),
                ],
                cwd=self.root,
                env=self._env(),
            )
            self._wait("redis", ["redis-cli", "-p", str(self.endpoints.redis_port), "ping"])

    def _start_postgres(self) -> None:
        data = self.root / "pg"
        data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(data, "postgres")
        init = subprocess.run(
            _as_postgres(
                [
                    str(PG_BIN / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--no-sync",
                ]
            ),
            capture_output=True,
            check=False,
        )
        if init.returncode:
            raise SandboxError(f"initdb failed: {init.stdout.decode()}{init.stderr.decode()}")
        port = str(self.endpoints.db_port)
        self._spawn(
            "postgres",
            _as_postgres(
                [
                    str(PG_BIN / "postgres"),
                    "-D",
                    str(data),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    f"port={port}",
                    "-c",
                    f"unix_socket_directories={data}",
                    "-c",
                    "fsync=off",
                ]
            ),
            cwd=self.root,
            env=self._env(),
        )
        self._wait("postgres", [str(PG_BIN / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", port])
        psql = create_databases_argv(str(PG_BIN / "psql"), self.endpoints.db_port)
        created = subprocess.run(psql, capture_output=True, check=False)
        if created.returncode:
            raise SandboxError(f"could not create databases: {created.stderr.decode()}")

    def _wait(self, name: str, probe: list[str]) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while subprocess.run(probe, capture_output=True, check=False).returncode:
            if time.monotonic() > deadline or self.processes[name].poll() is not None:
                log = (self.root / f"{name}.log").read_text(errors="replace")
                raise SandboxError(f"{name} did not start: {log[-2000:]}")
            time.sleep(0.2)

    def start_app(self, script: str, env: dict[str, str], name: str = "app") -> None:
        self.app_names.append(name)
        self._spawn(name, ["sh", "-c", script], cwd=self._dir(Role.app), env=self._env(env))

    def app_state(self, name: str = "app") -> AppState:
        code = self.processes[name].poll()
        capped = CappedOutput(self.output_cap)
        capped.feed((self.root / f"{name}.log").read_bytes())
        return AppState(running=code is None, exit_code=code, logs=capped.text())

    def run(
        self, role: Role, argv: list[str], *, env: dict[str, str] | None = None, timeout: float
    ) -> ExecResult:
        started = time.monotonic()
        process = subprocess.Popen(
            argv,
            cwd=self._dir(role),
            env=self._env(env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        timed_out = False
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
        capped = CappedOutput(self.output_cap)
        capped.feed(output)
        return ExecResult(
            exit_code=process.returncode,
            output=capped.text(),
            timed_out=timed_out,
            seconds=time.monotonic() - started,
        )

    def read_text(self, role: Role, path: PurePosixPath) -> str | None:
        target = self._dir(role) / path
        return target.read_text(errors="replace") if target.is_file() else None

    def stop_service(self, name: str) -> None:
        self._stop(name)

    def _stop(self, name: str) -> None:
        process = self.processes.get(name)
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def app_peak_memory_mb(self) -> float | None:
        """The submission's processes together, each at its own peak resident size."""
        peaks = [self._peak_kib(self.processes[name].pid) for name in self.app_names]
        return round(sum(peaks) / 1024, 1) if all(peaks) and peaks else None

    @staticmethod
    def _peak_kib(pid: int) -> int:
        status = Path(f"/proc/{pid}/status")
        if not status.is_file():
            return 0
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        return 0

    def close(self) -> None:
        for name in list(self.processes):
            self._stop(name)
        shutil.rmtree(self.root, ignore_errors=True)


def _copy(submission: Path, destination: Path) -> None:
    """Copy through the same packer as the Docker backend: same exclusions, same limits."""
    with tarfile.open(fileobj=io.BytesIO(pack(submission, prefix="", uid=os.getuid()).data)) as tar:
        tar.extractall(destination, filter="data")


@contextlib.contextmanager
def local_pod(*, output_cap: int, spec: PodSpec) -> Iterator[LocalPod]:
    root = Path(tempfile.mkdtemp(prefix=f"assay-{spec.run_id}-"))
    root.chmod(0o755)  # PostgreSQL runs as its own user on a root CI runner
    for role in Role:
        _copy(spec.submission, root / role.value)
    (root / "home").mkdir()
    scratch = root / "scratch"
    (scratch / "selftest").mkdir(parents=True)
    pod = LocalPod(
        root=root,
        output_cap=output_cap,
        endpoints=Endpoints(
            db_port=_free_port(),
            redis_port=_free_port(),
            app_port=spec.app_port if spec.fixed_ports else _free_port(),
        ),
        paths=Paths(
            toolkit=PurePosixPath(spec.toolkit),
            evaluation=PurePosixPath(spec.evaluation),
            scratch=PurePosixPath(scratch),
        ),
    )
    try:
        pod.start_infra(spec.services)
        yield pod
    finally:
        pod.close()


@dataclass
class LocalSandbox:
    output_cap: int
    name: str = "local"
    image: str = "local"
    image_id: str = "local"

    def pod(self, spec: PodSpec) -> contextlib.AbstractContextManager[LocalPod]:
        return local_pod(output_cap=self.output_cap, spec=spec)
