"""The ASGI application: `uvicorn app.main:app`."""

from fastapi import FastAPI

from app.api import health
from app.config import get_settings


def create_app() -> FastAPI:
    """Build the application and register its routers."""
    get_settings()  # fail at startup, not at the first request, when JWT_SECRET is missing
    app = FastAPI(title="Task API", version="0.1.0")
    app.include_router(health.router)
    # TODO: include the auth, users, projects and tasks routers.
    return app


app = create_app()
