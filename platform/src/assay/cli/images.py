"""``assay images build`` and ``assay reap``: the Docker side of the sandbox."""

from typing import Annotated

import typer

from assay.cli.output import console, reported, say
from assay.config import get_settings
from assay.sandbox.docker import connect
from assay.sandbox.docker import reap as reap_pods
from assay.sandbox.images import SERVICE_TAG, build_service_image, ensure_runtime_image


def build(
    service: Annotated[
        bool, typer.Option("--service", help="Also build the service image for docker-compose.")
    ] = False,
) -> None:
    """Build the sandbox images when their inputs changed (a no-op otherwise)."""
    with reported():
        client = connect()
        image = ensure_runtime_image(client, get_settings(), say)
        console.print(f"runtime image {image.tag} ({image.id[:19]})")
        if service:
            built = build_service_image(client, get_settings(), say)
            console.print(f"service image {SERVICE_TAG} ({built[:19]})")


def reap() -> None:
    """Remove containers left behind by crashed grading runs."""
    with reported():
        console.print(f"removed {reap_pods(connect())} containers")
