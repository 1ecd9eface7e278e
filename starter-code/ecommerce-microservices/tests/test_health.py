import os

import pytest
from fastapi.testclient import TestClient

os.environ.setdefault("JWT_SECRET", "a-local-test-key-of-at-least-32-characters")

from gateway.main import create_app as gateway  # noqa: E402
from orders.main import create_app as orders  # noqa: E402
from products.main import create_app as products  # noqa: E402
from users.main import create_app as users  # noqa: E402


@pytest.mark.parametrize("create_app", [gateway, users, products, orders])
def test_health_answers_ok(create_app) -> None:
    with TestClient(create_app()) as client:
        response = client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
