"""The product service's ASGI app: `uvicorn products.main:app --port 8002`."""

from fastapi import FastAPI

from common import health
from products.config import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service."""
    settings = settings or get_settings()
    app = FastAPI(title="Product service", version="0.1.0")
    app.state.settings = settings
    app.include_router(health.router)
    # TODO: the catalog (GET /products, GET /products/{id}, POST /products) and the
    #   internal reservation routes the order service calls.
    return app


app = create_app()
