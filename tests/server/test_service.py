"""The whole service for real: PostgreSQL, Redis, ``assay serve``, two ``assay worker``
processes grading in Docker pods, and ``assay submit`` as a candidate runs it.

The outages are real too: a worker killed with SIGKILL mid-grading, Redis stopped while
uploads arrive, PostgreSQL restarted during a burst.
"""

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docker
import httpx
import pytest

from assay.grading.report import Report
from assay.server import migrate
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
ADMIN_EMAIL = "admin@example.com"
DATABASE = "assay_service"
GRADED_WITHIN_S = 240


@dataclass
class Service:
    env: dict[str, str]
    url: str
    api: Process
    workers: list[Process]
    postgres: Postgres
    redis: Redis
    token: str

    def client(self) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.token}"}
        return httpx.Client(base_url=f"{self.url}/api/v1", headers=headers, timeout=30)

    def cli(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        env = {**self.env, "ASSAY_URL": self.url, "ASSAY_TOKEN": self.token}
        return subprocess.run(
            assay(*args), env=env, capture_output=True, text=True, timeout=timeout, check=False
        )

    def wait_graded(self, submission_id: str, timeout: float = GRADED_WITHIN_S) -> dict:
        with self.client() as client:

            def finished() -> bool:
                status = client.get(f"/submissions/{submission_id}").json()["status"]
                return status in ("graded", "error")

            wait_until(finished, what=f"submission {submission_id}", timeout=timeout)
            return dict(client.get(f"/submissions/{submission_id}").json())


def _env(tmp: Path, postgres: Postgres, redis: Redis) -> dict[str, str]:
    return {
        **os.environ,
        "ASSAY_ROOT": str(ROOT),
        "ASSAY_DATABASE_URL": postgres.url(DATABASE),
        "ASSAY_BROKER_URL": redis.url,
        "ASSAY_SECRET_KEY": "service-test-signing-key-long-enough-for-hs256",
        "ASSAY_DATA_DIR": str(tmp / "data"),
        "ASSAY_CACHE_DIR": str(tmp / "cache"),
        "ASSAY_HEARTBEAT_S": "2",
        "ASSAY_STALE_AFTER_S": "12",
        "ASSAY_SWEEP_EVERY_S": "2",
        "ASSAY_NEW_PASSWORD": PASSWORD,
    }


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    tmp = tmp_path_factory.mktemp("service")
    postgres = Postgres().boot()
    postgres.psql(f"CREATE DATABASE {DATABASE}")
    migrate.upgrade(postgres.url(DATABASE))
    redis = Redis(tmp / "redis").start()
    env = _env(tmp, postgres, redis)
    subprocess.run(assay("users", "create", ADMIN_EMAIL, "--role", "admin"), env=env, check=True)
    token = subprocess.run(
        assay("tokens", "create", ADMIN_EMAIL, "--name", "tests"),
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    port = free_port()
    api = Process("api", assay("serve", "--port", str(port)), tmp / "api.log", env)
    workers = [Process(f"worker{n}", assay("worker"), tmp / f"worker{n}.log", env) for n in (1, 2)]
    for process in (api, *workers):
        process.start()
    url = f"http://127.0.0.1:{port}"
    wait_until(lambda: answers(f"{url}/readyz"), what="the API")
    yield Service(env, url, api, workers, postgres, redis, token)
    for process in (api, *workers):
        process.stop()
    redis.server.stop()
    postgres.remove()


def _broken_submission(folder: Path, number: int) -> Path:
    """A quick grading: the service does not even start."""
    folder.mkdir(parents=True)
    (folder / "main.py").write_text(f"def broken_{number}(:\n", encoding="utf-8")
    return folder


def _points(report: dict) -> dict[str, float | None]:
    return {c["id"]: c["points"] for c in report["criteria"] if c["id"] != "performance"}


def test_submit_and_wait_prints_the_scores_assay_grade_gives(
    service: Service, reference_report: Report, tmp_path: Path
) -> None:
    output = tmp_path / "report.json"
    done = service.cli(
        "submit",
        str(ROOT / "examples/book-reviews"),
        "-p",
        "book-reviews",
        "--wait",
        "--json",
        str(output),
        "--min-score",
        "90",
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "Score:" in done.stdout
    remote = json.loads(output.read_text())
    assert _points(remote) == _points(reference_report.model_dump(mode="json"))


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _grading_pid(client: httpx.Client, submission_id: str) -> int | None:
    body = client.get(f"/submissions/{submission_id}").json()
    if body["status"] != "grading" or not body["stage"]:
        return None
    attempts = client.get(f"/submissions/{submission_id}/attempts").json()["items"]
    return int(attempts[-1]["worker"].rsplit(":", 1)[1])


def test_a_worker_killed_mid_grading_is_replaced_and_leaves_nothing_behind(
    service: Service,
) -> None:
    with service.client() as client:
        starter = ROOT / "starter-code/book-reviews"
        submitted = service.cli("submit", str(starter), "-p", "book-reviews")
        assert submitted.returncode == 0, submitted.stderr
        submission_id = submitted.stdout.split()[1].rstrip(":")
        wait_until(
            lambda: _grading_pid(client, submission_id) is not None,
            what="the grading to start",
            timeout=60,
        )
        pid = _grading_pid(client, submission_id)
        victim = next(w for w in service.workers if pid in _children(w.process.pid))
        victim_pids = [victim.process.pid, *_children(victim.process.pid)]
        os.killpg(victim.process.pid, signal.SIGKILL)
        victim.process.wait()

        final = service.wait_graded(submission_id)
        attempts = client.get(f"/submissions/{submission_id}/attempts").json()["items"]

    victim.start()
    assert final["status"] == "graded"
    assert [attempt["status"] for attempt in attempts] == ["interrupted", "graded"]
    engine = docker.from_env()
    try:
        owners = {
            c.labels.get("assay.owner", "")
            for c in engine.containers.list(all=True, ignore_removed=True)
        }
    finally:
        engine.close()
    assert not {owner for owner in owners if owner.split(":")[-1] in map(str, victim_pids)}


def test_uploads_while_redis_is_down_are_accepted_and_graded_after_it_returns(
    service: Service, tmp_path: Path
) -> None:
    service.redis.server.stop()
    try:
        ids = []
        for number in range(3):
            folder = _broken_submission(tmp_path / f"s{number}", number)
            done = service.cli("submit", str(folder), "-p", "book-reviews", timeout=60)
            assert done.returncode == 0, done.stderr
            ids.append(done.stdout.split()[1].rstrip(":"))
    finally:
        service.redis.start()

    finals = [service.wait_graded(submission_id) for submission_id in ids]

    assert [final["status"] for final in finals] == ["graded"] * 3


def test_a_postgresql_restart_during_a_burst_loses_nothing(
    service: Service, tmp_path: Path
) -> None:
    folders = [_broken_submission(tmp_path / f"b{n}", 100 + n) for n in range(4)]
    uploads = [
        subprocess.Popen(
            assay("submit", str(folder), "-p", "book-reviews"),
            env={**service.env, "ASSAY_URL": service.url, "ASSAY_TOKEN": service.token},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for folder in folders[:2]
    ]
    service.postgres.server.stop(signal.SIGINT)  # a fast shutdown: clients are cut off
    time.sleep(2)
    uploads += [
        subprocess.Popen(
            assay("submit", str(folder), "-p", "book-reviews"),
            env={**service.env, "ASSAY_URL": service.url, "ASSAY_TOKEN": service.token},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for folder in folders[2:]
    ]
    time.sleep(3)
    service.postgres.start()

    results = [upload.communicate(timeout=180) for upload in uploads]
    codes = [upload.returncode for upload in uploads]
    assert codes == [0] * 4, results
    ids = [out.split()[1].rstrip(":") for out, _ in results]
    finals = [service.wait_graded(submission_id) for submission_id in ids]
    assert [final["status"] for final in finals] == ["graded"] * 4
