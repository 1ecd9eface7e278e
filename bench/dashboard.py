"""The dashboard with 10 000 submissions, on the embedded SQLite and on PostgreSQL, in one run.

Each database is migrated and seeded with 2 500 candidates who submitted 4 times each to one
problem (every one on the same leaderboard: the worst case), with stored reports, test
outcomes and reviews as workers and reviewers leave them. Then a reviewer's leaderboard
(sorted by best score, by a criterion, and filtered) and submission pages are requested
through the app in-process, and p50 and p95 are reported beside the goal: p95 under 100 ms.
Run with ``make bench``.
"""

import hashlib
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from pydantic import SecretStr
from rich.console import Console
from rich.table import Table
from sqlalchemy import insert

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assay.config import Settings  # noqa: E402 - after the repository joins the path
from assay.server import migrate  # noqa: E402
from assay.server.accounts import security  # noqa: E402
from assay.server.accounts.models import Invitation, Role, User  # noqa: E402
from assay.server.app import create_app  # noqa: E402
from assay.server.db import engine_for, session_scope  # noqa: E402
from assay.server.gradings.models import AttemptStatus, Grading, HiddenOutcome  # noqa: E402
from assay.server.problems.service import catalog  # noqa: E402
from assay.server.reviews.models import Kind, Review  # noqa: E402
from assay.server.submissions.archives import canonical  # noqa: E402
from assay.server.submissions.models import Blob, Status, Submission  # noqa: E402
from tests.server.builders import rich_report, sign_in_page, tar_gz  # noqa: E402
from tests.servers import Postgres  # noqa: E402

CANDIDATES = 2500
PER_CANDIDATE = 4
PROBLEM = "book-reviews"
REQUESTS = 60
GOAL_MS = 100.0
PASSWORD = "correct horse battery"  # noqa: S105 - what sign_in_page types


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def seed(database: str) -> list[str]:
    """Bulk-insert the rows a season of gradings leaves; returns some graded submission ids."""
    problem = catalog(ROOT)[PROBLEM]
    reports = [rich_report(problem, failing=failing, seed=failing) for failing in range(6)]
    dumped = [report.model_dump(mode="json") for report in reports]
    blob = canonical(tar_gz({"app/main.py": "x = 1\n" * 200}))
    sha = hashlib.sha256(blob.data).hexdigest()
    now = datetime.now(UTC)
    rng = random.Random(7)  # noqa: S311 - repeatable data, not secrets
    hashed = security.hash_password(PASSWORD)
    users: list[dict[str, Any]] = [
        {
            "id": "reviewer",
            "email": "reviewer@example.com",
            "name": "",
            "role": Role.reviewer,
            "password_hash": hashed,
            "created_at": now,
        }
    ]
    invitations, submissions, gradings, outcomes, reviews = [], [], [], [], []
    graded_ids = []
    for number in range(CANDIDATES):
        candidate = uuid.uuid4().hex
        users.append(
            {
                "id": candidate,
                "email": f"c{number}@example.com",
                "name": f"Candidate {number}",
                "role": Role.candidate,
                "password_hash": None,
                "created_at": now,
            }
        )
        invitations.append(
            {
                "id": uuid.uuid4().hex,
                "candidate_id": candidate,
                "problem": PROBLEM,
                "invited_by": "reviewer",
                "deadline": now + timedelta(days=7),
                "created_at": now - timedelta(days=2),
                "started_at": now - timedelta(hours=rng.uniform(1, 4)),
            }
        )
        for attempt in range(PER_CANDIDATE):
            ident = uuid.uuid4().hex
            created = now - timedelta(hours=PER_CANDIDATE - attempt, minutes=rng.randint(0, 59))
            status = rng.choices([Status.graded, Status.error, Status.queued], [90, 5, 5])[0]
            variant = rng.randrange(len(reports))
            report = reports[variant]
            graded = status is Status.graded
            points = {c.id: c.points for c in report.criteria} if graded else None
            submissions.append(
                {
                    "id": ident,
                    "candidate_id": candidate,
                    "problem": PROBLEM,
                    "archive_sha256": sha,
                    "files": blob.files,
                    "size": blob.size,
                    "source": "upload",
                    "status": status,
                    "created_at": created,
                    "queued_at": created,
                    "deliveries": 1,
                    "total": report.total if graded else None,
                    "reviewed_total": report.total if graded else None,
                    "points": points,
                    "finished_at": created + timedelta(minutes=3) if status.finished else None,
                }
            )
            if not status.finished:
                continue
            gradings.append(
                {
                    "id": uuid.uuid4().hex,
                    "submission_id": ident,
                    "number": 1,
                    "worker": "bench:1",
                    "status": AttemptStatus.graded if graded else AttemptStatus.error,
                    "stage": "",
                    "stages": [],
                    "started_at": created,
                    "heartbeat_at": created,
                    "finished_at": created + timedelta(minutes=3),
                    "total": report.total if graded else None,
                    "image": "assay-runtime:bench",
                    "suite_sha256": "ab" * 32,
                    "error": None if graded else "the engine failed",
                    "report": dumped[variant] if graded else None,
                }
            )
            if not graded:
                continue
            graded_ids.append(ident)
            outcomes += [
                {
                    "submission_id": ident,
                    "test_id": test.id,
                    "problem": PROBLEM,
                    "candidate_id": candidate,
                    "visible": test.visible,
                    "passed": test.passed,
                }
                for test in report.hidden_tests
            ]
            if attempt == PER_CANDIDATE - 1 and number % 5 == 0:
                reviews.append(
                    {
                        "id": uuid.uuid4().hex,
                        "submission_id": ident,
                        "criterion": "design_review",
                        "kind": Kind.manual,
                        "score": rng.randint(1, 5),
                        "points": None,
                        "note": "seeded",
                        "reviewer_id": "reviewer",
                        "updated_at": now,
                    }
                )
    with session_scope(database) as session:
        session.add(Blob(sha256=sha, size=len(blob.data), data=blob.data))
        for model, rows in (
            (User, users),
            (Invitation, invitations),
            (Submission, submissions),
            (Grading, gradings),
            (HiddenOutcome, outcomes),
            (Review, reviews),
        ):
            for start in range(0, len(rows), 2000):
                session.execute(insert(model), rows[start : start + 2000])
    return graded_ids


def timed(client: TestClient, paths: list[str]) -> list[float]:
    times = []
    for path in paths:
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return times


def measure(database: str, data_dir: Path) -> dict[str, list[float]]:
    started = time.monotonic()
    migrate.upgrade(database)
    ids = seed(database)
    print(
        f"  seeded {CANDIDATES * PER_CANDIDATE} submissions in {time.monotonic() - started:.0f} s"
    )
    settings = Settings(
        root=ROOT,
        data_dir=data_dir,
        database_url=database,
        broker_url="memory://",
        secret_key=SecretStr("bench-signing-key-that-is-long-enough-for-hs256"),
    )
    rng = random.Random(3)  # noqa: S311 - repeatable choices, not secrets
    pages: dict[str, Callable[[], list[str]]] = {
        "leaderboard, best first": lambda: [f"/problems/{PROBLEM}"] * REQUESTS,
        "leaderboard, by a criterion, page 20": lambda: (
            [f"/problems/{PROBLEM}?sort=code_quality&order=asc&page=20"] * REQUESTS
        ),
        "leaderboard, by time used": lambda: [f"/problems/{PROBLEM}?sort=time"] * REQUESTS,
        "leaderboard, filtered": lambda: [
            f"/problems/{PROBLEM}?q=candidate%20{rng.randrange(CANDIDATES)}"
            for _ in range(REQUESTS)
        ],
        "submission page": lambda: [f"/submissions/{rng.choice(ids)}" for _ in range(REQUESTS)],
    }
    results = {}
    with TestClient(create_app(settings)) as client:
        with session_scope(database) as session:
            reviewer = session.get_one(User, "reviewer")
            session.expunge(reviewer)
        sign_in_page(client, reviewer)
        for name, paths in pages.items():
            timed(client, paths()[:5])  # warm caches and the pool
            results[name] = timed(client, paths())
    engine_for(database).dispose()
    return results


def main() -> None:
    table = Table(
        title=f"Dashboard, {CANDIDATES * PER_CANDIDATE} submissions, {REQUESTS} requests a page",
        title_justify="left",
    )
    for column in ("database", "page", "p50 ms", "p95 ms", f"p95 < {GOAL_MS:g} ms"):
        table.add_column(column, justify="left" if column in ("database", "page") else "right")
    with tempfile.TemporaryDirectory(prefix="assay-bench-dashboard-") as scratch:
        tmp = Path(scratch)
        runs = {}
        print("SQLite (the embedded default)")
        runs["SQLite"] = measure(f"sqlite:///{tmp / 'assay.db'}", tmp)
        print("PostgreSQL")
        postgres = Postgres().boot()
        try:
            postgres.psql("CREATE DATABASE assay")
            runs["PostgreSQL"] = measure(postgres.url("assay"), tmp)
        finally:
            postgres.remove()
    for database, results in runs.items():
        for page, times in results.items():
            p95 = _percentile(times, 0.95)
            table.add_row(
                database,
                page,
                f"{statistics.median(times):.1f}",
                f"{p95:.1f}",
                "yes" if p95 < GOAL_MS else "NO",
            )
    Console().print(table)


if __name__ == "__main__":
    main()
