"""What the pages show, built from the services: the templates and how a page is rendered
(with its CSRF token), the filters templates use, and the page-sized pieces of a submission
(attempt history, load charts, the live status)."""

import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi import Request, Response
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from assay.grading.report import Report
from assay.server.accounts.models import User
from assay.server.dashboard import auth, charts, evidence
from assay.server.gradings import service as gradings
from assay.server.gradings.models import AttemptStatus, Grading
from assay.server.submissions import service as submissions
from assay.server.submissions.models import Submission

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    *,
    user: User | None,
    status_code: int = 200,
) -> Response:
    """A page, with the CSRF token its forms need (and its cookie, the first time)."""
    settings = request.app.state.settings
    secret, new = auth.csrf_secret(request)
    response = templates.TemplateResponse(
        request,
        name,
        {"user": user, "csrf": auth.csrf_token(secret, key=settings.signing_key()), **context},
        status_code=status_code,
    )
    if new:
        auth.set_csrf_secret(response, request, secret)
    response.headers["Cache-Control"] = "no-store"
    return response


def see(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def _duration(value: timedelta | None) -> str:
    if value is None:
        return "-"
    minutes = int(value.total_seconds() // 60)
    return f"{minutes // 60}h {minutes % 60:02d}m"


def _when(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M} UTC" if value is not None else "-"


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


templates.env.filters["duration"] = _duration
templates.env.filters["when"] = _when
templates.env.filters["score"] = _score


HEADING = re.compile(r"<(/?)h([1-6])\b")


def demote_headings(html: str, by: int = 2) -> str:
    """A statement's headings under the page's own: its ``h1`` becomes an ``h3``."""
    return HEADING.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + by)}", html)


def attempt_reports(attempts: list[Grading]) -> list[tuple[Grading, Report | None]]:
    return [
        (attempt, Report.model_validate(attempt.report) if attempt.report else None)
        for attempt in attempts
    ]


def history(pairs: list[tuple[Grading, Report | None]]) -> list[dict[str, Any]]:
    """Each attempt with what changed since the previous one that finished."""
    rows = []
    previous: Report | None = None
    for attempt, report in pairs:
        change = evidence.changes(previous, report) if report is not None and previous else None
        rows.append({"attempt": attempt, "report": report, "change": change})
        if report is not None:
            previous = report
    return rows


def load_charts(report: Report) -> dict[str, Any] | None:
    """Latency percentiles and throughput, the candidate's beside the reference's."""
    load = report.load
    if load is None or load.figures is None:
        return None
    mine, theirs = load.figures, load.reference
    latency = charts.paired_bars(
        [
            ("p50", mine.p50_ms, theirs.p50_ms if theirs else None),
            ("p95", mine.p95_ms, theirs.p95_ms if theirs else None),
            ("p99", mine.p99_ms, theirs.p99_ms if theirs else None),
        ],
        title="Latency percentiles in milliseconds, candidate against reference",
        unit="ms",
    )
    throughput = charts.paired_bars(
        [("requests/s", mine.rps, theirs.rps if theirs else None)],
        title="Throughput in requests per second, candidate against reference",
        unit="req/s",
    )
    return {"latency": latency, "throughput": throughput, "mine": mine, "theirs": theirs}


def live(session: Session, submission: Submission) -> dict[str, Any]:
    """What the live status shows: the status, the place in the queue, the stages so far."""
    attempt = gradings.latest(session, [submission.id]).get(submission.id)
    running = attempt is not None and attempt.status is AttemptStatus.running
    return {
        "status": submission.status.value,
        "finished": submission.status.finished,
        "queue_position": submissions.queue_position(session, submission),
        "stage": attempt.stage if running and attempt is not None else "",
        "stages": [
            {"name": stage["name"], "status": stage["status"], "summary": stage.get("summary", "")}
            for stage in (attempt.stages if running and attempt is not None else [])
        ],
    }


def binding_json(submission: Submission, report: Report | None) -> str | None:
    """What the binding form starts from: the pinned binding, else the one the suite made, in
    the shape the form takes back. None when the submission was not bound."""
    if submission.binding is not None:
        return json.dumps(submission.binding, indent=2)
    if report is None or report.binding is None:
        return None
    return json.dumps({"operations": report.binding.operations}, indent=2)


def overrides_text(submission: Submission) -> str:
    """What the configuration form starts from: the pinned variables, one NAME=value a line."""
    return "\n".join(
        f"{name}={value}" for name, value in sorted((submission.overrides or {}).items())
    )
