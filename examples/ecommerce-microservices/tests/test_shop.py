"""End to end through the gateway: accounts, catalog, orders and the saga's outcomes."""

import uuid

from tests.builders import Shop


def test_health(gateway):
    assert gateway.get("/health").json() == {"status": "ok"}


def test_register_login_and_profile(shop: Shop):
    buyer = shop.account(email="Ann@Example.com")
    me = shop.client.get("/users/me", headers=buyer.headers)
    assert me.json()["email"] == "ann@example.com"
    renamed = shop.client.patch("/users/me", json={"name": "Bea"}, headers=buyer.headers)
    assert renamed.json()["name"] == "Bea"


def test_duplicate_email_and_bad_login(shop: Shop):
    buyer = shop.account()
    again = {"email": buyer.email.upper(), "password": "long enough", "name": "Ann"}
    assert shop.client.post("/auth/register", json=again).status_code == 409
    wrong = shop.client.post("/auth/login", json={"email": buyer.email, "password": "nope"})
    assert wrong.status_code == 401
    unknown = shop.client.post("/auth/login", json={"email": "x@example.com", "password": "a"})
    assert unknown.status_code == 401


def test_catalog_pages_and_404(shop: Shop):
    owner = shop.account()
    created = [shop.product(owner, name=f"Item {index}") for index in range(3)]
    page = shop.client.get("/products", params={"limit": 2, "offset": 1}).json()
    assert page["total"] == 3
    assert [item["id"] for item in page["items"]] == [created[1]["id"], created[2]["id"]]
    assert shop.client.get("/products/999").status_code == 404


def test_order_is_confirmed_by_the_worker(shop: Shop, redis):
    buyer = shop.account()
    product = shop.product(buyer)
    placed = shop.order(buyer, {product["id"]: 3})
    assert placed.status_code == 202
    assert placed.json()["status"] == "pending"
    assert placed.json()["total_cents"] == 7500
    shop.settle()
    order = shop.client.get(f"/orders/{placed.json()['id']}", headers=buyer.headers).json()
    assert order["status"] == "confirmed"
    assert shop.stock(product["id"]) == 7
    types = [fields["type"] for _id, fields in redis.xrange("orders.events")]
    assert types == ["order.created", "order.confirmed"]


def test_declined_payment_cancels_and_releases(shop: Shop):
    buyer = shop.account()
    product = shop.product(buyer)
    placed = shop.order(buyer, {product["id"]: 4}, method="card_declined").json()
    assert shop.stock(product["id"]) == 6
    shop.settle()
    order = shop.client.get(f"/orders/{placed['id']}", headers=buyer.headers).json()
    assert (order["status"], order["failure_reason"]) == ("cancelled", "payment_declined")
    assert shop.stock(product["id"]) == 10


def test_idempotency_key_replays_and_rejects_another_body(shop: Shop):
    buyer = shop.account()
    product = shop.product(buyer)
    key = str(uuid.uuid4())
    first = shop.order(buyer, {product["id"]: 1}, key=key)
    replay = shop.order(buyer, {product["id"]: 1}, key=key)
    assert (first.status_code, replay.status_code) == (202, 200)
    assert replay.json()["id"] == first.json()["id"]
    assert shop.order(buyer, {product["id"]: 2}, key=key).status_code == 422
    listed = shop.client.get("/orders", headers=buyer.headers).json()
    assert listed["total"] == 1
    assert shop.stock(product["id"]) == 9


def test_refused_orders_take_nothing(shop: Shop):
    buyer = shop.account()
    product = shop.product(buyer, stock=1)
    assert shop.order(buyer, {product["id"]: 2}).status_code == 409
    assert shop.order(buyer, {12345: 1}).status_code == 422
    duplicate = {
        "items": [{"product_id": 1, "quantity": 1}] * 2,
        "payment_method": "card",
    }
    assert shop.client.post("/orders", json=duplicate, headers=buyer.headers).status_code == 422
    assert shop.client.get("/orders", headers=buyer.headers).json()["total"] == 0
    assert shop.stock(product["id"]) == 1


def test_orders_are_private(shop: Shop):
    buyer, other = shop.account(), shop.account()
    product = shop.product(buyer)
    placed = shop.order(buyer, {product["id"]: 1}).json()
    assert shop.client.get(f"/orders/{placed['id']}", headers=other.headers).status_code == 404
    spoofed = {**other.headers, "X-User-Id": str(buyer.id)}
    assert shop.client.get("/orders", headers=spoofed).json()["items"] == []
