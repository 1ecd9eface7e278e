"""The ASGI application: `uvicorn app.main:app`."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import sessionmaker
from starlette.concurrency import run_in_threadpool

from app import cache, seed
from app.api import feed, following, health, posts
from app.config import Settings, get_settings
from app.db import make_engine
from app.errors import AppError


def create_app(settings: Settings | None = None) -> FastAPI:
    """Wire settings, database, cache and routes into an application."""
    settings = settings or get_settings()
    engine = make_engine(settings.database_url, pool_size=settings.db_pool_size)
    redis_client = cache.connect(settings.redis_url, timeout_seconds=settings.redis_timeout_seconds)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        """Seed an empty database before serving; release connections at shutdown."""
        if settings.seed_on_startup:
            await run_in_threadpool(seed.ensure_seeded, engine)
        yield
        redis_client.close()
        engine.dispose()

    app = FastAPI(
        title="Chirp",
        version="1.5.0",
        summary="Posts, comments, follows and the home feed.",
        lifespan=lifespan,
    )
    app.state.session_factory = sessionmaker(engine, expire_on_commit=False)
    app.state.feed_cache = cache.FeedCache(
        redis_client,
        ttl_seconds=settings.feed_ttl_seconds,
        backoff_seconds=settings.redis_backoff_seconds,
    )
    for module in (health, feed, posts, following):
        app.include_router(module.router)

    @app.exception_handler(AppError)
    async def app_error(_request: Request, error: AppError) -> JSONResponse:
        """Answer a service error with its status and `{"detail": message}`."""
        return JSONResponse(status_code=error.status_code, content={"detail": str(error)})

    return app


app = create_app()
