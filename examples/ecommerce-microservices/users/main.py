"""The user service's ASGI app: `uvicorn users.main:app --port 8001`."""

from fastapi import FastAPI
from sqlalchemy.orm import sessionmaker

from common import health
from common.db import make_engine
from common.errors import install_error_handler
from users import routes
from users.config import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Wire settings, database and routes into an application."""
    settings = settings or get_settings()
    app = FastAPI(title="User service", version="1.0.0")
    app.state.settings = settings
    app.state.session_factory = sessionmaker(make_engine(settings.database_url))
    app.include_router(health.router)
    app.include_router(routes.router)
    install_error_handler(app)
    return app


app = create_app()
