from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.builders import PASSWORD, Account, Api

VALID = {"email": "Ana@Example.com", "password": PASSWORD, "name": " Ana "}


def test_register_returns_the_user_without_secrets(client: TestClient, engine: Engine) -> None:
    response = client.post("/auth/register", json=VALID)

    assert response.status_code == 201
    assert set(response.json()) == {"id", "email", "name", "created_at"}
    assert (response.json()["email"], response.json()["name"]) == ("ana@example.com", "Ana")
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT password_hash FROM users")).scalar_one()
    assert PASSWORD not in stored


def test_register_refuses_a_taken_email_in_any_case(client: TestClient) -> None:
    client.post("/auth/register", json=VALID)

    response = client.post("/auth/register", json=VALID | {"email": "ANA@example.com"})

    assert response.status_code == 409
    assert response.json() == {"detail": "Email already registered"}


def test_register_race_is_settled_by_the_unique_constraint(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.post("/auth/register", json=VALID)
    monkeypatch.setattr("app.repositories.users.by_email", lambda _session, _email: None)

    response = client.post("/auth/register", json=VALID)

    assert response.status_code == 409


@pytest.mark.parametrize(
    "change",
    [{"email": "nope"}, {"password": "short"}, {"password": "p" * 129}, {"name": "  "}],
)
def test_register_rejects_invalid_input(client: TestClient, change: dict[str, Any]) -> None:
    assert client.post("/auth/register", json=VALID | change).status_code == 422


def test_login_refuses_wrong_password_and_unknown_email_alike(api: Api, owner: Account) -> None:
    wrong = api.client.post("/auth/login", json={"email": owner.email, "password": "x" * 10})
    unknown = api.client.post(
        "/auth/login", json={"email": "who@example.com", "password": PASSWORD}
    )

    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"detail": "Invalid email or password"}
    assert wrong.headers["www-authenticate"] == "Bearer"


def test_me_needs_a_valid_access_token(api: Api, owner: Account) -> None:
    me = api.client.get("/users/me", headers=owner.headers)
    missing = api.client.get("/users/me")
    garbled = api.client.get("/users/me", headers={"Authorization": "Bearer x.y.z"})

    assert (me.status_code, me.json()["email"]) == (200, owner.email)
    assert missing.status_code == garbled.status_code == 401


def test_token_of_a_deleted_user_is_refused(api: Api, owner: Account, engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM users"))

    assert api.client.get("/users/me", headers=owner.headers).status_code == 401


def test_refresh_rotates_and_refuses_reuse(api: Api, owner: Account) -> None:
    first = api.client.post("/auth/refresh", json={"refresh_token": owner.refresh_token})
    replay = api.client.post("/auth/refresh", json={"refresh_token": owner.refresh_token})
    second = api.client.post("/auth/refresh", json={"refresh_token": first.json()["refresh_token"]})

    assert first.status_code == 200
    assert first.json()["expires_in"] == 15 * 60
    assert replay.status_code == 401
    assert second.status_code == 200


def test_logout_revokes_the_refresh_token(api: Api, owner: Account) -> None:
    out = api.client.post("/auth/logout", json={"refresh_token": owner.refresh_token})
    again = api.client.post("/auth/logout", json={"refresh_token": owner.refresh_token})
    refresh = api.client.post("/auth/refresh", json={"refresh_token": owner.refresh_token})

    assert out.status_code == 204
    assert again.status_code == refresh.status_code == 401
