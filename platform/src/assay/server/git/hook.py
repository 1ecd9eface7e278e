"""The receive hooks of every remote: ``python -m assay.server.git.hook pre-receive|post-receive``.

Git runs them inside ``git receive-pack``, and what they print reaches ``git push`` as
``remote:`` lines. ``pre-receive`` refuses a push to ``main`` that could not be graded (past
the deadline, over the upload rate, files Assay refuses), so that nothing ungraded is left in
the remote and the candidate can fix it and push again. ``post-receive`` stores the
submission, queues it and answers with its URL; with ``git push -o wait`` it follows the
grading and answers with the score too.

The API passes the hooks its settings and who pushed to which remote in the environment.
"""

import logging
import os
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from pydantic import SecretStr
from sqlalchemy.orm import Session

from assay.config import Settings
from assay.errors import AssayError
from assay.grading.report import Outcome, Report
from assay.server.accounts.models import Invitation, User
from assay.server.db import session_scope
from assay.server.git import repos, service
from assay.server.gradings import service as gradings
from assay.server.gradings.tasks import dispatch
from assay.server.submissions.models import Submission

log = logging.getLogger(__name__)
INVITATION, PUSHER, LINKS = "ASSAY_GIT_INVITATION", "ASSAY_GIT_PUSHER", "ASSAY_GIT_LINKS"
PREFIX = "Assay:"
POLL_S = 2.0


@dataclass(frozen=True)
class Context:
    """Who pushed to which remote, where links point, and the push's ``-o`` options."""

    invitation_id: str
    pusher_id: str
    links: str
    options: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "Context":
        count = int(env.get("GIT_PUSH_OPTION_COUNT") or 0)
        options = tuple(env.get(f"GIT_PUSH_OPTION_{number}", "") for number in range(count))
        return cls(env[INVITATION], env[PUSHER], env[LINKS].rstrip("/"), options)

    @property
    def waits(self) -> bool:
        return "wait" in self.options

    def load(self, session: Session) -> tuple[Invitation, User]:
        return (
            session.get_one(Invitation, self.invitation_id),
            session.get_one(User, self.pusher_id),
        )


def python() -> str:
    """The interpreter the hooks run with: the API's own, so that they import the same Assay."""
    return sys.executable


def hook_env(
    settings: Settings, *, invitation_id: str, pusher_id: str, links: str
) -> dict[str, str]:
    """What the hooks need in their environment: the settings (without the signing key, which
    they never use) and the push's context."""
    env = {}
    for name in Settings.model_fields:
        value = getattr(settings, name)
        if value is None or isinstance(value, SecretStr):
            continue
        env[f"ASSAY_{name.upper()}"] = str(value)
    env["ASSAY_DATABASE_URL"] = settings.database
    env.update({INVITATION: invitation_id, PUSHER: pusher_id, LINKS: links})
    return env


class Output:
    """Lines for ``git push`` to show; a client that left stops the talking, not the work."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.gone = False

    def say(self, *lines: str) -> None:
        for line in lines:
            if self.gone:
                return
            try:
                self.stream.write(f"{line}\n")
                self.stream.flush()
            except (BrokenPipeError, OSError):
                self.gone = True


def submitted_lines(
    update: service.Update,
    *,
    submission_id: str,
    created: bool,
    commits: int,
    url: str,
    waits: bool,
) -> list[str]:
    branch = update.ref.removeprefix("refs/heads/")
    if created:
        head = (
            f"{PREFIX} {branch} at {update.new[:12]} "
            f"({commits} commit{'' if commits == 1 else 's'}) "
            f"is submission {submission_id}"
        )
    else:
        head = f"{PREFIX} {update.new[:12]} was already submitted as {submission_id}"
    lines = [head, f"{PREFIX} follow its grading at {url}"]
    if not waits:
        lines.append(f"{PREFIX} push with -o wait to wait here for the score")
    return lines


def ungraded_lines(updates: list[service.Update], graded: service.Update | None) -> list[str]:
    lines = []
    for update in updates:
        if update is graded or repos.is_deletion(update.new):
            continue
        name = update.ref.removeprefix("refs/heads/")
        lines.append(f"{PREFIX} kept {name}, not graded: only main is (git push assay HEAD:main)")
    return lines


def stage_line(stage: Mapping[str, Any]) -> str:
    summary = f": {stage['summary']}" if stage.get("summary") else ""
    return f"{PREFIX} {stage['name']} {stage['status']}{summary}"


def score_lines(report: Mapping[str, Any]) -> list[str]:
    """The score as a candidate may see it: criteria and the tests they may read; tests kept
    for reviewers only as a count."""
    parsed = Report.model_validate(report)
    if parsed.outcome is Outcome.error or parsed.total is None:
        return [f"{PREFIX} not graded: the platform failed ({parsed.error}); it is not your score"]
    lines = [f"{PREFIX} score {parsed.total:g} / 100"]
    width = max((len(criterion.title) for criterion in parsed.criteria), default=0)
    for criterion in parsed.criteria:
        points = "by a reviewer" if criterion.points is None else f"{criterion.points:g}"
        lines.append(f"{PREFIX}   {criterion.title:<{width}}  {points} / {criterion.weight:g}")
    tests = [test for test in parsed.hidden_tests if test.visible]
    passed = sum(test.passed for test in tests)
    hidden = report.get("reviewer_only_tests") or {"passed": 0, "total": 0}
    lines.append(
        f"{PREFIX} tests: {passed} of {len(tests)} passed"
        + (
            f"; {hidden['passed']} of {hidden['total']} more (details for reviewers)"
            if hidden["total"]
            else ""
        )
    )
    for test in tests:
        if not test.passed:
            lines.append(f"{PREFIX}   {test.outcome}: {test.id.rsplit('::', 1)[-1]}")
    return lines


def follow(
    settings: Settings, submission_id: str, url: str, out: Output, *, timeout: float
) -> None:
    """Say each stage as it ends, then the score; give up waiting (not grading) at ``timeout``."""
    said: set[tuple[str, str]] = set()
    give_up = time.monotonic() + timeout
    while not out.gone:
        with session_scope(settings.database) as session:
            submission = session.get_one(Submission, submission_id)
            attempt = gradings.latest(session, [submission_id]).get(submission_id)
            stages = list(attempt.stages) if attempt is not None else []
            finished = submission.status.finished
            result = gradings.result(session, submission_id) if finished else None
            report = dict(result.report) if result is not None and result.report else None
            error = result.error if result is not None else None
        for stage in stages:
            key = (stage["name"], stage["status"])
            if key not in said and stage["status"] != "running":
                said.add(key)
                out.say(stage_line(stage))
        if finished:
            if report is None:
                out.say(f"{PREFIX} not graded: the platform failed ({error}); it is not your score")
            else:
                out.say(*score_lines(gradings.candidate_view(report)))
            out.say(f"{PREFIX} details at {url}")
            return
        if time.monotonic() > give_up:
            out.say(f"{PREFIX} still {submission.status}; follow it at {url}")
            return
        time.sleep(POLL_S)


def _repository() -> Path:
    return Path(os.environ.get("GIT_DIR", ".")).resolve()


def pre_receive(
    settings: Settings, context: Context, updates: list[service.Update], out: Output
) -> int:
    update = service.graded_update(updates)
    if update is None:
        return 0
    archive = repos.archive(_repository(), update.new, settings.upload_max_bytes)
    with session_scope(settings.database) as session:
        invitation, pusher = context.load(session)
        service.admit(session, settings, invitation=invitation, pusher=pusher, archive=archive)
    return 0


def post_receive(
    settings: Settings, context: Context, updates: list[service.Update], out: Output
) -> int:
    update = service.graded_update(updates)
    lines = ungraded_lines(updates, update)
    if update is None:
        out.say(*lines)
        return 0
    repo = _repository()
    archive = repos.archive(repo, update.new, settings.upload_max_bytes)
    history = repos.history(repo, update.new)
    with session_scope(settings.database) as session:
        invitation, pusher = context.load(session)
        accepted = service.submit(
            session,
            settings,
            invitation=invitation,
            pusher=pusher,
            update=update,
            archive=archive,
            history=history,
        )
        submission_id, created = accepted.submission.id, accepted.created
    if created:
        dispatch(submission_id, settings)
    url = f"{context.links}/submissions/{submission_id}"
    out.say(
        *lines,
        *submitted_lines(
            update,
            submission_id=submission_id,
            created=created,
            commits=history.count,
            url=url,
            waits=context.waits,
        ),
    )
    if context.waits:
        follow(settings, submission_id, url, out, timeout=settings.grading_time_limit_s)
    return 0


HOOKS = {"pre-receive": pre_receive, "post-receive": post_receive}


def main(argv: list[str] | None = None) -> int:
    name = (argv if argv is not None else sys.argv[1:] or [""])[0]
    out = Output(sys.stdout)
    hook = HOOKS.get(name)
    if hook is None:
        out.say(f"{PREFIX} no hook {name!r}")
        return 2
    try:
        settings = Settings()
        # never to stderr: that is the pusher's terminal, and tracebacks are the platform's
        logging.basicConfig(
            filename=service.hooks_dir(settings).parent / "hooks.log",
            level=logging.INFO,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
        context = Context.from_env(os.environ)
        updates = service.parse_updates(sys.stdin.read())
        return hook(settings, context, updates, out)
    except AssayError as error:
        out.say(f"{PREFIX} refused: {error.message}")
        if name == "pre-receive":
            out.say(f"{PREFIX} nothing was stored: fix it, commit and push again")
        return 1
    except Exception as error:
        log.exception("the %s hook failed", name)
        out.say(
            f"{PREFIX} the platform failed ({type(error).__name__}), not your push: "
            "push again later"
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
