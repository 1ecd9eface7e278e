"""``/api/v1/repositories`` (staff register the repositories to grade) and
``/api/v1/webhooks/{github,gitlab}`` (where the providers deliver their events)."""

from fastapi import APIRouter, BackgroundTasks, Request, Response, status
from fastapi.responses import JSONResponse

from assay.errors import TooLarge
from assay.server.deps import LinksDep, SessionDep, SettingsDep, StaffDep
from assay.server.problems import service as problems
from assay.server.pulls import service, tasks
from assay.server.pulls.models import Provider, Repository
from assay.server.pulls.schemas import (
    CheckList,
    CheckRead,
    RepositoryCreate,
    RepositoryCreated,
    RepositoryList,
    RepositoryRead,
    WebhookReceipt,
)

router = APIRouter(tags=["pull requests"])
WEBHOOK_MAX_BYTES = 5 * 1024 * 1024
EVENTS = {
    Provider.github: ["push", "pull_request"],
    Provider.gitlab: ["Push Hook", "Merge Request Hook"],
}


def _read(repository: Repository, links: str) -> RepositoryRead:
    read = RepositoryRead.model_validate(repository)
    read.webhook_url = f"{links}/api/v1/webhooks/{repository.provider}"
    read.events = EVENTS[repository.provider]
    return read


@router.post("/repositories", status_code=status.HTTP_201_CREATED)
def register(
    body: RepositoryCreate,
    user: StaffDep,
    session: SessionDep,
    settings: SettingsDep,
    links: LinksDep,
) -> RepositoryCreated:
    """Grade a repository's pushes to its default branch and its pull requests as one
    candidate's work; the answer holds the webhook's URL and secret (shown once)."""
    repository, secret = service.register(
        session,
        by=user,
        provider=body.provider,
        full_name=body.full_name,
        problem=problems.visible(session, user, settings, body.problem),
        candidate_email=str(body.candidate),
        api_token=body.api_token,
        secret=body.secret,
        api_url=str(body.api_url) if body.api_url is not None else None,
        min_score=body.min_score,
    )
    return RepositoryCreated(**_read(repository, links).model_dump(), secret=secret)


@router.get("/repositories")
def list_repositories(_user: StaffDep, session: SessionDep, links: LinksDep) -> RepositoryList:
    return RepositoryList(items=[_read(item, links) for item in service.repositories(session)])


@router.get("/repositories/{repository_id}/checks")
def list_checks(repository_id: str, _user: StaffDep, session: SessionDep) -> CheckList:
    """The commits webhooks asked to grade, newest first, with what was reported of each."""
    service.repository(session, repository_id)
    items = service.checks(session, repository_id)
    return CheckList(items=[CheckRead.model_validate(item) for item in items])


@router.delete("/repositories/{repository_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove(repository_id: str, _user: StaffDep, session: SessionDep) -> Response:
    service.remove(session, repository_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


async def _body(request: Request, limit: int) -> bytes:
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > limit:
            raise TooLarge(f"the payload is over {limit // (1024 * 1024)} MiB")
    return bytes(data)


@router.post(
    "/webhooks/{provider}",
    status_code=status.HTTP_202_ACCEPTED,
    responses={
        200: {"description": "Taken, and nothing in it is graded (the reason says why)."},
        202: {"description": "A commit will be fetched and graded."},
        401: {"description": "The signature or token does not match: nothing is graded."},
        404: {"description": "No such repository is registered."},
        409: {"description": "This delivery was received before (a replay)."},
    },
)
async def webhook(
    provider: Provider,
    request: Request,
    session: SessionDep,
    links: LinksDep,
    background: BackgroundTasks,
) -> JSONResponse:
    """A GitHub (``push``, ``pull_request``) or GitLab (``Push Hook``, ``Merge Request
    Hook``) delivery, verified with the repository's secret before anything is done."""
    body = await _body(request, WEBHOOK_MAX_BYTES)
    receipt = service.receive(
        session, provider=provider, headers=request.headers, body=body, link_base=links
    )
    answer = WebhookReceipt(
        delivery=receipt.delivery,
        event=receipt.event,
        graded=receipt.check is not None,
        reason=receipt.reason,
        check=receipt.check.id if receipt.check is not None else None,
    )
    if receipt.check is not None:
        background.add_task(tasks.send_fetch, receipt.check.id)
    return JSONResponse(answer.model_dump(), status_code=202 if answer.graded else 200)
