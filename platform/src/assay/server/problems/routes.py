"""``/api/v1/problems``: the problems a user may work on or review."""

from fastapi import APIRouter, Response

from assay.server.accounts import service as accounts
from assay.server.deps import ProblemDep, SessionDep, SettingsDep, UserDep
from assay.server.problems import service
from assay.server.problems.schemas import ProblemList, ProblemRead

router = APIRouter(prefix="/problems", tags=["problems"])


@router.get("")
def list_problems(user: UserDep, session: SessionDep, settings: SettingsDep) -> ProblemList:
    """Staff see every problem; a candidate, those they are invited to."""
    return ProblemList(items=[ProblemRead.of(p) for p in service.listed(session, user, settings)])


@router.get("/{slug}")
def read_problem(problem: ProblemDep) -> ProblemRead:
    """The problem with its statement rendered as HTML."""
    return ProblemRead.of(problem, service.statement_html(problem))


@router.get(
    "/{slug}/bundle",
    response_class=Response,
    responses={200: {"content": {"application/gzip": {}}}},
)
def download_bundle(problem: ProblemDep, user: UserDep, session: SessionDep) -> Response:
    """The statement and the starter as a ``.tar.gz``: never the evaluation or the reference.
    A candidate's time box starts with their first download."""
    accounts.start_clock(session, user, problem.slug)
    disposition = f'attachment; filename="{problem.slug}.tar.gz"'
    return Response(
        service.bundle(problem),
        media_type="application/gzip",
        headers={"Content-Disposition": disposition},
    )
