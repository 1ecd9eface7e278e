"""The service under load, measured in one run on this machine.

Real PostgreSQL, Redis, API and workers (as the full test tier starts them) grade a batch of
quick submissions twice: with one worker, then with two. Reported side by side: gradings per
minute, the time from an accepted upload to its pod starting (p50, p95), and the p99 of
status reads that a client makes every few milliseconds meanwhile. Run with ``make bench``.
"""

import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assay.server import migrate  # noqa: E402 - after the repository joins the path
from tests.servers import (  # noqa: E402
    PASSWORD,
    Postgres,
    Process,
    Redis,
    answers,
    assay,
    free_port,
    wait_until,
)

BATCH = 6
EMAIL = "bench@example.com"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


class Reader(threading.Thread):
    """Reads one submission's status back to back and keeps every latency."""

    def __init__(self, client: httpx.Client, path: str) -> None:
        super().__init__(daemon=True)
        self.client, self.path = client, path
        self.latencies: list[float] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            started = time.perf_counter()
            self.client.get(self.path)
            self.latencies.append(time.perf_counter() - started)
            time.sleep(0.005)


def _batch(client: httpx.Client, folder: Path, tag: str) -> list[str]:
    ids = []
    for number in range(BATCH):
        (folder / "main.py").write_text(f"def broken_{tag}_{number}(:\n", encoding="utf-8")
        data = subprocess.run(
            ["tar", "-czf", "-", "-C", str(folder), "main.py"], capture_output=True, check=True
        ).stdout
        response = client.post(
            "/submissions",
            data={"problem": "book-reviews"},
            files={"archive": ("s.tar.gz", data, "application/gzip")},
        )
        response.raise_for_status()
        ids.append(response.json()["id"])
    return ids


def _phase(client: httpx.Client, folder: Path, workers: list[Process], tag: str) -> list[str]:
    for worker in workers:
        worker.start()
    started = time.monotonic()
    ids = _batch(client, folder, tag)
    reader = Reader(client, f"/submissions/{ids[0]}")
    reader.start()

    def finished() -> bool:
        return all(
            client.get(f"/submissions/{i}").json()["status"] in ("graded", "error") for i in ids
        )

    wait_until(finished, what=f"{BATCH} gradings", timeout=900)
    elapsed = time.monotonic() - started
    reader.done.set()
    for worker in workers:
        worker.stop()
    starts = []
    for submission_id in ids:
        body = client.get(f"/submissions/{submission_id}").json()
        first = min(datetime.fromisoformat(stage["at"]) for stage in body["stages"])
        starts.append((first - datetime.fromisoformat(body["created_at"])).total_seconds())
    return [
        f"{len(workers)}",
        f"{BATCH * 60 / elapsed:.1f}",
        f"{_percentile(starts, 0.5):.1f}",
        f"{_percentile(starts, 0.95):.1f}",
        f"{_percentile(reader.latencies, 0.99) * 1000:.1f}",
        f"{statistics.median(reader.latencies) * 1000:.1f}",
    ]


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="assay-bench-") as scratch:
        tmp = Path(scratch)
        postgres = Postgres().boot()
        postgres.psql("CREATE DATABASE assay")
        migrate.upgrade(postgres.url("assay"))
        redis = Redis(tmp / "redis").start()
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp),
            "ASSAY_ROOT": str(ROOT),
            "ASSAY_DATABASE_URL": postgres.url("assay"),
            "ASSAY_BROKER_URL": redis.url,
            "ASSAY_SECRET_KEY": "bench-signing-key-that-is-long-enough-for-hs256",
            "ASSAY_NEW_PASSWORD": PASSWORD,
        }
        subprocess.run(assay("users", "create", EMAIL, "--role", "admin"), env=env, check=True)
        token = subprocess.run(
            assay("tokens", "create", EMAIL), env=env, check=True, capture_output=True, text=True
        ).stdout.strip()
        port = free_port()
        api = Process("api", assay("serve", "--port", str(port)), tmp / "api.log", env)
        api.start()
        processes = [api]
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until(lambda: answers(f"{url}/healthz"), what="the API")
            headers = {"Authorization": f"Bearer {token}"}
            table = Table(title="Service on this machine (quick gradings)", title_justify="left")
            for column in (
                "workers",
                "gradings/min",
                "upload→pod p50 s",
                "upload→pod p95 s",
                "status read p99 ms",
                "status read p50 ms",
            ):
                table.add_column(column, justify="right")
            with httpx.Client(base_url=f"{url}/api/v1", headers=headers, timeout=30) as client:
                for count in (1, 2):
                    workers = [
                        Process(f"w{n}", assay("worker"), tmp / f"w{count}{n}.log", env)
                        for n in range(count)
                    ]
                    processes += workers
                    table.add_row(*_phase(client, tmp, workers, str(count)))
            Console().print(table)
        finally:
            for process in processes:
                process.stop()
            redis.server.stop()
            postgres.remove()


if __name__ == "__main__":
    main()
