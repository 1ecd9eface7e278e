"""The gateway's public contract: accounts, profiles, the catalog and orders."""

import uuid
from datetime import datetime

import pytest

USER_FIELDS = {"id", "email", "name", "created_at"}
PRODUCT_FIELDS = {"id", "name", "description", "price_cents", "stock", "created_at"}
ORDER_FIELDS = {
    "id",
    "user_id",
    "status",
    "payment_method",
    "failure_reason",
    "items",
    "total_cents",
    "created_at",
    "updated_at",
}
PAGE_FIELDS = {"items", "total", "limit", "offset"}


def shows(body: dict, fields: set[str]) -> None:
    """The body has the fields the statement shows; it may have more, which nothing forbids."""
    assert isinstance(body, dict), f"expected a JSON object, got {body!r}"
    absent = fields - set(body)
    assert not absent, f"missing {sorted(absent)} in {sorted(body)}"


def moment(value: object) -> datetime:
    assert isinstance(value, str), f"expected an ISO 8601 date-time string, got {value!r}"
    parsed = datetime.fromisoformat(value)
    assert parsed.tzinfo is not None, f"the date-time should carry a time zone, got {value!r}"
    return parsed


@pytest.mark.assay(category="functionality", weight=1)
def test_health_reports_ok(root):
    """GET /health on the gateway answers 200 with {"status": "ok"}."""
    response = root.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.assay(category="functionality", weight=1)
def test_routes_are_at_the_statements_paths(prefix):
    """The public routes are where the statement puts them (/auth/register, /products...),
    under no prefix; the other tests call them wherever the gateway mounted them."""
    assert prefix == "", f"every route is under {prefix}"


@pytest.mark.assay(category="functionality", weight=2)
def test_register_login_and_read_own_profile(shop, client):
    """Register answers 201 with the user, no password; login gives a token for /users/me."""
    payload = shop.register_payload(email=shop.register_payload()["email"].upper())
    registered = client.post("/auth/register", json=payload)
    assert registered.status_code == 201, registered.text
    user = registered.json()
    shows(user, USER_FIELDS)
    assert user["email"] == payload["email"].lower()
    assert user["name"] == payload["name"]
    moment(user["created_at"])
    login = client.post(
        "/auth/login", json={"email": payload["email"].lower(), "password": payload["password"]}
    )
    assert login.status_code == 200, login.text
    token = login.json()
    assert token["token_type"] == "bearer"
    assert isinstance(token["expires_in"], int) and token["expires_in"] > 0
    me = client.get("/users/me", headers={"Authorization": f"Bearer {token['access_token']}"})
    assert me.status_code == 200
    assert me.json() == user


@pytest.mark.assay(category="functionality", weight=1)
def test_update_own_profile(client, buyer):
    """PATCH /users/me changes the caller's name and returns the profile."""
    response = client.patch("/users/me", json={"name": "Renamed Person"}, headers=buyer.headers)
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "Renamed Person"
    assert client.get("/users/me", headers=buyer.headers).json()["name"] == "Renamed Person"


@pytest.mark.assay(category="functionality", weight=2)
def test_create_and_read_a_product(shop, client, buyer):
    """POST /products answers 201 with the product; GET /products/{id} returns the same body."""
    payload = shop.product_payload()
    created = client.post("/products", json=payload, headers=buyer.headers)
    assert created.status_code == 201, created.text
    product = created.json()
    shows(product, PRODUCT_FIELDS)
    assert {key: product[key] for key in payload} == payload
    moment(product["created_at"])
    fetched = client.get(f"/products/{product['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == product


@pytest.mark.assay(category="functionality", weight=1)
def test_catalog_is_paged(shop, client, buyer):
    """GET /products is public and paged: {items, total, limit, offset}, ordered by id."""
    for _ in range(3):
        shop.product(buyer)
    page = client.get("/products", params={"limit": 2, "offset": 0})
    assert page.status_code == 200, page.text
    body = page.json()
    shows(body, PAGE_FIELDS)
    assert body["limit"] == 2 and body["offset"] == 0 and len(body["items"]) == 2
    assert body["total"] >= 3
    second = client.get("/products", params={"limit": 2, "offset": 1}).json()
    assert second["items"][0] == body["items"][1]
    ids = [item["id"] for item in body["items"]]
    assert ids == sorted(ids)


@pytest.mark.assay(category="functionality", weight=3)
def test_order_is_accepted_then_confirmed(shop, client, buyer, product):
    """POST /orders answers 202 with a pending order and its total; it becomes confirmed."""
    response = shop.order(buyer, [(product["id"], 2)])
    assert response.status_code == 202, response.text
    order = response.json()
    shows(order, ORDER_FIELDS)
    assert order["status"] in {"pending", "confirmed"}
    assert order["user_id"] == buyer.id
    assert order["payment_method"] == "card"
    assert order["items"] == [
        {"product_id": product["id"], "quantity": 2, "unit_price_cents": product["price_cents"]}
    ]
    assert order["total_cents"] == 2 * product["price_cents"]
    settled = shop.settled(buyer, order["id"])
    assert settled["status"] == "confirmed"
    assert settled["failure_reason"] is None
    assert shop.stock(product["id"]) == product["stock"] - 2


@pytest.mark.assay(category="functionality", weight=2)
def test_order_with_several_products(shop, buyer):
    """An order of several products takes each one's stock and totals every line."""
    first, second = shop.product(buyer), shop.product(buyer)
    response = shop.order(buyer, [(first["id"], 1), (second["id"], 3)])
    assert response.status_code == 202, response.text
    order = response.json()
    assert order["total_cents"] == first["price_cents"] + 3 * second["price_cents"]
    assert shop.settled(buyer, order["id"])["status"] == "confirmed"
    assert shop.stock(first["id"]) == first["stock"] - 1
    assert shop.stock(second["id"]) == second["stock"] - 3


@pytest.mark.assay(category="functionality", weight=2)
def test_orders_are_private_to_their_buyer(shop, client, buyer, product):
    """GET /orders lists only the caller's orders; another user's order is 404."""
    mine = shop.order(buyer, [(product["id"], 1)]).json()
    other = shop.account()
    listed = client.get("/orders", headers=buyer.headers)
    assert listed.status_code == 200
    body = listed.json()
    shows(body, PAGE_FIELDS)
    assert [order["id"] for order in body["items"]] == [mine["id"]]
    assert body["total"] == 1
    assert client.get("/orders", headers=other.headers).json()["items"] == []
    assert client.get(f"/orders/{mine['id']}", headers=other.headers).status_code == 404
    assert client.get(f"/orders/{mine['id']}", headers=buyer.headers).status_code == 200


def unknown_like(known: object) -> str:
    """An id of the kind the service gives out (integer, UUID or other) that names nothing."""
    if isinstance(known, int):
        return str(known + 10_000_000)
    try:
        uuid.UUID(str(known))
    except ValueError:
        return f"{known}-missing"
    return str(uuid.uuid4())


@pytest.mark.assay(category="functionality", weight=1)
def test_unknown_product_and_order_are_404(shop, client, buyer, product):
    """A product or order that does not exist, with an id of the service's kind, is 404."""
    missing = client.get(f"/products/{unknown_like(product['id'])}")
    assert missing.status_code == 404
    assert "detail" in missing.json()
    order = shop.order(buyer, [(product["id"], 1)]).json()
    unknown = client.get(f"/orders/{unknown_like(order['id'])}", headers=buyer.headers)
    assert unknown.status_code == 404, unknown.text
