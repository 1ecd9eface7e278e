"""The saga's recovery paths: lost events, unknown reservations, a product service that is down."""

import uuid

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from common.errors import UnavailableError
from orders import saga, service, worker
from orders.inventory import Inventory
from orders.models import Order, OrderStatus, StockRelease
from orders.schemas import OrderCreate
from tests.builders import Shop


def refusing() -> Inventory:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    return Inventory(httpx.Client(transport=httpx.MockTransport(refuse), base_url="http://p"))


def failing() -> Inventory:
    transport = httpx.MockTransport(lambda request: httpx.Response(500))
    return Inventory(httpx.Client(transport=transport, base_url="http://p"))


def order_body(product_id: int, method: str = "card") -> OrderCreate:
    return OrderCreate.model_validate(
        {"items": [{"product_id": product_id, "quantity": 2}], "payment_method": method}
    )


@pytest.fixture
def factory(worker: worker.Worker) -> sessionmaker[Session]:
    return worker.factory


def test_unreachable_inventory_is_503_and_schedules_a_release(factory, shop: Shop):
    with factory() as session, pytest.raises(UnavailableError):
        service.place_order(
            session, refusing(), user_id=1, data=order_body(1), idempotency_key=None
        )
    with factory() as session:
        assert session.scalar(select(Order)) is None
        assert session.scalar(select(StockRelease)) is not None


def test_an_error_answer_is_unavailable_too():
    with pytest.raises(UnavailableError):
        failing().release(uuid.uuid4())


def test_sweep_settles_lost_orders_and_retries_releases(factory, inventory, bus, shop: Shop):
    buyer = shop.account()
    product = shop.product(buyer)
    with factory() as session:
        order, created = service.place_order(
            session,
            inventory,
            user_id=buyer.id,
            data=order_body(product["id"]),
            idempotency_key="k",
        )
        session.add(StockRelease(order_id=uuid.uuid4()))
        session.commit()
        order_id = order.id
    assert created  # no event was published: only the sweep can settle it
    saga.sweep(factory, inventory, bus, older_than=saga.timedelta(0))
    with factory() as session:
        assert session.get(Order, order_id).status is OrderStatus.confirmed
        assert session.scalar(select(StockRelease)) is None


def test_a_declined_order_waits_while_products_are_down(factory, inventory, bus, shop: Shop):
    buyer = shop.account()
    product = shop.product(buyer)
    with factory() as session:
        order, _ = service.place_order(
            session,
            inventory,
            user_id=buyer.id,
            data=order_body(product["id"], "card_declined"),
            idempotency_key=None,
        )
        session.commit()
        order_id = order.id
    saga.sweep(factory, refusing(), bus, older_than=saga.timedelta(0))
    with factory() as session:
        assert session.get(Order, order_id).status is OrderStatus.pending
    assert shop.stock(product["id"]) == 8
    saga.settle(factory, inventory, bus, str(order_id))
    saga.settle(factory, inventory, bus, str(order_id))  # settled already: nothing happens
    assert shop.stock(product["id"]) == 10


def test_worker_acknowledges_what_it_cannot_settle_yet(order_settings, bus, shop: Shop, redis):
    buyer = shop.account()
    product = shop.product(buyer)
    placed = shop.order(buyer, {product["id"]: 1}, method="card_declined").json()
    stalled = worker.Worker(order_settings, inventory=refusing(), bus=bus, name="stalled")
    stalled.step(block_ms=10)
    assert redis.xpending("orders.events", "orders-saga")["pending"] == 0
    stalled.stop()
    assert not stalled.running
    order = shop.client.get(f"/orders/{placed['id']}", headers=buyer.headers).json()
    assert order["status"] == "pending"


def test_worker_main_runs_until_stopped(monkeypatch):
    monkeypatch.setattr(worker.Worker, "step", lambda self: self.stop())
    worker.main()


def test_products_reservations_are_idempotent(products_client: TestClient, shop: Shop):
    owner = shop.account()
    product = shop.product(owner)
    body = {"order_id": str(uuid.uuid4()), "items": [{"product_id": product["id"], "quantity": 1}]}
    assert products_client.post("/internal/reservations", json=body).status_code == 201
    assert products_client.post("/internal/reservations", json=body).status_code == 200
    twice = {**body, "items": body["items"] * 2}
    assert products_client.post("/internal/reservations", json=twice).status_code == 422
    for _ in range(2):
        assert (
            products_client.delete(f"/internal/reservations/{body['order_id']}").status_code == 204
        )
    assert shop.stock(product["id"]) == 10
