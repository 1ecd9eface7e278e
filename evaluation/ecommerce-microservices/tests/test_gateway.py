"""What the gateway enforces: tokens, the caller's identity, hidden routes, rate limits."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import RATE_LIMIT, reissue


@pytest.mark.assay(category="gateway", weight=2)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/users/me"),
        ("PATCH", "/users/me"),
        ("POST", "/products"),
        ("POST", "/orders"),
        ("GET", "/orders"),
    ],
)
def test_protected_routes_need_a_token(client, method, path):
    """Profile, product creation and order routes answer 401 without a bearer token."""
    response = client.request(method, path, json={})
    assert response.status_code == 401, response.text


@pytest.mark.assay(category="gateway", weight=2)
def test_forged_expired_and_malformed_tokens_are_401(client, buyer):
    """Tokens signed with another key, expired, or not JWTs at all are 401."""
    wrong_key = reissue(buyer.token, expires_in=600, secret="x" * 48)
    expired = reissue(buyer.token, expires_in=-60)
    for token in (wrong_key, expired, "not.a.jwt", buyer.token + "x"):
        response = client.get("/users/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, f"{token[:20]}...: {response.status_code}"


@pytest.mark.assay(category="gateway", weight=1)
def test_a_token_signed_with_the_shared_secret_is_accepted(client, buyer):
    """The gateway verifies HS256 tokens with JWT_SECRET: its own, signed again, is accepted."""
    token = reissue(buyer.token, expires_in=600)
    response = client.get("/users/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    assert response.json()["id"] == buyer.id


@pytest.mark.assay(category="gateway", weight=2)
def test_a_client_cannot_claim_another_identity(shop, client, buyer, product):
    """An X-User-Id header from a client is ignored: the identity comes from the token alone."""
    victim = shop.account()
    order = shop.order(victim, [(product["id"], 1)]).json()
    spoof = {"X-User-Id": str(victim.id)}
    assert client.get("/orders", headers=spoof).status_code == 401
    mine = client.get("/orders", headers={**buyer.headers, **spoof})
    assert mine.status_code == 200
    assert order["id"] not in [item["id"] for item in mine.json()["items"]]
    assert client.get("/users/me", headers={**buyer.headers, **spoof}).json()["id"] == buyer.id


@pytest.mark.assay(category="gateway", weight=1)
@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/internal/reservations"), ("GET", "/internal/reservations"), ("GET", "/admin")],
)
def test_internal_routes_are_not_exposed(client, buyer, method, path):
    """The services' internal routes, and anything outside the contract, are 404 at the gateway."""
    response = client.request(method, path, json={}, headers=buyer.headers)
    assert response.status_code == 404, response.text


@pytest.mark.assay(category="gateway", weight=2)
def test_rate_limit_answers_429_per_client(shop, client, buyer):
    """Past the documented rate, a client gets 429 with Retry-After; other clients do not."""
    burst = RATE_LIMIT * 3

    def call(_index: int) -> tuple[int, str | None]:
        response = client.get("/users/me", headers=buyer.headers)
        return response.status_code, response.headers.get("Retry-After")

    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(call, range(burst)))
    statuses = [status for status, _ in answers]
    assert 429 in statuses, f"no 429 in {burst} requests: {sorted(set(statuses))}"
    assert statuses.count(200) >= RATE_LIMIT // 2
    assert all(retry for status, retry in answers if status == 429), "429 without Retry-After"
    other = shop.account()
    assert client.get("/users/me", headers=other.headers).status_code == 200
