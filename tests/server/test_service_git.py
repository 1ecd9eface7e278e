"""Git intake and pull-request grading for real: PostgreSQL, Redis, ``assay serve`` and an
``assay worker`` grading in Docker pods; the ``git`` client pushing the book-reviews
reference as a candidate does; a pull-request webhook as GitHub sends it, with the commit
fetched from, and the result reported back to, a local stand-in for GitHub's API.
"""

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from assay.grading.report import Report
from assay.server import migrate
from tests.server.payloads import SHA, github_delivery, github_pull_request
from tests.server.standin import StandIn, tarball
from tests.servers import (
    PASSWORD,
    Postgres,
    Process,
    Redis,
    answers,
    assay,
    free_port,
    wait_until,
)

pytestmark = [pytest.mark.servers, pytest.mark.docker, pytest.mark.xdist_group("book-reviews")]
ROOT = Path(__file__).resolve().parents[2]
ADMIN = "admin@example.com"
DATABASE = "assay_git"
GRADED_WITHIN_S = 600
SECRET = "the-repositorys-webhook-secret"
CACHES = shutil.ignore_patterns(".ruff_cache", "__pycache__", ".pytest_cache", ".venv")


@dataclass
class Service:
    env: dict[str, str]
    url: str
    token: str
    processes: list[Process]

    def api(self, token: str | None = None) -> httpx.Client:
        auth = {"Authorization": f"Bearer {token or self.token}"}
        return httpx.Client(base_url=f"{self.url}/api/v1", headers=auth, timeout=30)

    def cli(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            assay(*args), env=self.env, capture_output=True, text=True, timeout=timeout, check=True
        )

    def candidate(self, email: str) -> tuple[dict, str]:
        """An invited candidate: their invitation (with its git remote) and an API token."""
        with self.api() as client:
            invited = client.post(
                "/invitations",
                json={
                    "email": email,
                    "problem": "book-reviews",
                    "deadline": "2099-01-01T00:00:00Z",
                },
            )
        assert invited.status_code == 201, invited.text
        token = self.cli("tokens", "create", email, "--name", "git").stdout.strip()
        return invited.json(), token


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    tmp = tmp_path_factory.mktemp("service-git")
    postgres = Postgres().boot()
    postgres.psql(f"CREATE DATABASE {DATABASE}")
    migrate.upgrade(postgres.url(DATABASE))
    redis = Redis(tmp / "redis").start()
    env = {
        **os.environ,
        "ASSAY_ROOT": str(ROOT),
        "ASSAY_DATABASE_URL": postgres.url(DATABASE),
        "ASSAY_BROKER_URL": redis.url,
        "ASSAY_SECRET_KEY": "service-git-test-signing-key-long-enough-for-hs256",
        "ASSAY_DATA_DIR": str(tmp / "data"),
        "ASSAY_CACHE_DIR": str(tmp / "cache"),
        "ASSAY_HEARTBEAT_S": "2",
        "ASSAY_SWEEP_EVERY_S": "2",
        "ASSAY_NEW_PASSWORD": PASSWORD,
    }
    subprocess.run(assay("users", "create", ADMIN, "--role", "admin"), env=env, check=True)
    token = subprocess.run(
        assay("tokens", "create", ADMIN, "--name", "tests"),
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    processes = [
        Process("api", assay("serve", "--port", str(port)), tmp / "api.log", env),
        Process("worker", assay("worker"), tmp / "worker.log", env),
    ]
    for process in processes:
        process.start()
    wait_until(lambda: answers(f"{url}/readyz"), what="the API")
    yield Service({**env, "ASSAY_URL": url}, url, token, processes)
    for process in processes:
        process.stop()
    redis.server.stop()
    postgres.remove()


def _git(folder: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "Grace",
        "GIT_AUTHOR_EMAIL": "grace@example.com",
        "GIT_COMMITTER_NAME": "Grace",
        "GIT_COMMITTER_EMAIL": "grace@example.com",
    }
    return subprocess.run(
        ["git", "-C", str(folder), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _commit(folder: Path, subject: str, *paths: str) -> None:
    _git(folder, "add", *paths)
    done = _git(folder, "commit", "-q", "-m", subject)
    assert done.returncode == 0, done.stderr


def _points(report: dict) -> dict[str, float | None]:
    return {c["id"]: c["points"] for c in report["criteria"] if c["id"] != "performance"}


def test_a_push_of_the_reference_is_graded_with_the_scores_assay_grade_gives(
    service: Service, reference_report: Report, tmp_path: Path
) -> None:
    invitation, token = service.candidate("grace@example.com")
    work = tmp_path / "book-reviews"
    shutil.copytree(ROOT / "examples/book-reviews", work, ignore=CACHES)
    _git(work, "init", "-q", "-b", "main")
    _commit(work, "Models and migrations", "app", "migrations", "alembic.ini")
    _commit(work, "Tests", "tests")
    _commit(work, "Packaging and the README", ".")
    head = _git(work, "rev-parse", "HEAD").stdout.strip()
    url = invitation["git_url"].replace("http://", f"http://grace:{token}@")

    pushed = _git(work, "push", "-o", "wait", url, "main", timeout=GRADED_WITHIN_S)

    assert pushed.returncode == 0, pushed.stderr
    found = re.search(
        r"remote: Assay: main at \w+ \(3 commits\) is submission (\w+)", pushed.stderr
    )
    assert found, pushed.stderr
    score = re.search(r"remote: Assay: score ([\d.]+) / 100", pushed.stderr)
    assert score, pushed.stderr
    with service.api() as client:
        submission = client.get(f"/submissions/{found.group(1)}").json()
        report = client.get(f"/submissions/{found.group(1)}/report").json()
        history = client.get(f"/submissions/{found.group(1)}/commits").json()
    assert (submission["status"], submission["source"], submission["commit"]) == (
        "graded",
        "git",
        head,
    )
    assert float(score.group(1)) == pytest.approx(submission["total"])
    assert _points(report) == _points(reference_report.model_dump(mode="json"))
    assert [item["subject"] for item in history["history"]] == [
        "Packaging and the README",
        "Tests",
        "Models and migrations",
    ]


def test_a_signed_pull_request_is_graded_and_reported_back(
    service: Service, tmp_path: Path
) -> None:
    standin = StandIn().start()
    standin.archives[SHA] = tarball({"main.py": "def broken(:\n"})  # a quick grading
    try:
        service.candidate("ada@example.com")
        with service.api() as client:
            registered = client.post(
                "/repositories",
                json={
                    "provider": "github",
                    "full_name": "acme/ada",
                    "problem": "book-reviews",
                    "candidate": "ada@example.com",
                    "api_token": "gh-token",
                    "secret": SECRET,
                    "api_url": standin.url,
                },
            )
            assert registered.status_code == 201, registered.text
            body, sent = github_delivery(github_pull_request("acme/ada"), SECRET)
            forged_body, forged = github_delivery(github_pull_request("acme/ada"), "a-guess")

            refused = client.post(
                registered.json()["webhook_url"], content=forged_body, headers=forged
            )
            taken = client.post(registered.json()["webhook_url"], content=body, headers=sent)

            assert refused.status_code == 401
            assert taken.status_code == 202, taken.text
            wait_until(
                lambda: (
                    bool(standin.comments["7"]) and len(standin.seen("POST", "/statuses/")) >= 2
                ),
                what="the status and the comment",
                timeout=GRADED_WITHIN_S,
            )
            checks = client.get(f"/repositories/{registered.json()['id']}/checks").json()["items"]
            submission = client.get(f"/submissions/{checks[0]['submission_id']}").json()
    finally:
        standin.stop()

    assert len(checks) == 1  # the forged delivery graded nothing
    assert (submission["status"], submission["source"], submission["commit"]) == (
        "graded",
        "github",
        SHA,
    )
    assert standin.seen("GET", f"/repos/acme/ada/tarball/{SHA}")[0].headers["authorization"] == (
        "Bearer gh-token"
    )
    statuses = [seen.json for seen in standin.seen("POST", f"/repos/acme/ada/statuses/{SHA}")]
    assert [status["state"] for status in statuses] == ["pending", "success"]
    link = f"{service.url}/submissions/{submission['id']}"
    assert statuses[-1]["target_url"] == link
    assert statuses[-1]["description"] == f"Assay: {submission['total']:g} / 100"
    assert statuses[-1]["context"] == "assay/book-reviews"
    comment = standin.comments["7"][0]["body"]
    assert comment.startswith(f"<!-- assay:{registered.json()['id']} -->")
    assert f"## Assay: {submission['total']:g} / 100" in comment
    assert link in comment
    assert checks[0]["reported"] == "graded:1"


def test_assay_submit_git_wait_pushes_and_follows_the_grading(
    service: Service, tmp_path: Path
) -> None:
    _invitation, token = service.candidate("linus@example.com")
    work = tmp_path / "quick"
    work.mkdir()
    (work / "main.py").write_text("def broken(:\n")
    _git(work, "init", "-q", "-b", "trunk")
    _commit(work, "A start", ".")
    output = tmp_path / "report.json"

    done = subprocess.run(
        assay("submit", str(work), "-p", "book-reviews", "--git", "--wait", "--json", str(output)),
        env={**service.env, "ASSAY_TOKEN": token},
        capture_output=True,
        text=True,
        timeout=GRADED_WITHIN_S,
        check=False,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "Score:" in done.stdout
    assert json.loads(output.read_text())["outcome"] == "graded"
