"""The order service's ASGI app: `uvicorn orders.main:app --port 8003`."""

from fastapi import FastAPI
from redis import Redis
from sqlalchemy.orm import sessionmaker

from common import health
from common.db import make_engine
from common.errors import install_error_handler
from orders import routes
from orders.config import Settings, get_settings
from orders.events import EventBus
from orders.inventory import Inventory, make_inventory


def create_app(settings: Settings | None = None, *, inventory: Inventory | None = None) -> FastAPI:
    """Wire settings, database, queue, the product service and routes into an application."""
    settings = settings or get_settings()
    app = FastAPI(title="Order service", version="1.0.0")
    app.state.settings = settings
    app.state.session_factory = sessionmaker(make_engine(settings.database_url))
    app.state.inventory = inventory or make_inventory(
        settings.products_url, settings.products_timeout_seconds
    )
    app.state.bus = EventBus(Redis.from_url(settings.redis_url, decode_responses=True))
    app.include_router(health.router)
    app.include_router(routes.router)
    install_error_handler(app)
    return app


app = create_app()
