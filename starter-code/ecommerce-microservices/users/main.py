"""The user service's ASGI app: `uvicorn users.main:app --port 8001`."""

from fastapi import FastAPI

from common import health
from users.config import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service."""
    settings = settings or get_settings()
    app = FastAPI(title="User service", version="0.1.0")
    app.state.settings = settings
    app.include_router(health.router)
    # TODO: POST /auth/register, POST /auth/login, GET and PATCH /users/me.
    return app


app = create_app()
