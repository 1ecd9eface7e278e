"""``assay submit`` and ``assay status``: the service, from a candidate's machine or a CI job.

The folder is walked and packed as the grader would, uploaded with an Idempotency-Key made
from its content (so a retried upload never creates a second submission), then followed
stage by stage. With ``--git`` the folder's committed ``HEAD`` is pushed to the caller's
invitation remote instead (what ``git push`` does), so that only committed files are graded
and the history goes with them. Exit codes are those of ``assay grade``.
"""

import base64
import gzip
import hashlib
import json
import os
import re
import subprocess
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


SUBMISSION_URL = re.compile(r"/submissions/([0-9a-f]{32})\b")
GIT_PUSH_S = 300


def _git(folder: Path, *args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        ["git", "-C", str(folder), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=GIT_PUSH_S,
        check=False,
    )
    if done.returncode != 0:
        raise InvalidInput(f"git {args[0]} failed: {(done.stderr or done.stdout).strip()}")
    return done.stdout


def _remote(service: Service, problem: str) -> str:
    """The git remote of the caller's invitation to ``problem`` (the one open longest)."""
    invitations = service.get("/invitations").json()["items"]
    mine = sorted(
        (item for item in invitations if item["problem"] == problem),
        key=lambda item: str(item["deadline"]),
    )
    if not mine:
        raise NotFound(f"no invitation to {problem}: its git remote is where --git pushes")
    return str(mine[-1]["git_url"])


def push_head(service: Service, token: str, folder: Path, problem: str) -> dict[str, Any]:
    """Push the folder's committed HEAD to the invitation's remote as ``main``; the submission
    it made (or had made before, for a commit pushed already)."""
    head = _git(folder, "rev-parse", "HEAD").strip()
    changes = [line for line in _git(folder, "status", "--porcelain").splitlines() if line]
    if changes:
        err.print(
            f"{len(changes)} uncommitted change(s) are not submitted: only committed files "
            "are graded",
            highlight=False,
        )
    basic = base64.b64encode(f"assay:{token}".encode()).decode()
    env = {
        **os.environ,
        "GIT_TERMINAL_PROMPT": "0",
        # the token goes in a header from the environment, never in a URL or an argument
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "http.extraHeader",
        "GIT_CONFIG_VALUE_0": f"Authorization: Basic {basic}",
    }
    url = _remote(service, problem)
    pushed = subprocess.run(
        ["git", "-C", str(folder), "push", url, "HEAD:refs/heads/main"],
        capture_output=True,
        text=True,
        env=env,
        timeout=GIT_PUSH_S,
        check=False,
    )
    said = [line for line in pushed.stderr.splitlines() if line.startswith("remote:")]
    for line in said:
        err.print(line, highlight=False)
    if pushed.returncode != 0:
        raise InvalidInput(f"git push to {url} failed: {pushed.stderr.strip()}")
    found = SUBMISSION_URL.search(pushed.stderr)
    if found is not None:
        return dict(service.get(f"/submissions/{found.group(1)}").json())
    # nothing new was pushed: main already is this commit, submitted before
    listed = service.get(f"/submissions?problem={problem}&limit=100").json()["items"]
    earlier = next((item for item in listed if item.get("commit") == head), None)
    if earlier is None:
        raise NotFound(f"the remote's main is {head[:12]} but no submission of it was found")
    return dict(earlier)


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
    git: Annotated[
        bool,
        typer.Option(
            "--git",
            help="Push PATH's committed HEAD to your invitation's git remote instead of "
            "uploading the folder: only committed files are graded.",
        ),
    ] = False,
) -> None:
    """Upload PATH to Assay for grading; with --wait, show the stages and the score."""
    with reported():
        settings = get_settings()
        service = Service(settings)
        if git:
            token = settings.token.get_secret_value() if settings.token else ""
            submission = push_head(service, token, path.resolve(), problem)
        else:
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
