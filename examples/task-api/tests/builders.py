"""Builders that create data through the API."""

from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

PASSWORD = "correct horse battery"


@dataclass(frozen=True)
class Account:
    """A registered user with a fresh token pair."""

    id: int
    email: str
    access_token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


class Api:
    """Shortcuts over a test client for the steps most tests start with."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def account(self, email: str, password: str = PASSWORD) -> Account:
        """Register a user and log them in."""
        registered = self.client.post(
            "/auth/register", json={"email": email, "password": password, "name": "Test User"}
        )
        registered.raise_for_status()
        tokens = self.client.post("/auth/login", json={"email": email, "password": password})
        tokens.raise_for_status()
        return Account(
            id=registered.json()["id"],
            email=email,
            access_token=tokens.json()["access_token"],
            refresh_token=tokens.json()["refresh_token"],
        )

    def project(self, owner: Account, name: str = "Launch") -> int:
        """Create a project and return its id."""
        response = self.client.post("/projects", json={"name": name}, headers=owner.headers)
        response.raise_for_status()
        return int(response.json()["id"])

    def join(self, owner: Account, project_id: int, member: Account) -> None:
        """Add a member to a project."""
        response = self.client.post(
            f"/projects/{project_id}/members", json={"email": member.email}, headers=owner.headers
        )
        response.raise_for_status()

    def task(self, who: Account, project_id: int, **fields: Any) -> dict[str, Any]:
        """Create a task and return it."""
        payload = {"title": "Write the plan"} | fields
        response = self.client.post(
            f"/projects/{project_id}/tasks", json=payload, headers=who.headers
        )
        response.raise_for_status()
        return dict(response.json())

    def task_ids(self, who: Account, project_id: int, **params: Any) -> list[int]:
        """List a project's task ids with the given query parameters."""
        response = self.client.get(
            f"/projects/{project_id}/tasks", params=params, headers=who.headers
        )
        response.raise_for_status()
        return [task["id"] for task in response.json()["items"]]
