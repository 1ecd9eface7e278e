"""Signing in, refresh-token rotation, API tokens, roles and invitations, over the API."""

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from assay.server.accounts.models import Role
from tests.server.builders import PASSWORD, headers, make_user

API = "/api/v1"


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post(f"{API}/auth/token", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_signing_in_gives_an_access_token_that_reads_who_i_am(client, session):
    user = make_user(session, Role.reviewer)

    me = client.get(f"{API}/users/me", headers=headers(client, user))

    assert me.status_code == 200
    assert me.json()["email"] == user.email
    assert me.json()["role"] == "reviewer"


def test_a_wrong_password_is_refused_as_problem_json(client, session):
    user = make_user(session)

    response = client.post(f"{API}/auth/token", json={"email": user.email, "password": "nope"})

    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "wrong email or password"


def test_no_token_is_refused_with_how_to_sign_in(client):
    response = client.get(f"{API}/users/me")

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "Authorization: Bearer" in response.json()["detail"]


def test_a_refresh_token_rotates_into_a_new_pair(client, session):
    user = make_user(session)
    first = sign_in(client, user.email)

    second = client.post(f"{API}/auth/refresh", json={"refresh_token": first["refresh_token"]})

    assert second.status_code == 200
    assert second.json()["refresh_token"] != first["refresh_token"]


def test_reusing_a_rotated_refresh_token_revokes_the_whole_family(client, session):
    user = make_user(session)
    first = sign_in(client, user.email)
    rotated = client.post(f"{API}/auth/refresh", json={"refresh_token": first["refresh_token"]})

    replay = client.post(f"{API}/auth/refresh", json={"refresh_token": first["refresh_token"]})
    latest = client.post(
        f"{API}/auth/refresh", json={"refresh_token": rotated.json()["refresh_token"]}
    )

    assert replay.status_code == 401
    assert "revoked" in replay.json()["detail"]
    assert latest.status_code == 401


def test_signing_out_revokes_the_refresh_token(client, session):
    user = make_user(session)
    pair = sign_in(client, user.email)

    client.post(f"{API}/auth/logout", json={"refresh_token": pair["refresh_token"]})

    again = client.post(f"{API}/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert again.status_code == 401


def test_an_expired_access_token_is_refused(client, session, settings):
    user = make_user(session)
    settings.access_token_ttl_s = -1
    token = sign_in(client, user.email)["access_token"]

    response = client.get(f"{API}/users/me", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_an_api_token_works_until_it_is_revoked(client, session):
    user = make_user(session, Role.reviewer)
    auth = headers(client, user)
    created = client.post(f"{API}/tokens", json={"name": "ci"}, headers=auth).json()
    bearer = {"Authorization": f"Bearer {created['token']}"}

    before = client.get(f"{API}/users/me", headers=bearer)
    client.delete(f"{API}/tokens/{created['id']}", headers=auth)
    after = client.get(f"{API}/users/me", headers=bearer)

    assert before.status_code == 200
    assert after.status_code == 401


def test_api_tokens_are_listed_without_their_secret(client, session):
    user = make_user(session)
    auth = headers(client, user)
    created = client.post(f"{API}/tokens", json={"name": "laptop"}, headers=auth).json()

    listed = client.get(f"{API}/tokens", headers=auth).json()["items"]

    assert [item["name"] for item in listed] == ["laptop"]
    assert "token" not in listed[0]
    assert created["token"].startswith(listed[0]["prefix"])


def test_someone_elses_api_token_cannot_be_revoked(client, session):
    owner, other = make_user(session), make_user(session)
    created = client.post(
        f"{API}/tokens", json={"name": "ci"}, headers=headers(client, owner)
    ).json()

    response = client.delete(f"{API}/tokens/{created['id']}", headers=headers(client, other))

    assert response.status_code == 404


def test_only_an_admin_creates_users(client, session):
    reviewer, admin = make_user(session, Role.reviewer), make_user(session, Role.admin)
    body = {"email": "new@example.com", "role": "reviewer"}

    refused = client.post(f"{API}/users", json=body, headers=headers(client, reviewer))
    created = client.post(f"{API}/users", json=body, headers=headers(client, admin))

    assert refused.status_code == 403
    assert created.status_code == 201


def test_a_taken_email_is_a_conflict(client, session):
    admin = make_user(session, Role.admin, email="taken@example.com")

    response = client.post(
        f"{API}/users",
        json={"email": "taken@example.com", "role": "reviewer"},
        headers=headers(client, admin),
    )

    assert response.status_code == 409


def _deadline(days: float = 7) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


def test_a_reviewer_invites_a_new_candidate_who_accepts_and_signs_in(client, session):
    reviewer = make_user(session, Role.reviewer)
    body = {"email": "grace@example.com", "problem": "book-reviews", "deadline": _deadline()}

    invited = client.post(f"{API}/invitations", json=body, headers=headers(client, reviewer))
    accept = {"token": invited.json()["accept_token"], "password": "a long enough secret"}
    accepted = client.post(f"{API}/auth/accept", json=accept)
    signed_in = client.post(
        f"{API}/auth/token",
        json={"email": "grace@example.com", "password": "a long enough secret"},
    )

    assert invited.status_code == 201
    assert accepted.status_code == 204
    assert signed_in.status_code == 200


def test_an_invitation_token_works_once(client, session):
    reviewer = make_user(session, Role.reviewer)
    body = {"email": "once@example.com", "problem": "book-reviews", "deadline": _deadline()}
    token = client.post(f"{API}/invitations", json=body, headers=headers(client, reviewer)).json()[
        "accept_token"
    ]
    accept = {"token": token, "password": "a long enough secret"}

    client.post(f"{API}/auth/accept", json=accept)
    again = client.post(f"{API}/auth/accept", json=accept)

    assert again.status_code == 401


def test_a_candidate_cannot_invite(client, session):
    candidate = make_user(session)
    body = {"email": "x@example.com", "problem": "book-reviews", "deadline": _deadline()}

    response = client.post(f"{API}/invitations", json=body, headers=headers(client, candidate))

    assert response.status_code == 403


def test_an_invitation_with_a_past_deadline_is_refused(client, session):
    reviewer = make_user(session, Role.reviewer)
    body = {"email": "late@example.com", "problem": "book-reviews", "deadline": _deadline(-1)}

    response = client.post(f"{API}/invitations", json=body, headers=headers(client, reviewer))

    assert response.status_code == 422
    assert "past" in response.json()["detail"]


def test_an_invitation_to_an_unknown_problem_is_not_found(client, session):
    reviewer = make_user(session, Role.reviewer)
    body = {"email": "x@example.com", "problem": "no-such-problem", "deadline": _deadline()}

    response = client.post(f"{API}/invitations", json=body, headers=headers(client, reviewer))

    assert response.status_code == 404


def test_a_naive_deadline_is_refused_with_the_field_named(client, session: Session):
    reviewer = make_user(session, Role.reviewer)
    body = {"email": "x@example.com", "problem": "book-reviews", "deadline": "2030-01-01T00:00"}

    response = client.post(f"{API}/invitations", json=body, headers=headers(client, reviewer))

    assert response.status_code == 422
    assert "deadline" in response.json()["detail"]
