"""``/git/<invitation id>.git``: each invitation's remote over Git's smart HTTP protocol, and
``/api/v1/submissions/{id}/commits``: the history a push brought.

A remote speaks to ``git`` itself, so its refusals are plain text (``git`` shows them as
``remote:`` lines) and a missing sign-in is a Basic challenge: the password is an API token.
"""

import base64
import binascii
from dataclasses import dataclass

from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse
from starlette.concurrency import run_in_threadpool

from assay.config import Settings
from assay.errors import AssayError, InvalidInput, NotFound, TooLarge, Unauthorized
from assay.server.accounts import service as accounts
from assay.server.db import session_scope
from assay.server.deps import LinksDep, SessionDep, SettingsDep, UserDep
from assay.server.git import backend, hook, repos, service
from assay.server.git.schemas import CommitRead, HistoryRead
from assay.server.submissions import service as submissions

router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["git"])
CHALLENGE = 'Basic realm="Assay", charset="UTF-8"'
PUSH, FETCH = "git-receive-pack", "git-upload-pack"


@dataclass(frozen=True)
class Caller:
    user_id: str
    email: str


def _service(method: str, rest: str, query: str | None) -> str:
    """Which Git service a request is for; the dumb protocol and anything else are not served."""
    if method == "GET" and rest == "info/refs" and query in (PUSH, FETCH):
        return query
    if method == "POST" and rest in (PUSH, FETCH):
        return rest
    raise NotFound("this remote speaks Git's smart HTTP protocol only")


def _token(authorization: str) -> str | None:
    """The API token in a Basic password (the user name is ignored), or a Bearer token."""
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "bearer":
        return value.strip() or None
    if scheme.lower() != "basic":
        return None
    try:
        name, _, password = base64.b64decode(value.strip()).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return password or name or None


def _authorize(settings: Settings, authorization: str, invitation_id: str, push: bool) -> Caller:
    """Who calls, if they may: a short unit of work of its own, committed before Git starts."""
    token = _token(authorization)
    if token is None:
        raise Unauthorized("sign in: your API token is the password (the user name is ignored)")
    with session_scope(settings.database) as session:
        user = accounts.authenticate(session, token, signing_key=settings.signing_key())
        service.remote_for(session, user, repos.check_id(invitation_id), push=push)
        return Caller(user.id, user.email)


def _refusal(error: AssayError) -> Response:
    headers = {"WWW-Authenticate": CHALLENGE} if isinstance(error, Unauthorized) else {}
    return PlainTextResponse(f"{error.message}\n", status_code=error.status, headers=headers)


def _prepare(settings: Settings, invitation_id: str) -> None:
    """The remote's repository and the hooks every remote runs, made on first use (and the
    hooks checked on every request: a push without them would submit nothing)."""
    repos.install_hooks(service.hooks_dir(settings), hook.python())
    repos.ensure(service.remotes_dir(settings), invitation_id)


def _git_config(settings: Settings, push: bool) -> dict[str, str]:
    return backend.git_config(
        {
            "core.hooksPath": str(service.hooks_dir(settings)),
            "http.uploadpack": "true",
            "http.receivepack": "true" if push else "false",
            "receive.advertisePushOptions": "true",
            # the history is evidence reviewers read: it only grows
            "receive.denyDeletes": "true",
            "receive.denyNonFastForwards": "true",
            "receive.fsckObjects": "true",
            "receive.maxInputSize": str(settings.upload_max_bytes),
            "receive.autogc": "false",
        }
    )


@router.api_route("/git/{invitation_id}.git/{rest:path}", methods=["GET", "POST"])
async def remote(
    invitation_id: str, rest: str, request: Request, settings: SettingsDep, links: LinksDep
) -> Response:
    """Serve one request of ``git fetch`` or ``git push`` with ``git http-backend``."""
    try:
        which = _service(request.method, rest, request.query_params.get("service"))
        length = request.headers.get("content-length")
        if length is not None and not length.isdigit():
            raise InvalidInput("the Content-Length is not a number")
        if length is not None and int(length) > settings.upload_max_bytes:
            raise TooLarge(f"the push is over {settings.upload_max_bytes // (1 << 20)} MiB")
        caller = await run_in_threadpool(
            _authorize,
            settings,
            request.headers.get("authorization", ""),
            invitation_id,
            which == PUSH,
        )
        await run_in_threadpool(_prepare, settings, invitation_id)
        call = backend.Request(
            method=request.method,
            path_info=f"/{invitation_id}.git/{rest}",
            query=request.url.query,
            content_type=request.headers.get("content-type", ""),
            content_length=length,
            content_encoding=request.headers.get("content-encoding", ""),
            git_protocol=request.headers.get("git-protocol", ""),
            remote_user=caller.email,
            remote_addr=request.client.host if request.client else "",
        )
        env = {
            **repos.clean_env({"HOME": str(service.hooks_dir(settings).parent)}),
            "GIT_PROJECT_ROOT": str(service.remotes_dir(settings)),
            "GIT_HTTP_EXPORT_ALL": "1",
            **call.cgi_env(),
            **_git_config(settings, which == PUSH),
            **hook.hook_env(
                settings, invitation_id=invitation_id, pusher_id=caller.user_id, links=links
            ),
        }
        return await backend.respond(
            ["git", "http-backend"], env, request.stream(), limit=settings.upload_max_bytes
        )
    except AssayError as error:
        return _refusal(error)


@api_router.get("/submissions/{submission_id}/commits")
def commits(submission_id: str, user: UserDep, session: SessionDep) -> HistoryRead:
    """The commit a push submitted and the history behind it, newest first."""
    submission = submissions.visible(session, user, submission_id)
    push = service.push_of(session, submission.id)
    if push is None:
        raise NotFound(f"submission {submission_id} did not come from a git push")
    return HistoryRead(
        submission_id=push.submission_id,
        ref=push.ref,
        commit=push.commit,
        commits=push.commits,
        pushed_at=push.pushed_at,
        history=[CommitRead.model_validate(item) for item in push.history],
    )
