"""A reviewer corrects how an open brief was bound to a candidate's API, and the submission
is graded again with the correction (the suite's side is in tests/evaluation)."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from assay.grading.report import Binding, Outcome, Report
from assay.server.accounts.models import Role
from assay.server.gradings import runner
from tests.server.builders import (
    SMALL_APP,
    headers,
    invite,
    make_user,
    record_result,
    submitted,
    tar_gz,
)
from tests.server.builders import upload as upload_archive

API = "/api/v1/submissions"
OPEN = "book-reviews-open"
BOUND = Binding(
    operations={
        "list books": {"method": "GET", "path": "/books"},
        "create book": {"method": "POST", "path": "/books"},
        "list reviews": {"method": "GET", "path": "/books/{book_id}/reviews"},
    },
    unbound={"create review": "no operation answered like one"},
)
PINNED = {
    "operations": {
        "create review": {
            "method": "POST",
            "path": "/reviews",
            "book": {"in": "body", "name": "book"},
            "fields": {"rating": "stars"},
        }
    }
}


def _report(binding: Binding | None) -> Report:
    return Report(
        run_id="r1",
        submission="s",
        started_at=datetime.now(UTC),
        total=40.0,
        outcome=Outcome.graded,
        binding=binding,
    )


def _submitted(client, session, problem: str = OPEN, *, binding: Binding | None = BOUND) -> str:
    return submitted(client, session, problem, result=_report(binding) if binding else None)


@pytest.fixture
def reviewer(client, session) -> dict[str, str]:
    return headers(client, make_user(session, Role.reviewer))


def test_a_pinned_binding_is_kept_and_the_submission_queued_again(client, session, reviewer):
    submission = _submitted(client, session)

    response = client.put(f"{API}/{submission}/binding", json=PINNED, headers=reviewer)

    assert response.status_code == 202, response.text
    assert response.json()["status"] == "queued"
    assert response.json()["binding"] == PINNED
    assert client.get(f"{API}/{submission}", headers=reviewer).json()["binding"] == PINNED


def test_the_next_grading_is_given_the_pinned_binding(
    client, session, settings, reviewer, monkeypatch
):
    submission = _submitted(client, session)
    client.put(f"{API}/{submission}/binding", json=PINNED, headers=reviewer)
    given = []

    def grade(problem, folder: Path, *, binding=None, **_options) -> Report:
        given.append((problem.slug, binding))
        return _report(BOUND)

    monkeypatch.setattr(runner, "open_sandbox", lambda *_args: object())
    monkeypatch.setattr(runner, "grade", grade)
    runner.run(submission, settings)

    assert given == [(OPEN, PINNED)]
    assert client.get(f"{API}/{submission}", headers=reviewer).json()["status"] == "graded"


def test_unpinning_drops_the_binding_and_grades_again(client, session, reviewer):
    submission = _submitted(client, session)
    client.put(f"{API}/{submission}/binding", json=PINNED, headers=reviewer)
    record_result(session, submission, _report(BOUND))

    response = client.delete(f"{API}/{submission}/binding", headers=reviewer)

    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    assert response.json()["binding"] is None


def test_an_operation_the_brief_does_not_have_is_refused_with_the_ones_it_has(
    client, session, reviewer
):
    submission = _submitted(client, session)
    typo = {"operations": {"create reveiw": {"method": "POST", "path": "/reviews"}}}

    response = client.put(f"{API}/{submission}/binding", json=typo, headers=reviewer)

    assert response.status_code == 422
    assert "no operation 'create reveiw'" in response.json()["detail"]
    assert "'create review'" in response.json()["detail"]


@pytest.mark.parametrize(
    "operation",
    [
        {"method": "FETCH", "path": "/reviews"},
        {"method": "POST", "path": "reviews"},
        {"method": "POST", "path": "/reviews", "verb": "POST"},
    ],
    ids=["unknown method", "relative path", "unknown field"],
)
def test_a_malformed_operation_is_refused(client, session, reviewer, operation):
    submission = _submitted(client, session)
    body = {"operations": {"create review": operation}}

    response = client.put(f"{API}/{submission}/binding", json=body, headers=reviewer)

    assert response.status_code == 422


def test_an_exact_contract_has_no_binding_to_pin(client, session, reviewer):
    submission = _submitted(client, session, "book-reviews", binding=None)

    response = client.put(f"{API}/{submission}/binding", json=PINNED, headers=reviewer)

    assert response.status_code == 409
    assert "exact contract" in response.json()["detail"]


def test_a_submission_not_yet_bound_has_nothing_to_correct(client, session, reviewer):
    submission = _submitted(client, session, binding=None)

    response = client.put(f"{API}/{submission}/binding", json=PINNED, headers=reviewer)

    assert response.status_code == 409
    assert "not been bound yet" in response.json()["detail"]


def test_a_candidate_cannot_pin_a_binding(client, session):
    candidate = make_user(session)
    invite(session, candidate, OPEN)
    auth = headers(client, candidate)
    submission = upload_archive(client, auth, tar_gz(SMALL_APP), problem=OPEN).json()["id"]
    record_result(session, submission, _report(BOUND))

    response = client.put(f"{API}/{submission}/binding", json=PINNED, headers=auth)

    assert response.status_code == 403
