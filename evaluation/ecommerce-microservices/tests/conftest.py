"""Fixtures for the hidden e-commerce tests.

Every test talks to the gateway only (`ASSAY_BASE_URL`) and creates the users and products
it needs: the database is shared by the whole run, so no test assumes an empty catalog or
another test's data. Data is random but reproducible from `ASSAY_SEED`. Saga outcomes are
eventually consistent, so tests poll with a deadline instead of sleeping.
"""

import base64
import hashlib
import hmac
import json
import os
import random
import string
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

BASE_URL = os.environ["ASSAY_BASE_URL"]
REDIS_URL = os.environ.get("ASSAY_REDIS_URL", "")
DATABASE_URL = os.environ.get("ASSAY_DATABASE_URL", "")
SEED = int(os.environ["ASSAY_SEED"])
JWT_SECRET = os.environ["ASSAY_APP_JWT_SECRET"]
RATE_LIMIT = int(os.environ.get("ASSAY_APP_RATE_LIMIT_PER_SECOND", "50"))

# Saga outcomes must be visible within this many seconds (the statement says 10).
SETTLE_SECONDS = 10.0
FINAL_STATUSES = {"confirmed", "cancelled"}
# Emails are unique; the suite may run twice against one database while it is written.
RUN_TAG = uuid.uuid4().hex[:6]
# Where a gateway may mount the statement's routes, tried in this order (`mounted_prefix`).
PREFIXES = ("", "/api/v1", "/api", "/v1")
NAMES = ["Ana", "Kofi", "Mei", "Olu", "Sven", "Noor", "Iker", "Zofia"]
GOODS = ["Kettle", "Lamp", "Notebook", "Backpack", "Mug", "Café grinder", "Łódź map", "Teapot"]

Json = dict[str, Any]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "assay(category='functionality', weight=1, visible=True): scoring metadata for Assay",
    )
    config.addinivalue_line("markers", "degraded: runs after the product service is stopped")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign_jwt(claims: Json, secret: str = JWT_SECRET) -> str:
    """Encode an HS256 JWT with the standard library, as the statement specifies them."""
    head = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64url(json.dumps(claims).encode())
    signature = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64url(signature)}"


def unb64url(text: str) -> Json:
    return json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


def reissue(token: str, *, expires_in: int, secret: str = JWT_SECRET) -> str:
    """The service's own token with another expiry, signed again.

    Expiry and signatures are tested on the claims the service chose, so a service that adds
    its own (`jti`, `iss`, `aud`) and checks them is graded like one that does not.
    """
    body = token.split(".")[1]
    return sign_jwt(unb64url(body) | {"exp": int(time.time()) + expires_in}, secret)


@dataclass
class Account:
    """A registered, logged-in user."""

    id: int
    email: str
    password: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


class Shop:
    """Helpers over the public API: users, products, orders and polling for outcomes."""

    def __init__(self, client: httpx.Client, rng: random.Random) -> None:
        self.client = client
        self.rng = rng

    def tag(self, size: int = 8) -> str:
        return "".join(self.rng.choices(string.ascii_lowercase + string.digits, k=size))

    def register_payload(self, **overrides: Any) -> Json:
        payload: Json = {
            "email": f"{self.rng.choice(NAMES).lower()}.{self.tag()}{RUN_TAG}@example.com",
            "password": f"{self.tag(6)} secret {self.tag(6)}",
            "name": f"{self.rng.choice(NAMES)} {self.tag(5).capitalize()}",
        }
        payload.update(overrides)
        return payload

    def account(self) -> Account:
        payload = self.register_payload()
        registered = self.client.post("/auth/register", json=payload)
        assert registered.is_success, registered.text
        login = self.client.post(
            "/auth/login", json={"email": payload["email"], "password": payload["password"]}
        )
        assert login.status_code == 200, login.text
        return Account(
            registered.json()["id"],
            payload["email"],
            payload["password"],
            login.json()["access_token"],
        )

    def product_payload(self, **overrides: Any) -> Json:
        payload: Json = {
            "name": f"{self.rng.choice(GOODS)} {self.tag(4)}",
            "description": f"A {self.tag(5)} for testing",
            "price_cents": self.rng.randint(100, 50_000),
            "stock": self.rng.randint(10, 50),
        }
        payload.update(overrides)
        return payload

    def product(self, owner: Account, **overrides: Any) -> Json:
        response = self.client.post(
            "/products", json=self.product_payload(**overrides), headers=owner.headers
        )
        assert response.is_success, response.text
        return response.json()

    def stock(self, product_id: int) -> int:
        response = self.client.get(f"/products/{product_id}")
        assert response.status_code == 200, response.text
        return response.json()["stock"]

    def order(
        self,
        buyer: Account,
        items: list[tuple[int, int]],
        *,
        payment_method: str = "card",
        key: str | None = None,
    ) -> httpx.Response:
        headers = dict(buyer.headers)
        if key is not None:
            headers["Idempotency-Key"] = key
        body = {
            "items": [{"product_id": pid, "quantity": qty} for pid, qty in items],
            "payment_method": payment_method,
        }
        return self.client.post("/orders", json=body, headers=headers)

    def orders(self, buyer: Account) -> list[Json]:
        response = self.client.get("/orders", params={"limit": 100}, headers=buyer.headers)
        assert response.status_code == 200, response.text
        return response.json()["items"]

    def settled(self, buyer: Account, order_id: str) -> Json:
        """Poll the order until its status is final, or fail at the deadline."""
        return poll(
            lambda: self.client.get(f"/orders/{order_id}", headers=buyer.headers).json(),
            lambda order: order.get("status") in FINAL_STATUSES,
            what=f"order {order_id} to be confirmed or cancelled",
        )


def poll(fetch: Callable[[], Any], done: Callable[[Any], bool], *, what: str) -> Any:
    """Call `fetch` until `done` holds for its result, or fail after SETTLE_SECONDS."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        value = fetch()
        if done(value):
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"waited {SETTLE_SECONDS:.0f} s for {what}; last seen: {value!r}")
        time.sleep(0.2)


def mounted_prefix(root: httpx.Client) -> str:
    """Where the gateway serves the statement's routes: "" at the root, or the first common
    prefix under which `POST /auth/login` is a route (any answer but 404 or 405). The suite calls
    the routes there, so that a prefix costs the one test that checks the paths, not every
    test. Login is asked, not the catalog: it answers while the product service hangs."""
    for prefix in PREFIXES:
        try:
            answer = root.post(f"{prefix}/auth/login", json={})
        except httpx.HTTPError:
            continue
        if answer.status_code not in (404, 405):
            return prefix
    return ""


@pytest.fixture(scope="session")
def root() -> Iterator[httpx.Client]:
    with httpx.Client(base_url=BASE_URL, timeout=15.0) as client:
        yield client


@pytest.fixture(scope="session")
def prefix(root: httpx.Client) -> str:
    return mounted_prefix(root)


@pytest.fixture(scope="session")
def client(prefix: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=BASE_URL + prefix, timeout=15.0) as client:
        yield client


@pytest.fixture
def rng(request: pytest.FixtureRequest) -> random.Random:
    return random.Random(f"{SEED}:{request.node.nodeid}")


@pytest.fixture
def shop(client: httpx.Client, rng: random.Random) -> Shop:
    return Shop(client, rng)


@pytest.fixture
def buyer(shop: Shop) -> Account:
    return shop.account()


@pytest.fixture
def product(shop: Shop, buyer: Account) -> Json:
    return shop.product(buyer)
