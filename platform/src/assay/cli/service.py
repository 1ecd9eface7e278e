"""Run the service: ``assay serve``, ``assay worker``, ``assay db upgrade``, and the accounts
an operator makes on the server's host (``assay users create``, ``assay tokens create``)."""

import socket
from typing import Annotated

import typer
import uvicorn

from assay.cli.output import console, reported
from assay.config import get_settings
from assay.errors import NotFound
from assay.server import migrate
from assay.server.accounts import service as accounts
from assay.server.accounts.models import Role
from assay.server.db import session_scope


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="API processes.")] = 1,
) -> None:
    """Serve the API and the dashboard (the embedded SQLite database is migrated first)."""
    settings = get_settings()
    if not settings.database_url:
        migrate.upgrade(settings.database)
    uvicorn.run(
        "assay.server.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
    )


def worker(
    concurrency: Annotated[
        int | None, typer.Option(min=1, help="Gradings at once (default ASSAY_WORKER_CONCURRENCY).")
    ] = None,
    queues: Annotated[
        str | None,
        typer.Option(help="Comma-separated queues (default: gradings,pulls; pulls alone reports)."),
    ] = None,
) -> None:
    """Grade submissions from the queue, one pod per grading, on this host's Docker engine."""
    from assay.server.worker import (  # noqa: PLC0415 - connects at import
        GRADING_QUEUE,
        PULLS_QUEUE,
        celery,
    )

    settings = get_settings()
    celery.worker_main(
        [
            "worker",
            "--loglevel=INFO",
            f"--concurrency={concurrency or settings.worker_concurrency}",
            "--queues",
            queues or f"{GRADING_QUEUE},{PULLS_QUEUE}",
            "--hostname",
            f"assay@{socket.gethostname()}",
        ]
    )


def upgrade() -> None:
    """Bring the database to the latest schema (creates it when empty)."""
    settings = get_settings()
    migrate.upgrade(settings.database)
    console.print(f"database at the latest schema: {settings.database.split('@')[-1]}")


def create_user(
    email: Annotated[str, typer.Argument(help="The user's email, their sign-in name.")],
    role: Annotated[Role, typer.Option(help="admin, reviewer or candidate.")] = Role.reviewer,
    name: Annotated[str, typer.Option(help="Display name.")] = "",
    password: Annotated[
        str | None, typer.Option(help="Prompted for when omitted.", envvar="ASSAY_NEW_PASSWORD")
    ] = None,
) -> None:
    """Create a user directly in the database (on the server's host)."""
    if password is None:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    with reported(), session_scope(get_settings().database) as session:
        user = accounts.create_user(session, email=email, role=role, name=name, password=password)
        console.print(f"created {user.role} {user.email} ({user.id})")


def create_token(
    email: Annotated[str, typer.Argument(help="Whose token it is.")],
    name: Annotated[str, typer.Option(help="What it is for, e.g. ci.")] = "cli",
) -> None:
    """Create an API token for a user and print it (it is shown only this once)."""
    with reported(), session_scope(get_settings().database) as session:
        user = accounts.user_by_email(session, email)
        if user is None:
            raise NotFound(f"no user {email}")
        _token, secret = accounts.create_api_token(session, user, name)
    print(secret)
