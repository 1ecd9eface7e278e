"""The local backend: the same stages as plain processes, for throwaway CI runners only.

Nothing is isolated: the submission runs with this machine's user and network. Opt-in only,
and announced loudly by :func:`assay.sandbox.backends.open_sandbox`. PostgreSQL and Redis come
from this machine (Debian's packages), on free loopback ports; the tools (pytest, ruff,
Locust, uvicorn) from the Python environment Assay runs in.
"""

import contextlib
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from assay import tree
from assay.errors import SandboxError
from assay.sandbox import infra
from assay.sandbox.cgroup import LocalGroup
from assay.sandbox.limits import MIB
from assay.sandbox.locks import LOCK_DIR, host_lock
from assay.sandbox.output import CappedOutput
from assay.sandbox.pod import (
    SIGXFSZ_EXIT,
    AppState,
    Endpoints,
    ExecResult,
    Paths,
    PodSpec,
    Role,
    Stop,
)
from assay.sandbox.wheelhouse import Prepared

PG_BIN = Path("/usr/lib/postgresql/15/bin")
READY_TIMEOUT_S = 30
READ_CAP = 16 * MIB


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _as_postgres(argv: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root; a root CI runner starts it as ``postgres``."""
    runuser = shutil.which("runuser") or "/usr/sbin/runuser"
    return [runuser, "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def _stop_of(returncode: int, timed_out: bool) -> Stop | None:
    if timed_out:
        return Stop.deadline
    if returncode in (-signal.SIGXFSZ, SIGXFSZ_EXIT):
        return Stop.file_size
    return None


@dataclass
class LocalPod:
    root: Path
    output_cap: int
    endpoints: Endpoints
    paths: Paths
    backend: str = "local"
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    groups: dict[str, LocalGroup | None] = field(default_factory=dict)
    app_names: list[str] = field(default_factory=list)

    def _cwd(self, role: Role) -> Path:
        return Path(self.paths.scratch) if role is Role.tester else self.root / role.value

    def _env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        """A clean environment: nothing of the grader's own leaks into the submission."""
        path = os.pathsep.join([str(Path(sys.executable).parent), str(PG_BIN), "/usr/bin", "/bin"])
        return {"PATH": path, "HOME": str(self.root / "home"), "LANG": "C.UTF-8", **(extra or {})}

    def _spawn(self, name: str, argv: list[str], *, cwd: Path, env: dict[str, str]) -> None:
        with (self.root / f"{name}.log").open("wb") as log:
            self.processes[name] = subprocess.Popen(
                argv, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def start_infra(self, services: tuple[str, ...], logins: tuple[infra.Login, ...] = ()) -> None:
        if "postgres" in services:
            self._start_postgres(logins)
        if "redis" in services:
            argv = infra.redis_argv(port=self.endpoints.redis_port, folder=str(self.root))
            self._spawn("redis", argv, cwd=self.root, env=self._env())
            self._wait("redis", ["redis-cli", "-p", str(self.endpoints.redis_port), "ping"])

    def _start_postgres(self, logins: tuple[infra.Login, ...]) -> None:
        data = self.root / "pg"
        data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(data, "postgres")
        init = subprocess.run(
            _as_postgres(infra.initdb_argv(str(PG_BIN / "initdb"), str(data))),
            capture_output=True,
            check=False,
        )
        if init.returncode:
            raise SandboxError(f"initdb failed: {init.stdout.decode()}{init.stderr.decode()}")
        port = self.endpoints.db_port
        server = infra.postgres_argv(
            str(PG_BIN / "postgres"), str(data), port=port, socket_dir=str(data)
        )
        self._spawn("postgres", _as_postgres(server), cwd=self.root, env=self._env())
        ready = [str(PG_BIN / "pg_isready"), "-q", "-h", str(data), "-p", str(port)]
        self._wait("postgres", ready)
        psql = infra.psql_argv(
            str(PG_BIN / "psql"),
            socket_dir=str(data),
            port=port,
            credentials=self.endpoints.credentials,
            logins=logins,
        )
        created = subprocess.run(_as_postgres(psql), capture_output=True, check=False)
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
        """Start the script in a memory group of its own when the host allows one."""
        self.app_names.append(name)
        group = LocalGroup.make(f"assay-{self.root.name}-{name}")
        self.groups[name] = group
        if group is not None:
            script = f"echo $$ > {shlex.quote(str(group.procs))}\n{script}"
        self._spawn(name, ["sh", "-c", script], cwd=self.root / Role.app.value, env=self._env(env))

    def app_state(self, name: str = "app") -> AppState:
        code = self.processes[name].poll()
        capped = CappedOutput(self.output_cap)
        capped.feed((self.root / f"{name}.log").read_bytes())
        stop = None if code is None else _stop_of(code, timed_out=False)
        return AppState(running=code is None, exit_code=code, logs=capped.text(), stopped_by=stop)

    def run(
        self, role: Role, argv: list[str], *, env: dict[str, str] | None = None, timeout: float
    ) -> ExecResult:
        return self._run(argv, cwd=self._cwd(role), env=self._env(env), timeout=timeout)

    def _run(
        self, argv: list[str], *, cwd: Path, env: dict[str, str], timeout: float
    ) -> ExecResult:
        started = time.monotonic()
        process = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        timed_out = False
        try:
            output, _ = process.communicate(timeout=max(timeout, 0.001))
        except subprocess.TimeoutExpired:
            timed_out = True
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
        capped = CappedOutput(self.output_cap)
        capped.feed(output)
        return ExecResult(
            exit_code=process.returncode,
            output=capped.text(),
            seconds=time.monotonic() - started,
            stopped_by=_stop_of(process.returncode, timed_out),
            truncated=capped.dropped > 0,
        )

    def read_text(self, role: Role, path: PurePosixPath) -> str | None:
        target = self._cwd(role) / path
        if not target.is_file() or target.stat().st_size > READ_CAP:
            return None
        return target.read_text(errors="replace")

    def stop_service(self, name: str) -> None:
        self._stop(name)

    def pause_service(self, name: str) -> None:
        self._signal(name, signal.SIGSTOP)

    def resume_service(self, name: str) -> None:
        self._signal(name, signal.SIGCONT)

    def _signal(self, name: str, number: signal.Signals) -> None:
        process = self.processes.get(name)
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, number)

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
        """The submission's processes together, each group at the peak the kernel saw."""
        peaks = [self._peak_bytes(name) for name in self.app_names]
        known = [peak for peak in peaks if peak]
        return round(sum(known) / MIB, 1) if known and len(known) == len(peaks) else None

    def _peak_bytes(self, name: str) -> int | None:
        group = self.groups.get(name)
        if group is not None:
            return group.peak_bytes()
        status = Path(f"/proc/{self.processes[name].pid}/status")
        with contextlib.suppress(OSError):
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
        return None

    def close(self) -> None:
        for name in list(self.processes):
            self._stop(name)
        for group in self.groups.values():
            if group is not None:
                group.remove()
        shutil.rmtree(self.root, ignore_errors=True)


@contextlib.contextmanager
def local_pod(*, output_cap: int, spec: PodSpec) -> Iterator[LocalPod]:
    root = Path(tempfile.mkdtemp(prefix=f"assay-{spec.run_id}-"))
    root.chmod(0o755)  # PostgreSQL runs as its own user on a root CI runner
    for role in Role:
        tree.unpack(spec.submission, root / role.value)
    (root / "home").mkdir()
    scratch = root / "scratch"
    scratch.mkdir()
    pod = LocalPod(
        root=root,
        output_cap=output_cap,
        endpoints=Endpoints(
            credentials=infra.Credentials(),
            db_port=_free_port(),
            redis_port=_free_port(),
            app_port=spec.app_port if spec.fixed_ports else _free_port(),
        ),
        paths=Paths(
            toolkit=PurePosixPath(spec.toolkit),
            evaluation=PurePosixPath(spec.evaluation),
            scratch=PurePosixPath(scratch),
            source=PurePosixPath(root / Role.tester.value),
        ),
    )
    try:
        pod.start_infra(spec.services, spec.logins)
        yield pod
    finally:
        pod.close()


@dataclass
class LocalSandbox:
    output_cap: int
    packages: frozenset[str] = frozenset()
    lock_dir: Path = LOCK_DIR
    name: str = "local"
    image: str = "local"
    image_id: str = "local"

    def pod(self, spec: PodSpec) -> contextlib.AbstractContextManager[LocalPod]:
        return local_pod(output_cap=self.output_cap, spec=spec)

    def load_window(self) -> contextlib.AbstractContextManager[None]:
        return host_lock("load", folder=self.lock_dir)

    def prepare(self, requirements: dict[str, str]) -> Prepared:
        """Nothing is installed: local processes use the environment Assay runs in."""
        return Prepared(missing=sorted(requirements))
