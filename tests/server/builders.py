"""Builders for service tests: users, sign-ins, invitations, upload archives and results."""

import io
import re
import tarfile
import uuid
import zipfile
from datetime import UTC, datetime, timedelta

import httpx
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from assay.catalog.loader import Problem
from assay.grading import scoring, signals
from assay.grading.report import (
    Contract,
    HiddenTest,
    LintFinding,
    LoadFigures,
    LoadTest,
    Mutant,
    Mutation,
    Report,
    Reproducibility,
    SelfTests,
    Stage,
    StageStatus,
    StaticAnalysis,
)
from assay.server.accounts import service as accounts
from assay.server.accounts.models import Invitation, Role, User
from assay.server.gradings import service as gradings

PASSWORD = "correct horse battery"


def make_user(session: Session, role: Role = Role.candidate, **overrides: str) -> User:
    email = overrides.pop("email", f"{role}-{uuid.uuid4().hex[:8]}@example.com")
    user = accounts.create_user(session, email=email, role=role, password=PASSWORD, **overrides)
    session.commit()
    return user


def invite(
    session: Session, candidate: User, problem: str = "book-reviews", *, days: float = 7
) -> Invitation:
    invitation = Invitation(
        candidate_id=candidate.id,
        problem=problem,
        invited_by=candidate.id,
        deadline=datetime.now(UTC) + timedelta(days=days),
    )
    session.add(invitation)
    session.commit()
    return invitation


def headers(client: TestClient, user: User) -> dict[str, str]:
    """Sign in through the API; the bearer header for the user's access token."""
    response = client.post("/api/v1/auth/token", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def tar_gz(files: dict[str, bytes | str], *, wrap: str = "") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in files.items():
            data = content.encode() if isinstance(content, str) else content
            info = tarfile.TarInfo(f"{wrap}{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def zip_bytes(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


SMALL_APP = {
    "app/__init__.py": "",
    "app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
}


def upload(
    client: TestClient,
    auth: dict[str, str],
    archive: bytes,
    *,
    problem: str = "book-reviews",
    key: str | None = None,
    filename: str = "submission.tar.gz",
) -> httpx.Response:
    extra = {"Idempotency-Key": key} if key else {}
    return client.post(
        "/api/v1/submissions",
        data={"problem": problem},
        files={"archive": (filename, archive, "application/octet-stream")},
        headers={**auth, **extra},
    )


def rich_report(problem: Problem, *, failing: int = 2, seed: int = 0) -> Report:
    """A graded report with evidence of every kind, scored by the problem's own rubric: what a
    worker stores for a service that mostly works (the bench and the dashboard's tests)."""
    tests = [
        HiddenTest(
            id=f"tests/test_api.py::test_{category}_{number}",
            category=category,
            visible=number != 3,
            outcome="failed" if number < failing else "passed",
            message=f"assert 500 == 201: POST /books answered 500 ({seed})"
            if number < failing
            else "",
            doc=f"The {category} contract, case {number}.",
        )
        for category in ("functionality", "validation", "cache")
        for number in range(6)
    ]
    tests.append(
        HiddenTest(
            id="tests/test_degraded.py::test_reads_without_redis",
            category="resilience",
            degraded=True,
            outcome="passed",
        )
    )
    # The rubric's gates read the behaviour tests: two of them, weighted as the passed and the
    # failed tests above, keep the gate where the totals the dashboard's tests expect put it.
    passed = sum(test.passed for test in tests)
    tests += [
        HiddenTest(
            id=f"tests/test_behaviour.py::test_{name}",
            category="behaviour",
            weight=weight,
            outcome=outcome,
            doc="What the service does, through the binding.",
        )
        for name, weight, outcome in (
            ("what_works", passed, "passed"),
            ("what_does_not", len(tests) - passed, "failed"),
        )
        if weight
    ]
    findings = [
        LintFinding(code="E501", message="Line too long (120 > 100)", file="app/main.py", line=2),
        LintFinding(code="S105", message="Possible hardcoded password", file="app/main.py", line=3),
    ]
    report = Report(
        run_id=f"run{seed}",
        submission="submission",
        started_at=datetime.now(UTC) - timedelta(minutes=3),
        finished_at=datetime.now(UTC),
        hidden_tests=tests,
        selftests=SelfTests(
            collected=8,
            passed=7,
            failed=1,
            statements=200,
            covered_statements=150,
            branches=40,
            covered_branches=24,
            line_coverage=0.75,
            branch_coverage=0.6,
            failures=["tests/test_books.py::test_delete"],
            mutation=Mutation(
                candidates=57,
                mutants=[
                    Mutant(
                        file="app/main.py",
                        line=3,
                        original="if page < 1:",
                        mutated="if page <= 1:",
                        outcome="failed: tests/test_books.py::test_pages",
                    ),
                    Mutant(
                        file="app/main.py",
                        line=2,
                        original='@app.get("/books")',
                        mutated="",
                        outcome="passed",
                    ),
                ],
            ),
        ),
        static=StaticAnalysis(
            files=4,
            code_lines=180,
            findings_total=len(findings),
            findings_by_rule={"E501": 1, "S105": 1},
            findings=findings,
            functions=12,
            mean_complexity=2.5,
            max_complexity=6,
            public=10,
            documented=6,
            slots=30,
            annotated=27,
        ),
        contracts=[Contract(name="routes do not import the database", kept=True)],
        load=LoadTest(
            users=10,
            seconds=20,
            warmup_seconds=2,
            figures=LoadFigures(
                requests=4000, failures=4, rps=190.0, p50_ms=21, p95_ms=80, p99_ms=140
            ),
            reference=LoadFigures(
                requests=5000, failures=0, rps=240.0, p50_ms=12, p95_ms=40, p99_ms=70
            ),
            reference_source="measured on this worker",
        ),
        stages=[
            Stage(name="boot", status=StageStatus.passed, seconds=4.2, log="INFO: Uvicorn running"),
            Stage(name="hidden tests", status=StageStatus.failed, seconds=12.5, log="grader log"),
            Stage(name="static", status=StageStatus.passed, seconds=3.1, log="ruff ran"),
            Stage(
                name="own tests", status=StageStatus.failed, seconds=8.0, log="7 passed, 1 failed"
            ),
            Stage(name="load", status=StageStatus.passed, seconds=25.0, log="locust"),
        ],
        reproducibility=Reproducibility(
            problem=problem.slug,
            problem_version=problem.spec.version,
            hidden_suite_sha256="ab" * 32,
            submission_sha256="cd" * 32,
            image="assay-runtime:903631094b65",
            image_id="sha256:" + "ef" * 32,
            backend="docker",
            seed=seed,
            limits={},
            deadlines={},
            assay_version="0.1.0",
        ),
    )
    report.criteria, report.total = scoring.score(problem.rubric, signals.derive(report))
    return report


def record_result(session: Session, submission_id: str, report: Report) -> None:
    """Store a finished grading of a submission, through the protocol a worker follows."""
    attempt = gradings.start(
        session,
        submission_id,
        worker="tests:1",
        liveness=gradings.Liveness(stale_after=timedelta(minutes=5), max_deliveries=3),
    )
    assert attempt is not None
    gradings.finish(session, attempt.id, report)
    session.commit()


def submitted(
    client: TestClient, session: Session, problem: str, *, result: Report | None = None
) -> str:
    """An invited candidate's upload of the small app; with ``result``, graded as that."""
    candidate = make_user(session)
    invite(session, candidate, problem)
    response = upload(client, headers(client, candidate), tar_gz(SMALL_APP), problem=problem)
    submission = str(response.json()["id"])
    if result is not None:
        record_result(session, submission, result)
    return submission


def sign_in_page(client: TestClient, user: User) -> None:
    """Sign in through the dashboard's form, as a browser does: the client keeps the cookies."""
    form = client.get("/sign-in")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token is not None
    response = client.post(
        "/sign-in",
        data={"email": user.email, "password": PASSWORD, "csrf": token.group(1)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def csrf_of(page: str) -> str:
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    assert token is not None
    return token.group(1)
