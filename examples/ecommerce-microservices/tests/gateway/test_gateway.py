"""The gateway's own rules: routes, tokens, the rate limit and unavailable services."""

from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest

from tests.conftest import gateway_for

SECRET = "test-signing-key-for-the-e-commerce-own-tests-0123"


def token(**claims: object) -> dict[str, str]:
    body = {"sub": "1", "type": "access", "exp": datetime.now(UTC) + timedelta(minutes=1)}
    body.update(claims)
    return {"Authorization": f"Bearer {jwt.encode(body, SECRET, algorithm='HS256')}"}


def test_unknown_paths_and_methods(gateway):
    assert gateway.get("/internal/reservations").status_code == 404
    assert gateway.delete("/products/1").status_code == 405


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Basic abc"},
        {"Authorization": "Bearer not-a-token"},
        token(type="refresh"),
        token(sub="admin"),
        token(exp=datetime.now(UTC) - timedelta(minutes=1)),
    ],
    ids=["none", "basic", "garbage", "wrong-type", "non-numeric-subject", "expired"],
)
def test_bad_credentials_are_401(gateway, headers):
    assert gateway.get("/users/me", headers=headers).status_code == 401


def test_rate_limit_per_client(products_client, inventory):
    transport = httpx.ASGITransport(app=products_client.app)
    with gateway_for(transport, inventory, rate_limit_per_second=2) as client:
        statuses = [client.get("/products").status_code for _ in range(5)]
        assert statuses.count(429) >= 1
        limited = client.get("/products")
        if limited.status_code == 429:
            assert limited.headers["Retry-After"] == "1"


def test_rate_limit_fails_open_without_redis(products_client, inventory):
    transport = httpx.ASGITransport(app=products_client.app)
    with gateway_for(transport, inventory, redis_url="redis://127.0.0.1:1/0") as client:
        assert client.get("/products").status_code == 200


def test_a_dead_service_is_503_and_opens_the_breaker(inventory):
    calls = []

    def refuse(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise httpx.ConnectError("refused", request=request)

    with gateway_for(httpx.MockTransport(refuse), inventory, breaker_failures=2) as client:
        answers = [client.get("/products") for _ in range(4)]
    assert [answer.status_code for answer in answers] == [503] * 4
    assert answers[0].headers["Retry-After"] == "5"
    assert len(calls) == 2
