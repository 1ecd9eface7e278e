"""Find or build the runtime image that every container of a grading pod runs.

The runtime image is built from ``platform/docker/runtime`` on top of a base image:
the official ``python:3.11-slim-bookworm`` where it can be had, otherwise
``assay-base:bookworm``, which ``platform/docker/base/build.sh`` makes from Debian's
packages without any registry. Its tag is a digest of its inputs, so it is rebuilt
only when the Dockerfile, the lock file or the base image change.
"""

import hashlib
import io
import os
import subprocess
import tarfile
import threading
from collections import deque
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docker
import docker.errors

from assay.config import Settings
from assay.errors import ImageError
from assay.sandbox.locks import host_lock

OFFICIAL_BASE = "python:3.11-slim-bookworm"
OFFLINE_BASE = "assay-base:bookworm"
PULL_TIMEOUT_S = 60.0
TAIL_LINES = 30
CONTEXT_FILES = ("Dockerfile", "requirements.lock")
SERVICE_TAG = "assay-service:latest"
DERIVED_BUILD_S = 300
PROBLEM_FOLDERS = ("problems", "starter-code", "evaluation", "examples")
DEBIAN_CA = "/etc/ssl/certs/ca-certificates.crt"

Log = Callable[[str], None]


@dataclass(frozen=True)
class RuntimeImage:
    tag: str
    id: str


def input_digest(settings: Settings) -> str:
    """A digest of the runtime image's own inputs, the same on every machine (no base id)."""
    runtime_dir = settings.docker_dir / "runtime"
    digest = hashlib.sha256()
    for name in CONTEXT_FILES:
        digest.update(hashlib.sha256((runtime_dir / name).read_bytes()).digest())
    return digest.hexdigest()


def runtime_tag(settings: Settings, base_id: str) -> str:
    """Name the runtime image after a digest of everything that goes into it."""
    runtime_dir = settings.docker_dir / "runtime"
    digest = hashlib.sha256()
    for part in (*((runtime_dir / name).read_bytes() for name in CONTEXT_FILES), base_id.encode()):
        digest.update(hashlib.sha256(part).digest())
    return f"assay-runtime:{digest.hexdigest()[:12]}"


def ensure_runtime_image(client: docker.DockerClient, settings: Settings, log: Log) -> RuntimeImage:
    """Return the runtime image, building it and its base first when missing."""
    if settings.runtime_image:
        image_id = _local_id(client, settings.runtime_image)
        if image_id is None:
            raise ImageError(f"runtime image {settings.runtime_image!r} does not exist")
        return RuntimeImage(tag=settings.runtime_image, id=image_id)

    with _build_lock(settings, log):
        base = _resolve_base(client, settings, log)
        base_id = _local_id(client, base)
        if base_id is None:
            raise ImageError(f"base image {base!r} vanished while resolving it")
        tag = runtime_tag(settings, base_id)
        image_id = _local_id(client, tag)
        if image_id is not None:
            log(f"runtime image {tag} is up to date (base {base})")
            return RuntimeImage(tag=tag, id=image_id)
        log(f"building runtime image {tag} on {base}")
        image = RuntimeImage(tag=tag, id=_build_runtime(client, settings, base, tag, log))
        _remove_superseded(client, keep=tag, log=log)
        return image


def _remove_superseded(client: docker.DockerClient, *, keep: str, log: Log) -> None:
    """Drop older runtime images; one a running pod still uses is kept (the engine refuses)."""
    repository = keep.split(":", 1)[0]
    for image in client.images.list(name=repository):
        for tag in image.tags:
            if tag != keep:
                try:
                    client.images.remove(tag)
                    log(f"removed superseded image {tag}")
                except docker.errors.APIError:
                    log(f"kept {tag}: still in use")


def _build_lock(settings: Settings, log: Log) -> AbstractContextManager[None]:
    """One builder per host, so that concurrent callers build an image once."""
    return host_lock(
        "images",
        folder=settings.lock_dir,
        waiting=lambda: log("waiting for another process that is building the images"),
    )


def _resolve_base(client: docker.DockerClient, settings: Settings, log: Log) -> str:
    """Name the base image to build on, pulling or building it when needed."""
    wanted = settings.base_image
    if wanted == "auto":
        return _auto_base(client, settings, log)
    if _local_id(client, wanted) is not None:
        return wanted
    if wanted == OFFLINE_BASE:
        _build_offline_base(settings, log)
    elif not _pull(client, wanted, log):
        raise ImageError(f"base image {wanted!r} is neither local nor pullable")
    return wanted


def _auto_base(client: docker.DockerClient, settings: Settings, log: Log) -> str:
    """Prefer the official Python image, else make the offline one."""
    # An image already on the machine wins over a pull, so that a machine keeps
    # grading on the same base from one run to the next.
    for candidate in (OFFICIAL_BASE, OFFLINE_BASE):
        if _local_id(client, candidate) is not None:
            return candidate
    if _pull(client, OFFICIAL_BASE, log):
        return OFFICIAL_BASE
    _build_offline_base(settings, log)
    return OFFLINE_BASE


def _local_id(client: docker.DockerClient, name: str) -> str | None:
    """Return the id of a local image, or None when there is none by that name."""
    try:
        image = client.images.get(name)
    except docker.errors.ImageNotFound:
        return None
    return str(image.id)


def _pull(client: docker.DockerClient, name: str, log: Log) -> bool:
    """Try to pull an image for a bounded time; report whether it is now local."""
    log(f"pulling {name} (up to {PULL_TIMEOUT_S:.0f} s)")
    failure: list[str] = []

    def pull() -> None:
        try:
            client.images.pull(name)
        except (docker.errors.DockerException, OSError) as exc:
            failure.append(str(getattr(exc, "explanation", None) or exc))

    # The SDK sets no timeout on pulls; a daemon thread lets a hung one be abandoned.
    worker = threading.Thread(target=pull, name=f"pull {name}", daemon=True)
    worker.start()
    worker.join(PULL_TIMEOUT_S)
    if worker.is_alive():
        log(f"pull of {name} timed out")
        return False
    if failure:
        log(f"cannot pull {name}: {failure[0].strip()}")
        return False
    return _local_id(client, name) is not None


def _build_offline_base(settings: Settings, log: Log) -> None:
    """Run build.sh, which makes the offline base image unless it exists."""
    script = settings.docker_dir / "base" / "build.sh"
    log(f"building {OFFLINE_BASE} from Debian packages with {script}")
    with subprocess.Popen(
        ["bash", str(script), OFFLINE_BASE],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as proc:
        tail = _relay(proc.stdout or (), log)
    if proc.returncode != 0:
        raise ImageError(_failure(f"{script} exited with {proc.returncode}", tail))


def _build_runtime(
    client: docker.DockerClient, settings: Settings, base: str, tag: str, log: Log
) -> str:
    """Build the runtime image on a base and return its id."""
    runtime_dir = settings.docker_dir / "runtime"
    context = _build_context([(runtime_dir / name, name) for name in CONTEXT_FILES])
    return _build(client, context, tag=tag, base=base, log=log)


def _build(
    client: docker.DockerClient,
    context: io.BytesIO,
    *,
    tag: str,
    base: str,
    log: Log,
    dockerfile: str = "Dockerfile",
) -> str:
    chunks = client.api.build(
        fileobj=context,
        custom_context=True,
        dockerfile=dockerfile,
        tag=tag,
        buildargs={"BASE_IMAGE": base},
        network_mode="host",
        labels={"org.assay.base": base},
        rm=True,
        forcerm=True,
        pull=False,
        decode=True,
    )
    error, tail = _follow_build(chunks, log)
    if error is not None:
        raise ImageError(_failure(f"building {tag} failed: {error}", tail))
    image_id = _local_id(client, tag)
    if image_id is None:
        raise ImageError(_failure(f"building {tag} finished without an image", tail))
    return image_id


def _build_context(inputs: list[tuple[Path, str]]) -> io.BytesIO:
    """Pack files and folders (caches left out), plus the host's CA bundle, as a context."""
    context = io.BytesIO()
    with tarfile.open(fileobj=context, mode="w", dereference=True) as tar:
        for path, arcname in inputs:
            tar.add(path, arcname=arcname, filter=_no_caches)
        ca_bundle = _host_ca_bundle()
        if ca_bundle is not None:
            tar.add(ca_bundle, arcname="build-ca.pem")
    context.seek(0)
    return context


def _no_caches(info: tarfile.TarInfo) -> tarfile.TarInfo | None:
    parts = set(Path(info.name).parts)
    return None if parts & {"__pycache__", ".pytest_cache", ".mypy_cache"} else info


def build_service_image(client: docker.DockerClient, settings: Settings, log: Log) -> str:
    """Build the service image (API, workers, and the compose file's PostgreSQL and Redis)
    on the same base as the runtime image; the host's CA bundle goes in, as for the runtime."""
    with _build_lock(settings, log):
        base = _resolve_base(client, settings, log)
        root = settings.root
        inputs = [
            (root / "platform" / "pyproject.toml", "platform/pyproject.toml"),
            (root / "platform" / "src", "platform/src"),
            (root / "platform" / "docker", "platform/docker"),
            *((root / name, name) for name in PROBLEM_FOLDERS),
        ]
        log(f"building {SERVICE_TAG} on {base}")
        return _build(
            client,
            _build_context(inputs),
            tag=SERVICE_TAG,
            base=base,
            log=log,
            dockerfile="platform/docker/service/Dockerfile",
        )


def build_derived(
    client: docker.DockerClient, base: str, wheel_files: list[Path], lines: list[str], tag: str
) -> tuple[bool, str]:
    """Install requirements from wheels into an image derived from ``base``, offline; the
    image is ``tag`` when pip succeeded. Returns whether it did, and pip's output."""
    wheels_tar = io.BytesIO()
    with tarfile.open(fileobj=wheels_tar, mode="w") as tar:
        for path in wheel_files:
            tar.add(path, arcname=f"wheels/{path.name}")
    script = (
        'pip install --no-cache-dir --no-index --find-links /tmp/wheels "$@"; '
        "code=$?; rm -rf /tmp/wheels; exit $code"
    )
    container = client.containers.create(
        base, ["sh", "-c", script, "install", *lines], user="0", network_mode="none"
    )
    try:
        container.put_archive("/tmp", wheels_tar.getvalue())
        container.start()
        status = container.wait(timeout=DERIVED_BUILD_S)
        output = container.logs().decode(errors="replace")
        if status.get("StatusCode") != 0:
            return False, output
        repository, _, version = tag.partition(":")
        container.commit(repository=repository, tag=version)
        return True, output
    finally:
        container.remove(force=True)


def _host_ca_bundle() -> Path | None:
    """Find the CA bundle this host trusts, which pip in the build must trust too."""
    for candidate in (os.environ.get("PIP_CERT"), os.environ.get("SSL_CERT_FILE"), DEBIAN_CA):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def _follow_build(chunks: Iterable[dict[str, Any]], log: Log) -> tuple[str | None, list[str]]:
    """Relay a build's output lines; return its error, if any, and its last lines."""
    error: str | None = None
    tail: deque[str] = deque(maxlen=TAIL_LINES)
    pending = ""
    for chunk in chunks:
        if "error" in chunk:
            error = str(chunk["error"]).strip()
        # A chunk may hold several lines or part of one: pass on whole lines only.
        *lines, pending = (pending + str(chunk.get("stream", ""))).split("\n")
        for line in lines:
            _keep(line, tail, log)
    _keep(pending, tail, log)
    return error, list(tail)


def _keep(line: str, tail: deque[str], log: Log) -> None:
    """Log a non-blank line and remember it among the last few."""
    if line.strip():
        tail.append(line)
        log(line)


def _relay(lines: Iterable[str], log: Log) -> list[str]:
    """Pass each line to log and return the last few."""
    tail: deque[str] = deque(maxlen=TAIL_LINES)
    for raw in lines:
        line = raw.rstrip("\n")
        tail.append(line)
        log(line)
    return list(tail)


def _failure(summary: str, tail: list[str]) -> str:
    """Join a one-line summary with the output that led to it."""
    if not tail:
        return summary
    return summary + "\nlast output:\n" + "\n".join(tail)
