"""Reviewers and candidates using the dashboard in Chromium, against the real service.

A reviewer signs in, opens the leaderboard, opens a graded submission, scores its manual
criterion and sees the total and the audit trail change; a candidate uploads a submission and
watches it reach "graded" without reloading; a candidate who opens another candidate's
submission gets 404. Every page visited is screenshotted and checked with axe-core.
"""

import io
import re
import tarfile
import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from assay.server.accounts.models import User
from assay.server.db import session_scope
from assay.server.problems.service import catalog
from assay.server.submissions import service as submissions
from assay.server.submissions.models import Submission
from tests.browser.pages import (
    LAPTOP,
    PHONE,
    REVIEWER,
    ROOT,
    Dashboard,
    candidate,
    screenshot,
    sign_in,
    visit,
)
from tests.server.builders import record_result, rich_report, tar_gz
from tests.servers import PASSWORD

pytestmark = [pytest.mark.servers, pytest.mark.xdist_group("dashboard")]
GRADED_WITHIN_MS = 600_000
SOURCE = {
    "app/__init__.py": "",
    "app/main.py": "from fastapi import FastAPI\nx = 1  # " + "y" * 110 + "\nPASSWORD = 'x'\n",
}


def graded_submission(dashboard: Dashboard, candidate_id: str, *, failing: int = 2) -> str:
    """A submission with a finished grading stored as a worker stores one."""
    problem = catalog(ROOT)["book-reviews"]
    with session_scope(dashboard.database) as session:
        accepted = submissions.create_submission(
            session,
            user=session.get_one(User, candidate_id),
            problem=problem,
            upload=tar_gz({**SOURCE, "README.md": f"# {uuid.uuid4().hex}\n"}),
            uploads_per_hour=100,
        )
        submission_id = accepted.submission.id
    with session_scope(dashboard.database) as session:
        record_result(session, submission_id, rich_report(problem, failing=failing))
    return submission_id


def regraded(dashboard: Dashboard, submission_id: str, *, failing: int) -> None:
    with session_scope(dashboard.database) as session:
        submissions.requeue(session, session.get_one(Submission, submission_id))
    with session_scope(dashboard.database) as session:
        record_result(
            session, submission_id, rich_report(catalog(ROOT)["book-reviews"], failing=failing)
        )


def total(page: Page) -> str:
    return page.get_by_test_id("total").inner_text()


def test_a_reviewer_scores_a_graded_submission_from_the_leaderboard(
    page: Page, dashboard: Dashboard
) -> None:
    grace = candidate(dashboard, f"grace-{uuid.uuid4().hex[:6]}@example.com", "Grace Hopper")
    submission_id = graded_submission(dashboard, grace, failing=4)
    regraded(dashboard, submission_id, failing=2)

    page.goto(f"{dashboard.url}/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    visit(page, "sign-in")
    sign_in(page, dashboard, REVIEWER)
    expect(page.get_by_role("heading", name="Overview", exact=True)).to_be_visible()
    visit(page, "reviewer-overview")

    page.get_by_role("link", name="Book Reviews API", exact=True).click()
    expect(page.get_by_role("heading", name="Book Reviews API: leaderboard")).to_be_visible()
    visit(page, "reviewer-leaderboard")

    page.get_by_role("link", name="Grace Hopper").first.click()
    expect(page.get_by_role("heading", name=re.compile("Grace Hopper"))).to_be_visible()
    before = total(page)
    visit(page, "reviewer-submission")

    form = page.locator("form.review", has=page.get_by_role("heading", name=re.compile("Design")))
    form.get_by_label("4").check()
    form.get_by_label("Comment").fill("The README walks through the cache and its invalidation.")
    form.get_by_role("button", name="Save score").click()

    expect(page.get_by_test_id("total")).not_to_have_text(before)
    audit = page.locator("table.audit tbody tr").first
    expect(audit).to_contain_text(REVIEWER)
    expect(audit).to_contain_text("scored 4/5")
    expect(audit).to_contain_text(f"{before} →")
    visit(page, "reviewer-submission-reviewed")

    page.locator("summary", has_text="Code Quality").click()
    page.get_by_role("link", name="app/main.py:3").first.click()
    expect(page.locator("#L3")).to_contain_text("S105")
    visit(page, "reviewer-source")

    page.goto(f"{dashboard.url}/submissions/{submission_id}")
    page.get_by_role("button", name="Side by side").click()
    expect(page.get_by_role("heading", name="Attempt 1 beside attempt 2")).to_be_visible()
    visit(page, "reviewer-compare")


def test_the_pages_are_usable_by_keyboard(page: Page, dashboard: Dashboard) -> None:
    page.goto(f"{dashboard.url}/sign-in")

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type(REVIEWER)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Overview", exact=True)).to_be_visible()


def test_the_reviewer_pages_fit_a_phone(phone: Page, dashboard: Dashboard) -> None:
    ada = candidate(dashboard, f"ada-{uuid.uuid4().hex[:6]}@example.com", "Ada Lovelace")
    submission_id = graded_submission(dashboard, ada)
    sign_in(phone, dashboard, REVIEWER)

    for name, path in (
        ("phone-leaderboard", "/problems/book-reviews"),
        ("phone-submission", f"/submissions/{submission_id}"),
    ):
        phone.goto(f"{dashboard.url}{path}")
        visit(phone, name)
        overflow = phone.evaluate("document.documentElement.scrollWidth") - PHONE["width"]
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"


def broken_archive() -> bytes:
    """A submission whose service cannot even start: a quick grading."""
    buffer = io.BytesIO()
    data = f"def broken_{uuid.uuid4().hex}(:\n".encode()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        info = tarfile.TarInfo("main.py")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@pytest.mark.docker
def test_a_candidate_uploads_and_watches_the_grading_reach_graded_live(
    page: Page, dashboard: Dashboard, worker: object
) -> None:
    email = f"linus-{uuid.uuid4().hex[:6]}@example.com"
    candidate(dashboard, email, "Linus")
    sign_in(page, dashboard, email)
    expect(page.get_by_role("heading", name="My invitations")).to_be_visible()
    visit(page, "candidate-home")

    page.get_by_role("link", name="Book Reviews API", exact=True).click()
    expect(page.get_by_role("heading", name="Book Reviews API", level=1)).to_be_visible()
    visit(page, "candidate-problem")

    page.get_by_label(re.compile("Your solution")).set_input_files(
        {"name": "solution.tar.gz", "mimeType": "application/gzip", "buffer": broken_archive()}
    )
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="Live status")).to_be_visible()
    visit(page, "candidate-submission-live")

    # live.js reloads the page once the grading ends: nothing here reloads it
    expect(page.get_by_test_id("status")).to_have_text("graded", timeout=GRADED_WITHIN_MS)
    expect(page.get_by_role("heading", name="Automatic score")).to_be_visible()
    visit(page, "candidate-submission-graded")


def test_a_candidate_gets_404_for_another_candidates_submission(
    page: Page, dashboard: Dashboard
) -> None:
    owner = candidate(dashboard, f"owner-{uuid.uuid4().hex[:6]}@example.com")
    theirs = graded_submission(dashboard, owner)
    intruder = f"intruder-{uuid.uuid4().hex[:6]}@example.com"
    candidate(dashboard, intruder)
    sign_in(page, dashboard, intruder)

    response = page.goto(f"{dashboard.url}/submissions/{theirs}")

    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    visit(page, "candidate-404")


def test_a_candidate_reads_their_own_graded_feedback_without_reviewer_only_details(
    page: Page, dashboard: Dashboard
) -> None:
    email = f"kat-{uuid.uuid4().hex[:6]}@example.com"
    mine = graded_submission(dashboard, candidate(dashboard, email, "Katherine"))
    sign_in(page, dashboard, email)

    page.goto(f"{dashboard.url}/submissions/{mine}")

    expect(page.get_by_role("heading", name="Automatic score")).to_be_visible()
    expect(page.get_by_text("test_functionality_0").first).to_be_visible()
    expect(page.get_by_text("test_functionality_3")).to_have_count(0)
    visit(page, "candidate-submission-feedback")


def queued_submission(dashboard: Dashboard, candidate_id: str) -> str:
    with session_scope(dashboard.database) as session:
        accepted = submissions.create_submission(
            session,
            user=session.get_one(User, candidate_id),
            problem=catalog(ROOT)["book-reviews"],
            upload=tar_gz({"app/main.py": f"# {uuid.uuid4().hex}\n"}),
            uploads_per_hour=100,
        )
        return accepted.submission.id


def test_the_live_status_falls_back_to_polling_without_server_sent_events(
    browser: Browser, dashboard: Dashboard
) -> None:
    email = f"hedy-{uuid.uuid4().hex[:6]}@example.com"
    submission_id = queued_submission(dashboard, candidate(dashboard, email, "Hedy"))
    context = browser.new_context(viewport=LAPTOP)
    context.add_init_script("delete window.EventSource;")
    page = context.new_page()
    try:
        sign_in(page, dashboard, email)
        page.goto(f"{dashboard.url}/submissions/{submission_id}")
        expect(page.locator('[data-live="status"]')).to_have_text("queued")

        with session_scope(dashboard.database) as session:
            record_result(session, submission_id, rich_report(catalog(ROOT)["book-reviews"]))

        expect(page.get_by_test_id("status")).to_have_text("graded", timeout=20_000)
        visit(page, "candidate-submission-polled")
    finally:
        context.close()


def test_the_pages_read_without_javascript(browser: Browser, dashboard: Dashboard) -> None:
    submission_id = graded_submission(
        dashboard, candidate(dashboard, f"alan-{uuid.uuid4().hex[:6]}@example.com", "Alan")
    )
    context = browser.new_context(viewport=LAPTOP, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, dashboard, REVIEWER)
        page.goto(f"{dashboard.url}/submissions/{submission_id}")

        expect(page.get_by_test_id("total")).to_have_text("58.1")
        expect(page.get_by_text("assert 500 == 201").first).to_be_visible()
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Overview").click()
        expect(page.get_by_role("heading", name="Hardest hidden tests")).to_be_visible()
        screenshot(page, "reviewer-overview-without-javascript")  # axe itself needs scripts
    finally:
        context.close()
