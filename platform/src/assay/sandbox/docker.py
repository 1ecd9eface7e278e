"""The Docker backend: one pod of hardened containers sharing a loopback-only network namespace.

Layout of a pod (all joined to ``pause``'s network namespace, which has no route out):

    pause      sleep; owns the namespace (network_mode=none)
    postgres   PostgreSQL on 127.0.0.1, as uid 10003, data in its tmpfs
    redis      Redis on 127.0.0.1, as uid 10003
    tester     hidden tests, Locust and static analysis, uid 10002, working in its own /tmp;
               the only one that sees the evaluation folder; a root-owned copy of the source
    selftest   the candidate's own tests, uid 10001, its own writable copy
    app        each of the candidate's processes, uid 10001, its own writable copy

Nothing of a pod is on the host's disk: every copy lives in a sized tmpfs whose pages count
against the container's memory limit, logs are capped by the log driver, and removing the
containers removes everything.
"""

import contextlib
import os
import select
import socket
import struct
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

import docker
from docker.errors import APIError, DockerException, NotFound
from docker.models.containers import Container
from docker.types import LogConfig, Ulimit

from assay import tree
from assay.errors import SandboxError
from assay.sandbox import cgroup, images, infra, wheelhouse
from assay.sandbox.limits import MIB, Limits
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

RUN_LABEL = "assay.run"
OWNER_LABEL = "assay.owner"
APP_UID, TESTER_UID, INFRA_UID, NOBODY = 10001, 10002, 10003, 65534
ROOT_USER = "0"
SOURCE = PurePosixPath("/work/submission")
GRADER = PurePosixPath("/grader")
PATHS = Paths(
    toolkit=GRADER / "toolkit",
    evaluation=GRADER / "evaluation",
    scratch=PurePosixPath("/tmp"),
    source=SOURCE,
)
LOADED_MARK = "/tmp/.assay-loaded"
INFRA_LIMITS = Limits(memory_mb=512, cpus=1.0, pids=128, tmpfs_mb=512)
TESTER_LIMITS = Limits(memory_mb=1024, cpus=1.0, pids=256, tmpfs_mb=256, nofile=10240)
PAUSE_LIMITS = Limits(memory_mb=32, pids=8, tmpfs_mb=16)
GRADER_TMPFS_MB = 64
SELFTEST_SCRATCH = PATHS.scratch / "selftest"  # where the own-tests stage keeps its records
SELFTEST_SCRATCH_MB = 64
KILL_GRACE_S = 5
HOST_SLACK_S = 15
READ_CAP = 16 * MIB
LOG_CONFIG = LogConfig(type="json-file", config={"max-size": "2m", "max-file": "1"})
STALE_AFTER_S = 3 * 3600
PG_BIN = "/usr/lib/postgresql/15/bin"
APP_SCRIPT = f'while [ ! -e {LOADED_MARK} ]; do sleep 0.05; done; cd {SOURCE} && exec sh -c "$1"'


def owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def connect() -> docker.DockerClient:
    """Connect to the engine with a read timeout longer than any stage's deadline."""
    try:
        client = docker.from_env(timeout=3600)
        client.ping()
    except DockerException as error:
        raise SandboxError(
            f"the Docker engine is not reachable ({error}); `make demo` or "
            "scripts/bootstrap.sh starts it"
        ) from error
    return client


def _owner_gone(labels: dict[str, str]) -> bool:
    host, _, pid = labels.get(OWNER_LABEL, "").partition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _parse_created(value: str) -> float:
    try:
        return datetime.fromisoformat(value[:26].rstrip("Z") + "+00:00").timestamp()
    except ValueError:
        return time.time()


def _abandoned(labels: dict[str, str], created: str) -> bool:
    return _owner_gone(labels) or time.time() - _parse_created(created) > STALE_AFTER_S


def reap(client: docker.DockerClient) -> int:
    """Remove the containers (and volumes of older versions) of runs whose grader is gone."""
    removed = 0
    # other graders remove their pods while this lists them
    listed = client.containers.list(all=True, filters={"label": RUN_LABEL}, ignore_removed=True)
    for container in listed:
        if _abandoned(container.labels, container.attrs.get("Created", "")):
            with contextlib.suppress(NotFound, APIError):
                container.remove(force=True)
                removed += 1
    for volume in client.volumes.list(filters={"label": RUN_LABEL}):
        if _abandoned(volume.attrs.get("Labels") or {}, volume.attrs.get("CreatedAt", "")):
            with contextlib.suppress(NotFound, APIError):
                volume.remove(force=True)
    return removed


def hardening(limits: Limits, tmpfs: dict[str, str] | None = None) -> dict[str, Any]:
    """docker-py ``containers.run`` arguments every container of a pod gets."""
    fsize = limits.fsize_mb * MIB
    return {
        "cap_drop": ["ALL"],
        "security_opt": ["no-new-privileges"],
        "read_only": True,
        "tmpfs": {"/tmp": f"size={limits.tmpfs_mb}m,mode=1777", **(tmpfs or {})},
        "pids_limit": limits.pids,
        "mem_limit": f"{limits.memory_mb}m",
        "memswap_limit": f"{limits.memory_mb}m",
        "nano_cpus": int(limits.cpus * 1_000_000_000),
        "ulimits": [
            Ulimit(name="nofile", soft=limits.nofile, hard=limits.nofile),
            Ulimit(name="fsize", soft=fsize, hard=fsize),
        ],
        "init": True,
        "log_config": LOG_CONFIG,
    }


def _work_tmpfs(size_bytes: int, *, uid: int, extra_mb: int) -> str:
    size_mb = size_bytes // MIB + 1 + extra_mb
    return f"size={size_mb}m,uid={uid},gid={uid},mode=0755,exec"


class _Frames:
    """Split Docker's multiplexed attach stream (8-byte headers) into payloads."""

    def __init__(self, sink: Callable[[bytes], None]) -> None:
        self._buffer = b""
        self._sink = sink

    def feed(self, data: bytes) -> None:
        self._buffer += data
        while len(self._buffer) >= 8:
            (size,) = struct.unpack(">I", self._buffer[4:8])
            if len(self._buffer) < 8 + size:
                return
            self._sink(self._buffer[8 : 8 + size])
            self._buffer = self._buffer[8 + size :]


@dataclass
class DockerPod:
    client: docker.DockerClient
    image: str
    run_id: str
    limits: Limits
    output_cap: int
    endpoints: Endpoints
    paths: Paths = PATHS
    backend: str = "docker"
    containers: dict[str, Container] = field(default_factory=dict)
    app_names: list[str] = field(default_factory=list)
    _source: bytes = b""
    _app_image: str | None = None
    _counters: dict[str, cgroup.Counters] = field(default_factory=dict)

    @property
    def labels(self) -> dict[str, str]:
        return {RUN_LABEL: self.run_id, OWNER_LABEL: owner()}

    def _start(
        self,
        name: str,
        argv: list[str],
        *,
        user: int,
        limits: Limits,
        image: str | None = None,
        **extra: Any,
    ) -> Container:
        network = "none" if name == "pause" else f"container:{self.containers['pause'].id}"
        container = self.client.containers.run(
            image or self.image,
            argv,
            name=f"assay-{self.run_id}-{name}",
            detach=True,
            user=str(user),
            network_mode=network,
            labels={**self.labels, "assay.role": name},
            environment={"HOME": "/tmp", **extra.pop("environment", {})},
            **hardening(limits, extra.pop("tmpfs", None)),
            **extra,
        )
        self.containers[name] = container
        self._counters[name] = cgroup.Counters()
        return container

    def _load(self, name: str, folder: PurePosixPath, data: bytes, *, user: str) -> None:
        """Unpack a tar into a container's tmpfs through ``tar`` on its standard input."""
        script = 'mkdir -p "$1" && tar -x --no-same-owner -C "$1"'
        argv = ["sh", "-c", script, "load", str(folder)]
        result = self._exec(name, argv, 60, user=user, stdin=data)
        if not result.ok:
            raise SandboxError(f"could not copy files into {name}: {result.output[-2000:]}")

    def open(self, spec: PodSpec) -> None:
        self._source = spec.submission
        grader_tmpfs = {str(GRADER): f"size={GRADER_TMPFS_MB}m,mode=0755"}
        toolkit = tree.pack(tree.walk(spec.toolkit, tree.PROBLEM_LIMITS))
        evaluation = tree.pack(tree.walk(spec.evaluation, tree.PROBLEM_LIMITS))
        sleep = ["sleep", "infinity"]
        # Names the submission gives its services resolve to the loopback for every container.
        aliases = dict.fromkeys(spec.host_aliases, "127.0.0.1")
        self._start("pause", sleep, user=NOBODY, limits=PAUSE_LIMITS, extra_hosts=aliases)
        if "postgres" in spec.services:
            self._start_postgres()
        if "redis" in spec.services:
            argv = infra.redis_argv(port=self.endpoints.redis_port, folder="/tmp")
            self._start("redis", argv, user=INFRA_UID, limits=INFRA_LIMITS)
        self._start(
            "tester",
            sleep,
            user=TESTER_UID,
            limits=TESTER_LIMITS,
            working_dir=str(PATHS.scratch),
            tmpfs={
                **grader_tmpfs,
                "/work": _work_tmpfs(len(spec.submission), uid=0, extra_mb=1),
            },
        )
        self._load("tester", PATHS.toolkit, toolkit, user=ROOT_USER)
        self._load("tester", PATHS.evaluation, evaluation, user=ROOT_USER)
        self._load("tester", SOURCE, spec.submission, user=ROOT_USER)
        self._app_image = spec.app_image
        self._start(
            "selftest",
            sleep,
            user=APP_UID,
            image=spec.app_image,
            limits=self.limits,
            working_dir="/work",
            tmpfs={
                **grader_tmpfs,
                "/work": _work_tmpfs(len(spec.submission), uid=APP_UID, extra_mb=64),
                # The own tests' results and coverage get room of their own: tests that fill
                # /tmp do not take the grader's records with them.
                str(SELFTEST_SCRATCH): _work_tmpfs(0, uid=APP_UID, extra_mb=SELFTEST_SCRATCH_MB),
            },
        )
        self._load("selftest", PATHS.toolkit, toolkit, user=ROOT_USER)
        self._load("selftest", SOURCE, spec.submission, user=str(APP_UID))
        self._wait_for_services(spec.services, spec.logins)

    def _start_postgres(self) -> None:
        data = "/tmp/pg"
        initdb = " ".join(infra.initdb_argv(f"{PG_BIN}/initdb", data))
        server = infra.postgres_argv(
            f"{PG_BIN}/postgres", data, port=self.endpoints.db_port, socket_dir="/tmp"
        )
        script = f'{initdb} >/tmp/initdb.log 2>&1 || {{ cat /tmp/initdb.log; exit 1; }}; exec "$@"'
        self._start(
            "postgres",
            ["sh", "-c", script, "postgres", *server],
            user=INFRA_UID,
            limits=INFRA_LIMITS,
            shm_size="128m",
        )

    def _wait_for_services(
        self, services: tuple[str, ...], logins: tuple[infra.Login, ...]
    ) -> None:
        port = str(self.endpoints.db_port)
        checks: dict[str, Callable[[], bool]] = {
            "postgres": lambda: (
                self._exec("postgres", ["pg_isready", "-q", "-h", "/tmp", "-p", port], 5).ok
            ),
            "redis": lambda: "PONG" in self._exec("redis", ["redis-cli", "ping"], 5).output,
        }
        deadline = time.monotonic() + 30
        pending = [name for name in services if name in checks]
        while pending:
            pending = [name for name in pending if not checks[name]()]
            if pending and time.monotonic() > deadline:
                logs = {name: self._logs(name) for name in pending}
                raise SandboxError(f"infrastructure did not start: {logs}")
            if pending:
                time.sleep(0.2)
        if "postgres" in services:
            argv = infra.psql_argv(
                "psql",
                socket_dir="/tmp",
                port=self.endpoints.db_port,
                credentials=self.endpoints.credentials,
                logins=logins,
            )
            result = self._exec("postgres", argv, 30)
            if not result.ok:
                raise SandboxError(f"could not create the pod's databases: {result.output}")

    def start_app(self, script: str, env: dict[str, str], name: str = "app") -> None:
        self.app_names.append(name)
        self._start(
            name,
            ["sh", "-c", APP_SCRIPT, "assay-app", script],
            user=APP_UID,
            image=self._app_image,
            limits=self.limits,
            working_dir="/work",
            environment=env,
            tmpfs={"/work": _work_tmpfs(len(self._source), uid=APP_UID, extra_mb=64)},
        )
        self._load(name, SOURCE, self._source, user=str(APP_UID))
        result = self._exec(name, ["touch", LOADED_MARK], 10, user=str(APP_UID))
        if not result.ok:
            raise SandboxError(f"could not start {name}: {result.output}")

    def app_state(self, name: str = "app") -> AppState:
        container = self.containers[name]
        container.reload()
        state = container.attrs["State"]
        running = container.status == "running"
        exit_code = None if running else int(state["ExitCode"])
        stopped_by = None
        if state.get("OOMKilled"):
            stopped_by = Stop.memory
        elif exit_code == SIGXFSZ_EXIT:
            stopped_by = Stop.file_size
        return AppState(running, exit_code, self._logs(name), stopped_by)

    def _logs(self, name: str) -> str:
        """The head and the tail: how it started matters as much as how it ended."""
        raw: bytes = self.containers[name].logs()
        capped = CappedOutput(self.output_cap)
        capped.feed(raw)
        return capped.text()

    def _exec(
        self,
        name: str,
        argv: list[str],
        timeout: float,
        *,
        env: dict[str, str] | None = None,
        user: str = "",
        workdir: str | None = None,
        stdin: bytes | None = None,
        cap: int | None = None,
    ) -> ExecResult:
        """Run ``argv`` in a container under ``timeout``, and stop reading at a host deadline.

        A daemonised grandchild can keep the output stream open after ``timeout`` killed its
        parent; the host-side deadline makes sure the grader never waits for it.
        """
        api = self.client.api
        started = time.monotonic()
        seconds = max(timeout, 0.001)
        wrapped = ["timeout", "-k", f"{KILL_GRACE_S}s", f"{seconds:.3f}s", *argv]
        capped = CappedOutput(cap or self.output_cap)
        host_deadline = started + seconds + KILL_GRACE_S + HOST_SLACK_S
        try:
            exec_id = api.exec_create(
                self.containers[name].id,
                wrapped,
                environment=env or {},
                workdir=workdir,
                user=user,
                stdin=stdin is not None,
            )["Id"]
            attached = api.exec_start(exec_id, socket=True)
        except APIError as error:
            # The container stopped, or its processes left no room to start one more.
            elapsed = time.monotonic() - started
            return ExecResult(-1, f"could not run {argv[0]} in {name}: {error}", elapsed)
        cut = self._stream(attached, capped, stdin, host_deadline)
        inspected = api.exec_inspect(exec_id)
        code = -1 if inspected.get("ExitCode") is None else int(inspected["ExitCode"])
        elapsed = time.monotonic() - started
        stopped_by = self._stopped_by(name, code, elapsed >= seconds or cut)
        return ExecResult(code, capped.text(), elapsed, stopped_by, truncated=capped.dropped > 0)

    @staticmethod
    def _stream(attached: Any, capped: CappedOutput, stdin: bytes | None, deadline: float) -> bool:
        """Copy an exec's output into ``capped``; True when the host deadline cut it short."""
        raw: socket.socket = getattr(attached, "_sock", attached)
        frames = _Frames(capped.feed)
        try:
            if stdin is not None:
                raw.sendall(stdin)
                raw.shutdown(socket.SHUT_WR)
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not select.select([raw], [], [], remaining)[0]:
                    return True
                data = raw.recv(65536)
                if not data:
                    return False
                frames.feed(data)
        finally:
            # Closing the SocketIO wrapper alone leaves the connection's socket open.
            with contextlib.suppress(OSError):
                raw.close()
                attached.close()

    def _stopped_by(self, name: str, code: int, past_deadline: bool) -> Stop | None:
        if code == 124 or (code in (137, -1) and past_deadline):
            return Stop.deadline
        if code == SIGXFSZ_EXIT:
            return Stop.file_size
        if code == 0:
            return None
        script = cgroup.read_counters_script()
        seen = self._exec_plain(name, ["sh", "-c", script])
        counters = cgroup.parse_counters(seen)
        stop = counters.stop_since(self._counters[name])
        self._counters[name] = counters
        return stop

    def _exec_plain(self, name: str, argv: list[str]) -> str:
        """Run a short grader command and return its output (no deadline bookkeeping)."""
        with contextlib.suppress(APIError, NotFound):
            output = self.containers[name].exec_run(argv, user=ROOT_USER).output
            return output.decode(errors="replace") if isinstance(output, bytes) else ""
        return ""

    def run(
        self, role: Role, argv: list[str], *, env: dict[str, str] | None = None, timeout: float
    ) -> ExecResult:
        workdir = str(PATHS.scratch) if role is Role.tester else str(SOURCE)
        return self._exec(role.value, argv, timeout, env=env, workdir=workdir)

    def read_text(self, role: Role, path: PurePosixPath) -> str | None:
        result = self._exec(role.value, ["cat", str(path)], 30, cap=READ_CAP)
        return result.output if result.ok and not result.truncated else None

    def stop_service(self, name: str) -> None:
        self.containers[name].stop(timeout=2)

    def pause_service(self, name: str) -> None:
        self.containers[name].pause()

    def resume_service(self, name: str) -> None:
        with contextlib.suppress(NotFound, APIError):
            self.containers[name].unpause()

    def app_peak_memory_mb(self) -> float | None:
        """The submission's processes together, each container at the peak the kernel saw."""
        peaks = [
            cgroup.parse_peak(self._exec_plain(name, ["sh", "-c", cgroup.read_peak_script()]))
            for name in self.app_names
        ]
        known = [peak for peak in peaks if peak is not None]
        return round(sum(known) / MIB, 1) if known and len(known) == len(peaks) else None

    def close(self) -> None:
        for container in self.containers.values():
            with contextlib.suppress(NotFound, APIError):
                container.remove(force=True)


@contextlib.contextmanager
def docker_pod(
    client: docker.DockerClient, *, image: str, output_cap: int, spec: PodSpec
) -> Iterator[DockerPod]:
    pod = DockerPod(
        client=client,
        image=image,
        run_id=spec.run_id,
        limits=spec.limits,
        output_cap=output_cap,
        endpoints=Endpoints(credentials=infra.Credentials(), app_port=spec.app_port),
    )
    try:
        try:
            pod.open(spec)
        except (DockerException, APIError) as error:
            raise SandboxError(f"could not start the pod: {error}") from error
        yield pod
    finally:
        pod.close()


@dataclass
class DockerSandbox:
    client: docker.DockerClient
    image: str
    image_id: str
    output_cap: int
    packages: frozenset[str] = frozenset()
    lock_dir: Path = LOCK_DIR
    wheelhouse_dir: Path = Path("/nonexistent")
    name: str = "docker"

    def pod(self, spec: PodSpec) -> contextlib.AbstractContextManager[DockerPod]:
        return docker_pod(self.client, image=self.image, output_cap=self.output_cap, spec=spec)

    def load_window(self) -> contextlib.AbstractContextManager[None]:
        return host_lock("load", folder=self.lock_dir)

    def prepare(self, requirements: dict[str, str]) -> wheelhouse.Prepared:
        """An image with what the submission needs beyond the runtime, from the wheelhouse."""
        available = wheelhouse.wheels(self.wheelhouse_dir)
        installable, missing = wheelhouse.split(requirements, available)
        if not installable:
            return wheelhouse.Prepared(missing=missing)
        tag = wheelhouse.derived_tag(self.image_id, installable)
        with host_lock("deps", folder=self.lock_dir):
            if not self._has(tag):
                built, log = self._derive(list(available.values()), installable, tag)
                if not built:
                    last = log.strip().splitlines()[-1:] or ["pip failed"]
                    notes = [f"could not install {', '.join(installable)}: {last[0]}"]
                    return wheelhouse.Prepared(missing=sorted(requirements), notes=notes)
        return wheelhouse.Prepared(image=tag, installed=sorted(installable), missing=missing)

    def _has(self, tag: str) -> bool:
        try:
            self.client.images.get(tag)
        except NotFound:
            return False
        return True

    def _derive(
        self, wheel_files: list[Path], installable: dict[str, str], tag: str
    ) -> tuple[bool, str]:
        """Install the pinned lines; when a pin has no wheel, the names alone."""
        built, log = images.build_derived(
            self.client, self.image, wheel_files, list(installable.values()), tag
        )
        if not built:
            built, log = images.build_derived(
                self.client, self.image, wheel_files, list(installable), tag
            )
        return built, log
