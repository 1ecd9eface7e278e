"""The gateway's ASGI app: `uvicorn gateway.main:app --port 8000`.

Every public request goes: route table -> authentication -> rate limit -> service.
"""

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from redis.asyncio import Redis

from common import health
from common.errors import install_error_handler
from gateway.auth import authenticate
from gateway.breaker import CircuitBreaker
from gateway.config import Settings, get_settings
from gateway.proxy import FORWARDED_RESPONSE_HEADERS, Upstream
from gateway.ratelimit import RateLimiter
from gateway.routing import resolve

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def _upstreams(
    settings: Settings, transports: Mapping[str, httpx.AsyncBaseTransport]
) -> dict[str, Upstream]:
    timeout = httpx.Timeout(settings.read_timeout_seconds, connect=settings.connect_timeout_seconds)
    urls = {
        "users": settings.users_url,
        "products": settings.products_url,
        "orders": settings.orders_url,
    }
    return {
        name: Upstream(
            name,
            httpx.AsyncClient(base_url=url, timeout=timeout, transport=transports.get(name)),
            CircuitBreaker(
                failures=settings.breaker_failures, reset_seconds=settings.breaker_reset_seconds
            ),
        )
        for name, url in urls.items()
    }


def _client_key(request: Request, user_id: int | None) -> str:
    if user_id is not None:
        return f"user:{user_id}"
    return f"ip:{request.client.host if request.client else 'unknown'}"


def create_app(
    settings: Settings | None = None,
    *,
    transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
) -> FastAPI:
    """Wire the services, the limiter and the public routes into an application."""
    settings = settings or get_settings()
    upstreams = _upstreams(settings, transports or {})
    redis = Redis.from_url(settings.redis_url, socket_timeout=0.5, socket_connect_timeout=0.5)
    limiter = RateLimiter(redis, limit=settings.rate_limit_per_second)
    secret = settings.jwt_secret.get_secret_value()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        """Close the connection pools on shutdown."""
        yield
        for upstream in upstreams.values():
            await upstream.client.aclose()
        await redis.aclose()

    app = FastAPI(title="Shop API gateway", version="1.0.0", lifespan=lifespan)
    app.include_router(health.router)
    install_error_handler(app)

    @app.api_route("/{path:path}", methods=METHODS, include_in_schema=False)
    async def gateway(request: Request, path: str) -> Response:
        """Authenticate, limit and forward one public request."""
        route = resolve(request.method, f"/{path}")
        if not route:
            status, detail = (405, "method not allowed") if route is False else (404, "not found")
            return JSONResponse({"detail": detail}, status_code=status)
        authorization = request.headers.get("authorization")
        user_id = None
        if route.authenticated or authorization:
            user_id = authenticate(authorization, secret=secret)
        if not await limiter.allow(_client_key(request, user_id)):
            return JSONResponse(
                {"detail": "rate limit exceeded"}, status_code=429, headers={"Retry-After": "1"}
            )
        answer = await upstreams[route.service].forward(
            request.method,
            f"/{path}",
            query=request.url.query,
            headers=request.headers,
            body=await request.body(),
            user_id=user_id,
        )
        headers = {
            name: answer.headers[name]
            for name in FORWARDED_RESPONSE_HEADERS
            if name in answer.headers
        }
        return Response(answer.content, status_code=answer.status_code, headers=headers)

    return app


app = create_app()
