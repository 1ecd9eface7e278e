"""The ASGI application: `uvicorn app.main:app`."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import sessionmaker

from app import cache
from app.api import books, health, reviews
from app.config import Settings, get_settings
from app.db import make_engine
from app.errors import AppError

API_PREFIX = "/api/v1"  # versioned, so a v2 can live beside it; /health stays unversioned


def create_app(settings: Settings | None = None) -> FastAPI:
    """Wire settings, database, cache and routes into an application."""
    settings = settings or get_settings()
    engine = make_engine(settings.database_url)
    redis_client = cache.connect(settings.redis_url, timeout_seconds=settings.redis_timeout_seconds)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        """Release connections when the server shuts down."""
        yield
        redis_client.close()
        engine.dispose()

    app = FastAPI(
        title="Book Reviews",
        version="1.0.0",
        summary="Books, their reviews, and a cached book list.",
        lifespan=lifespan,
    )
    app.state.session_factory = sessionmaker(engine, expire_on_commit=False)
    app.state.book_cache = cache.ListCache(
        redis_client,
        namespace="books:list",
        ttl_seconds=settings.cache_ttl_seconds,
        backoff_seconds=settings.redis_backoff_seconds,
    )
    app.include_router(health.router)
    for module in (books, reviews):
        app.include_router(module.router, prefix=API_PREFIX)

    @app.exception_handler(AppError)
    async def app_error(_request: Request, error: AppError) -> JSONResponse:
        """Answer a service error with its status and `{"detail": message}`."""
        return JSONResponse(status_code=error.status_code, content={"detail": str(error)})

    return app


app = create_app()
