"""Request dependencies as ``Annotated`` aliases: settings, the session, the signed-in user."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from assay.catalog.loader import Problem
from assay.config import Settings
from assay.errors import Unauthorized
from assay.server.accounts import service as accounts
from assay.server.accounts.models import Role, User
from assay.server.db import session_scope
from assay.server.problems import service as problems

bearer = HTTPBearer(auto_error=False, description="A sign-in access token or an API token")


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def links_base(request: Request, settings: SettingsDep) -> str:
    """Where links handed out of the page go: the public URL, or the one this request used."""
    return (settings.public_url or str(request.base_url)).rstrip("/")


LinksDep = Annotated[str, Depends(links_base)]


def get_session(settings: SettingsDep) -> Iterator[Session]:
    """One unit of work per request: committed when the route succeeds, else rolled back.

    Its scope is the route function: the commit happens before the answer is sent (a failed
    commit is the answer) and before any background task (a dispatch) runs.
    """
    with session_scope(settings.database) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def current_user(
    session: SessionDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    if credentials is None:
        raise Unauthorized("sign in first: send 'Authorization: Bearer <token>'")
    return accounts.authenticate(
        session, credentials.credentials, signing_key=settings.signing_key()
    )


UserDep = Annotated[User, Depends(current_user)]


def staff_user(user: UserDep) -> User:
    accounts.require(user, Role.admin, Role.reviewer)
    return user


StaffDep = Annotated[User, Depends(staff_user)]


def admin_user(user: UserDep) -> User:
    accounts.require(user, Role.admin)
    return user


AdminDep = Annotated[User, Depends(admin_user)]


def keys(settings: SettingsDep) -> accounts.Keys:
    return accounts.Keys(
        signing_key=settings.signing_key(),
        access_ttl_s=settings.access_token_ttl_s,
        refresh_ttl_s=settings.refresh_token_ttl_s,
    )


KeysDep = Annotated[accounts.Keys, Depends(keys)]


def visible_problem(
    slug: str, user: UserDep, session: SessionDep, settings: SettingsDep
) -> Problem:
    return problems.visible(session, user, settings, slug)


ProblemDep = Annotated[Problem, Depends(visible_problem)]
