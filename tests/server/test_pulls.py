"""Pull-request grading without Docker: signatures and payloads, the outbound client against a
local stand-in for GitHub and GitLab, the webhook endpoint, and a check followed from its
delivery to the status and the one comment reported back (gradings recorded as a worker does).
"""

import functools
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import func, select

from assay.catalog.loader import load_problem
from assay.server.accounts.models import Invitation, Role
from assay.server.gradings.tasks import grade_submission
from assay.server.pulls import events, providers, runner, tasks
from assay.server.pulls.client import Client, Refused, Unavailable
from assay.server.pulls.models import Check, CheckState, Delivery, Provider
from assay.server.submissions import service as submissions
from assay.server.submissions.models import Submission
from tests.server.builders import (
    SMALL_APP,
    headers,
    invite,
    make_user,
    record_result,
    rich_report,
)
from tests.server.conftest import ROOT
from tests.server.payloads import (
    SHA,
    github_delivery,
    github_pull_request,
    github_push,
    gitlab_delivery,
    gitlab_merge_request,
    gitlab_push,
)
from tests.server.standin import BOT, StandIn, tarball

SECRET = "a-webhook-secret-for-tests"
OTHER_SHA = "1" * 40
fast_client = functools.partial(providers.client_for, backoff_s=0.001)


@pytest.fixture
def standin():
    server = StandIn().start()
    server.archives[SHA] = tarball(SMALL_APP)
    yield server
    server.stop()


@pytest.fixture
def people(session, client):
    staff = make_user(session, Role.reviewer)
    candidate = make_user(session, Role.candidate)
    invite(session, candidate)
    return {"staff": headers(client, staff), "candidate": candidate}


@pytest.fixture
def github_repo(client, people, standin):
    return _register(client, people, standin)


def _register(client, people, standin, *, provider="github", full_name="acme/app", **extra):
    api_url = standin.url + ("/api/v4" if provider == "gitlab" else "")
    body = {
        "provider": provider,
        "full_name": full_name,
        "problem": "book-reviews",
        "candidate": people["candidate"].email,
        "api_token": "gh-token" if provider == "github" else "gl-token",
        "secret": SECRET,
        "api_url": api_url,
        **extra,
    }
    response = client.post("/api/v1/repositories", json=body, headers=people["staff"])
    assert response.status_code == 201, response.text
    return response.json()


def _deliver(client, body, delivery_headers, provider="github"):
    return client.post(f"/api/v1/webhooks/{provider}", content=body, headers=delivery_headers)


# -- signatures and payloads ------------------------------------------------------------------


def test_a_github_signature_is_the_bodys_hmac_with_the_repositorys_secret():
    body, sent = github_delivery(github_pull_request(), SECRET)
    lowered = {key.lower(): value for key, value in sent.items()}

    assert events.signed(Provider.github, SECRET, lowered, body)
    assert not events.signed(Provider.github, "another-secret-entirely", lowered, body)
    assert not events.signed(Provider.github, SECRET, lowered, body + b" ")
    assert not events.signed(Provider.github, SECRET, {}, body)


def test_a_gitlab_delivery_carries_the_token_itself():
    assert events.signed(Provider.gitlab, SECRET, {"x-gitlab-token": SECRET}, b"{}")
    assert not events.signed(Provider.gitlab, SECRET, {"x-gitlab-token": SECRET[:-1]}, b"{}")
    assert not events.signed(Provider.gitlab, SECRET, {}, b"{}")


@pytest.mark.parametrize(
    ("action", "graded"),
    [("opened", True), ("synchronize", True), ("reopened", True), ("closed", False)],
)
def test_a_pull_request_grades_its_head_commit_when_it_brings_one(action, graded):
    wanted = events.github("pull_request", github_pull_request(action=action, number=12))

    if graded:
        assert wanted == events.Grade("pull_request", SHA, "refs/heads/solution", 12)
    else:
        assert isinstance(wanted, events.Ignored)


def test_pushes_grade_the_default_branch_only():
    assert events.github("push", github_push()) == events.Grade("push", SHA, "refs/heads/main")
    for ignored in (
        github_push(ref="refs/heads/wip"),
        github_push(ref="refs/tags/v1"),
        github_push(sha="0" * 40),
    ):
        assert isinstance(events.github("push", ignored), events.Ignored)
    assert isinstance(events.github("ping", {"zen": "Keep it logically awesome."}), events.Ignored)


def test_gitlab_merge_requests_and_pushes():
    assert events.gitlab("Merge Request Hook", gitlab_merge_request()) == events.Grade(
        "pull_request", SHA, "refs/heads/solution", 3
    )
    with_commits = gitlab_merge_request(action="update", oldrev="0d1a26e6")
    assert isinstance(events.gitlab("Merge Request Hook", with_commits), events.Grade)
    title_only = gitlab_merge_request(action="update")
    assert isinstance(events.gitlab("Merge Request Hook", title_only), events.Ignored)
    assert events.gitlab("Push Hook", gitlab_push()) == events.Grade("push", SHA, "refs/heads/main")
    deleted = gitlab_push(sha="0" * 40)
    assert isinstance(events.gitlab("Push Hook", deleted), events.Ignored)


def test_a_delivery_is_named_by_its_header_or_else_by_its_body():
    assert events.delivery_id(Provider.github, {"x-github-delivery": "d-1"}, b"{}") == "d-1"
    assert events.delivery_id(Provider.gitlab, {"idempotency-key": "k-1"}, b"{}") == "k-1"
    unnamed = events.delivery_id(Provider.gitlab, {}, b'{"a": 1}')
    assert unnamed == events.delivery_id(Provider.gitlab, {}, b'{"a": 1}')
    assert unnamed != events.delivery_id(Provider.gitlab, {}, b'{"a": 2}')


# -- the outbound client ----------------------------------------------------------------------


def _client(standin, **options):
    waits = []
    client = Client(
        standin.url, {"Authorization": "Bearer gh-token"}, sleep=waits.append, **options
    )
    return client, waits


def test_the_client_retries_5xx_with_backoff_and_then_succeeds(standin):
    standin.fail("/statuses/", 502, 503)
    client, waits = _client(standin, backoff_s=0.1)

    with client:
        client.request("POST", f"/repos/acme/app/statuses/{SHA}", json={"state": "pending"})

    assert [r.method for r in standin.seen("POST", "/statuses/")] == ["POST"] * 3
    assert waits == [0.1, 0.2]


def test_the_client_never_retries_a_4xx(standin):
    client, waits = _client(standin)

    with client, pytest.raises(Refused) as refused:
        client.request("POST", f"/repos/acme/app/statuses/{SHA}", json={"state": "fine"})

    assert refused.value.status == 422
    assert len(standin.seen("POST", "/statuses/")) == 1
    assert waits == []


def test_the_client_gives_up_on_a_provider_that_stays_away(standin):
    standin.fail("/statuses/", 500, 500, 500, 500)
    client, waits = _client(standin, tries=4, backoff_s=1)

    with client, pytest.raises(Unavailable) as unavailable:
        client.request("POST", f"/repos/acme/app/statuses/{SHA}", json={"state": "pending"})

    assert unavailable.value.status == 500
    assert waits == [1, 2, 4]


def test_the_client_retries_transport_errors_and_times_out():
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    waits = []
    client = Client(
        "http://forge.invalid", {}, transport=httpx.MockTransport(refuse), sleep=waits.append
    )
    with client, pytest.raises(Unavailable, match="ConnectError"):
        client.request("GET", "/repos/acme/app")

    assert len(waits) == 3
    assert client.http.timeout.read == 10.0
    assert client.http.timeout.connect == 5.0


def test_a_download_follows_the_archive_redirect_and_stops_at_its_limit(standin):
    client, _ = _client(standin)

    with client:
        data = client.download(f"/repos/acme/app/tarball/{SHA}", limit=1 << 20)
        with pytest.raises(Refused, match="over"):
            client.download(f"/repos/acme/app/tarball/{SHA}", limit=10)

    assert data == standin.archives[SHA]
    assert [r.path for r in standin.requests[:2]] == [
        f"/repos/acme/app/tarball/{SHA}",
        f"/codeload/{SHA}",
    ]


# -- the API ------------------------------------------------------------------------------


def test_only_staff_register_repositories_of_invited_candidates(client, session, people, standin):
    candidate_auth = headers(client, people["candidate"])
    body = {
        "provider": "github",
        "full_name": "acme/app",
        "problem": "book-reviews",
        "candidate": people["candidate"].email,
        "api_token": "gh-token",
    }
    stranger = make_user(session, Role.candidate)

    by_candidate = client.post("/api/v1/repositories", json=body, headers=candidate_auth)
    uninvited = client.post(
        "/api/v1/repositories", json={**body, "candidate": stranger.email}, headers=people["staff"]
    )
    made = client.post("/api/v1/repositories", json=body, headers=people["staff"])
    again = client.post("/api/v1/repositories", json=body, headers=people["staff"])
    listed = client.get("/api/v1/repositories", headers=people["staff"]).json()["items"]

    assert by_candidate.status_code == 403
    assert uninvited.status_code == 422
    assert made.status_code == 201
    assert len(made.json()["secret"]) >= 32  # made for the team, shown once
    assert made.json()["webhook_url"] == "http://testserver/api/v1/webhooks/github"
    assert made.json()["events"] == ["push", "pull_request"]
    assert made.json()["api_url"] == "https://api.github.com"
    assert again.status_code == 409
    assert "secret" not in listed[0]
    assert "api_token" not in listed[0]


def test_a_signed_pull_request_is_taken_and_a_commit_queued(client, session, people, standin):
    _register(client, people, standin)
    body, sent = github_delivery(github_pull_request(), SECRET)

    response = _deliver(client, body, sent)

    assert response.status_code == 202, response.text
    assert response.json()["graded"] is True
    check = session.get(Check, response.json()["check"])
    assert (check.sha, check.pull, check.state) == (SHA, 7, CheckState.fetching)
    assert check.link_base == "http://testserver"


def test_a_bad_signature_is_refused_with_401_and_grades_nothing(client, session, people, standin):
    _register(client, people, standin)
    body, sent = github_delivery(github_pull_request(), "not-the-repositorys-secret")

    response = _deliver(client, body, sent)

    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert session.scalar(select(func.count()).select_from(Check)) == 0
    assert session.scalar(select(func.count()).select_from(Delivery)) == 0
    assert session.scalar(select(func.count()).select_from(Submission)) == 0


def test_replays_and_unknown_repositories_are_refused(client, session, people, standin):
    _register(client, people, standin)
    body, sent = github_delivery(github_pull_request(), SECRET, delivery="72d3162e-cc78")
    unknown_body, unknown = github_delivery(github_pull_request("acme/other"), SECRET)

    first = _deliver(client, body, sent)
    replay = _deliver(client, body, sent)
    stranger = _deliver(client, unknown_body, unknown)

    assert first.status_code == 202
    assert replay.status_code == 409
    assert "replays are refused" in replay.json()["detail"]
    assert stranger.status_code == 404
    assert session.scalar(select(func.count()).select_from(Check)) == 1


def test_deliveries_with_nothing_to_grade_are_answered_with_the_reason(client, people, standin):
    _register(client, people, standin)
    ping_body, ping = github_delivery(
        {"zen": "Design for failure.", "repository": {"full_name": "acme/app"}},
        SECRET,
        event="ping",
    )
    push_body, push = github_delivery(github_push(ref="refs/heads/wip"), SECRET, event="push")

    pinged = _deliver(client, ping_body, ping)
    pushed = _deliver(client, push_body, push)

    assert pinged.status_code == 200
    assert pinged.json()["graded"] is False
    assert pushed.status_code == 200
    assert "only the default branch" in pushed.json()["reason"]


def test_a_gitlab_token_that_does_not_match_is_refused(client, people, standin):
    _register(client, people, standin, provider="gitlab")
    good_body, good = gitlab_delivery(gitlab_merge_request(), SECRET)
    bad_body, bad = gitlab_delivery(gitlab_merge_request(), "wrong-token-for-gitlab")

    assert _deliver(client, bad_body, bad, "gitlab").status_code == 401
    assert _deliver(client, good_body, good, "gitlab").status_code == 202


# -- from the delivery to the report -------------------------------------------------------


def _deliver_check(client, payload, *, event="pull_request", provider="github"):
    if provider == "github":
        body, sent = github_delivery(payload, SECRET, event=event)
    else:
        body, sent = gitlab_delivery(payload, SECRET, event=event)
    response = _deliver(client, body, sent, provider)
    assert response.status_code == 202, response.text
    return response.json()["check"]


def _fetch(settings, check_id):
    """Fetch as the task does; the submissions it would queue."""
    dispatched = []
    runner.fetch(check_id, settings, dispatch=dispatched.append, client_for=fast_client)
    return dispatched


def test_a_pull_request_is_graded_and_reported_with_one_comment_kept_up_to_date(
    client, session, settings, people, standin
):
    _register(client, people, standin, min_score=50)
    check_id = _deliver_check(client, github_pull_request())

    dispatched = _fetch(settings, check_id)  # says "pending" before it queues the grading
    session.expire_all()
    submission = session.get(Submission, dispatched[0])

    assert (submission.source, submission.commit, submission.files) == ("github", SHA, 2)
    assert submission.candidate_id == people["candidate"].id
    tarball_request = standin.seen("GET", "/tarball/")[0]
    assert tarball_request.headers["authorization"] == "Bearer gh-token"
    assert tarball_request.headers["accept"] == "application/vnd.github+json"
    assert tarball_request.headers["x-github-api-version"] == "2022-11-28"
    pending = standin.seen("POST", f"/repos/acme/app/statuses/{SHA}$")[0]
    assert pending.json == {
        "state": "pending",
        "target_url": f"http://testserver/submissions/{submission.id}",
        "description": "Assay is grading this commit",
        "context": "assay/book-reviews",
    }
    assert pending.headers["content-type"] == "application/json"

    problem = load_problem(ROOT, "book-reviews")
    first = rich_report(problem)
    record_result(session, submission.id, first)
    runner.report(check_id, settings, client_for=fast_client)
    runner.report(check_id, settings, client_for=fast_client)  # nothing new: nothing sent

    statuses = standin.seen("POST", "/statuses/")
    assert [s.json["state"] for s in statuses] == ["pending", "success"]
    assert statuses[1].json["description"] == f"Assay: {first.total:g} / 100 (needs 50)"
    assert [r.method for r in standin.seen("POST", "/issues/7/comments")] == ["POST"]
    comment = standin.comments["7"][0]["body"]
    assert comment.startswith("<!-- assay:")
    assert f"## Assay: {first.total:g} / 100" in comment
    assert "| Functionality |" in comment
    assert f"http://testserver/submissions/{submission.id}" in comment
    reviewer_only = [test.id.rsplit("::", 1)[-1] for test in first.hidden_tests if not test.visible]
    assert not [name for name in reviewer_only if name in comment]

    submissions.requeue(session, submission)
    session.commit()
    second = rich_report(problem, failing=5, seed=1)
    record_result(session, submission.id, second)
    runner.report(check_id, settings, client_for=fast_client)

    assert len(standin.comments["7"]) == 1  # edited in place, found by its marker
    assert [r.method for r in standin.seen("PATCH", "/issues/comments/")] == ["PATCH"]
    assert f"## Assay: {second.total:g} / 100" in standin.comments["7"][0]["body"]
    assert session.get(Check, check_id).reported == "graded:2"


def test_the_comment_is_found_among_many_and_never_someone_elses(
    client, session, settings, people, standin
):
    repository = _register(client, people, standin)
    marker = f"<!-- assay:{repository['id']} -->"
    standin.comments["7"] = [
        {"id": 1000 + n, "body": "LGTM", "user": {"login": "grace"}} for n in range(119)
    ]
    standin.comments["7"].append({"id": 500, "body": f"{marker} copied", "user": {"login": "eve"}})
    check_id = _deliver_check(client, github_pull_request())
    dispatched = _fetch(settings, check_id)
    record_result(session, dispatched[0], rich_report(load_problem(ROOT, "book-reviews")))
    runner.report(check_id, settings, client_for=fast_client)  # learns its own author
    session.expire_all()
    record_result_again = rich_report(load_problem(ROOT, "book-reviews"), failing=4)
    submission = session.get(Submission, dispatched[0])
    submissions.requeue(session, submission)
    session.commit()
    record_result(session, submission.id, record_result_again)

    runner.report(check_id, settings, client_for=fast_client)

    ours = [c for c in standin.comments["7"] if c["user"]["login"] == BOT]
    assert len(ours) == 1
    assert standin.comments["7"][-2]["body"].endswith("copied")  # eve's copy left alone
    assert len(standin.seen("GET", "/issues/7/comments")) == 4  # two pages, twice


def test_an_older_commit_graded_last_does_not_overwrite_the_comment(
    client, session, settings, people, standin
):
    _register(client, people, standin)
    standin.archives[OTHER_SHA] = tarball({**SMALL_APP, "NOTES.md": "second"})
    older = _deliver_check(client, github_pull_request())
    newer = _deliver_check(client, github_pull_request(action="synchronize", sha=OTHER_SHA))
    older_submission = _fetch(settings, older)[0]
    newer_submission = _fetch(settings, newer)[0]
    problem = load_problem(ROOT, "book-reviews")

    record_result(session, newer_submission, rich_report(problem, failing=1))
    runner.report(newer, settings, client_for=fast_client)
    record_result(session, older_submission, rich_report(problem, failing=5))
    runner.report(older, settings, client_for=fast_client)

    assert [s.json["state"] for s in standin.seen("POST", f"/statuses/{SHA}")] == [
        "pending",
        "success",
    ]
    assert len(standin.seen("POST", f"/statuses/{OTHER_SHA}")) == 2
    assert len(standin.comments["7"]) == 1
    assert OTHER_SHA[:12] in standin.comments["7"][0]["body"]
    assert not standin.seen("PATCH", "/comments/")


def test_a_gitlab_merge_request_gets_a_status_and_one_note(
    client, session, settings, people, standin
):
    _register(client, people, standin, provider="gitlab", full_name="acme/backend/app")
    check_id = _deliver_check(
        client,
        gitlab_merge_request("acme/backend/app"),
        event="Merge Request Hook",
        provider="gitlab",
    )
    dispatched = _fetch(settings, check_id)
    record_result(session, dispatched[0], rich_report(load_problem(ROOT, "book-reviews")))

    runner.report(check_id, settings, client_for=fast_client)

    project = "/api/v4/projects/acme%2Fbackend%2Fapp"
    archive = standin.seen("GET", "/repository/archive.tar.gz")[0]
    assert archive.path == f"{project}/repository/archive.tar.gz"
    assert archive.query == {"sha": [SHA]}
    assert archive.headers["private-token"] == "gl-token"
    pending, status = standin.seen("POST", f"{project}/statuses/{SHA}")
    assert pending.json["state"] == "pending"
    assert status.json["state"] == "success"
    assert status.json["name"] == "assay/book-reviews"
    assert status.json["target_url"].endswith(f"/submissions/{dispatched[0]}")
    assert [r.method for r in standin.seen("POST", f"{project}/merge_requests/3/notes")] == ["POST"]
    assert standin.comments["3"][0]["author"]["username"] == BOT


def test_a_commit_past_the_deadline_is_reported_as_not_graded(
    client, session, settings, people, standin
):
    _register(client, people, standin)
    check_id = _deliver_check(client, github_pull_request())
    for invitation in session.scalars(select(Invitation)):
        invitation.deadline = datetime.now(UTC) - timedelta(minutes=1)
    session.commit()

    dispatched = _fetch(settings, check_id)
    runner.report(check_id, settings, client_for=fast_client)

    session.expire_all()
    assert dispatched == []
    assert session.get(Check, check_id).state is CheckState.refused
    status = standin.seen("POST", "/statuses/")[0].json
    assert status["state"] == "error"
    assert "deadline" in status["description"]
    assert "not graded" in standin.comments["7"][0]["body"]


def test_an_archive_the_provider_refuses_fails_the_check(
    client, session, settings, people, standin
):
    _register(client, people, standin)
    check_id = _deliver_check(client, github_pull_request(sha=OTHER_SHA))  # no such archive

    dispatched = _fetch(settings, check_id)

    session.expire_all()
    assert dispatched == []
    check = session.get(Check, check_id)
    assert check.state is CheckState.failed
    assert "404" in check.error
    assert standin.seen("POST", "/statuses/")[0].json["state"] == "error"


def test_a_provider_away_while_reporting_never_holds_the_grading(
    client, session, settings, people, standin
):
    _register(client, people, standin)
    check_id = _deliver_check(client, github_pull_request())
    standin.fail("/statuses/", *[503] * 8)

    dispatched = _fetch(settings, check_id)  # the pending status fails: the grading goes on
    with pytest.raises(Unavailable):  # the report task retries later
        runner.report(check_id, settings, client_for=fast_client)

    session.expire_all()
    check = session.get(Check, check_id)
    assert len(dispatched) == 1
    assert check.reported == ""
    assert "503" in check.report_error
    runner.report(check_id, settings, client_for=fast_client)
    session.expire_all()
    assert session.get(Check, check_id).reported == "pending"


def test_a_finished_grading_sends_its_checks_reports_and_the_sweep_the_lost_ones(
    client, session, settings, github_repo, monkeypatch
):
    check_id = _deliver_check(client, github_pull_request())
    submission_id = _fetch(settings, check_id)[0]
    sent = []
    monkeypatch.setattr(tasks, "send_report", sent.append)
    monkeypatch.setattr(tasks, "get_settings", lambda: settings)

    tasks._report_graded(sender=tasks.fetch_check, args=(submission_id,))  # not a grading
    tasks._report_graded(sender=grade_submission, args=(submission_id,))
    record_result(session, submission_id, rich_report(load_problem(ROOT, "book-reviews")))
    tasks._report_graded(sender=grade_submission, args=(submission_id,))

    assert sent == [check_id]
    fetch_again, report_again = [], []
    later = runner.sweep(
        settings,
        fetch_again=fetch_again.append,
        report_again=report_again.append,
        older_than=timedelta(seconds=-1),
    )
    assert (later, report_again) == (1, [check_id])
