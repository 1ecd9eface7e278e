"""Reviews over the API: manual scores, overrides, the audit trail, and the report JSON that
carries them; what a review does to totals when a submission is graded again."""

import pytest
from sqlalchemy import select

from assay.server.accounts.models import Role
from assay.server.problems.service import catalog
from assay.server.reviews.models import ReviewEvent
from assay.server.submissions import service as submissions
from assay.server.submissions.models import Submission
from tests.server.builders import (
    SMALL_APP,
    headers,
    invite,
    make_user,
    record_result,
    rich_report,
    tar_gz,
)

API = "/api/v1/submissions"


@pytest.fixture
def candidate(session):
    user = make_user(session, Role.candidate)
    invite(session, user)
    return user


@pytest.fixture
def submission(session, settings, candidate) -> Submission:
    accepted = submissions.create_submission(
        session,
        user=candidate,
        problem=catalog(settings.root)["book-reviews"],
        upload=tar_gz(SMALL_APP),
    )
    session.commit()
    return accepted.submission


@pytest.fixture
def graded(session, settings, submission) -> Submission:
    record_result(session, submission.id, rich_report(catalog(settings.root)["book-reviews"]))
    return submission


@pytest.fixture
def auth(client, session):
    return headers(client, make_user(session, Role.reviewer))


def test_a_manual_score_joins_the_total_and_the_trail_says_who_and_what(client, graded, auth):
    response = client.put(
        f"{API}/{graded.id}/review/design_review",
        json={"score": 3, "note": "README explains the cache"},
        headers=auth,
    )

    body = response.json()
    assert response.status_code == 200, response.text
    assert body["automatic_total"] == 58.1
    assert body["total"] == round((58.15 + 5) * 100 / 110, 1)
    assert body["reviews"][0] | {"updated_at": None, "reviewer_id": None} == {
        "criterion": "design_review",
        "kind": "manual",
        "score": 3,
        "points": None,
        "note": "README explains the cache",
        "reviewer_id": None,
        "updated_at": None,
    }
    (entry,) = body["audit"]
    assert (entry["action"], entry["points_before"], entry["points_after"]) == ("set", None, 5.0)
    assert (entry["total_before"], entry["total_after"]) == (58.1, body["total"])


def test_the_report_json_carries_the_review_and_its_audit_trail(client, graded, auth):
    client.put(
        f"{API}/{graded.id}/review/functionality",
        json={"points": 10, "note": "answers hard-coded for the test data"},
        headers=auth,
    )

    report = client.get(f"{API}/{graded.id}/report", headers=auth).json()

    functionality = next(c for c in report["criteria"] if c["id"] == "functionality")
    assert functionality["points"] == 10
    assert functionality["review"] == {
        "kind": "override",
        "score": None,
        "automatic_points": 20.0,
        "note": "answers hard-coded for the test data",
    }
    assert report["review"]["automatic_total"] == 58.1
    assert report["total"] == report["review"]["total"] == 48.1
    assert report["review"]["audit"][0]["criterion"] == "functionality"


def test_a_candidate_reads_neither_the_review_nor_may_write_one(
    client, session, graded, auth, candidate
):
    client.put(
        f"{API}/{graded.id}/review/design_review", json={"score": 1, "note": "none"}, headers=auth
    )
    mine = headers(client, candidate)

    report = client.get(f"{API}/{graded.id}/report", headers=mine).json()
    write = client.put(
        f"{API}/{graded.id}/review/design_review", json={"score": 5, "note": "me"}, headers=mine
    )

    assert "review" not in report
    assert report["total"] == 58.1
    assert write.status_code == 403


@pytest.mark.parametrize(
    "case",
    [
        ("design_review", {"score": 4, "note": "x", "points": 3}, "give a 1-5 score"),
        ("design_review", {"score": 6, "note": "x"}, "less than or equal to 5"),
        ("functionality", {"points": 31, "note": "x"}, "worth 0 to 30 points"),
        ("functionality", {"score": 3, "note": "x"}, "override it with points"),
        ("speed", {"score": 3, "note": "x"}, "no criterion speed"),
        ("design_review", {"score": 3}, "note"),
    ],
)
def test_a_review_that_does_not_fit_is_refused_with_the_reason(client, graded, auth, case):
    criterion, body, why = case
    response = client.put(f"{API}/{graded.id}/review/{criterion}", json=body, headers=auth)

    assert response.status_code in (404, 422)
    assert why in response.json()["detail"]


def test_a_submission_without_a_score_cannot_be_reviewed(client, submission, auth):
    response = client.put(
        f"{API}/{submission.id}/review/design_review", json={"score": 3, "note": "x"}, headers=auth
    )

    assert response.status_code == 409
    assert "has no score yet" in response.json()["detail"]


def test_clearing_a_review_restores_the_total_and_stays_in_the_trail(client, graded, auth):
    path = f"{API}/{graded.id}/review/design_review"
    client.put(path, json={"score": 5, "note": "great"}, headers=auth)

    body = client.delete(path, headers=auth).json()

    assert body["total"] == 58.1
    assert body["reviews"] == []
    assert [entry["action"] for entry in body["audit"]] == ["cleared", "set"]


def test_a_review_outlives_a_regrade_and_applies_to_the_new_result(
    client, session, settings, graded, auth
):
    client.put(
        f"{API}/{graded.id}/review/design_review", json={"score": 5, "note": "great"}, headers=auth
    )
    submissions.requeue(session, session.get(Submission, graded.id))
    session.commit()
    problem = catalog(settings.root)["book-reviews"]
    record_result(session, graded.id, rich_report(problem, failing=0))

    session.expire_all()
    stored = session.get(Submission, graded.id)
    summary = client.get(f"{API}/{graded.id}/review", headers=auth).json()

    assert stored.points["design_review"] == 10.0
    assert stored.reviewed_total == summary["total"] > stored.total * 0.9
    assert len(session.scalars(select(ReviewEvent)).all()) == 1
