"""``/api/v1/submissions``: upload, list, follow, read the evidence, regrade, pin a binding or
the service's environment."""

from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, File, Form, Header, Query, Response, UploadFile
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from assay.config import Settings
from assay.errors import NotFound, TooLarge
from assay.grading.junit import to_junit
from assay.grading.report import Report
from assay.server.accounts.models import User
from assay.server.deps import SessionDep, SettingsDep, StaffDep, UserDep
from assay.server.gradings import service as gradings
from assay.server.gradings.models import Grading
from assay.server.gradings.tasks import dispatch
from assay.server.problems import service as problems
from assay.server.reviews import service as reviews
from assay.server.reviews.schemas import reviewed_report
from assay.server.submissions import service
from assay.server.submissions.models import Status, Submission
from assay.server.submissions.schemas import (
    AttemptList,
    AttemptRead,
    Logs,
    PinnedBinding,
    PinnedConfiguration,
    ReportJson,
    StageRead,
    SubmissionList,
    SubmissionRead,
)

router = APIRouter(prefix="/submissions", tags=["submissions"])
CHUNK = 1024 * 1024


def _read(
    submission: Submission,
    attempt: Grading | None,
    *,
    position: int | None = None,
    left_out: list[str] | None = None,
) -> SubmissionRead:
    path = f"/api/v1/submissions/{submission.id}"
    pinned = submission.overrides
    return SubmissionRead(
        id=submission.id,
        problem=submission.problem,
        candidate_id=submission.candidate_id,
        status=submission.status,
        created_at=submission.created_at,
        finished_at=submission.finished_at,
        files=submission.files,
        size=submission.size,
        source=submission.source,
        commit=submission.commit,
        total=submission.total,
        error=attempt.error if attempt is not None and submission.status is Status.error else None,
        stage=attempt.stage if attempt is not None else "",
        stages=[StageRead.model_validate(stage) for stage in attempt.stages] if attempt else [],
        queue_position=position,
        attempts=attempt.number if attempt is not None else 0,
        left_out=left_out or [],
        binding=submission.binding,
        configuration=PinnedConfiguration(env=pinned) if pinned else None,
        links={
            "self": path,
            "report": f"{path}/report",
            "junit": f"{path}/junit",
            "logs": f"{path}/logs",
            "attempts": f"{path}/attempts",
            **({"commits": f"{path}/commits"} if submission.source == "git" else {}),
        },
    )


async def _upload_bytes(upload: UploadFile, limit: int) -> bytes:
    data = bytearray()
    while chunk := await upload.read(CHUNK):
        data += chunk
        if len(data) > limit:
            raise TooLarge(f"the upload is over {limit // (1024 * 1024)} MiB")
    return bytes(data)


def _result_report(session: Session, submission: Submission) -> Report:
    attempt = gradings.result(session, submission.id)
    if attempt is None or attempt.report is None:
        raise NotFound(f"submission {submission.id} has no report yet (status {submission.status})")
    return Report.model_validate(attempt.report)


@router.post(
    "",
    status_code=202,
    responses={202: {"description": "Stored and queued; follow the Location."}},
)
async def upload(
    user: UserDep,
    session: SessionDep,
    settings: SettingsDep,
    background: BackgroundTasks,
    problem: Annotated[str, Form(description="The problem's slug.")],
    archive: Annotated[UploadFile, File(description="A .tar.gz, .tgz, .tar or .zip.")],
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> JSONResponse:
    """Store a submission and queue it; the same Idempotency-Key returns the same one."""
    data = await _upload_bytes(archive, settings.upload_max_bytes)
    accepted = service.create_submission(
        session,
        user=user,
        problem=problems.visible(session, user, settings, problem),
        upload=data,
        idempotency_key=idempotency_key,
        uploads_per_hour=settings.uploads_per_hour,
    )
    submission = accepted.submission
    if accepted.created:
        background.add_task(dispatch, submission.id, settings)
    body = _read(submission, None, left_out=accepted.left_out)
    return JSONResponse(
        body.model_dump(mode="json"),
        status_code=202,
        headers={"Location": body.links["self"]},
    )


@router.get("")
def list_submissions(
    user: UserDep,
    session: SessionDep,
    problem: str | None = None,
    candidate: str | None = None,
    status: Status | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=service.PAGE_MAX)] = 20,
) -> SubmissionList:
    """Newest first; a candidate sees only their own."""
    filters = service.Filters(problem=problem, candidate=candidate, status=status)
    rows, next_cursor = service.list_submissions(session, user, filters, cursor=cursor, limit=limit)
    latest = gradings.latest(session, [row.id for row in rows])
    return SubmissionList(
        items=[_read(row, latest.get(row.id)) for row in rows], next_cursor=next_cursor
    )


@router.get("/{submission_id}")
def read_submission(submission_id: str, user: UserDep, session: SessionDep) -> SubmissionRead:
    """Status, the stage running, the queue position while queued, the score once graded."""
    submission = service.visible(session, user, submission_id)
    attempt = gradings.latest(session, [submission.id]).get(submission.id)
    return _read(submission, attempt, position=service.queue_position(session, submission))


@router.get("/{submission_id}/report")
def read_report(submission_id: str, user: UserDep, session: SessionDep) -> ReportJson:
    """The full report for staff, with its review and audit trail; a candidate's view leaves out
    reviewer-only evidence and the review."""
    submission = service.visible(session, user, submission_id)
    result = _result_report(session, submission)
    report = result.model_dump(mode="json")
    if not user.is_staff:
        return gradings.candidate_view(report)
    return reviewed_report(
        report, reviews.apply(session, submission, result.criteria, result.total)
    )


@router.get(
    "/{submission_id}/junit",
    response_class=Response,
    responses={200: {"content": {"application/xml": {}}}},
)
def read_junit(submission_id: str, user: UserDep, session: SessionDep) -> Response:
    """JUnit XML for CI: reviewer-only tests appear only as such."""
    submission = service.visible(session, user, submission_id)
    return Response(to_junit(_result_report(session, submission)), media_type="application/xml")


@router.get("/{submission_id}/logs")
def read_logs(submission_id: str, user: UserDep, session: SessionDep) -> Logs:
    """Each stage's log; a candidate gets those of their own processes only."""
    submission = service.visible(session, user, submission_id)
    report = _result_report(session, submission).model_dump(mode="json")
    if not user.is_staff:
        report = gradings.candidate_view(report)
    return {stage["name"]: stage["log"] for stage in report["stages"] if stage["log"]}


@router.get("/{submission_id}/attempts")
def list_attempts(submission_id: str, user: UserDep, session: SessionDep) -> AttemptList:
    submission = service.visible(session, user, submission_id)
    items = gradings.attempts(session, submission.id)
    return AttemptList(items=[AttemptRead.model_validate(item) for item in items])


def _queued(
    submission: Submission, session: Session, settings: Settings, background: BackgroundTasks
) -> SubmissionRead:
    """Send a submission queued again to the workers, once the route's work is committed."""
    background.add_task(dispatch, submission.id, settings)
    return _read(submission, None, position=service.queue_position(session, submission))


@router.post("/{submission_id}/regrade", status_code=202)
def regrade(
    submission_id: str,
    user: StaffDep,
    session: SessionDep,
    settings: SettingsDep,
    background: BackgroundTasks,
) -> SubmissionRead:
    """Grade the submission again; its earlier attempts stay in its history."""
    submission = service.visible(session, user, submission_id)
    service.requeue(session, submission)
    return _queued(submission, session, settings, background)


def _pinned(
    submission_id: str,
    binding: dict[str, Any] | None,
    user: User,
    session: Session,
    settings: Settings,
) -> Submission:
    submission = service.visible(session, user, submission_id)
    problem = problems.visible(session, user, settings, submission.problem)
    service.pin_binding(session, submission, binding, problem=problem)
    return submission


@router.put("/{submission_id}/binding", status_code=202)
def pin_binding(
    submission_id: str,
    pinned: PinnedBinding,
    user: StaffDep,
    session: SessionDep,
    settings: SettingsDep,
    background: BackgroundTasks,
) -> SubmissionRead:
    """Correct how an open brief's operations are bound to the candidate's API, and grade
    again with it: the hidden suite uses a pinned binding as given, without probing."""
    binding = pinned.model_dump(exclude_defaults=True)
    submission = _pinned(submission_id, binding, user, session, settings)
    return _queued(submission, session, settings, background)


@router.delete("/{submission_id}/binding", status_code=202)
def unpin_binding(
    submission_id: str,
    user: StaffDep,
    session: SessionDep,
    settings: SettingsDep,
    background: BackgroundTasks,
) -> SubmissionRead:
    """Drop a pinned binding and grade again, binding from the candidate's OpenAPI document."""
    submission = _pinned(submission_id, None, user, session, settings)
    return _queued(submission, session, settings, background)


def _configured(
    submission_id: str, overrides: dict[str, str] | None, user: User, session: Session
) -> Submission:
    submission = service.visible(session, user, submission_id)
    service.pin_overrides(session, submission, overrides)
    return submission


@router.put("/{submission_id}/configuration", status_code=202)
def pin_configuration(
    submission_id: str,
    pinned: PinnedConfiguration,
    user: StaffDep,
    session: SessionDep,
    settings: SettingsDep,
    background: BackgroundTasks,
) -> SubmissionRead:
    """Correct the environment the candidate's service and its own tests start with, and grade
    again with it: each variable wins over what the grader inferred and the problem sets."""
    submission = _configured(submission_id, pinned.env, user, session)
    return _queued(submission, session, settings, background)


@router.delete("/{submission_id}/configuration", status_code=202)
def unpin_configuration(
    submission_id: str,
    user: StaffDep,
    session: SessionDep,
    settings: SettingsDep,
    background: BackgroundTasks,
) -> SubmissionRead:
    """Drop the pinned environment and grade again with what the grader infers."""
    submission = _configured(submission_id, None, user, session)
    return _queued(submission, session, settings, background)
