"""Uploading, listing and reading submissions over the API, with a database and no workers."""

import io
import tarfile
from datetime import UTC, datetime

from sqlalchemy import func, select

from assay.grading.report import HiddenTest, Outcome, Report, Stage, StageStatus
from assay.server.accounts.models import Role
from assay.server.gradings.models import AttemptStatus, Grading
from assay.server.submissions.models import Blob, Status, Submission
from tests.server.builders import (
    SMALL_APP,
    headers,
    invite,
    make_user,
    tar_gz,
    upload,
    zip_bytes,
)

API = "/api/v1/submissions"


def candidate_with_invitation(client, session):
    candidate = make_user(session)
    invite(session, candidate)
    return candidate, headers(client, candidate)


def rows(session, model) -> int:
    session.expire_all()
    return int(session.scalar(select(func.count()).select_from(model)))


def graded(session, submission_id: str, *, total: float = 80.0) -> Report:
    """Record a finished attempt by hand, as a worker would."""
    report = Report(
        run_id="r1",
        submission="s",
        started_at=datetime.now(UTC),
        total=total,
        outcome=Outcome.graded,
        hidden_tests=[
            HiddenTest(id="tests/test_a.py::test_seen", outcome="failed", message="seen why"),
            HiddenTest(id="tests/test_a.py::test_secret", visible=False, outcome="failed"),
        ],
        stages=[
            Stage(name="boot", status=StageStatus.passed, log="app log"),
            Stage(name="hidden tests", status=StageStatus.failed, log="test_secret source"),
        ],
    )
    submission = session.get(Submission, submission_id)
    submission.status, submission.total = Status.graded, total
    session.add(
        Grading(
            submission_id=submission_id,
            number=1,
            worker="w",
            status=AttemptStatus.graded,
            total=total,
            report=report.model_dump(mode="json"),
            finished_at=datetime.now(UTC),
        )
    )
    session.commit()
    return report


def test_an_upload_is_stored_and_queued_with_its_status_url(client, session):
    _, auth = candidate_with_invitation(client, session)

    response = upload(client, auth, tar_gz(SMALL_APP))

    body = response.json()
    assert response.status_code == 202
    assert response.headers["location"] == f"{API}/{body['id']}"
    assert body["status"] == "queued"
    assert body["files"] == 2


def test_a_zip_upload_is_accepted_too(client, session):
    _, auth = candidate_with_invitation(client, session)

    response = upload(client, auth, zip_bytes(SMALL_APP), filename="s.zip")

    assert response.status_code == 202


def test_identical_content_is_stored_once(client, session):
    _, auth = candidate_with_invitation(client, session)

    upload(client, auth, tar_gz(SMALL_APP))
    upload(client, auth, tar_gz(SMALL_APP, wrap="project/"))

    assert rows(session, Submission) == 2
    assert rows(session, Blob) == 1


def test_the_same_idempotency_key_returns_the_same_submission(client, session):
    _, auth = candidate_with_invitation(client, session)

    first = upload(client, auth, tar_gz(SMALL_APP), key="k1")
    again = upload(client, auth, tar_gz(SMALL_APP), key="k1")

    assert again.status_code == 202
    assert again.json()["id"] == first.json()["id"]
    assert rows(session, Submission) == 1


def test_an_idempotency_key_reused_for_other_content_is_a_conflict(client, session):
    _, auth = candidate_with_invitation(client, session)
    upload(client, auth, tar_gz(SMALL_APP), key="k1")

    response = upload(client, auth, tar_gz({"other.py": "x = 1\n"}), key="k1")

    assert response.status_code == 409


def refused(client, session, archive: bytes, status: int = 422) -> str:
    _, auth = candidate_with_invitation(client, session)
    response = upload(client, auth, archive)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert rows(session, Submission) == 0
    assert rows(session, Blob) == 0
    return str(response.json()["detail"])


def tar_with(member: tarfile.TarInfo, data: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        archive.addfile(member, io.BytesIO(data) if data else None)
    return buffer.getvalue()


def test_a_corrupt_archive_is_refused_and_nothing_is_stored(client, session):
    assert "not a readable tar" in refused(client, session, b"\x1f\x8bthis is not gzip")


def test_a_path_out_of_the_folder_is_refused(client, session):
    assert "out of its folder" in refused(client, session, tar_gz({"../evil.py": "x"}))


def test_a_zip_slip_is_refused(client, session):
    assert "out of its folder" in refused(client, session, zip_bytes({"a/../../evil.py": "x"}))


def test_an_absolute_path_is_refused(client, session):
    assert "absolute path" in refused(client, session, tar_gz({"/etc/cron.d/x": "x"}))


def test_a_link_is_refused(client, session):
    link = tarfile.TarInfo("passwd")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"

    assert "link" in refused(client, session, tar_with(link))


def test_a_device_is_refused(client, session):
    device = tarfile.TarInfo("null")
    device.type = tarfile.CHRTYPE

    assert "device" in refused(client, session, tar_with(device))


def test_a_decompression_bomb_is_refused(client, session):
    bomb = tar_gz({"zeros.bin": b"\0" * (40 * 1024 * 1024)})

    assert "decompression bomb" in refused(client, session, bomb)


def test_an_upload_over_the_size_limit_is_refused_with_413(client, session, settings):
    settings.upload_max_bytes = 1024

    assert "over" in refused(client, session, b"x" * 2048, status=413)


def test_an_empty_archive_is_refused(client, session):
    assert "no files" in refused(client, session, tar_gz({}))


def test_an_unknown_problem_is_not_found(client, session):
    _, auth = candidate_with_invitation(client, session)

    response = upload(client, auth, tar_gz(SMALL_APP), problem="no-such-problem")

    assert response.status_code == 404


def test_missing_fields_are_named(client, session):
    _, auth = candidate_with_invitation(client, session)

    response = client.post(API, headers=auth, data={"problem": "book-reviews"})

    assert response.status_code == 422
    assert "archive" in response.json()["detail"]


def test_a_candidate_without_an_invitation_cannot_submit(client, session):
    candidate = make_user(session)

    response = upload(client, headers(client, candidate), tar_gz(SMALL_APP))

    assert response.status_code == 404


def test_an_upload_after_the_deadline_is_refused(client, session):
    candidate = make_user(session)
    invite(session, candidate, days=-1)

    response = upload(client, headers(client, candidate), tar_gz(SMALL_APP))

    assert response.status_code == 422
    assert "deadline" in response.json()["detail"]


def test_uploads_over_the_hourly_rate_are_refused_with_retry_after(client, session):
    _, auth = candidate_with_invitation(client, session)
    for number in range(3):
        upload(client, auth, tar_gz({"main.py": f"x = {number}\n"}))

    response = upload(client, auth, tar_gz({"main.py": "x = 9\n"}))

    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0


def test_a_reviewer_submits_without_an_invitation_or_a_rate_limit(client, session):
    auth = headers(client, make_user(session, Role.reviewer))

    statuses = {
        upload(client, auth, tar_gz({"main.py": f"x = {n}\n"})).status_code for n in range(5)
    }

    assert statuses == {202}


def test_a_candidate_cannot_read_another_candidates_submission(client, session):
    _, mine = candidate_with_invitation(client, session)
    _, theirs = candidate_with_invitation(client, session)
    submission = upload(client, mine, tar_gz(SMALL_APP)).json()["id"]
    graded(session, submission)

    for path in ("", "/report", "/junit", "/logs", "/attempts"):
        assert client.get(f"{API}/{submission}{path}", headers=theirs).status_code == 404


def test_a_candidate_lists_only_their_own_submissions(client, session):
    _, mine = candidate_with_invitation(client, session)
    _, theirs = candidate_with_invitation(client, session)
    own = upload(client, mine, tar_gz(SMALL_APP)).json()["id"]
    upload(client, theirs, tar_gz(SMALL_APP))

    listed = client.get(API, headers=mine).json()["items"]

    assert [item["id"] for item in listed] == [own]


def test_a_reviewer_lists_every_submission_and_filters_by_candidate(client, session):
    mine_user, mine = candidate_with_invitation(client, session)
    _, theirs = candidate_with_invitation(client, session)
    upload(client, mine, tar_gz(SMALL_APP))
    upload(client, theirs, tar_gz(SMALL_APP))
    reviewer = headers(client, make_user(session, Role.reviewer))

    everyone = client.get(API, headers=reviewer).json()["items"]
    filtered = client.get(API, headers=reviewer, params={"candidate": mine_user.id}).json()

    assert len(everyone) == 2
    assert [item["candidate_id"] for item in filtered["items"]] == [mine_user.id]


def test_listing_pages_with_a_cursor_until_the_end(client, session):
    reviewer = headers(client, make_user(session, Role.reviewer))
    made = [
        upload(client, reviewer, tar_gz({"main.py": f"x = {n}\n"})).json()["id"] for n in range(5)
    ]

    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get(API, headers=reviewer, params=params).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert seen == list(reversed(made))


def test_a_cursor_not_from_the_api_is_refused(client, session):
    reviewer = headers(client, make_user(session, Role.reviewer))

    response = client.get(API, headers=reviewer, params={"cursor": "!!!"})

    assert response.status_code == 422


def test_listing_filters_by_status(client, session):
    reviewer = headers(client, make_user(session, Role.reviewer))
    done = upload(client, reviewer, tar_gz({"a.py": "a = 1\n"})).json()["id"]
    upload(client, reviewer, tar_gz({"b.py": "b = 1\n"}))
    graded(session, done)

    listed = client.get(API, headers=reviewer, params={"status": "graded"}).json()["items"]

    assert [item["id"] for item in listed] == [done]


def test_a_queued_submission_says_how_many_are_ahead(client, session):
    reviewer = headers(client, make_user(session, Role.reviewer))
    upload(client, reviewer, tar_gz({"a.py": "a = 1\n"}))
    second = upload(client, reviewer, tar_gz({"b.py": "b = 1\n"})).json()["id"]

    status = client.get(f"{API}/{second}", headers=reviewer).json()

    assert status["queue_position"] == 1


def test_a_candidate_reads_only_visible_tests_and_their_own_logs(client, session):
    _, auth = candidate_with_invitation(client, session)
    submission = upload(client, auth, tar_gz(SMALL_APP)).json()["id"]
    graded(session, submission)

    report = client.get(f"{API}/{submission}/report", headers=auth).json()
    logs = client.get(f"{API}/{submission}/logs", headers=auth).json()

    assert [test["id"] for test in report["hidden_tests"]] == ["tests/test_a.py::test_seen"]
    assert report["reviewer_only_tests"] == {"total": 1, "passed": 0}
    assert "test_secret" not in str(report)
    assert logs == {"boot": "app log"}


def test_a_reviewer_reads_the_whole_report(client, session):
    _, auth = candidate_with_invitation(client, session)
    submission = upload(client, auth, tar_gz(SMALL_APP)).json()["id"]
    graded(session, submission)
    reviewer = headers(client, make_user(session, Role.reviewer))

    report = client.get(f"{API}/{submission}/report", headers=reviewer).json()

    assert len(report["hidden_tests"]) == 2


def test_junit_names_reviewer_only_tests_only_as_such(client, session):
    _, auth = candidate_with_invitation(client, session)
    submission = upload(client, auth, tar_gz(SMALL_APP)).json()["id"]
    graded(session, submission)

    junit = client.get(f"{API}/{submission}/junit", headers=auth)

    assert junit.headers["content-type"] == "application/xml"
    assert "test_seen" in junit.text
    assert "test_secret" not in junit.text


def test_a_report_before_grading_is_not_found_with_the_status(client, session):
    _, auth = candidate_with_invitation(client, session)
    submission = upload(client, auth, tar_gz(SMALL_APP)).json()["id"]

    response = client.get(f"{API}/{submission}/report", headers=auth)

    assert response.status_code == 404
    assert "queued" in response.json()["detail"]


def test_a_candidate_cannot_regrade(client, session):
    _, auth = candidate_with_invitation(client, session)
    submission = upload(client, auth, tar_gz(SMALL_APP)).json()["id"]

    assert client.post(f"{API}/{submission}/regrade", headers=auth).status_code == 403


def test_a_reviewer_regrade_queues_it_again_and_keeps_its_history(client, session):
    _, auth = candidate_with_invitation(client, session)
    submission = upload(client, auth, tar_gz(SMALL_APP)).json()["id"]
    graded(session, submission)
    reviewer = headers(client, make_user(session, Role.reviewer))

    response = client.post(f"{API}/{submission}/regrade", headers=reviewer)
    attempts = client.get(f"{API}/{submission}/attempts", headers=reviewer).json()["items"]

    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    assert [attempt["status"] for attempt in attempts] == ["graded"]
