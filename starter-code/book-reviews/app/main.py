"""The ASGI application: `uvicorn app.main:app`."""

from fastapi import FastAPI

from app.api import health


def create_app() -> FastAPI:
    """Build the application and register its routers."""
    app = FastAPI(title="Book Reviews", version="0.1.0")
    app.include_router(health.router)
    # TODO: include the books and reviews routers.
    return app


app = create_app()
