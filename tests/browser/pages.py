"""What the browser tests share: the running dashboard, signing in, making candidates, and the
check every visited page gets (a screenshot, then axe-core: no serious or critical violation)."""

import re
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from assay.server.accounts import service as accounts
from assay.server.accounts.models import Invitation, Role
from assay.server.db import session_scope
from tests.servers import PASSWORD, assay

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
SCREENSHOTS = ROOT / "tests" / "artifacts" / "screenshots"
REVIEWER = "reviewer@example.com"
LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@dataclass
class Dashboard:
    url: str
    env: dict[str, str]
    database: str
    tmp: Path

    def cli(self, *args: str) -> str:
        done = subprocess.run(
            assay(*args), env=self.env, capture_output=True, text=True, check=True
        )
        return done.stdout


def screenshot(page: Page, name: str) -> Path:
    """Save the whole page as ``tests/artifacts/screenshots/<name>.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    violations: list[dict[str, Any]] = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))"""
    )
    return [item for item in violations if item["impact"] in ("serious", "critical")]


def visit(page: Page, name: str) -> None:
    """Every page a test reaches: a screenshot, then the accessibility check."""
    page.wait_for_load_state("load")
    screenshot(page, name)
    assert serious_violations(page) == [], f"{name}: {page.url}"


def sign_in(page: Page, dashboard: Dashboard, email: str) -> None:
    page.goto(f"{dashboard.url}/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{dashboard.url}/")


def candidate(dashboard: Dashboard, email: str, name: str = "") -> str:
    """A candidate invited to book-reviews for a week, who has set a password."""
    with session_scope(dashboard.database) as session:
        user = accounts.create_user(
            session, email=email, role=Role.candidate, name=name, password=PASSWORD
        )
        session.add(
            Invitation(
                candidate_id=user.id,
                problem="book-reviews",
                invited_by=user.id,
                deadline=datetime.now(UTC) + timedelta(days=7),
                started_at=datetime.now(UTC) - timedelta(hours=2, minutes=20),
            )
        )
        return user.id
