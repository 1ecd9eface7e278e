"""The Docker backend: one pod of hardened containers sharing a loopback-only network namespace.

Layout of a pod (all joined to ``pause``'s network namespace, which has no route out):

    pause      sleep; owns the namespace (network_mode=none)
    postgres   PostgreSQL on 127.0.0.1, as uid 10003, data in a tmpfs
    redis      Redis on 127.0.0.1, as uid 10003
    app        the candidate's service, uid 10001, a writable copy of the submission
    tester     hidden tests, Locust and static analysis, uid 10002; the only one that sees
               the evaluation folder; a read-only copy of the submission
    selftest   the candidate's own tests, uid 10001, its own writable copy
"""

import contextlib
import os
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

import docker
from docker.errors import APIError, DockerException, NotFound
from docker.models.containers import Container

from assay.errors import SandboxError
from assay.sandbox.archive import pack
from assay.sandbox.limits import MIB, Limits
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

RUN_LABEL = "assay.run"
OWNER_LABEL = "assay.owner"
APP_UID, TESTER_UID, INFRA_UID = 10001, 10002, 10003
WORK = PurePosixPath("/work")
SUBMISSION = WORK / "submission"
PATHS = Paths(
    toolkit=PurePosixPath("/grader/toolkit"),
    evaluation=PurePosixPath("/grader/evaluation"),
    scratch=PurePosixPath("/tmp"),
)
INFRA_LIMITS = Limits(memory_mb=512, cpus=1.0, pids=128, tmpfs_mb=512)
TESTER_LIMITS = Limits(memory_mb=1024, cpus=1.0, pids=256, tmpfs_mb=256, nofile=10240)
KILL_GRACE_S = 5
STALE_AFTER_S = 3 * 3600

POSTGRES_SCRIPT = (
    "initdb -D /tmp/pg -U postgres --auth=trust -E UTF8 --no-sync >/tmp/initdb.log 2>&1 "
    "|| { cat /tmp/initdb.log; exit 1; }; "
    "exec postgres -D /tmp/pg -c listen_addresses=127.0.0.1 -c port=5432 "
    "-c unix_socket_directories=/tmp -c fsync=off -c synchronous_commit=off "
    "-c full_page_writes=off -c max_connections=200"
)
REDIS_ARGV = [
    "redis-server",
    "--bind",
    "127.0.0.1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
    "--protected-mode",
    "no",
    "--dir",
    "/tmp",
]


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


def _abandoned(labels: dict[str, str], created: str) -> bool:
    return _owner_gone(labels) or time.time() - _parse_created(created) > STALE_AFTER_S


def reap(client: docker.DockerClient) -> int:
    """Remove the containers and volumes of runs whose grader died or that outlived any deadline."""
    removed = 0
    for container in client.containers.list(all=True, filters={"label": RUN_LABEL}):
        if _abandoned(container.labels, container.attrs.get("Created", "")):
            with contextlib.suppress(NotFound, APIError):
                container.remove(force=True)
                removed += 1
    for volume in client.volumes.list(filters={"label": RUN_LABEL}):
        if _abandoned(volume.attrs.get("Labels") or {}, volume.attrs.get("CreatedAt", "")):
            with contextlib.suppress(NotFound, APIError):
                volume.remove(force=True)
    return removed


def _parse_created(value: str) -> float:
    try:
        return datetime.fromisoformat(value[:26].rstrip("Z") + "+00:00").timestamp()
    except ValueError:
        return time.time()


@dataclass
class DockerPod:
    client: docker.DockerClient
    image: str
    run_id: str
    limits: Limits
    output_cap: int
    endpoints: Endpoints = field(default_factory=Endpoints)
    paths: Paths = PATHS
    backend: str = "docker"
    containers: dict[str, Container] = field(default_factory=dict)
    app_names: list[str] = field(default_factory=list)
    volumes: list[str] = field(default_factory=list)

    @property
    def labels(self) -> dict[str, str]:
        return {RUN_LABEL: self.run_id, OWNER_LABEL: owner()}

    def _volume(self, suffix: str) -> str:
        name = f"assay-{self.run_id}-{suffix}"
        self.client.volumes.create(name, labels=self.labels)
        self.volumes.append(name)
        return name

    def _load(self, contents: dict[str, bytes]) -> dict[str, str]:
        """Create one volume per tar and fill it through a container that never starts."""
        names = {key: self._volume(key) for key in contents}
        loader = self.client.containers.create(
            self.image,
            ["true"],
            network_mode="none",
            labels=self.labels,
            volumes={name: {"bind": f"/load/{key}", "mode": "rw"} for key, name in names.items()},
        )
        try:
            for key, data in contents.items():
                if not loader.put_archive(f"/load/{key}", data):
                    raise SandboxError(f"could not copy {key} into the pod")
        finally:
            loader.remove(force=True)
        return names

    def _start(
        self, name: str, argv: list[str], *, user: int, limits: Limits, **extra: Any
    ) -> Container:
        network = "none" if name == "pause" else f"container:{self.containers['pause'].id}"
        container = self.client.containers.run(
            self.image,
            argv,
            name=f"assay-{self.run_id}-{name}",
            detach=True,
            user=str(user),
            network_mode=network,
            labels={**self.labels, "assay.role": name},
            environment={"HOME": "/tmp", **extra.pop("environment", {})},
            **limits.container_kwargs(),
            **extra,
        )
        self.containers[name] = container
        return container

    def open(self, spec: PodSpec) -> None:
        source = pack(spec.submission, prefix="submission", uid=APP_UID).data
        services = spec.services
        volumes = self._load(
            {
                "app": source,
                "selftest": source,
                "source": source,
                "toolkit": pack(spec.toolkit, prefix="", uid=0).data,
                "evaluation": pack(spec.evaluation, prefix="", uid=0).data,
            }
        )
        sleep = ["sleep", "infinity"]
        self._start("pause", sleep, user=65534, limits=Limits(memory_mb=32, pids=8, tmpfs_mb=16))
        if "postgres" in services:
            self._start(
                "postgres",
                ["sh", "-c", POSTGRES_SCRIPT],
                user=INFRA_UID,
                limits=INFRA_LIMITS,
                shm_size="128m",
            )
        if "redis" in services:
            self._start("redis", REDIS_ARGV, user=INFRA_UID, limits=INFRA_LIMITS)
        ro = "ro"
        self._start(
            "tester",
            sleep,
            user=TESTER_UID,
            limits=TESTER_LIMITS,
            working_dir=str(SUBMISSION),
            environment={"PYTHONPATH": str(PATHS.toolkit)},
            volumes={
                volumes["source"]: {"bind": str(WORK), "mode": ro},
                volumes["toolkit"]: {"bind": str(PATHS.toolkit), "mode": ro},
                volumes["evaluation"]: {"bind": str(PATHS.evaluation), "mode": ro},
            },
        )
        self._start(
            "selftest",
            sleep,
            user=APP_UID,
            limits=self.limits,
            working_dir=str(SUBMISSION),
            environment={"PYTHONPATH": f"{SUBMISSION}:{PATHS.toolkit}", "ASSAY_SCRATCH": "/tmp"},
            volumes={
                volumes["selftest"]: {"bind": str(WORK), "mode": "rw"},
                volumes["toolkit"]: {"bind": str(PATHS.toolkit), "mode": ro},
            },
        )
        self._app_volume = volumes["app"]
        self._wait_for_services(services)

    def _wait_for_services(self, services: tuple[str, ...]) -> None:
        checks: dict[str, Callable[[], bool]] = {
            "postgres": lambda: (
                self._exec("postgres", ["pg_isready", "-q", "-h", "127.0.0.1"], 5).ok
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
            self._create_databases()

    def _create_databases(self) -> None:
        argv = create_databases_argv("psql", self.endpoints.db_port)
        result = self._exec("postgres", argv, 30)
        if not result.ok:
            raise SandboxError(f"could not create the pod's databases: {result.output}")

    def start_app(self, script: str, env: dict[str, str], name: str = "app") -> None:
        self.app_names.append(name)
        self._start(
            name,
            ["sh", "-c", script],
            user=APP_UID,
            limits=self.limits,
            working_dir=str(SUBMISSION),
            environment=env,
            volumes={self._app_volume: {"bind": str(WORK), "mode": "rw"}},
        )

    def app_state(self, name: str = "app") -> AppState:
        container = self.containers[name]
        container.reload()
        running = container.status == "running"
        exit_code = None if running else container.attrs["State"]["ExitCode"]
        return AppState(running=running, exit_code=exit_code, logs=self._logs(name))

    def _logs(self, name: str) -> str:
        raw: bytes = self.containers[name].logs(tail=400)
        capped = CappedOutput(self.output_cap)
        capped.feed(raw)
        return capped.text()

    def _exec(
        self,
        name: str,
        argv: list[str],
        timeout: float,
        env: dict[str, str] | None = None,
        workdir: str | None = None,
    ) -> ExecResult:
        api = self.client.api
        started = time.monotonic()
        wrapped = ["timeout", "-k", str(KILL_GRACE_S), str(int(timeout)), *argv]
        exec_id = api.exec_create(
            self.containers[name].id, wrapped, environment=env or {}, workdir=workdir
        )["Id"]
        capped = CappedOutput(self.output_cap)
        stream = api.exec_start(exec_id, stream=True)
        try:
            for chunk in stream:
                capped.feed(chunk)
        finally:
            # CancellableStream.close() skips a response read to its end, leaking its socket.
            stream._response.close()  # type: ignore[attr-defined]
        code = api.exec_inspect(exec_id)["ExitCode"]
        code = -1 if code is None else int(code)
        return ExecResult(
            exit_code=code,
            output=capped.text(),
            timed_out=code in (124, 137),
            seconds=time.monotonic() - started,
        )

    def run(
        self, role: Role, argv: list[str], *, env: dict[str, str] | None = None, timeout: float
    ) -> ExecResult:
        return self._exec(role.value, argv, timeout, env)

    def read_text(self, role: Role, path: PurePosixPath) -> str | None:
        result = self._exec(role.value, ["cat", str(path)], 30)
        return result.output if result.ok else None

    def stop_service(self, name: str) -> None:
        self.containers[name].stop(timeout=2)

    def app_peak_memory_mb(self) -> float | None:
        """The submission's processes together, each at its own peak."""
        peaks = [self._peak_bytes(name) for name in self.app_names]
        return round(sum(peaks) / MIB, 1) if all(peaks) and peaks else None

    def _peak_bytes(self, name: str) -> int:
        stats: dict[str, Any] = self.containers[name].stats(stream=False)  # type: ignore[assignment]
        memory = stats.get("memory_stats", {})
        return int(memory.get("max_usage") or memory.get("usage") or 0)

    def close(self) -> None:
        for container in self.containers.values():
            with contextlib.suppress(NotFound, APIError):
                container.remove(force=True)
        for name in self.volumes:
            with contextlib.suppress(NotFound, APIError):
                self.client.volumes.get(name).remove(force=True)


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
        endpoints=Endpoints(app_port=spec.app_port),
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
    name: str = "docker"

    def pod(self, spec: PodSpec) -> contextlib.AbstractContextManager[DockerPod]:
        return docker_pod(self.client, image=self.image, output_cap=self.output_cap, spec=spec)
