"""The order service's ASGI app: `uvicorn orders.main:app --port 8003`."""

from fastapi import FastAPI

from common import health
from orders.config import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service."""
    settings = settings or get_settings()
    app = FastAPI(title="Order service", version="0.1.0")
    app.state.settings = settings
    app.include_router(health.router)
    # TODO: POST /orders (reserve stock, Idempotency-Key), GET /orders, GET /orders/{id}.
    return app


app = create_app()
