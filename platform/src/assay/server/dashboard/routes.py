"""The dashboard's pages: sign-in, the reviewer's overview, leaderboards and submissions, and
the candidate's invitations, problems and submissions.

Routes are thin: they read through the same services as the API and render a template. Every
page reads without JavaScript; ``live.js`` only refreshes the status of a grading in progress
(server-sent events, polling when those fail). Forms carry a CSRF token (:mod:`.auth`).
"""

import asyncio
import csv
import io
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

from fastapi import (
    APIRouter,
    BackgroundTasks,
    Depends,
    FastAPI,
    File,
    Form,
    Query,
    Request,
    Response,
    UploadFile,
)
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from assay.catalog.loader import Problem
from assay.errors import AssayError, Forbidden, InvalidInput, NotFound, TooLarge
from assay.grading import configure, scoring
from assay.grading.report import Report
from assay.server.accounts import security
from assay.server.accounts import service as accounts
from assay.server.accounts.models import Invitation, User
from assay.server.dashboard import auth, charts, commits, evidence, service, source, views
from assay.server.db import sessions
from assay.server.deps import LinksDep, SessionDep, SettingsDep
from assay.server.git import service as git
from assay.server.gradings import service as gradings
from assay.server.gradings.models import AttemptStatus
from assay.server.gradings.tasks import dispatch
from assay.server.problems import service as problems
from assay.server.reviews import service as reviews
from assay.server.reviews.schemas import reviewed_report
from assay.server.submissions import service as submissions
from assay.server.submissions.models import Status, Submission
from assay.server.submissions.schemas import PinnedBinding

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
EVENTS_FOR_S = 60.0  # a stream ends after this; the browser reconnects on its own
EVENTS_EVERY_S = 1.0
T = TypeVar("T", int, float)


class SignInRequired(Exception):
    """No valid session cookie: the browser is sent to the sign-in form."""


# -- dependencies -----------------------------------------------------------------------------


def page_user(request: Request, session: SessionDep, settings: SettingsDep) -> User:
    user_id = auth.session_user(
        request.cookies.get(auth.SESSION_COOKIE), key=settings.signing_key()
    )
    user = session.get(User, user_id) if user_id else None
    if user is None:
        raise SignInRequired
    return user


PageUser = Annotated[User, Depends(page_user)]


def _staff(user: User) -> None:
    if not user.is_staff:
        raise Forbidden("this page is for reviewers")


def _check_csrf(request: Request, token: str, settings: SettingsDep) -> None:
    if not auth.csrf_valid(request, token, key=settings.signing_key()):
        raise Forbidden("the form has expired or came from another site: reload the page")


# -- sign in and out --------------------------------------------------------------------------


@router.get("/sign-in")
def sign_in_form(request: Request, next: str = "/") -> Response:
    return views.render(
        request, "sign_in.html", {"next": auth.safe_next(next), "error": ""}, user=None
    )


@router.post("/sign-in")
def sign_in(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    _check_csrf(request, csrf, settings)
    user = accounts.user_by_email(session, email)
    if user is None or not security.verify_password(user.password_hash, password):
        context = {"next": auth.safe_next(next), "error": accounts.SIGN_IN_FAILED, "email": email}
        return views.render(request, "sign_in.html", context, user=None, status_code=401)
    response = views.see(auth.safe_next(next))
    auth.set_session(response, request, auth.session_token(user.id, key=settings.signing_key()))
    return response


@router.post("/sign-out")
def sign_out(
    request: Request, settings: SettingsDep, csrf: Annotated[str, Form()] = ""
) -> Response:
    _check_csrf(request, csrf, settings)
    response = views.see("/sign-in")
    auth.clear_session(response)
    return response


# -- home: the reviewer's overview, or the candidate's invitations ----------------------------


@router.get("/")
def home(request: Request, user: PageUser, session: SessionDep, settings: SettingsDep) -> Response:
    if not user.is_staff:
        return _candidate_home(request, user, session, settings)
    catalog = problems.catalog(settings.root)
    counts = service.problem_counts(session)
    scores = service.best_scores(session)
    context = {
        "problems": [(problem, counts.get(slug)) for slug, problem in sorted(catalog.items())],
        "histogram": charts.histogram(
            service.histogram(scores), title="Best score per candidate and problem"
        ),
        "scores": len(scores),
        "bins": service.histogram(scores),
        "hardest": service.hardest_tests(session),
        "in_flight": service.in_flight(session),
        "titles": {slug: problem.spec.title for slug, problem in catalog.items()},
    }
    return views.render(request, "overview.html", context, user=user)


def _candidate_home(
    request: Request, user: User, session: Session, settings: SettingsDep
) -> Response:
    catalog = problems.catalog(settings.root)
    context = {
        "invitations": service.invitations(session, user),
        "submissions": service.own_submissions(session, user),
        "titles": {slug: problem.spec.title for slug, problem in catalog.items()},
        "now": datetime.now(UTC),
    }
    return views.render(request, "candidate_home.html", context, user=user)


# -- problems: the leaderboard for staff, the statement and upload for a candidate ----------


def _problem(session: Session, user: User, settings: SettingsDep, slug: str) -> Problem:
    return problems.visible(session, user, settings, slug)


@router.get("/problems/{slug}")
def problem_page(
    request: Request,
    slug: str,
    user: PageUser,
    session: SessionDep,
    settings: SettingsDep,
    links: LinksDep,
    sort: str = "best",
    order: str = "desc",
    q: str = "",
    status: str = "",
    page: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    problem = _problem(session, user, settings, slug)
    if not user.is_staff:
        return _candidate_problem(request, problem, user, session, links)
    criteria = list(problem.rubric.criteria)
    ids = [criterion.id for criterion in criteria]
    sort = sort if sort in (*service.SORTS, *ids) else "best"
    status = status if status in {item.value for item in Status} else ""
    board = service.Board(
        sort=sort,
        descending=order != "asc",
        text=q,
        status=status,
        offset=(page - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    rows, count = service.standings(session, slug, board, ids)
    context = {
        "problem": problem,
        "criteria": criteria,
        "rows": rows,
        "count": count,
        "sort": sort,
        "order": "asc" if order == "asc" else "desc",
        "q": q,
        "status": status,
        "statuses": [item.value for item in Status],
        "page": page,
        "pages": max(1, -(-count // PAGE_SIZE)),
        "page_size": PAGE_SIZE,
        "time_box": service.time_box(problem.spec.time_box),
    }
    return views.render(request, "leaderboard.html", context, user=user)


@router.get("/problems/{slug}/leaderboard.csv")
def leaderboard_csv(
    slug: str, user: PageUser, session: SessionDep, settings: SettingsDep
) -> Response:
    """Every candidate of the problem, best score first, for a spreadsheet."""
    _staff(user)
    problem = _problem(session, user, settings, slug)
    ids = [criterion.id for criterion in problem.rubric.criteria]
    rows, _ = service.standings(session, slug, service.Board(), ids)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["candidate", "name", "best", "latest", *ids, "status", "submissions", "minutes_used"]
    )
    for row in rows:
        minutes = int(row.time_used.total_seconds() // 60) if row.time_used is not None else ""
        writer.writerow(
            [
                row.email,
                row.name,
                _csv(row.best),
                _csv(row.latest_score),
                *[_csv(row.points.get(key)) for key in ids],
                row.latest_status.value,
                row.submissions,
                minutes,
            ]
        )
    disposition = f'attachment; filename="{slug}-leaderboard.csv"'
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": disposition},
    )


def _csv(value: float | None) -> str:
    """A cell a spreadsheet reads as a number; never text it could run as a formula."""
    return "" if value is None else f"{value:g}"


def _candidate_problem(
    request: Request,
    problem: Problem,
    user: User,
    session: Session,
    links: str,
    new_token: str = "",
) -> Response:
    invitation = next(
        (item for item in service.invitations(session, user) if item.problem == problem.slug), None
    )
    context = {
        "problem": problem,
        "statement": views.demote_headings(problems.statement_html(problem)),
        "invitation": invitation,
        "open": invitation is not None and invitation.deadline > datetime.now(UTC),
        "submissions": service.own_submissions(session, user, problem.slug),
        "error": "",
        "git_url": git.remote_url(links, invitation.id) if invitation is not None else "",
        "new_token": new_token,
    }
    return views.render(request, "problem.html", context, user=user)


@router.post("/problems/{slug}/git-token")
def git_token(
    request: Request,
    slug: str,
    user: PageUser,
    session: SessionDep,
    settings: SettingsDep,
    links: LinksDep,
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """An API token for ``git push``, shown on the problem's page this once."""
    _check_csrf(request, csrf, settings)
    problem = _problem(session, user, settings, slug)
    _token, secret = accounts.create_api_token(session, user, f"git {problem.slug}")
    return _candidate_problem(request, problem, user, session, links, new_token=secret)


@router.get("/problems/{slug}/bundle")
def bundle(slug: str, user: PageUser, session: SessionDep, settings: SettingsDep) -> Response:
    """The starter and statement; a candidate's time box starts with the first download."""
    problem = _problem(session, user, settings, slug)
    accounts.start_clock(session, user, problem.slug)
    disposition = f'attachment; filename="{problem.slug}.tar.gz"'
    return Response(
        problems.bundle(problem),
        media_type="application/gzip",
        headers={"Content-Disposition": disposition},
    )


@router.post("/problems/{slug}/submissions")
def upload(
    request: Request,
    slug: str,
    user: PageUser,
    session: SessionDep,
    settings: SettingsDep,
    background: BackgroundTasks,
    archive: Annotated[UploadFile, File()],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Store an upload and queue it, then show its page, where its grading is followed live."""
    _check_csrf(request, csrf, settings)
    data = archive.file.read(settings.upload_max_bytes + 1)
    if len(data) > settings.upload_max_bytes:
        raise TooLarge(f"the upload is over {settings.upload_max_bytes // (1 << 20)} MiB")
    accepted = submissions.create_submission(
        session,
        user=user,
        problem=_problem(session, user, settings, slug),
        upload=data,
        uploads_per_hour=settings.uploads_per_hour,
    )
    if accepted.created:
        background.add_task(dispatch, accepted.submission.id, settings)
    return views.see(f"/submissions/{accepted.submission.id}")


# -- submissions ------------------------------------------------------------------------------


@router.get("/submissions/{submission_id}")
def submission_page(
    request: Request,
    submission_id: str,
    user: PageUser,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    submission = submissions.visible(session, user, submission_id)
    problem = problems.catalog(settings.root).get(submission.problem)
    result = gradings.result(session, submission.id)
    report = Report.model_validate(result.report) if result is not None and result.report else None
    live = views.live(session, submission)
    history = _commits(session, submission, problem)
    if not user.is_staff:
        view = gradings.candidate_view(result.report) if result and result.report else None
        context = {
            "submission": submission,
            "problem": problem,
            "report": Report.model_validate(view) if view is not None else None,
            "reviewer_only": (view or {}).get("reviewer_only_tests", {}),
            "error": result.error if result is not None else None,
            "live": live,
            "commits": history,
        }
        return views.render(request, "candidate_submission.html", context, user=user)
    pairs = views.attempt_reports(gradings.attempts(session, submission.id))
    reviewed = (
        reviews.apply(session, submission, report.criteria, report.total)
        if report is not None and result is not None and result.status is AttemptStatus.graded
        else None
    )
    criteria = reviewed.criteria if reviewed is not None else []
    context = {
        "submission": submission,
        "candidate": session.get(User, submission.candidate_id),
        "problem": problem,
        "result": result,
        "report": report,
        "reviewed": reviewed,
        "criteria": [(c, evidence.evidence(report, c)) for c in criteria if report is not None],
        "load": views.load_charts(report) if report is not None else None,
        "history": views.history(pairs),
        "live": live,
        "descriptions": {c.id: c.description for c in problem.rubric.criteria} if problem else {},
        "commits": history,
        "binding_json": views.binding_json(submission, report),
        "overrides_text": views.overrides_text(submission),
    }
    return views.render(request, "submission.html", context, user=user)


def _commits(
    session: Session, submission: Submission, problem: Problem | None
) -> commits.Timeline | None:
    """A pushed submission's commits against the time box; None for an upload."""
    push = git.push_of(session, submission.id)
    if push is None:
        return None
    invitation = session.get_one(Invitation, push.invitation_id)
    box = service.time_box(problem.spec.time_box) if problem is not None else None
    return commits.timeline(push, invitation, box)


@router.get("/submissions/{submission_id}/status")
def submission_status(submission_id: str, user: PageUser, session: SessionDep) -> JSONResponse:
    """The live status as JSON: what the page polls when server-sent events are unavailable."""
    submission = submissions.visible(session, user, submission_id)
    return JSONResponse(views.live(session, submission), headers={"Cache-Control": "no-store"})


def _poll(settings: SettingsDep, submission_id: str) -> dict[str, Any] | None:
    with sessions(settings.database)() as session:
        submission = session.get(Submission, submission_id)
        return views.live(session, submission) if submission is not None else None


@router.get("/submissions/{submission_id}/events")
def submission_events(
    request: Request,
    submission_id: str,
    user: PageUser,
    session: SessionDep,
    settings: SettingsDep,
) -> StreamingResponse:
    """Server-sent events: the live status each time it changes, until the grading ends."""
    submissions.visible(session, user, submission_id)

    async def stream() -> AsyncIterator[str]:
        yield "retry: 3000\n\n"
        last = None
        deadline = asyncio.get_running_loop().time() + EVENTS_FOR_S
        while asyncio.get_running_loop().time() < deadline:
            if await request.is_disconnected():
                return
            status = await run_in_threadpool(_poll, settings, submission_id)
            if status is None:
                return
            if status != last:
                yield f"event: status\ndata: {json.dumps(status)}\n\n"
                last = status
            if status["finished"]:
                return
            await asyncio.sleep(EVENTS_EVERY_S)

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


@router.get("/submissions/{submission_id}/report.json")
def submission_report(submission_id: str, user: PageUser, session: SessionDep) -> JSONResponse:
    """The report JSON as the API serves it: with the review for staff, filtered for a candidate."""
    submission = submissions.visible(session, user, submission_id)
    result = gradings.result(session, submission.id)
    if result is None or result.report is None:
        raise NotFound(f"submission {submission.id} has no report yet")
    if not user.is_staff:
        return JSONResponse(gradings.candidate_view(result.report))
    report = Report.model_validate(result.report)
    reviewed = reviews.apply(session, submission, report.criteria, report.total)
    return JSONResponse(reviewed_report(result.report, reviewed))


@router.get("/submissions/{submission_id}/source")
def source_page(
    request: Request,
    submission_id: str,
    user: PageUser,
    session: SessionDep,
    path: str = "",
) -> Response:
    """The submitted files as the grader saw them; lint findings link to their lines."""
    submission = submissions.visible(session, user, submission_id)
    archive = submissions.archive(session, submission)
    files = source.paths(archive)
    shown = source.read(archive, path) if path else None
    result = gradings.result(session, submission.id)
    findings: dict[int, list[str]] = {}
    if shown is not None and result is not None and result.report:
        for finding in (result.report.get("static") or {}).get("findings", []):
            if finding.get("file") == path:
                findings.setdefault(int(finding["line"]), []).append(
                    f"{finding['code']} {finding['message']}"
                )
    context = {"submission": submission, "files": files, "shown": shown, "findings": findings}
    return views.render(request, "source.html", context, user=user)


@router.get("/submissions/{submission_id}/compare")
def compare_page(
    request: Request,
    submission_id: str,
    user: PageUser,
    session: SessionDep,
    a: int = 0,
    b: int = 0,
) -> Response:
    """Two attempts side by side: points, tests, lint, versions."""
    _staff(user)
    submission = submissions.visible(session, user, submission_id)
    pairs = views.attempt_reports(gradings.attempts(session, submission.id))
    by_number = {attempt.number: (attempt, report) for attempt, report in pairs}
    finished = [number for number, (_, report) in by_number.items() if report is not None]
    a = a if a in by_number else (finished[-2] if len(finished) > 1 else 0)
    b = b if b in by_number else (finished[-1] if finished else 0)
    left, right = by_number.get(a), by_number.get(b)
    left_report, right_report = (left[1] if left else None), (right[1] if right else None)
    tests = sorted(
        {
            test.id
            for report in (left_report, right_report)
            if report
            for test in report.hidden_tests
        }
    )
    outcome = {
        side: {test.id: test.outcome for test in report.hidden_tests} if report else {}
        for side, report in (("a", left_report), ("b", right_report))
    }
    context = {
        "submission": submission,
        "numbers": sorted(by_number),
        "a": a,
        "b": b,
        "left": left,
        "right": right,
        "change": evidence.changes(left_report, right_report),
        "tests": tests,
        "outcome": outcome,
    }
    return views.render(request, "compare.html", context, user=user)


@router.post("/submissions/{submission_id}/review")
def review(
    request: Request,
    submission_id: str,
    user: PageUser,
    session: SessionDep,
    settings: SettingsDep,
    criterion: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
    action: Annotated[str, Form()] = "set",
    score: Annotated[str, Form()] = "",
    points: Annotated[str, Form()] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """Score a manual criterion, override a measured one, or clear either; then show the page
    again with the new total and the audit entry."""
    _check_csrf(request, csrf, settings)
    _staff(user)
    submission = submissions.visible(session, user, submission_id)
    report = gradings.graded_report(session, submission)
    if action == "clear":
        reviews.clear(session, submission, report.criteria, reviewer=user, criterion_id=criterion)
    else:
        judgement = scoring.Judgement(
            criterion,
            score=_number(score, int),
            points=_number(points, float),
            note=note.strip(),
        )
        reviews.judge(session, submission, report.criteria, reviewer=user, judgement=judgement)
    return views.see(f"/submissions/{submission.id}#review")


def _number(text: str, kind: Callable[[str], T]) -> T | None:
    text = text.strip()
    if not text:
        return None
    try:
        return kind(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a number") from None


@router.post("/submissions/{submission_id}/regrade")
def regrade(
    request: Request,
    submission_id: str,
    user: PageUser,
    session: SessionDep,
    settings: SettingsDep,
    background: BackgroundTasks,
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Grade again; the earlier attempts stay in the history."""
    _check_csrf(request, csrf, settings)
    _staff(user)
    submission = submissions.visible(session, user, submission_id)
    submissions.requeue(session, submission)
    background.add_task(dispatch, submission.id, settings)
    return views.see(f"/submissions/{submission.id}")


@router.post("/submissions/{submission_id}/binding")
def pin_binding(
    request: Request,
    submission_id: str,
    user: PageUser,
    session: SessionDep,
    settings: SettingsDep,
    background: BackgroundTasks,
    csrf: Annotated[str, Form()] = "",
    binding: Annotated[str, Form()] = "",
    unpin: Annotated[str, Form()] = "",
) -> Response:
    """Pin the binding written in the form (or drop the pinned one) and grade again."""
    _check_csrf(request, csrf, settings)
    _staff(user)
    submission = submissions.visible(session, user, submission_id)
    problem = problems.visible(session, user, settings, submission.problem)
    pinned = None if unpin else _binding_of(binding)
    submissions.pin_binding(session, submission, pinned, problem=problem)
    background.add_task(dispatch, submission.id, settings)
    return views.see(f"/submissions/{submission.id}")


def _binding_of(text: str) -> dict[str, Any]:
    try:
        pinned = PinnedBinding.model_validate_json(text)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InvalidInput(f"the binding is not valid: {where}: {first['msg']}") from None
    return pinned.model_dump(exclude_defaults=True)


@router.post("/submissions/{submission_id}/configuration")
def pin_configuration(
    request: Request,
    submission_id: str,
    user: PageUser,
    session: SessionDep,
    settings: SettingsDep,
    background: BackgroundTasks,
    csrf: Annotated[str, Form()] = "",
    env: Annotated[str, Form()] = "",
    unpin: Annotated[str, Form()] = "",
) -> Response:
    """Pin the variables written in the form (none, or unpin, drops them) and grade again."""
    _check_csrf(request, csrf, settings)
    _staff(user)
    submission = submissions.visible(session, user, submission_id)
    submissions.pin_overrides(
        session, submission, None if unpin else configure.parse_overrides(env.splitlines())
    )
    background.add_task(dispatch, submission.id, settings)
    return views.see(f"/submissions/{submission.id}#configuration")


# -- errors as pages --------------------------------------------------------------------------

Handler = Callable[[Request, Exception], Awaitable[Response] | Response]


def _is_page(request: Request) -> bool:
    return not request.url.path.startswith("/api/")


def _pages_or(fallback: Handler) -> Handler:
    """Errors on pages as pages (a 404 reads as one); on the API, the problem+json it had."""

    async def handle(request: Request, error: Exception) -> Response:
        if not _is_page(request):
            answer = fallback(request, error)
            return await answer if isinstance(answer, Awaitable) else answer
        if isinstance(error, AssayError):
            status, message = error.status, error.message
        elif isinstance(error, HTTPException):
            status, message = error.status_code, str(error.detail)
        else:
            raise error
        context = {"status": status, "message": message}
        user = _quiet_user(request)
        return views.render(request, "error.html", context, user=user, status_code=status)

    return handle


def _quiet_user(request: Request) -> User | None:
    """The signed-in user for an error page's header, if any; never an error of its own."""
    settings = request.app.state.settings
    user_id = auth.session_user(
        request.cookies.get(auth.SESSION_COOKIE), key=settings.signing_key()
    )
    if user_id is None:
        return None
    with sessions(settings.database)() as session:
        user = session.get(User, user_id)
        if user is not None:
            session.expunge(user)
        return user


async def _to_sign_in(request: Request, error: Exception) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return views.see(f"/sign-in?next={quote(target)}")


def install(app: FastAPI) -> None:
    """Mount the pages and their static files; errors on pages become pages."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=views.HERE / "static"), name="static")
    for kind in (AssayError, HTTPException):
        app.add_exception_handler(kind, _pages_or(app.exception_handlers[kind]))
    app.add_exception_handler(SignInRequired, _to_sign_in)
