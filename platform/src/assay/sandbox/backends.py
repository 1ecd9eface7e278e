"""Choose and prepare the backend a grading run uses."""

from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from packaging.utils import canonicalize_name

from assay import requirements
from assay.config import SandboxKind, Settings
from assay.sandbox import docker as docker_backend
from assay.sandbox import images
from assay.sandbox.local import LocalSandbox
from assay.sandbox.pod import Sandbox

LOCAL_WARNING = (
    "the local sandbox runs the submission as plain processes on this machine: nothing is "
    "isolated, limited or hidden from it. Use it only on a throwaway CI runner."
)


def locked_packages(lock: Path) -> frozenset[str]:
    """The distributions a pip lock file pins, by normalized name."""
    return frozenset(requirements.names(lock.read_text(encoding="utf-8").splitlines()))


def installed_packages() -> frozenset[str]:
    return frozenset(canonicalize_name(dist.metadata["Name"]) for dist in metadata.distributions())


def open_sandbox(settings: Settings, kind: SandboxKind, say: Callable[[str], None]) -> Sandbox:
    if kind == "local":
        say(f"WARNING: {LOCAL_WARNING}")
        return LocalSandbox(
            output_cap=settings.output_cap_bytes,
            packages=installed_packages(),
            lock_dir=settings.lock_dir,
        )
    client = docker_backend.connect()
    reaped = docker_backend.reap(client)
    if reaped:
        say(f"removed {reaped} containers left by an earlier run")
    image = images.ensure_runtime_image(client, settings, say)
    return docker_backend.DockerSandbox(
        client=client,
        image=image.tag,
        image_id=image.id,
        output_cap=settings.output_cap_bytes,
        packages=locked_packages(settings.docker_dir / "runtime" / "requirements.lock"),
        lock_dir=settings.lock_dir,
        wheelhouse_dir=settings.wheelhouse_dir,
    )
