"""Passwords never leave the service, tokens are checked properly, input is only ever data."""

import base64
import json

import psycopg
import pytest
from conftest import b64url, reissue, unb64url

SECRET_WORDS = ("password", "hash")


def keys_of(value: object) -> list[str]:
    if isinstance(value, dict):
        return [str(key) for key in value] + [k for item in value.values() for k in keys_of(item)]
    if isinstance(value, list):
        return [key for item in value for key in keys_of(item)]
    return []


def me_status(api, token: str) -> int:
    return api.client.get("/users/me", headers={"Authorization": f"Bearer {token}"}).status_code


@pytest.mark.assay(category="security", weight=3)
def test_responses_never_contain_a_password_or_hash(api):
    """No response (register, login, me, members) has a password or hash field or value."""
    owner = api.account()
    member = api.account()
    project = api.create_project(owner)
    responses = [
        api.client.post("/auth/register", json=api.register_payload()),
        api.client.post("/auth/login", json={"email": owner.email, "password": owner.password}),
        api.client.get("/users/me", headers=owner.headers),
        api.client.post(
            f"/projects/{project['id']}/members",
            json={"email": member.email},
            headers=owner.headers,
        ),
        api.client.get(f"/projects/{project['id']}/members", headers=owner.headers),
    ]
    for response in responses:
        assert response.status_code < 300, f"{response.request.url}: {response.status_code}"
        leaked = [
            key for key in keys_of(response.json()) if any(w in key.lower() for w in SECRET_WORDS)
        ]
        assert not leaked, f"{response.request.url.path} returns {leaked}"
        for secret in (owner.password, member.password):
            assert secret not in response.text, f"{response.request.url.path} returns a password"
        assert "$argon2" not in response.text and "$2b$" not in response.text


@pytest.mark.assay(category="security", weight=2)
def test_passwords_are_stored_hashed(api, database_url):
    """The users row holds no trace of the plain password."""
    payload, user = api.register()
    with psycopg.connect(database_url, connect_timeout=5) as connection:
        row = connection.execute("SELECT u::text FROM users u WHERE u.id = %s", (user["id"],))
        stored = row.fetchone()
    assert stored is not None, "the user is in the users table"
    assert payload["password"] not in stored[0], "the password is stored in plain text"
    encoded = base64.b64encode(payload["password"].encode()).decode()
    assert encoded not in stored[0], "the password is stored base64-encoded, not hashed"


@pytest.mark.assay(category="security", weight=2)
def test_requests_without_a_valid_token_answer_401(api, owner, project):
    """No token, a garbled one, or another scheme answer 401 with WWW-Authenticate: Bearer."""
    missing = api.client.get("/users/me")
    assert missing.status_code == 401, missing.text
    assert "bearer" in missing.headers.get("www-authenticate", "").lower()
    bad_headers = [
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer not.a.token"},
        {"Authorization": f"Basic {owner.access_token}"},
        {"Authorization": owner.access_token},
    ]
    for headers in bad_headers:
        response = api.client.get("/users/me", headers=headers)
        assert response.status_code == 401, f"{headers['Authorization'][:20]}...: {response.text}"
    for path in ("/projects", f"/projects/{project['id']}", f"/projects/{project['id']}/tasks"):
        assert api.client.get(path).status_code == 401, path


@pytest.mark.assay(category="security", weight=3)
def test_expired_access_token_is_refused(api, owner):
    """The service's token, signed again with JWT_SECRET, works until its exp, then 401."""
    later = reissue(owner.access_token, expires_in=300)
    assert me_status(api, later) == 200, "the service's own claims with a later exp are accepted"
    expired = reissue(owner.access_token, expires_in=-120)
    response = api.client.get("/users/me", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401, "an expired token is refused"
    no_expiry = reissue(owner.access_token, without=("exp",))
    assert me_status(api, no_expiry) == 401, "a token without exp is refused"


@pytest.mark.assay(category="security", weight=3)
def test_tampered_tokens_are_refused(api, owner):
    """A changed payload, another key, alg "none" or a missing signature all answer 401."""
    victim = api.account()
    head, body, signature = owner.access_token.split(".")
    claims = unb64url(body) | {"sub": str(victim.id)}
    forged_body = b64url(json.dumps(claims).encode())
    unsigned = reissue(owner.access_token, sub=str(victim.id), header={"alg": "none", "typ": "JWT"})
    tampered = [
        f"{head}.{forged_body}.{signature}",
        reissue(owner.access_token, sub=str(victim.id), secret="guessed-secret-" * 3),
        unsigned.rsplit(".", 1)[0] + ".",
        f"{head}.{body}.",
        f"{head}.{body}.{signature[:-4]}AAAA",
    ]
    for token in tampered:
        assert me_status(api, token) == 401, f"tampered token accepted: {token[:40]}..."
    assert me_status(api, owner.access_token) == 200, "the genuine token still works"


@pytest.mark.assay(category="security", weight=3)
def test_refresh_token_cannot_be_reused(api):
    """Once exchanged, a refresh token is refused with 401: rotation."""
    account = api.account()
    first = api.client.post("/auth/refresh", json={"refresh_token": account.refresh_token})
    assert first.status_code == 200, first.text
    replay = api.client.post("/auth/refresh", json={"refresh_token": account.refresh_token})
    assert replay.status_code == 401, replay.text
    assert "access_token" not in replay.text
    forged = api.client.post("/auth/refresh", json={"refresh_token": api.tag(43)})
    assert forged.status_code == 401


@pytest.mark.assay(category="security", weight=3)
def test_logout_revokes_the_refresh_token(api):
    """POST /auth/logout answers 204; that refresh token is then refused, other sessions live."""
    payload, _ = api.register()
    session_one = api.login(payload["email"], payload["password"])
    session_two = api.login(payload["email"], payload["password"])
    out = api.client.post("/auth/logout", json={"refresh_token": session_one["refresh_token"]})
    assert out.status_code == 204, out.text
    refused = api.client.post("/auth/refresh", json={"refresh_token": session_one["refresh_token"]})
    assert refused.status_code == 401, refused.text
    alive = api.client.post("/auth/refresh", json={"refresh_token": session_two["refresh_token"]})
    assert alive.status_code == 200, "logging out one session leaves the others alone"


@pytest.mark.assay(category="security", weight=1, visible=False)
def test_tokens_are_not_interchangeable(api):
    """A refresh token is not an access token, and an access token is not a refresh token."""
    account = api.account()
    assert me_status(api, account.refresh_token) == 401
    swapped = api.client.post("/auth/refresh", json={"refresh_token": account.access_token})
    assert swapped.status_code == 401
    refresh_like = reissue(account.access_token, type="refresh")
    assert me_status(api, refresh_like) == 401, 'a token whose type is not "access"'


@pytest.mark.assay(category="security", weight=2)
def test_sql_injection_strings_are_plain_data(api, owner):
    """Quotes and SQL in names, titles, filters and login are stored or refused, never run."""
    name = "Robert'); DROP TABLE tasks; --"
    title = "' OR '1'='1"
    description = "1; DELETE FROM users WHERE '1'='1'; --"
    project = api.create_project(owner, name=name, description=description)
    assert (project["name"], project["description"]) == (name, description)
    task = api.create_task(owner, project["id"], title=title, description=description)
    assert (task["title"], task["description"]) == (title, description)
    page = api.list_tasks(owner, project["id"])
    assert [item["title"] for item in page["items"]] == [title]
    fetched = api.client.get(f"/projects/{project['id']}", headers=owner.headers).json()
    assert fetched["name"] == name
    injected = api.client.get(
        f"/projects/{project['id']}/tasks",
        params={"status": "todo' OR '1'='1"},
        headers=owner.headers,
    )
    assert injected.status_code == 422
    login = api.client.post("/auth/login", json={"email": "' OR 1=1 --", "password": "' OR '1'='1"})
    assert login.status_code in (401, 422), login.text
    assert "access_token" not in login.text
    assert api.client.get("/users/me", headers=owner.headers).status_code == 200
