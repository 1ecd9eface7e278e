"""``assay images build`` and ``assay reap``: the Docker side of the sandbox."""

from assay.cli.output import console, reported, say
from assay.config import get_settings
from assay.sandbox.docker import connect
from assay.sandbox.docker import reap as reap_pods
from assay.sandbox.images import ensure_runtime_image


def build() -> None:
    """Build the sandbox images when their inputs changed (a no-op otherwise)."""
    with reported():
        image = ensure_runtime_image(connect(), get_settings(), say)
    console.print(f"runtime image {image.tag} ({image.id[:19]})")


def reap() -> None:
    """Remove containers left behind by crashed grading runs."""
    with reported():
        console.print(f"removed {reap_pods(connect())} containers")
