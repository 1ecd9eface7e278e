"""Builders for service tests: users, sign-ins, invitations and upload archives."""

import io
import tarfile
import uuid
import zipfile
from datetime import UTC, datetime, timedelta

import httpx
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from assay.server.accounts import service as accounts
from assay.server.accounts.models import Invitation, Role, User

PASSWORD = "correct horse battery"


def make_user(session: Session, role: Role = Role.candidate, **overrides: str) -> User:
    email = overrides.pop("email", f"{role}-{uuid.uuid4().hex[:8]}@example.com")
    user = accounts.create_user(session, email=email, role=role, password=PASSWORD, **overrides)
    session.commit()
    return user


def invite(
    session: Session, candidate: User, problem: str = "book-reviews", *, days: float = 7
) -> Invitation:
    invitation = Invitation(
        candidate_id=candidate.id,
        problem=problem,
        invited_by=candidate.id,
        deadline=datetime.now(UTC) + timedelta(days=days),
    )
    session.add(invitation)
    session.commit()
    return invitation


def headers(client: TestClient, user: User) -> dict[str, str]:
    """Sign in through the API; the bearer header for the user's access token."""
    response = client.post("/api/v1/auth/token", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def tar_gz(files: dict[str, bytes | str], *, wrap: str = "") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in files.items():
            data = content.encode() if isinstance(content, str) else content
            info = tarfile.TarInfo(f"{wrap}{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def zip_bytes(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


SMALL_APP = {
    "app/__init__.py": "",
    "app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
}


def upload(
    client: TestClient,
    auth: dict[str, str],
    archive: bytes,
    *,
    problem: str = "book-reviews",
    key: str | None = None,
    filename: str = "submission.tar.gz",
) -> httpx.Response:
    extra = {"Idempotency-Key": key} if key else {}
    return client.post(
        "/api/v1/submissions",
        data={"problem": problem},
        files={"archive": (filename, archive, "application/octet-stream")},
        headers={**auth, **extra},
    )
