"""The dashboard's pages in-process: sign-in and CSRF, the reviewer's overview, leaderboard,
submission page and review, the candidate's pages and what they must never show."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from assay.grading.report import Binding
from assay.server.accounts.models import Invitation, Role
from assay.server.dashboard import charts, evidence
from assay.server.dashboard.service import histogram, time_box
from assay.server.dashboard.views import demote_headings
from assay.server.problems.service import catalog
from assay.server.submissions import service as submissions
from assay.server.submissions.models import Submission
from tests.server.builders import (
    SMALL_APP,
    csrf_of,
    headers,
    invite,
    make_user,
    record_result,
    rich_report,
    sign_in_page,
    tar_gz,
)

SOURCE = {
    "app/__init__.py": "",
    "app/main.py": "from fastapi import FastAPI\n"
    + "x = 1  # "
    + "y" * 110
    + "\nPASSWORD = 'hunter2'\n",
}


def submitted(
    session, settings, candidate, files=SOURCE, problem: str = "book-reviews"
) -> Submission:
    accepted = submissions.create_submission(
        session,
        user=candidate,
        problem=catalog(settings.root)[problem],
        upload=tar_gz(files),
        uploads_per_hour=100,
    )
    session.commit()
    return accepted.submission


def graded(session, settings, candidate, *, failing: int = 2) -> Submission:
    submission = submitted(session, settings, candidate)
    problem = catalog(settings.root)[submission.problem]
    record_result(session, submission.id, rich_report(problem, failing=failing))
    return submission


@pytest.fixture
def candidate(session):
    user = make_user(session, Role.candidate, name="Grace Hopper")
    invite(session, user)
    return user


@pytest.fixture
def reviewer(session):
    return make_user(session, Role.reviewer)


@pytest.fixture
def as_reviewer(client, reviewer):
    sign_in_page(client, reviewer)
    return client


# sign-in, cookies, CSRF


def test_a_page_sends_a_visitor_who_is_not_signed_in_to_the_sign_in_form(client):
    response = client.get("/problems/book-reviews?sort=best", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=/problems/book-reviews%3Fsort%3Dbest"


def test_signing_in_sets_an_httponly_samesite_session_cookie(client, reviewer):
    sign_in_page(client, reviewer)

    cookie = next(header for header in client.cookies.jar if header.name == "assay_session")
    assert cookie.has_nonstandard_attr("HttpOnly")
    assert cookie.get_nonstandard_attr("SameSite", "").lower() == "lax"
    assert client.get("/").status_code == 200


def test_a_wrong_password_shows_the_form_again_with_the_reason(client, reviewer):
    form = client.get("/sign-in")

    response = client.post(
        "/sign-in",
        data={"email": reviewer.email, "password": "wrong", "csrf": csrf_of(form.text)},
    )

    assert response.status_code == 401
    assert "wrong email or password" in response.text
    assert "assay_session" not in response.cookies


def test_a_form_without_its_csrf_token_is_refused(client, reviewer):
    client.get("/sign-in")

    response = client.post("/sign-in", data={"email": reviewer.email, "password": "x"})

    assert response.status_code == 403
    assert "reload the page" in response.text


def test_a_csrf_token_from_another_browser_is_refused(
    client, session, settings, as_reviewer, candidate
):
    submission = graded(session, settings, candidate)
    foreign = "0" * 64

    response = as_reviewer.post(
        f"/submissions/{submission.id}/review",
        data={"csrf": foreign, "criterion": "design_review", "score": "4", "note": "ok"},
    )

    assert response.status_code == 403


def test_after_signing_in_the_browser_goes_where_it_was_going_but_never_off_site(client, reviewer):
    form = client.get("/sign-in")
    data = {
        "email": reviewer.email,
        "password": "correct horse battery",
        "csrf": csrf_of(form.text),
    }

    inside = client.post(
        "/sign-in", data={**data, "next": "/problems/task-api"}, follow_redirects=False
    )
    outside = client.post(
        "/sign-in", data={**data, "next": "//evil.example"}, follow_redirects=False
    )

    assert inside.headers["location"] == "/problems/task-api"
    assert outside.headers["location"] == "/"


def test_signing_out_forgets_the_session(as_reviewer):
    page = as_reviewer.get("/")

    as_reviewer.post("/sign-out", data={"csrf": csrf_of(page.text)})

    assert as_reviewer.get("/", follow_redirects=False).status_code == 303


# the reviewer's overview


def test_the_overview_counts_submissions_per_problem_and_shows_the_distribution_and_queue(
    session, settings, as_reviewer, candidate
):
    graded(session, settings, candidate)
    waiting = submitted(session, settings, candidate, SMALL_APP)

    page = as_reviewer.get("/").text

    assert "Book Reviews API" in page
    assert '<svg class="chart"' in page
    assert "Best score of each candidate on each problem (1 in all)" in page
    assert "tests/test_api.py::test_functionality_0" in page  # failed by everyone: hardest
    assert f"/submissions/{waiting.id}" in page
    assert "0 ahead" in page


# the leaderboard


def test_the_leaderboard_shows_best_and_latest_scores_and_a_column_per_criterion(
    session, settings, as_reviewer, candidate
):
    best = graded(session, settings, candidate, failing=1)
    graded(session, settings, candidate, failing=5)

    page = as_reviewer.get("/problems/book-reviews").text

    row = page[page.index("Grace Hopper") :]
    assert f'/submissions/{best.id}">' in row  # best links to its submission
    for title in ("Functionality /30", "Performance /10", "Design and documentation /10"):
        assert title in page
    assert "graded" in row


def test_the_leaderboard_sorts_by_a_criterion_and_filters_by_name(
    session, settings, as_reviewer, candidate
):
    other = make_user(session, Role.candidate, name="Ada Lovelace")
    invite(session, other)
    graded(session, settings, candidate, failing=1)
    graded(session, settings, other, failing=4)

    ascending = as_reviewer.get("/problems/book-reviews?sort=functionality&order=asc").text
    filtered = as_reviewer.get("/problems/book-reviews?q=ada").text

    assert ascending.index("Ada Lovelace") < ascending.index("Grace Hopper")
    assert 'aria-sort="ascending"' in ascending
    assert "Ada Lovelace" in filtered
    assert "Grace Hopper" not in filtered


def test_the_leaderboard_exports_csv_with_every_criterion(
    session, settings, as_reviewer, candidate
):
    graded(session, settings, candidate)

    response = as_reviewer.get("/problems/book-reviews/leaderboard.csv")

    lines = response.text.splitlines()
    assert response.headers["content-type"].startswith("text/csv")
    assert lines[0].startswith("candidate,name,best,latest,functionality,code_quality")
    assert lines[1].startswith(f"{candidate.email},Grace Hopper,")


def test_time_used_is_counted_from_the_first_starter_download_against_the_time_box(
    client, session, settings, reviewer, candidate
):
    sign_in_page(client, candidate)
    client.get("/problems/book-reviews/bundle")
    invitation = session.query(Invitation).filter_by(candidate_id=candidate.id).one()
    session.refresh(invitation)
    assert invitation.started_at is not None
    invitation.started_at -= timedelta(hours=2, minutes=5)
    session.commit()
    graded(session, settings, candidate)
    client.cookies.clear()
    sign_in_page(client, reviewer)

    page = client.get("/problems/book-reviews").text

    assert "2h 05m of 3h 00m" in page


def test_the_leaderboard_sorts_by_time_used(session, settings, as_reviewer, candidate):
    quick = make_user(session, Role.candidate, name="Quick Quentin")
    invite(session, quick)
    for user, hours in ((candidate, 3), (quick, 1)):
        invitation = session.query(Invitation).filter_by(candidate_id=user.id).one()
        invitation.started_at = datetime.now(UTC) - timedelta(hours=hours)
        session.commit()
        graded(session, settings, user)

    fastest = as_reviewer.get("/problems/book-reviews?sort=time&order=asc").text
    slowest = as_reviewer.get("/problems/book-reviews?sort=time&order=desc").text

    assert fastest.index("Quick Quentin") < fastest.index("Grace Hopper")
    assert slowest.index("Grace Hopper") < slowest.index("Quick Quentin")


def test_downloading_the_starter_through_the_api_starts_the_clock_too(client, session, candidate):
    auth = headers(client, candidate)

    client.get("/api/v1/problems/book-reviews/bundle", headers=auth)
    first = session.query(Invitation).filter_by(candidate_id=candidate.id).one().started_at
    client.get("/api/v1/problems/book-reviews/bundle", headers=auth)
    session.expire_all()

    assert first is not None
    assert session.query(Invitation).filter_by(candidate_id=candidate.id).one().started_at == first


# a submission, for reviewers


def test_the_submission_page_shows_each_criterion_with_its_evidence(
    session, settings, as_reviewer, candidate
):
    submission = graded(session, settings, candidate)

    page = as_reviewer.get(f"/submissions/{submission.id}").text

    assert "58.1" in page  # the total
    assert "assert 500 == 201: POST /books answered 500" in page  # a failed test's message
    assert f'/submissions/{submission.id}/source?path=app/main.py#L3">app/main.py:3' in page
    assert "Latency percentiles in milliseconds" in page  # the load chart
    assert "75.0% (150 of 200 statements)" in page  # coverage
    assert "test_reads_without_redis" in page  # the fault-injection outcome
    assert "INFO: Uvicorn running" in page  # a stage's log
    assert "assay-runtime:903631094b65" in page and "abababababababab" in page  # versions


def test_the_submission_page_lists_each_mutant_its_change_and_what_became_of_it(
    session, settings, as_reviewer, candidate
):
    submission = graded(session, settings, candidate)

    page = as_reviewer.get(f"/submissions/{submission.id}").text

    assert "1 of 2 sampled mutants killed (57 possible on the lines the tests ran)" in page
    assert f'/submissions/{submission.id}/source?path=app/main.py#L2">app/main.py:2' in page
    assert "<code>if page &lt;= 1:</code>" in page
    assert "killed by <code>tests/test_books.py::test_pages</code>" in page
    assert "line removed" in page and "survived" in page


def test_the_submitted_source_is_shown_with_line_anchors_and_the_finding_on_its_line(
    session, settings, as_reviewer, candidate
):
    submission = graded(session, settings, candidate)

    page = as_reviewer.get(f"/submissions/{submission.id}/source?path=app/main.py").text

    assert 'id="L3" class="flagged"' in page
    assert "S105 Possible hardcoded password" in page
    assert "PASSWORD = &#39;hunter2&#39;" in page


def test_a_file_not_in_the_submission_is_not_found(session, settings, as_reviewer, candidate):
    submission = graded(session, settings, candidate)

    response = as_reviewer.get(f"/submissions/{submission.id}/source?path=../etc/passwd")

    assert response.status_code == 404


def review(client, submission: Submission, **fields: str):
    page = client.get(f"/submissions/{submission.id}")
    return client.post(
        f"/submissions/{submission.id}/review", data={"csrf": csrf_of(page.text), **fields}
    )


def total_on(page: str) -> str:
    found = re.search(r'data-testid="total">([^<]+)<', page)
    assert found is not None
    return found.group(1)


def test_a_manual_score_changes_the_total_and_is_kept_in_the_audit_trail(
    session, settings, as_reviewer, reviewer, candidate
):
    submission = graded(session, settings, candidate)
    measured = rich_report(catalog(settings.root)["book-reviews"]).criteria
    points = sum(criterion.points or 0 for criterion in measured)
    assert total_on(as_reviewer.get(f"/submissions/{submission.id}").text) == "58.1"

    page = review(
        as_reviewer, submission, criterion="design_review", score="5", note="clear trade-offs"
    )

    expected = round((points + 10) * 100 / 110, 1)
    assert page.status_code == 200
    assert total_on(page.text) == f"{expected:g}"
    audit = page.text[page.text.index("Audit trail") :]
    assert reviewer.email in audit
    assert "scored 5/5" in audit and "clear trade-offs" in audit
    assert f"58.1 → {expected:g}" in audit


def test_an_override_needs_a_reason_and_shows_the_measured_points_beside(
    session, settings, as_reviewer, candidate
):
    submission = graded(session, settings, candidate)

    refused = review(as_reviewer, submission, criterion="functionality", points="25", note=" ")
    accepted = review(
        as_reviewer, submission, criterion="functionality", points="25", note="flaky test"
    )

    assert refused.status_code == 422
    assert "a reason is required" in refused.text
    assert "Overridden from 20 points: flaky test" in accepted.text


def test_clearing_a_review_restores_the_measured_total_and_is_audited(
    session, settings, as_reviewer, candidate
):
    submission = graded(session, settings, candidate)
    review(as_reviewer, submission, criterion="design_review", score="2", note="thin README")

    page = review(as_reviewer, submission, criterion="design_review", action="clear")

    assert total_on(page.text) == "58.1"
    assert "cleared manual" in page.text


def test_regrading_from_the_page_queues_the_submission_again(
    session, settings, as_reviewer, candidate
):
    submission = graded(session, settings, candidate)
    page = as_reviewer.get(f"/submissions/{submission.id}")

    as_reviewer.post(f"/submissions/{submission.id}/regrade", data={"csrf": csrf_of(page.text)})

    session.expire_all()
    assert session.get(Submission, submission.id).status.value == "queued"


def bound(session, settings, candidate) -> Submission:
    """A graded open-brief submission whose list of reviews the suite could not bind."""
    invite(session, candidate, "book-reviews-open")
    submission = submitted(session, settings, candidate, problem="book-reviews-open")
    report = rich_report(catalog(settings.root)["book-reviews-open"])
    report.binding = Binding(
        operations={"list books": {"method": "GET", "path": "/api/books", "items": "data"}},
        unbound={"list reviews": "no GET under a book answered"},
        notes=["/api/books confirmed by a request"],
    )
    record_result(session, submission.id, report)
    return submission


def test_the_binding_of_an_open_brief_is_shown_with_what_was_not_bound(
    session, settings, as_reviewer, candidate
):
    submission = bound(session, settings, candidate)

    page = as_reviewer.get(f"/submissions/{submission.id}").text

    assert "How the API was bound" in page
    assert "<code>GET /api/books</code>" in page
    assert "not bound: no GET under a book answered" in page
    assert "/api/books confirmed by a request" in page


def test_a_binding_corrected_on_the_page_is_pinned_and_the_submission_regraded(
    session, settings, as_reviewer, candidate
):
    submission = bound(session, settings, candidate)
    page = as_reviewer.get(f"/submissions/{submission.id}")
    corrected = {"operations": {"list reviews": {"method": "GET", "path": "/api/reviews"}}}

    as_reviewer.post(
        f"/submissions/{submission.id}/binding",
        data={"csrf": csrf_of(page.text), "binding": json.dumps(corrected)},
    )

    session.expire_all()
    stored = session.get(Submission, submission.id)
    assert stored.binding == corrected
    assert stored.status.value == "queued"


def test_a_binding_that_does_not_read_is_refused_with_the_reason(
    session, settings, as_reviewer, candidate
):
    submission = bound(session, settings, candidate)
    page = as_reviewer.get(f"/submissions/{submission.id}")

    response = as_reviewer.post(
        f"/submissions/{submission.id}/binding",
        data={"csrf": csrf_of(page.text), "binding": '{"operations": {"list reviews": {}}}'},
    )

    assert response.status_code == 422
    assert "the binding is not valid: operations.list reviews.method" in response.text
    session.expire_all()
    assert session.get(Submission, submission.id).binding is None


def configured(session, settings, candidate) -> Submission:
    """A graded submission whose database variables the grader inferred from its ``.env``."""
    submission = submitted(session, settings, candidate)
    report = rich_report(catalog(settings.root)["book-reviews"])
    report.detection.configuration = ["DB_HOST (read in .env) set to 127.0.0.1"]
    record_result(session, submission.id, report)
    return submission


def test_the_configuration_the_grader_inferred_is_shown_with_a_form_to_correct_it(
    session, settings, as_reviewer, candidate
):
    submission = configured(session, settings, candidate)

    page = as_reviewer.get(f"/submissions/{submission.id}").text

    assert "How the service was configured" in page
    assert "<li>DB_HOST (read in .env) set to 127.0.0.1</li>" in page
    assert f'action="/submissions/{submission.id}/configuration"' in page
    assert "Unpin and regrade" not in page


def test_variables_written_on_the_page_are_pinned_and_the_submission_regraded(
    session, settings, as_reviewer, candidate
):
    submission = configured(session, settings, candidate)
    page = as_reviewer.get(f"/submissions/{submission.id}")
    lines = (
        "APP_DB_DSN=postgresql+asyncpg://{db_user}@{db_host}/{db_name}\r\n\r\n# a note\r\nDEBUG=0"
    )

    as_reviewer.post(
        f"/submissions/{submission.id}/configuration",
        data={"csrf": csrf_of(page.text), "env": lines},
    )

    session.expire_all()
    stored = session.get(Submission, submission.id)
    assert stored.overrides == {
        "APP_DB_DSN": "postgresql+asyncpg://{db_user}@{db_host}/{db_name}",
        "DEBUG": "0",
    }
    assert stored.status.value == "queued"


def test_the_form_starts_from_the_pinned_variables_and_unpins_them(
    session, settings, as_reviewer, candidate
):
    submission = configured(session, settings, candidate)
    submissions.pin_overrides(session, session.get(Submission, submission.id), {"B": "2", "A": "1"})
    session.commit()
    record_result(session, submission.id, rich_report(catalog(settings.root)["book-reviews"]))
    page = as_reviewer.get(f"/submissions/{submission.id}")

    as_reviewer.post(
        f"/submissions/{submission.id}/configuration",
        data={"csrf": csrf_of(page.text), "env": "A=1", "unpin": "1"},
    )

    assert ">A=1\nB=2</textarea>" in page.text
    assert "Unpin and regrade" in page.text
    session.expire_all()
    assert session.get(Submission, submission.id).overrides is None


@pytest.mark.parametrize(
    "refused",
    [
        ("DATABASE_URL", "line 1 is not NAME=value: &#39;DATABASE_URL&#39;"),
        ("A=1\nA=2", "A is given twice (line 2)"),
        ("ASSAY_SEED=1", "names starting with ASSAY_ cannot be pinned"),
    ],
    ids=["no equals sign", "twice", "grader's name"],
)
def test_variables_that_cannot_be_pinned_are_refused_with_the_reason(
    session, settings, as_reviewer, candidate, refused
):
    lines, reason = refused
    submission = configured(session, settings, candidate)
    page = as_reviewer.get(f"/submissions/{submission.id}")

    response = as_reviewer.post(
        f"/submissions/{submission.id}/configuration",
        data={"csrf": csrf_of(page.text), "env": lines},
    )

    assert response.status_code == 422
    assert reason in response.text
    session.expire_all()
    assert session.get(Submission, submission.id).overrides is None


def test_two_attempts_are_compared_side_by_side_with_what_changed(
    session, settings, as_reviewer, candidate
):
    submission = graded(session, settings, candidate, failing=4)
    submissions.requeue(session, session.get(Submission, submission.id))
    session.commit()
    problem = catalog(settings.root)["book-reviews"]
    record_result(session, submission.id, rich_report(problem, failing=1))

    history = as_reviewer.get(f"/submissions/{submission.id}").text
    compare = as_reviewer.get(f"/submissions/{submission.id}/compare?a=1&b=2").text

    assert "now passing: 9" in history
    assert "Attempt 1 beside attempt 2" in compare
    changed = '<tr class="changed"><th scope="row"><code>tests/test_api.py::test_cache_2</code>'
    assert changed + "</th><td>failed</td><td>passed</td>" in compare


def test_the_live_status_says_the_queue_position_until_grading_starts(
    session, settings, as_reviewer, candidate
):
    first = submitted(session, settings, candidate, SMALL_APP)
    second = submitted(session, settings, candidate, {"app/main.py": "y = 2\n"})

    status = as_reviewer.get(f"/submissions/{second.id}/status").json()
    page = as_reviewer.get(f"/submissions/{first.id}").text

    assert status == {
        "status": "queued",
        "finished": False,
        "queue_position": 1,
        "stage": "",
        "stages": [],
    }
    assert 'data-events="/submissions/' in page
    assert '<script src="/static/live.js" defer></script>' in page


def test_server_sent_events_end_with_the_finished_status(session, settings, as_reviewer, candidate):
    submission = graded(session, settings, candidate)

    with as_reviewer.stream("GET", f"/submissions/{submission.id}/events") as response:
        body = "".join(response.iter_text())

    assert response.headers["content-type"].startswith("text/event-stream")
    assert 'event: status\ndata: {"status": "graded", "finished": true' in body


# candidates


def test_a_candidate_sees_their_invitations_with_deadlines_and_their_submissions(
    client, session, settings, candidate
):
    submission = submitted(session, settings, candidate, SMALL_APP)
    sign_in_page(client, candidate)

    page = client.get("/").text

    assert "My invitations" in page
    assert '<a href="/problems/book-reviews">Book Reviews API</a>' in page
    assert f"/submissions/{submission.id}" in page
    assert "leaderboard" not in page.lower()


def test_a_candidate_uploads_from_the_problem_page_and_lands_on_the_live_status(
    client, session, candidate
):
    sign_in_page(client, candidate)
    page = client.get("/problems/book-reviews")
    assert "Download the starter" in page.text
    assert 'enctype="multipart/form-data"' in page.text

    response = client.post(
        "/problems/book-reviews/submissions",
        data={"csrf": csrf_of(page.text)},
        files={"archive": ("s.tar.gz", tar_gz(SMALL_APP), "application/gzip")},
    )

    assert response.status_code == 200
    assert "My submission to Book Reviews API" in response.text
    assert "ahead in the queue" in response.text


def test_an_unsafe_upload_is_refused_on_a_page_that_says_why(client, session, candidate):
    sign_in_page(client, candidate)
    page = client.get("/problems/book-reviews")

    response = client.post(
        "/problems/book-reviews/submissions",
        data={"csrf": csrf_of(page.text)},
        files={"archive": ("s.tar.gz", b"not an archive", "application/gzip")},
    )

    assert response.status_code == 422
    assert "not a readable tar" in response.text


def test_a_candidate_gets_404_for_another_candidates_submission(
    client, session, settings, candidate
):
    other = make_user(session, Role.candidate)
    invite(session, other)
    theirs = graded(session, settings, other)
    sign_in_page(client, candidate)

    for path in ("", "/source", "/status", "/events", "/report.json"):
        response = client.get(f"/submissions/{theirs.id}{path}")
        assert response.status_code == 404, path
    assert "Not found" in client.get(f"/submissions/{theirs.id}").text


def test_a_candidate_never_sees_reviewer_only_tests_grader_logs_or_the_review(
    client, session, settings, candidate
):
    submission = graded(session, settings, candidate)
    sign_in_page(client, candidate)

    page = client.get(f"/submissions/{submission.id}").text

    assert "test_functionality_0" in page  # a visible failure, with its message
    assert "test_functionality_3" not in page  # reviewer-only
    assert "further tests passed" in page
    assert "grader log" not in page  # the hidden tests stage's own log
    assert "Audit trail" not in page and 'id="review"' not in page
    assert "/configuration" not in page


def test_reviewer_pages_are_not_for_candidates(client, session, settings, candidate):
    submission = graded(session, settings, candidate)
    sign_in_page(client, candidate)
    page = client.get(f"/submissions/{submission.id}")

    csv = client.get("/problems/book-reviews/leaderboard.csv")
    scored = client.post(
        f"/submissions/{submission.id}/review",
        data={"csrf": csrf_of(page.text), "criterion": "design_review", "score": "5", "note": "me"},
    )
    other_problem = client.get("/problems/task-api")

    assert csv.status_code == 403
    assert scored.status_code == 403
    assert other_problem.status_code == 404


def test_an_unknown_page_is_a_page_and_an_unknown_api_path_stays_problem_json(client):
    assert client.get("/nowhere").headers["content-type"].startswith("text/html")
    assert client.get("/api/v1/nowhere").headers["content-type"] == "application/problem+json"


def test_static_files_are_served_from_the_package_with_no_cdn(client):
    css = client.get("/static/assay.css")
    script = client.get("/static/live.js")

    assert css.status_code == script.status_code == 200
    assert "EventSource" in script.text


# the pieces the pages are built from


def test_a_time_box_reads_as_its_upper_bound():
    assert time_box("2-3 hours") == timedelta(hours=3)
    assert time_box("90 minutes") == timedelta(minutes=90)
    assert time_box("a weekend") is None


def test_scores_fall_into_ten_point_bins_with_100_in_the_last():
    assert histogram([0, 9.9, 10, 55, 100]) == [2, 1, 0, 0, 0, 1, 0, 0, 0, 1]


def test_chart_labels_are_escaped():
    svg = charts.paired_bars([("<p95>", 1.0, None)], title="a & b", unit="ms")

    assert "&lt;p95&gt;" in svg
    assert 'aria-label="a &amp; b"' in svg


def test_the_changes_between_attempts_name_fixed_and_broken_tests(settings):
    problem = catalog(settings.root)["book-reviews"]
    before, after = rich_report(problem, failing=3), rich_report(problem, failing=1)

    change = evidence.changes(before, after)

    assert len(change.fixed) == 6 and change.broken == []
    assert change.total[0] < change.total[1]
    assert evidence.changes(after, after).nothing


def test_a_criterion_shows_only_the_failures_of_the_test_categories_it_reads(settings):
    problem = catalog(settings.root)["book-reviews"]
    report = rich_report(problem, failing=2)
    architecture = next(c for c in report.criteria if c.id == "architecture")

    shown = evidence.evidence(report, architecture)

    assert {test.category for test in shown.failed_tests} == {"cache"}
    assert [test.id for test in shown.faults] == [
        "tests/test_degraded.py::test_reads_without_redis"
    ]
    assert shown.contracts and not shown.load


def now() -> datetime:
    return datetime.now(UTC)


def test_a_statement_sits_under_the_pages_own_headings():
    assert demote_headings("<h1>Books</h1><h2 id='x'>API</h2><h6>z</h6>") == (
        "<h3>Books</h3><h4 id='x'>API</h4><h6>z</h6>"
    )
