"""With the product service stopped: fast 503s, nothing half-made, the rest still serving."""

import time
import uuid

import pytest

FAST_SECONDS = 2.0


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


@pytest.mark.degraded
@pytest.mark.assay(category="resilience", weight=2)
def test_catalog_answers_503_fast(client):
    """GET /products answers 503 with a JSON detail within 2 s while the product service is down."""
    response, elapsed = timed(lambda: client.get("/products"))
    assert response.status_code == 503, response.text
    assert "detail" in response.json()
    assert elapsed < FAST_SECONDS, f"took {elapsed:.2f} s"


@pytest.mark.degraded
@pytest.mark.assay(category="resilience", weight=1)
def test_product_answers_503_fast(client):
    """GET /products/{id} answers 503 within 2 s while the product service is down."""
    response, elapsed = timed(lambda: client.get("/products/1"))
    assert response.status_code == 503, response.text
    assert elapsed < FAST_SECONDS, f"took {elapsed:.2f} s"


@pytest.mark.degraded
@pytest.mark.assay(category="resilience", weight=3)
def test_order_answers_503_fast_and_nothing_is_half_made(shop, client, buyer):
    """POST /orders answers 503 within 2 s, twice with one key, and leaves no order behind."""
    key = str(uuid.uuid4())
    for _ in range(2):
        response, elapsed = timed(lambda: shop.order(buyer, [(1, 1)], key=key))
        assert response.status_code == 503, response.text
        assert elapsed < FAST_SECONDS, f"took {elapsed:.2f} s"
    time.sleep(1.0)
    assert shop.orders(buyer) == []


@pytest.mark.degraded
@pytest.mark.assay(category="resilience", weight=1)
def test_repeated_failures_stay_fast(client):
    """Ten calls in a row to the stopped service all answer 503, in under 5 s altogether."""
    started = time.monotonic()
    statuses = [client.get(f"/products/{index}").status_code for index in range(1, 11)]
    assert statuses == [503] * 10
    assert time.monotonic() - started < 5.0


@pytest.mark.degraded
@pytest.mark.assay(category="resilience", weight=2)
def test_other_services_keep_working(shop, client):
    """Registration, login, profiles and order listing still work without the product service."""
    account = shop.account()
    assert client.get("/health").status_code == 200
    assert client.get("/users/me", headers=account.headers).status_code == 200
    listed = client.get("/orders", headers=account.headers)
    assert listed.status_code == 200, listed.text
    assert listed.json()["items"] == []
