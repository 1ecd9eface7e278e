"""The gateway's ASGI app: `uvicorn gateway.main:app --port 8000`."""

from fastapi import FastAPI

from common import health
from gateway.config import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the gateway."""
    settings = settings or get_settings()
    app = FastAPI(title="Shop API gateway", version="0.1.0")
    app.state.settings = settings
    app.include_router(health.router)
    # TODO: the public routes of the statement, forwarded to the services with httpx:
    #   authenticate bearer tokens, pass the caller on as X-User-Id (drop the client's own),
    #   rate-limit per client (429 + Retry-After), time out and break the circuit (503).
    return app


app = create_app()
