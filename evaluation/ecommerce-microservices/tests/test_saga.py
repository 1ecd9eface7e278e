"""The order saga: payment failure and its compensation, idempotency, events, schemas."""

import uuid
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
import redis
from conftest import DATABASE_URL, REDIS_URL, poll


@pytest.mark.assay(category="saga", weight=3)
def test_declined_payment_cancels_and_releases_stock(shop, buyer, product):
    """With payment_method "card_declined" the order becomes cancelled and its stock comes back."""
    response = shop.order(buyer, [(product["id"], 4)], payment_method="card_declined")
    assert response.status_code == 202, response.text
    order = shop.settled(buyer, response.json()["id"])
    assert order["status"] == "cancelled"
    assert order["failure_reason"] == "payment_declined"
    assert shop.stock(product["id"]) == product["stock"]


@pytest.mark.assay(category="saga", weight=2)
def test_released_stock_can_be_bought_again(shop, buyer):
    """Stock released by a cancelled order is for sale again: the whole stock can then be bought."""
    product = shop.product(buyer, stock=3)
    declined = shop.order(buyer, [(product["id"], 3)], payment_method="card_declined").json()
    assert shop.settled(buyer, declined["id"])["status"] == "cancelled"
    again = shop.order(buyer, [(product["id"], 3)], payment_method="bank_transfer")
    assert again.status_code == 202, again.text
    assert shop.settled(buyer, again.json()["id"])["status"] == "confirmed"
    assert shop.stock(product["id"]) == 0


@pytest.mark.assay(category="saga", weight=3)
def test_same_idempotency_key_gives_the_same_order(shop, buyer, product):
    """One order posted twice with one Idempotency-Key gives the same order and takes stock once."""
    key = str(uuid.uuid4())
    first = shop.order(buyer, [(product["id"], 2)], key=key)
    second = shop.order(buyer, [(product["id"], 2)], key=key)
    assert first.status_code == 202, first.text
    assert second.status_code in {200, 202}, second.text
    assert second.json()["id"] == first.json()["id"]
    shop.settled(buyer, first.json()["id"])
    assert [order["id"] for order in shop.orders(buyer)] == [first.json()["id"]]
    assert shop.stock(product["id"]) == product["stock"] - 2


@pytest.mark.assay(category="saga", weight=3)
def test_concurrent_retries_with_one_key_make_one_order(shop, buyer, product):
    """Five concurrent posts with one Idempotency-Key make one order and take stock once."""
    key = str(uuid.uuid4())
    with ThreadPoolExecutor(max_workers=5) as pool:
        responses = list(
            pool.map(lambda _: shop.order(buyer, [(product["id"], 1)], key=key), range(5))
        )
    assert all(response.status_code in {200, 202} for response in responses), [
        response.status_code for response in responses
    ]
    assert len({response.json()["id"] for response in responses}) == 1
    shop.settled(buyer, responses[0].json()["id"])
    assert len(shop.orders(buyer)) == 1
    assert shop.stock(product["id"]) == product["stock"] - 1


@pytest.mark.assay(category="saga", weight=1)
def test_reused_key_with_another_body_is_422(shop, buyer, product):
    """The same Idempotency-Key with a different order body is 422; the first order stands."""
    key = str(uuid.uuid4())
    assert shop.order(buyer, [(product["id"], 1)], key=key).status_code == 202
    other = shop.order(buyer, [(product["id"], 2)], key=key)
    assert other.status_code == 422, other.text
    assert len(shop.orders(buyer)) == 1


@pytest.mark.assay(category="saga", weight=1)
def test_keys_belong_to_their_user(shop, buyer, product):
    """Two users sending the same Idempotency-Key get two different orders."""
    key = str(uuid.uuid4())
    other = shop.account()
    first = shop.order(buyer, [(product["id"], 1)], key=key)
    second = shop.order(other, [(product["id"], 1)], key=key)
    assert first.status_code == 202 and second.status_code == 202
    assert first.json()["id"] != second.json()["id"]


@pytest.mark.assay(category="saga", weight=2, visible=False)
def test_settled_orders_are_announced_on_the_stream(shop, buyer, product):
    """order.created and order.confirmed events for the order appear on `orders.events`."""
    order = shop.order(buyer, [(product["id"], 1)]).json()
    shop.settled(buyer, order["id"])
    events = redis.Redis.from_url(REDIS_URL, decode_responses=True)

    def types() -> set[str]:
        entries = events.xrevrange("orders.events", count=2000)
        return {
            fields.get("type", "")
            for _id, fields in entries
            if fields.get("order_id") == order["id"]
        }

    seen = poll(
        types, lambda found: {"order.created", "order.confirmed"} <= found, what="the events"
    )
    assert {"order.created", "order.confirmed"} <= seen


@pytest.mark.assay(category="saga", weight=2, visible=False)
def test_each_service_has_its_own_schema(shop, buyer, product):
    """Users, products and orders live in the schemas `users`, `products` and `orders`; public
    holds at most Alembic's version tables."""
    shop.order(buyer, [(product["id"], 1)])
    with psycopg.connect(DATABASE_URL) as connection:
        rows = connection.execute(
            "SELECT table_schema, count(*) FROM information_schema.tables "
            "WHERE table_schema IN ('users', 'products', 'orders') GROUP BY table_schema"
        ).fetchall()
        public = connection.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' "
            "AND table_name NOT LIKE 'alembic\\_version%'"
        ).fetchone()
    assert {schema for schema, count in rows if count > 0} == {"users", "products", "orders"}
    assert public == (0,) or public is None
