"""Bad input is refused with the documented status, and refused orders change nothing."""

import pytest


@pytest.mark.assay(category="validation", weight=1)
@pytest.mark.parametrize(
    "override",
    [{"email": "not-an-email"}, {"password": "short"}, {"name": ""}],
    ids=["email", "password", "name"],
)
def test_register_rejects_invalid_fields(shop, client, override):
    """Registration with a malformed email, a password under 8 characters or no name is 422."""
    response = client.post("/auth/register", json=shop.register_payload(**override))
    assert response.status_code == 422, response.text


@pytest.mark.assay(category="validation", weight=1)
def test_duplicate_email_is_409(shop, client):
    """Registering an email twice (in any letter case) is 409."""
    payload = shop.register_payload()
    assert client.post("/auth/register", json=payload).status_code == 201
    again = dict(payload, email=payload["email"].upper())
    assert client.post("/auth/register", json=again).status_code == 409


@pytest.mark.assay(category="validation", weight=1)
def test_wrong_password_is_401(client, buyer):
    """Login with a wrong password, or for an unknown email, is 401."""
    wrong = client.post("/auth/login", json={"email": buyer.email, "password": "wrong password"})
    assert wrong.status_code == 401
    unknown = client.post(
        "/auth/login", json={"email": f"nobody-{buyer.id}@example.com", "password": buyer.password}
    )
    assert unknown.status_code == 401


@pytest.mark.assay(category="validation", weight=1)
@pytest.mark.parametrize(
    "override",
    [{"price_cents": 0}, {"price_cents": -5}, {"stock": -1}, {"name": ""}],
    ids=["zero-price", "negative-price", "negative-stock", "no-name"],
)
def test_product_rejects_invalid_fields(shop, client, buyer, override):
    """A product with a price under 1 cent, negative stock or no name is 422."""
    response = client.post(
        "/products", json=shop.product_payload(**override), headers=buyer.headers
    )
    assert response.status_code == 422, response.text


@pytest.mark.assay(category="validation", weight=1)
@pytest.mark.parametrize(
    "body",
    [
        {"items": [], "payment_method": "card"},
        {"items": [{"product_id": 1, "quantity": 0}], "payment_method": "card"},
        {"items": [{"product_id": 1, "quantity": 1}], "payment_method": "bitcoin"},
        {"items": [{"product_id": 1, "quantity": 1}]},
    ],
    ids=["no-items", "zero-quantity", "unknown-payment-method", "no-payment-method"],
)
def test_order_rejects_invalid_bodies(client, buyer, body):
    """An order with no items, a quantity under 1 or an unknown payment method is 422."""
    response = client.post("/orders", json=body, headers=buyer.headers)
    assert response.status_code == 422, response.text


@pytest.mark.assay(category="validation", weight=2)
def test_order_for_unknown_product_is_422_and_creates_nothing(shop, buyer):
    """An order naming a product that does not exist is 422 and no order is stored."""
    response = shop.order(buyer, [(987654321, 1)])
    assert response.status_code == 422, response.text
    assert shop.orders(buyer) == []


@pytest.mark.assay(category="validation", weight=2)
def test_insufficient_stock_is_409_and_takes_nothing(shop, buyer):
    """An order for more than is in stock is 409; no order is stored and no stock is taken."""
    plenty, scarce = shop.product(buyer, stock=10), shop.product(buyer, stock=2)
    response = shop.order(buyer, [(plenty["id"], 1), (scarce["id"], 3)])
    assert response.status_code == 409, response.text
    assert shop.orders(buyer) == []
    assert shop.stock(plenty["id"]) == 10
    assert shop.stock(scarce["id"]) == 2
