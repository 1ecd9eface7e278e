"""``assay submit`` and ``assay status``: the service, from a candidate's machine or a CI job.

The folder is walked and packed as the grader would, uploaded with an Idempotency-Key made
from its content (so a retried upload never creates a second submission), then followed
stage by stage. Exit codes are those of ``assay grade``.
"""

import gzip
import hashlib
import json
import time
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer

from assay import tree
from assay.cli.output import EXIT_BELOW_MIN, EXIT_PLATFORM, console, err, reported
from assay.config import Settings, get_settings
from assay.errors import InvalidInput, NotFound, PlatformError, Unauthorized
from assay.grading.render import LiveStages, show_report
from assay.grading.report import Report, Stage

RETRIES = 6
POLL_S = 1.0
TRANSIENT = {502, 503, 504}


class Service:
    """The few calls the CLI makes, with retries where a retry is safe."""

    def __init__(self, settings: Settings) -> None:
        if settings.token is None:
            raise Unauthorized("set ASSAY_TOKEN to an API token (assay tokens create, or the API)")
        self.client = httpx.Client(
            base_url=settings.url.rstrip("/") + "/api/v1",
            headers={"Authorization": f"Bearer {settings.token.get_secret_value()}"},
            timeout=httpx.Timeout(30.0, connect=5.0),
        )

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        for attempt in range(RETRIES):
            try:
                response = self.client.request(method, path, **kwargs)
            except httpx.TransportError as error:
                if attempt == RETRIES - 1:
                    where = self.client.base_url
                    raise PlatformError(f"Assay at {where} is unreachable: {error}") from error
            else:
                if response.status_code not in TRANSIENT or attempt == RETRIES - 1:
                    return self._checked(response)
            time.sleep(min(2**attempt, 15))
        raise AssertionError("unreachable")

    @staticmethod
    def _checked(response: httpx.Response) -> httpx.Response:
        if response.is_success:
            return response
        try:
            detail = str(response.json().get("detail", response.text))
        except ValueError:
            detail = response.text
        if response.status_code in (401, 403):
            raise Unauthorized(detail)
        if response.status_code == 404:
            raise NotFound(detail)
        if response.status_code >= 500:
            raise PlatformError(f"Assay answered {response.status_code}: {detail}")
        raise InvalidInput(detail)

    def upload(self, problem: str, archive: bytes, key: str) -> dict[str, Any]:
        files = {"archive": ("submission.tar.gz", archive, "application/gzip")}
        response = self._send(
            "POST",
            "/submissions",
            data={"problem": problem},
            files=files,
            headers={"Idempotency-Key": key},
        )
        return dict(response.json())

    def get(self, path: str) -> httpx.Response:
        return self._send("GET", path)


def pack_folder(folder: Path, problem: str) -> tuple[bytes, str]:
    """The folder as the grader packs it, gzipped, and the idempotency key of its content."""
    data = tree.pack(tree.walk(folder))
    key = hashlib.sha256(problem.encode() + b"\0" + data).hexdigest()
    return gzip.compress(data, mtime=0), key


def _follow(service: Service, submission: dict[str, Any]) -> dict[str, Any]:
    path = f"/submissions/{submission['id']}"
    with LiveStages(console, f"Submission {submission['id']} ({submission['problem']})") as live:
        while True:
            current = dict(service.get(path).json())
            for stage in current.get("stages", []):
                live.update(Stage.model_validate(stage))
            if current["status"] in ("graded", "error"):
                return current
            time.sleep(POLL_S)


def submit(
    path: Annotated[Path, typer.Argument(help="The submission folder.")],
    problem: Annotated[str, typer.Option("--problem", "-p", help="Problem slug.")],
    wait: Annotated[bool, typer.Option(help="Follow the grading and print the score.")] = False,
    min_score: Annotated[float | None, typer.Option(help="Exit 1 under this total.")] = None,
    junit_file: Annotated[
        Path | None, typer.Option("--junit", help="Write JUnit XML here.")
    ] = None,
    json_file: Annotated[Path | None, typer.Option("--json", help="Write the report here.")] = None,
) -> None:
    """Upload PATH to Assay for grading; with --wait, show the stages and the score."""
    with reported():
        service = Service(get_settings())
        archive, key = pack_folder(path.resolve(), problem)
        submission = service.upload(problem, archive, key)
        console.print(f"submitted {submission['id']}: {submission['links']['self']}")
        for item in submission.get("left_out", []):
            err.print(f"left out: {item}", highlight=False)
        if not (wait or min_score is not None or junit_file or json_file):
            return
        finished = _follow(service, submission)
        if finished["status"] == "error":
            err.print(f"[red]not graded: the platform failed:[/red] {finished.get('error')}")
            raise typer.Exit(EXIT_PLATFORM)
        report = service.get(f"/submissions/{submission['id']}/report").json()
        show_report(console, Report.model_validate(report))
        if json_file is not None:
            json_file.write_text(json.dumps(report, indent=2), encoding="utf-8")
        if junit_file is not None:
            junit = service.get(f"/submissions/{submission['id']}/junit").text
            junit_file.write_text(junit, encoding="utf-8")
    total = finished.get("total") or 0.0
    if min_score is not None and total < min_score:
        err.print(f"total {total:g} is under --min-score {min_score:g}")
        raise typer.Exit(EXIT_BELOW_MIN)


def status(
    submission_id: Annotated[str, typer.Argument(help="The submission's id.")],
) -> None:
    """Show a submission's status, its stages, and its score once graded."""
    with reported():
        current = Service(get_settings()).get(f"/submissions/{submission_id}").json()
    console.print(
        f"{current['id']} ({current['problem']}): {current['status']}"
        + (f", total {current['total']:g}" if current.get("total") is not None else "")
        + (f", queue position {current['queue_position']}" if current.get("queue_position") else "")
    )
    for stage in current.get("stages", []):
        console.print(f"  {stage['name']}: {stage['status']} {stage['summary']}", highlight=False)
    if current["status"] == "error":
        err.print(f"not graded: {current.get('error')}")
        raise typer.Exit(EXIT_PLATFORM)
