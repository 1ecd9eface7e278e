"""The ASGI application: `uvicorn app.main:app`."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse
from sqlalchemy.orm import sessionmaker

from app.api import auth, health, projects, tasks, users
from app.config import Settings, get_settings
from app.db import make_engine
from app.errors import AppError


def create_app(settings: Settings | None = None) -> FastAPI:
    """Wire settings, database and routes into an application."""
    settings = settings or get_settings()
    engine = make_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        """Release connections when the server shuts down."""
        yield
        engine.dispose()

    app = FastAPI(
        title="Task API",
        version="1.0.0",
        summary="Projects, their members and their tasks, behind JWT authentication.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.session_factory = sessionmaker(engine, expire_on_commit=False)
    for module in (health, auth, users, projects, tasks):
        app.include_router(module.router)

    @app.exception_handler(AppError)
    async def app_error(_request: Request, error: AppError) -> JSONResponse:
        """Answer a service error with its status and `{"detail": message}`."""
        headers = (
            {"WWW-Authenticate": "Bearer"}
            if error.status_code == status.HTTP_401_UNAUTHORIZED
            else None
        )
        return JSONResponse(
            status_code=error.status_code, content={"detail": str(error)}, headers=headers
        )

    return app


app = create_app()
