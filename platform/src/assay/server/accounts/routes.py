"""``/api/v1/auth``, ``/users``, ``/tokens`` and ``/invitations``."""

from fastapi import APIRouter, Response, status

from assay.server.accounts import service
from assay.server.accounts.models import Invitation
from assay.server.accounts.schemas import (
    AcceptIn,
    ApiTokenCreate,
    ApiTokenCreated,
    ApiTokenList,
    ApiTokenRead,
    InvitationCreate,
    InvitationCreated,
    InvitationList,
    InvitationRead,
    RefreshIn,
    SignIn,
    TokenPairRead,
    UserCreate,
    UserRead,
)
from assay.server.deps import (
    AdminDep,
    KeysDep,
    LinksDep,
    SessionDep,
    SettingsDep,
    StaffDep,
    UserDep,
)
from assay.server.git.service import remote_url
from assay.server.problems import service as problems

router = APIRouter(tags=["accounts"])


def _invitation(invitation: Invitation, links: str) -> InvitationRead:
    read = InvitationRead.model_validate(invitation)
    read.git_url = remote_url(links, invitation.id)
    return read


def _pair(pair: service.TokenPair) -> TokenPairRead:
    return TokenPairRead(
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        expires_in=pair.expires_in,
    )


@router.post("/auth/token")
def sign_in(body: SignIn, session: SessionDep, keys: KeysDep) -> TokenPairRead:
    """A short-lived access token and a refresh token that rotates on every use."""
    return _pair(service.sign_in(session, email=body.email, password=body.password, keys=keys))


@router.post("/auth/refresh")
def refresh(body: RefreshIn, session: SessionDep, keys: KeysDep) -> TokenPairRead:
    """Trade a refresh token for a new pair; reusing an old one revokes the whole sign-in."""
    try:
        return _pair(service.refresh(session, token=body.refresh_token, keys=keys))
    except service.RefreshReused:
        session.commit()  # the revocation stands even though the request fails
        raise


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
def sign_out(body: RefreshIn, session: SessionDep) -> Response:
    service.sign_out(session, token=body.refresh_token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/auth/accept", status_code=status.HTTP_204_NO_CONTENT)
def accept(body: AcceptIn, session: SessionDep) -> Response:
    """A candidate sets their password with the token of their invitation."""
    service.accept_invitation(session, token=body.token, password=body.password)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/users/me")
def me(user: UserDep) -> UserRead:
    return UserRead.model_validate(user)


@router.post("/users", status_code=status.HTTP_201_CREATED)
def create_user(body: UserCreate, session: SessionDep, _admin: AdminDep) -> UserRead:
    user = service.create_user(
        session, email=body.email, role=body.role, name=body.name, password=body.password
    )
    return UserRead.model_validate(user)


@router.get("/tokens")
def list_tokens(user: UserDep, session: SessionDep) -> ApiTokenList:
    tokens = service.api_tokens(session, user)
    return ApiTokenList(items=[ApiTokenRead.model_validate(token) for token in tokens])


@router.post("/tokens", status_code=status.HTTP_201_CREATED)
def create_token(body: ApiTokenCreate, user: UserDep, session: SessionDep) -> ApiTokenCreated:
    """A long-lived token for the CLI or CI; its secret is in this answer only."""
    token, secret = service.create_api_token(session, user, body.name)
    return ApiTokenCreated(**ApiTokenRead.model_validate(token).model_dump(), token=secret)


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_token(token_id: str, user: UserDep, session: SessionDep) -> Response:
    service.revoke_api_token(session, user, token_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/invitations", status_code=status.HTTP_201_CREATED)
def invite(
    body: InvitationCreate,
    user: StaffDep,
    session: SessionDep,
    settings: SettingsDep,
    links: LinksDep,
) -> InvitationCreated:
    """Invite a candidate to a problem until a deadline (their account is made if new)."""
    problem = problems.visible(session, user, settings, body.problem)
    invitation, accept_token = service.invite(
        session,
        by=user,
        email=body.email,
        problem=problem.slug,
        deadline=body.deadline,
        name=body.name,
    )
    read = _invitation(invitation, links)
    return InvitationCreated(**read.model_dump(), accept_token=accept_token)


@router.get("/invitations")
def list_invitations(user: UserDep, session: SessionDep, links: LinksDep) -> InvitationList:
    items = service.invitations(session, user)
    return InvitationList(items=[_invitation(item, links) for item in items])
