"""With the product service hung (paused: it accepts connections and never answers): bounded
503s, a breaker that stops waiting on it, nothing half-made, the rest still serving.

A stopped service refuses connections at once, which any gateway turns into a fast error; a
hung one shows whether calls have timeouts and whether the breaker opens.
"""

import time
import uuid

import pytest

BOUNDED_SECONDS = 5.0  # a gateway that times out its calls answers within this
PATIENCE = BOUNDED_SECONDS + 1  # the suite's own wait, so a gateway that hangs fails fast
ORDER_SECONDS = 3.0  # the order service gives up on products after about a second
OPEN_SECONDS = 0.5  # a call the open breaker refuses takes no wait at all
BREAKER_BUDGET_SECONDS = 30.0
OPEN_IN_A_ROW = 5


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


@pytest.mark.degraded
@pytest.mark.assay(category="resilience", weight=2)
def test_catalog_answers_503_in_bounded_time(client):
    """GET /products answers 503 with a JSON detail within 5 s while products hangs."""
    response, elapsed = timed(lambda: client.get("/products", timeout=PATIENCE))
    assert response.status_code == 503, response.text
    assert "detail" in response.json()
    assert elapsed < BOUNDED_SECONDS, f"took {elapsed:.2f} s"


@pytest.mark.degraded
@pytest.mark.assay(category="resilience", weight=1)
def test_product_answers_503_in_bounded_time(client):
    """GET /products/{id} answers 503 within 5 s while products hangs."""
    response, elapsed = timed(lambda: client.get("/products/1", timeout=PATIENCE))
    assert response.status_code == 503, response.text
    assert elapsed < BOUNDED_SECONDS, f"took {elapsed:.2f} s"


@pytest.mark.degraded
@pytest.mark.assay(category="resilience", weight=3)
def test_order_answers_503_fast_and_nothing_is_half_made(shop, client, buyer):
    """POST /orders answers 503 within 3 s, twice with one key, and leaves no order behind."""
    key = str(uuid.uuid4())
    for _ in range(2):
        response, elapsed = timed(lambda: shop.order(buyer, [(1, 1)], key=key))
        assert response.status_code == 503, response.text
        assert elapsed < ORDER_SECONDS, f"took {elapsed:.2f} s"
    time.sleep(1.0)
    assert shop.orders(buyer) == []


@pytest.mark.degraded
@pytest.mark.assay(category="resilience", weight=2)
def test_the_breaker_stops_waiting_on_a_hung_service(client):
    """After a few failed calls the gateway answers 503 at once: five in a row under 0.5 s."""
    started, seen, in_a_row = time.monotonic(), [], 0
    while in_a_row < OPEN_IN_A_ROW:
        response, elapsed = timed(
            lambda: client.get(f"/products/{len(seen) + 1}", timeout=PATIENCE)
        )
        seen.append(f"{response.status_code} in {elapsed:.2f} s")
        assert response.status_code == 503, response.text
        in_a_row = in_a_row + 1 if elapsed < OPEN_SECONDS else 0
        waited = time.monotonic() - started
        assert waited < BREAKER_BUDGET_SECONDS, f"no breaker opened in {waited:.0f} s: {seen}"


@pytest.mark.degraded
@pytest.mark.assay(category="resilience", weight=2)
def test_other_services_keep_working(shop, root, client):
    """Registration, login, profiles and order listing still work without the product service."""
    account = shop.account()
    assert root.get("/health").status_code == 200
    assert client.get("/users/me", headers=account.headers).status_code == 200
    listed = client.get("/orders", headers=account.headers)
    assert listed.status_code == 200, listed.text
    assert listed.json()["items"] == []
