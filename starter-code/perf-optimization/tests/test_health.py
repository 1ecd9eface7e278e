from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app


def test_health_answers_ok() -> None:
    with TestClient(create_app(Settings(seed_on_startup=False))) as client:
        response = client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
