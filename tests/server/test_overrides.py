"""A reviewer corrects the environment a submission's service was started with, and the
submission is graded again with the correction (the engine's side is in tests/grading)."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from assay.grading.report import Outcome, Report
from assay.server.accounts.models import Role
from assay.server.gradings import runner
from assay.server.submissions.models import Status, Submission
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
PROBLEM = "book-reviews"
PINNED = {
    "env": {
        "APP_DB_DSN": "postgresql+asyncpg://{db_user}:{db_password}@{db_host}:{db_port}/{db_name}",
        "APP_CACHE_HOST": "{redis_host}",
    }
}


def _report() -> Report:
    return Report(
        run_id="r1",
        submission="s",
        started_at=datetime.now(UTC),
        total=40.0,
        outcome=Outcome.graded,
    )


def _submitted(client, session, problem: str = PROBLEM) -> str:
    return submitted(client, session, problem, result=_report())


@pytest.fixture
def reviewer(client, session) -> dict[str, str]:
    return headers(client, make_user(session, Role.reviewer))


def test_a_pinned_configuration_is_kept_and_the_submission_queued_again(client, session, reviewer):
    submission = _submitted(client, session)

    response = client.put(f"{API}/{submission}/configuration", json=PINNED, headers=reviewer)

    assert response.status_code == 202, response.text
    assert response.json()["status"] == "queued"
    assert response.json()["configuration"] == PINNED
    assert client.get(f"{API}/{submission}", headers=reviewer).json()["configuration"] == PINNED


def test_the_next_grading_is_given_the_pinned_overrides(
    client, session, settings, reviewer, monkeypatch
):
    submission = _submitted(client, session)
    client.put(f"{API}/{submission}/configuration", json=PINNED, headers=reviewer)
    given = []

    def grade(problem, folder: Path, *, overrides=None, **_options) -> Report:
        given.append((problem.slug, overrides))
        return _report()

    monkeypatch.setattr(runner, "open_sandbox", lambda *_args: object())
    monkeypatch.setattr(runner, "grade", grade)
    runner.run(submission, settings)

    assert given == [(PROBLEM, PINNED["env"])]
    assert client.get(f"{API}/{submission}", headers=reviewer).json()["status"] == "graded"


def test_stored_overrides_the_engine_refuses_fail_the_attempt_as_the_platforms(
    client, session, settings, reviewer, monkeypatch
):
    submission = _submitted(client, session)
    client.put(f"{API}/{submission}/configuration", json=PINNED, headers=reviewer)
    session.expire_all()
    session.get(Submission, submission).overrides = {"ASSAY_SEED": "1"}  # pinned by hand
    session.commit()

    monkeypatch.setattr(runner, "open_sandbox", lambda *_args: object())
    runner.run(submission, settings)

    read = client.get(f"{API}/{submission}", headers=reviewer).json()
    assert read["status"] == "error"
    assert read["error"].startswith("the stored pinned configuration could not be graded")


def test_unpinning_drops_the_overrides_and_grades_again(client, session, reviewer):
    submission = _submitted(client, session)
    client.put(f"{API}/{submission}/configuration", json=PINNED, headers=reviewer)
    record_result(session, submission, _report())

    response = client.delete(f"{API}/{submission}/configuration", headers=reviewer)

    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    assert response.json()["configuration"] is None
    session.expire_all()
    assert session.get(Submission, submission).overrides is None


def test_an_open_brief_takes_overrides_as_well(client, session, reviewer):
    submission = _submitted(client, session, "book-reviews-open")

    response = client.put(f"{API}/{submission}/configuration", json=PINNED, headers=reviewer)

    assert response.status_code == 202, response.text


@pytest.mark.parametrize(
    ("env", "reason"),
    [
        ({"DB-URL": "x"}, "'DB-URL' is not an environment variable name"),
        ({"ASSAY_BASE_URL": "x"}, "names starting with ASSAY_ cannot be pinned"),
        ({"DATABASE_URL": "x" * 2001}, "the value of DATABASE_URL is longer than 2000"),
        ({f"V{index}": "x" for index in range(51)}, "at most 50 variables can be pinned"),
    ],
    ids=["name", "grader's name", "long value", "too many"],
)
def test_overrides_the_pod_cannot_be_given_are_refused_with_the_reason(
    client, session, reviewer, env, reason
):
    submission = _submitted(client, session)

    response = client.put(f"{API}/{submission}/configuration", json={"env": env}, headers=reviewer)

    assert response.status_code == 422
    assert reason in response.json()["detail"]
    session.expire_all()
    stored = session.get(Submission, submission)
    assert stored.overrides is None
    assert stored.status.value == "graded"


@pytest.mark.parametrize(
    "body",
    [{"env": {}}, {"env": {"PORT": 8000}}, {"env": {"A": "b"}, "binding": {}}, {"A": "b"}],
    ids=["nothing to pin", "a value that is not text", "unknown field", "no env"],
)
def test_a_malformed_configuration_is_refused(client, session, reviewer, body):
    submission = _submitted(client, session)

    response = client.put(f"{API}/{submission}/configuration", json=body, headers=reviewer)

    assert response.status_code == 422


def test_a_submission_being_graded_cannot_be_pinned_until_it_ends(client, session, reviewer):
    submission = _submitted(client, session)
    session.get(Submission, submission).status = Status.grading
    session.commit()

    response = client.put(f"{API}/{submission}/configuration", json=PINNED, headers=reviewer)

    assert response.status_code == 409
    session.expire_all()
    assert session.get(Submission, submission).overrides is None


def test_a_candidate_cannot_pin_a_configuration(client, session):
    candidate = make_user(session)
    invite(session, candidate, PROBLEM)
    auth = headers(client, candidate)
    submission = upload_archive(client, auth, tar_gz(SMALL_APP), problem=PROBLEM).json()["id"]

    response = client.put(f"{API}/{submission}/configuration", json=PINNED, headers=auth)

    assert response.status_code == 403
