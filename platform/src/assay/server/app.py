"""The FastAPI application: the API under ``/api/v1``, the dashboard, and operations.

``create_app(settings)`` builds one app per settings, so tests and ``assay serve`` alike
choose their database and broker explicitly.
"""

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from assay.config import Settings, get_settings
from assay.server import errors
from assay.server.accounts.routes import router as accounts_router
from assay.server.dashboard import routes as dashboard
from assay.server.db import engine_for
from assay.server.git import routes as git
from assay.server.metrics import Metrics
from assay.server.problems.routes import router as problems_router
from assay.server.pulls.routes import router as pulls_router
from assay.server.reviews.routes import router as reviews_router
from assay.server.submissions.routes import router as submissions_router
from assay.server.worker import celery, configure

API_PREFIX = "/api/v1"


def _ready(settings: Settings) -> dict[str, str]:
    """What the API depends on, each ``ok`` or the reason it is not."""
    checks = {}
    try:
        with engine_for(settings.database).connect() as connection:
            connection.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except SQLAlchemyError as error:
        checks["database"] = f"unavailable: {type(error).__name__}"
    try:
        with celery.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
        checks["broker"] = "ok"
    except Exception as error:  # kombu raises many kinds; any of them means not ready
        checks["broker"] = f"unavailable: {type(error).__name__}"
    return checks


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="Assay",
        version="1",
        summary="Grades backend take-home submissions in a hardened sandbox.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    configure(celery, settings)
    errors.install(app)
    metrics = Metrics(settings.database)
    app.middleware("http")(metrics.measure)

    api = APIRouter(prefix=API_PREFIX)
    api.include_router(accounts_router)
    api.include_router(problems_router)
    api.include_router(submissions_router)
    api.include_router(reviews_router)
    api.include_router(git.api_router)
    api.include_router(pulls_router)
    app.include_router(api)
    app.include_router(git.router)
    dashboard.install(app)

    @app.get("/healthz", tags=["operations"])
    def healthz() -> dict[str, str]:
        """The process answers."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["operations"])
    def readyz(request: Request) -> JSONResponse:
        """The database and the broker answer; 503 naming the one that does not."""
        checks = _ready(request.app.state.settings)
        ready = all(value == "ok" for value in checks.values())
        return JSONResponse(checks, status_code=200 if ready else 503)

    @app.get("/metrics", tags=["operations"], include_in_schema=False)
    def scrape() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return app
