"""Builders over the public API: accounts, products and orders, as a client makes them."""

import itertools
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

from orders.worker import Worker

_numbers = itertools.count(1)


@dataclass
class Account:
    """A registered, logged-in user."""

    id: int
    email: str
    headers: dict[str, str]


class Shop:
    """Calls the gateway the way a client would; `settle` runs the worker once."""

    def __init__(self, client: TestClient, worker: Worker) -> None:
        self.client = client
        self.worker = worker

    def account(self, **overrides: Any) -> Account:
        number = next(_numbers)
        payload = {"email": f"user{number}@example.com", "password": "long enough", "name": "Ann"}
        payload.update(overrides)
        registered = self.client.post("/auth/register", json=payload)
        assert registered.status_code == 201, registered.text
        login = self.client.post(
            "/auth/login", json={"email": payload["email"], "password": payload["password"]}
        )
        token = login.json()["access_token"]
        return Account(
            registered.json()["id"], payload["email"], {"Authorization": f"Bearer {token}"}
        )

    def product(self, owner: Account, **overrides: Any) -> dict[str, Any]:
        payload = {"name": "Kettle", "price_cents": 2500, "stock": 10}
        payload.update(overrides)
        response = self.client.post("/products", json=payload, headers=owner.headers)
        assert response.status_code == 201, response.text
        return response.json()

    def order(
        self, buyer: Account, items: dict[int, int], method: str = "card", key: str | None = None
    ) -> Any:
        headers = dict(buyer.headers)
        if key:
            headers["Idempotency-Key"] = key
        body = {
            "items": [{"product_id": pid, "quantity": qty} for pid, qty in items.items()],
            "payment_method": method,
        }
        return self.client.post("/orders", json=body, headers=headers)

    def stock(self, product_id: int) -> int:
        return int(self.client.get(f"/products/{product_id}").json()["stock"])

    def settle(self) -> None:
        self.worker.step(block_ms=10)
