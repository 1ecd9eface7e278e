"""Git intake without Docker: the real ``git`` client pushing to a remote served by the API
(uvicorn in a thread, ``git http-backend`` and the hooks as real processes) on SQLite; the
hooks' output; the commit history on the API and the dashboard.

No worker runs here: a push stores and queues its submission, and gradings are recorded as a
worker records them.
"""

import io
import os
import re
import subprocess
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import uvicorn
from alembic import command
from sqlalchemy import func, select

from assay.catalog.loader import load_problem
from assay.server import migrate
from assay.server.accounts import service as accounts
from assay.server.accounts.models import Invitation, Role
from assay.server.git import hook, repos, service
from assay.server.git.models import Push
from assay.server.gradings import service as gradings
from assay.server.submissions import service as submissions
from assay.server.submissions.models import Submission
from tests.server.builders import (
    SMALL_APP,
    invite,
    make_user,
    record_result,
    rich_report,
    sign_in_page,
    tar_gz,
)
from tests.server.conftest import ROOT
from tests.servers import assay, free_port, wait_until

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture
def live(app) -> Iterator[str]:
    """The app served on a loopback port, as ``assay serve`` serves it."""
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", lifespan="off", ws="none"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_until(lambda: server.started, what="the API", timeout=10)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def candidate(session):
    user = make_user(session, Role.candidate)
    invitation = invite(session, user)
    invitation.created_at = START
    invitation.started_at = START + timedelta(minutes=5)
    session.commit()
    _token, secret = accounts.create_api_token(session, user, "git")
    session.commit()
    return {"user": user, "invitation": invitation, "token": secret}


def git(folder: Path, *args: str, when: datetime | None = None) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "Grace",
        "GIT_AUTHOR_EMAIL": "grace@example.com",
        "GIT_COMMITTER_NAME": "Grace",
        "GIT_COMMITTER_EMAIL": "grace@example.com",
    }
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when.isoformat()
    return subprocess.run(
        ["git", "-C", str(folder), *args], env=env, capture_output=True, text=True, check=False
    )


def work_tree(folder: Path, commits: list[tuple[str, dict[str, str], datetime]]) -> Path:
    """A repository whose history is ``commits``: (subject, files written, author time)."""
    folder.mkdir()
    git(folder, "init", "-q", "-b", "main")
    for subject, files, when in commits:
        for name, text in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text)
        git(folder, "add", "-A")
        done = git(folder, "commit", "-q", "-m", subject, when=when)
        assert done.returncode == 0, done.stderr
    return folder


def remote(live: str, invitation_id: str, token: str = "") -> str:
    auth = f"grace:{token}@" if token else ""
    return live.replace("http://", f"http://{auth}") + f"/git/{invitation_id}.git"


def three_commits(tmp_path: Path) -> Path:
    return work_tree(
        tmp_path / "work",
        [
            ("Scaffold the service", {"app/__init__.py": ""}, START + timedelta(minutes=20)),
            (
                "Add the books API",
                {"app/main.py": SMALL_APP["app/main.py"]},
                START + timedelta(hours=1),
            ),
            ("Write the README", {"README.md": "# Books\n"}, START + timedelta(hours=4)),
        ],
    )


def test_a_push_to_main_submits_the_commits_tree_with_its_history(
    live, candidate, session, client, tmp_path
):
    work = three_commits(tmp_path)
    (work / "notes.txt").write_text("never committed")
    head = git(work, "rev-parse", "HEAD").stdout.strip()

    pushed = git(work, "push", remote(live, candidate["invitation"].id, candidate["token"]), "main")

    assert pushed.returncode == 0, pushed.stderr
    found = re.search(
        r"remote: Assay: main at \w+ \(3 commits\) is submission (\w+)", pushed.stderr
    )
    assert found, pushed.stderr
    submission_id = found.group(1)
    assert (
        f"remote: Assay: follow its grading at {live}/submissions/{submission_id}" in pushed.stderr
    )
    session.expire_all()
    submission = session.get(Submission, submission_id)
    assert (submission.source, submission.commit) == ("git", head)
    assert submission.candidate_id == candidate["user"].id
    assert submission.files == 3  # the committed files; notes.txt never was
    push = session.get(Push, submission_id)
    assert push.commits == 3
    assert [item["subject"] for item in push.history] == [
        "Write the README",
        "Add the books API",
        "Scaffold the service",
    ]

    auth = {"Authorization": f"Bearer {candidate['token']}"}
    read = client.get(f"/api/v1/submissions/{submission_id}", headers=auth).json()
    history = client.get(f"/api/v1/submissions/{submission_id}/commits", headers=auth).json()
    assert read["commit"] == head
    assert read["links"]["commits"] == f"/api/v1/submissions/{submission_id}/commits"
    assert history["commits"] == 3
    assert history["history"][0]["authored_at"] == "2026-11-30T13:00:00Z"

    again = git(work, "push", remote(live, candidate["invitation"].id, candidate["token"]), "main")
    assert "Everything up-to-date" in again.stderr
    assert session.scalar(select(func.count()).select_from(Submission)) == 1


def test_who_may_fetch_and_push(live, candidate, session, tmp_path):
    work = three_commits(tmp_path)
    url = remote(live, candidate["invitation"].id, candidate["token"])
    stranger = make_user(session, Role.candidate)
    _id, stranger_token = accounts.create_api_token(session, stranger, "git")
    session.commit()

    anonymous = git(work, "ls-remote", remote(live, candidate["invitation"].id))
    wrong = git(work, "ls-remote", remote(live, candidate["invitation"].id, "asy_not-a-token"))
    theirs = git(work, "ls-remote", remote(live, candidate["invitation"].id, stranger_token))
    mine = git(work, "ls-remote", url)

    assert anonymous.returncode != 0
    assert "could not read Username" in anonymous.stderr  # asked to sign in: a 401 challenge
    assert wrong.returncode != 0
    assert theirs.returncode != 0
    assert "remote: no remote" in theirs.stderr  # another's remote is simply not found
    assert mine.returncode == 0, mine.stderr

    invitation = session.get(Invitation, candidate["invitation"].id)
    invitation.deadline = datetime.now(UTC) - timedelta(minutes=1)
    session.commit()
    late = git(work, "push", url, "main")
    fetch_late = git(work, "ls-remote", url)

    assert late.returncode != 0
    assert "remote: the deadline passed" in late.stderr
    assert fetch_late.returncode == 0  # their own remote stays readable


@pytest.mark.servers  # a few seconds of pushes: the full tier
def test_only_main_is_graded_and_what_cannot_be_graded_is_refused_before_it_is_kept(
    live, candidate, session, tmp_path
):
    work = three_commits(tmp_path)
    url = remote(live, candidate["invitation"].id, candidate["token"])
    (work / "LINK.md").symlink_to("README.md")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "Link the readme")

    feature = git(work, "push", url, "main:feature")
    linked = git(work, "push", url, "main")

    assert feature.returncode == 0, feature.stderr
    assert "remote: Assay: kept feature, not graded: only main is" in feature.stderr
    assert linked.returncode != 0
    assert "remote: Assay: refused: the archive holds a link: 'LINK.md'" in linked.stderr
    assert "pre-receive hook declined" in linked.stderr
    assert "refs/heads/main" not in git(work, "ls-remote", url).stdout
    assert session.scalar(select(func.count()).select_from(Submission)) == 0


@pytest.mark.servers  # a few seconds of pushes: the full tier
def test_staff_may_push_to_a_closed_remote_for_the_candidate(live, candidate, session, tmp_path):
    reviewer = make_user(session, Role.reviewer)
    _id, reviewer_token = accounts.create_api_token(session, reviewer, "git")
    invitation = session.get(Invitation, candidate["invitation"].id)
    invitation.deadline = datetime.now(UTC) - timedelta(minutes=1)
    session.commit()
    work = three_commits(tmp_path)

    pushed = git(work, "push", remote(live, invitation.id, reviewer_token), "main")

    assert pushed.returncode == 0, pushed.stderr
    session.expire_all()
    submission = session.scalars(select(Submission)).one()
    assert submission.candidate_id == candidate["user"].id
    assert session.get(Push, submission.id).pushed_by == reviewer.id


def test_a_push_over_the_upload_limit_is_refused(live, candidate, settings, tmp_path):
    settings.upload_max_bytes = 64 * 1024
    work = work_tree(
        tmp_path / "big", [("Add data", {"data.txt": os.urandom(200_000).hex()}, START)]
    )
    url = remote(live, candidate["invitation"].id, candidate["token"])

    whole = git(work, "push", url, "main")  # sent with a Content-Length
    chunked = git(work, "-c", "http.postBuffer=4096", "push", url, "main")  # streamed

    assert whole.returncode != 0
    assert "413" in whole.stderr
    assert chunked.returncode != 0
    assert "413" in chunked.stderr


@pytest.mark.servers  # a few seconds of pushes: the full tier
def test_assay_submit_git_pushes_head_and_names_the_submission(live, candidate, tmp_path):
    work = three_commits(tmp_path)
    (work / "notes.txt").write_text("uncommitted")
    env = {**os.environ, "ASSAY_URL": live, "ASSAY_TOKEN": candidate["token"]}

    done = subprocess.run(
        assay("submit", str(work), "-p", "book-reviews", "--git"),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"submitted (\w{32}):\s+/api/v1/submissions/\1", done.stdout)
    assert "1 uncommitted change(s) are not submitted" in done.stderr
    assert "remote: Assay: main at" in done.stderr


# -- what the hooks say --------------------------------------------------------------------


def test_the_hooks_say_where_the_submission_is_and_how_to_wait():
    update = service.Update("0" * 40, "a" * 40, "refs/heads/main")

    new = hook.submitted_lines(
        update,
        submission_id="s1",
        created=True,
        commits=1,
        url="http://x/submissions/s1",
        waits=False,
    )
    old = hook.submitted_lines(
        update,
        submission_id="s1",
        created=False,
        commits=4,
        url="http://x/submissions/s1",
        waits=True,
    )

    assert new == [
        "Assay: main at aaaaaaaaaaaa (1 commit) is submission s1",
        "Assay: follow its grading at http://x/submissions/s1",
        "Assay: push with -o wait to wait here for the score",
    ]
    assert old[0] == "Assay: aaaaaaaaaaaa was already submitted as s1"
    assert len(old) == 2
    kept = hook.ungraded_lines(
        [update, service.Update("0" * 40, "b" * 40, "refs/heads/wip")], update
    )
    assert kept == ["Assay: kept wip, not graded: only main is (git push assay HEAD:main)"]


def test_the_score_a_push_waits_for_is_what_the_candidate_may_see():
    report = rich_report(load_problem(ROOT, "book-reviews"))
    view = gradings.candidate_view(report.model_dump(mode="json"))

    lines = hook.score_lines(view)

    assert lines[0] == f"Assay: score {report.total:g} / 100"
    assert any(line.startswith("Assay:   Functionality") for line in lines)
    visible = [test for test in report.hidden_tests if test.visible]
    passed = sum(test.passed for test in visible)
    assert (
        f"Assay: tests: {passed} of {len(visible)} passed; 3 of 3 more (details for reviewers)"
        in lines
    )
    reviewer_only = [t.id.rsplit("::", 1)[-1] for t in report.hidden_tests if not t.visible]
    assert not [name for name in reviewer_only if any(name in line for line in lines)]
    assert "Assay:   failed: test_functionality_0" in lines


def test_a_waiting_push_follows_the_stages_to_the_score(session, settings, candidate):
    problem = load_problem(ROOT, "book-reviews")
    accepted = submissions.create_submission(
        session, user=candidate["user"], problem=problem, upload=tar_gz(SMALL_APP), source="git"
    )
    session.commit()
    report = rich_report(problem)
    record_result(session, accepted.submission.id, report)
    out = io.StringIO()

    hook.follow(settings, accepted.submission.id, "http://x/s", hook.Output(out), timeout=5)

    said = out.getvalue().splitlines()
    assert f"Assay: score {report.total:g} / 100" in said
    assert said[-1] == "Assay: details at http://x/s"


def test_the_hooks_get_the_settings_but_never_the_signing_key(settings):
    env = hook.hook_env(settings, invitation_id="i", pusher_id="p", links="http://x")
    context = hook.Context.from_env(
        {**env, "GIT_PUSH_OPTION_COUNT": "2", "GIT_PUSH_OPTION_0": "wait", "GIT_PUSH_OPTION_1": "x"}
    )

    assert "ASSAY_SECRET_KEY" not in env
    assert env["ASSAY_DATABASE_URL"] == settings.database
    assert context == hook.Context("i", "p", "http://x", ("wait", "x"))
    assert context.waits


# -- the remote and the history on the API and the dashboard ---------------------------------


def test_the_invitation_names_its_remote_on_the_api_and_the_candidates_page(
    client, session, candidate
):
    auth = {"Authorization": f"Bearer {candidate['token']}"}
    invitation_id = candidate["invitation"].id

    listed = client.get("/api/v1/invitations", headers=auth).json()["items"]
    sign_in_page(client, candidate["user"])
    page = client.get("/problems/book-reviews")

    assert listed[0]["git_url"] == f"http://testserver/git/{invitation_id}.git"
    assert f"git remote add assay http://testserver/git/{invitation_id}.git" in page.text
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    made = client.post("/problems/book-reviews/git-token", data={"csrf": token})
    secret = re.search(r'data-testid="new-token">(asy_[^<]+)<', made.text).group(1)
    assert client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {secret}"}).is_success


def test_reviewers_read_the_commits_against_the_time_box(
    client, session, settings, candidate, tmp_path
):
    work = three_commits(tmp_path)
    history = repos.history(work / ".git", git(work, "rev-parse", "HEAD").stdout.strip())
    accepted = service.submit(
        session,
        settings,
        invitation=session.get(Invitation, candidate["invitation"].id),
        pusher=candidate["user"],
        update=service.Update("0" * 40, history.commits[0].sha, "refs/heads/main"),
        archive=tar_gz(SMALL_APP),
        history=history,
    )
    session.commit()
    reviewer = make_user(session, Role.reviewer)
    sign_in_page(client, reviewer)

    page = client.get(f"/submissions/{accepted.submission.id}").text

    assert "3 commits over 3h 40m" in page
    assert "1 outside the time box" in page  # the README, four hours in
    assert "+3h 55m" in page and "after the time box" in page
    assert '<svg class="chart timeline"' in page
    assert "Scaffold the service" in page


def test_revision_0003_can_be_undone_and_done_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'roundtrip.db'}"
    migrate.upgrade(url)
    config = migrate.alembic_config(url)

    command.downgrade(config, "0002")
    command.upgrade(config, "head")
