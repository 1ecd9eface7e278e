"""Fixtures for the hidden Task API tests.

Every test talks to the running service over HTTP (`ASSAY_BASE_URL`) and registers the
users it needs: the database is shared by the whole run, so no test assumes an empty
list or another test's data. Data is random but reproducible from `ASSAY_SEED`.
"""

import base64
import hashlib
import hmac
import json
import os
import random
import re
import string
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

BASE_URL = os.environ["ASSAY_BASE_URL"]
DATABASE_URL = os.environ.get("ASSAY_DATABASE_URL", "")
SEED = int(os.environ["ASSAY_SEED"])

# The app's own signing key (problem.toml [env]), so the suite can forge tokens.
JWT_SECRET = os.environ["ASSAY_APP_JWT_SECRET"]

# Every route of the statement ends so; where the service puts it tells its prefix.
ANCHOR_ROUTE = "/auth/register"

# Emails must be unique in the database; within one graded run the seed alone would do,
# but the suite may be run twice against one database while a problem is being written.
RUN_TAG = uuid.uuid4().hex[:6]

WORDS = [
    "launch",
    "roadmap",
    "backlog",
    "sprint",
    "invoice",
    "Café",
    "Łódź",
    "東京",
    "migrate",
    "review",
    "deploy",
    "budget",
    "design",
    "audit",
    "onboard",
]
FIRST_NAMES = ["Ana", "Kofi", "Mei", "Olu", "Sven", "Noor", "Iker", "Zofia"]

Json = dict[str, Any]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "assay(category='functionality', weight=1, visible=True): scoring metadata for Assay",
    )


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign_jwt(claims: Json, secret: str = JWT_SECRET, header: Json | None = None) -> str:
    """Encode an HS256 JWT with the standard library, as the statement specifies them."""
    head = b64url(json.dumps(header or {"alg": "HS256", "typ": "JWT"}).encode())
    body = b64url(json.dumps(claims).encode())
    signature = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64url(signature)}"


def unb64url(text: str) -> Json:
    return json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


def reissue(
    token: str,
    *,
    expires_in: int | None = None,
    without: tuple[str, ...] = (),
    secret: str = JWT_SECRET,
    header: Json | None = None,
    **claims: Any,
) -> str:
    """The service's own access token with some claims changed, signed again.

    The suite tests expiry, type and signatures on the claims the service chose, so a service
    that adds its own (`jti`, `iss`, `aud`) and checks them is graded like one that does not.
    """
    head, body, _ = token.split(".")
    payload = unb64url(body) | claims
    if expires_in is not None:
        payload["exp"] = int(time.time()) + expires_in
    for name in without:
        payload.pop(name, None)
    return sign_jwt(payload, secret, header or unb64url(head) | {"alg": "HS256"})


@dataclass
class Account:
    """A registered, logged-in user."""

    id: int
    email: str
    name: str
    password: str
    access_token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


class TaskApi:
    """Small helpers over the HTTP API: random valid payloads, users, projects, tasks.

    They take any success for a creation: the tests of each creation check its 201, so a
    service answering 200 loses those, not every test that needs a project or a task.
    """

    def __init__(self, client: httpx.Client, rng: random.Random) -> None:
        self.client = client
        self.rng = rng

    def tag(self, size: int = 8) -> str:
        return "".join(self.rng.choices(string.ascii_lowercase + string.digits, k=size))

    def email(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES).lower()}.{self.tag()}{RUN_TAG}@example.com"

    def password(self) -> str:
        return f"{self.tag(6)} {self.rng.choice(WORDS)} {self.tag(6)}"

    def register_payload(self, **overrides: Any) -> Json:
        payload: Json = {
            "email": self.email(),
            "password": self.password(),
            "name": f"{self.rng.choice(FIRST_NAMES)} {self.tag(5).capitalize()}",
        }
        payload.update(overrides)
        return payload

    def register(self, **overrides: Any) -> tuple[Json, Json]:
        """Register a user; return the request payload and the response body."""
        payload = self.register_payload(**overrides)
        response = self.client.post("/auth/register", json=payload)
        assert response.is_success, f"POST /auth/register: {response.status_code} {response.text}"
        return payload, response.json()

    def login(self, email: str, password: str) -> Json:
        response = self.client.post("/auth/login", json={"email": email, "password": password})
        assert response.status_code == 200, (
            f"POST /auth/login: {response.status_code} {response.text}"
        )
        return response.json()

    def account(self) -> Account:
        payload, user = self.register()
        tokens = self.login(payload["email"], payload["password"])
        return Account(
            id=user["id"],
            email=user["email"],
            name=user["name"],
            password=payload["password"],
            access_token=tokens["access_token"],
            refresh_token=tokens["refresh_token"],
        )

    def title(self) -> str:
        words = " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(1, 3)))
        return f"{words.capitalize()} {self.tag(6)}"

    def create_project(self, owner: Account, **overrides: Any) -> Json:
        payload: Json = {"name": self.title(), "description": f"About {self.title()}"}
        payload.update(overrides)
        response = self.client.post("/projects", json=payload, headers=owner.headers)
        assert response.is_success, f"POST /projects: {response.status_code} {response.text}"
        return response.json()

    def add_member(self, owner: Account, project_id: int, member: Account) -> Json:
        response = self.client.post(
            f"/projects/{project_id}/members", json={"email": member.email}, headers=owner.headers
        )
        assert response.is_success, (
            f"POST /projects/{project_id}/members: {response.status_code} {response.text}"
        )
        return response.json()

    def create_task(self, who: Account, project_id: int, **overrides: Any) -> Json:
        payload: Json = {"title": self.title()}
        payload.update(overrides)
        response = self.client.post(
            f"/projects/{project_id}/tasks", json=payload, headers=who.headers
        )
        assert response.is_success, (
            f"POST /projects/{project_id}/tasks: {response.status_code} {response.text}"
        )
        return response.json()

    def list_tasks(self, who: Account, project_id: int, **params: Any) -> Json:
        response = self.client.get(
            f"/projects/{project_id}/tasks", params=params, headers=who.headers
        )
        assert response.status_code == 200, (
            f"GET /projects/{project_id}/tasks {params}: {response.status_code} {response.text}"
        )
        return response.json()

    def task_ids(self, who: Account, project_id: int, **params: Any) -> list[int]:
        return [task["id"] for task in self.list_tasks(who, project_id, **params)["items"]]


def mounted_prefix(root: httpx.Client) -> str:
    """Where the service mounts the statement's routes: "" at the root, or the one prefix its
    OpenAPI document puts before them all (`/api/v1`). The suite calls the routes there, so
    that a prefix costs the one test that checks the paths, not every test."""
    try:
        paths = root.get("/openapi.json").json()["paths"]
    except (httpx.HTTPError, ValueError, KeyError, TypeError):
        return ""
    found = {path.removesuffix(ANCHOR_ROUTE) for path in paths if path.endswith(ANCHOR_ROUTE)}
    prefix = found.pop() if len(found) == 1 else ""
    return prefix if re.fullmatch(r"(/[A-Za-z0-9._~-]+)*", prefix) else ""


@pytest.fixture(scope="session")
def root() -> Iterator[httpx.Client]:
    with httpx.Client(base_url=BASE_URL, timeout=10.0) as http:
        yield http


@pytest.fixture(scope="session")
def prefix(root: httpx.Client) -> str:
    return mounted_prefix(root)


@pytest.fixture(scope="session")
def client(prefix: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=BASE_URL + prefix, timeout=10.0) as http:
        yield http


@pytest.fixture(scope="session")
def database_url() -> str:
    if not DATABASE_URL:
        pytest.fail("ASSAY_DATABASE_URL is not set")
    return DATABASE_URL


@pytest.fixture
def rng(request: pytest.FixtureRequest) -> random.Random:
    # Seeded per test, so a test's data does not depend on which tests ran before it.
    return random.Random(f"{SEED}:{request.node.nodeid}")


@pytest.fixture
def api(client: httpx.Client, rng: random.Random) -> TaskApi:
    return TaskApi(client, rng)


@pytest.fixture
def owner(api: TaskApi) -> Account:
    return api.account()


@pytest.fixture
def project(api: TaskApi, owner: Account) -> Json:
    return api.create_project(owner)
