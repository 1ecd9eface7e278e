"""Accounts: create users, sign in and out, rotate refresh tokens, manage API tokens, invite.

Plain functions on a session; they flush, the caller commits.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from assay.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from assay.server.accounts import security
from assay.server.accounts.models import ApiToken, Invitation, RefreshToken, Role, User
from assay.server.ids import new_id

SIGN_IN_FAILED = "wrong email or password"


class RefreshReused(Unauthorized):
    """A rotated refresh token came back: its family is revoked, and that must be kept."""


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int


@dataclass(frozen=True)
class Keys:
    """What signing needs: the key and how long each kind of token lives."""

    signing_key: str
    access_ttl_s: int
    refresh_ttl_s: int


def _now() -> datetime:
    return datetime.now(UTC)


def create_user(
    session: Session, *, email: str, role: Role, name: str = "", password: str | None = None
) -> User:
    email = email.strip().lower()
    if session.scalar(select(User).where(User.email == email)) is not None:
        raise Conflict(f"a user with email {email} already exists")
    user = User(
        email=email,
        name=name,
        role=role,
        password_hash=security.hash_password(password) if password else None,
    )
    session.add(user)
    session.flush()
    return user


def user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email.strip().lower()))


def _issue(session: Session, user: User, keys: Keys, family: str) -> TokenPair:
    refresh = security.random_token()
    session.add(
        RefreshToken(
            user_id=user.id,
            family=family,
            token_hash=security.digest(refresh),
            expires_at=_now() + timedelta(seconds=keys.refresh_ttl_s),
        )
    )
    session.flush()
    access = security.access_token(
        user.id, user.role, key=keys.signing_key, ttl_s=keys.access_ttl_s
    )
    return TokenPair(access, refresh, keys.access_ttl_s)


def sign_in(session: Session, *, email: str, password: str, keys: Keys) -> TokenPair:
    user = user_by_email(session, email)
    if user is None or not security.verify_password(user.password_hash, password):
        raise Unauthorized(SIGN_IN_FAILED)
    return _issue(session, user, keys, family=new_id())


def refresh(session: Session, *, token: str, keys: Keys) -> TokenPair:
    """Rotate a refresh token; a token used twice means it leaked: its whole family is revoked."""
    stored = session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == security.digest(token))
    )
    if stored is None or stored.revoked_at is not None:
        raise Unauthorized("the refresh token is not valid")
    if stored.used_at is not None:
        revoke_family(session, stored.family)
        raise RefreshReused("the refresh token was already used: every token of it is revoked")
    if stored.expires_at <= _now():
        raise Unauthorized("the refresh token has expired; sign in again")
    stored.used_at = _now()
    user = session.get_one(User, stored.user_id)
    return _issue(session, user, keys, family=stored.family)


def revoke_family(session: Session, family: str) -> None:
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.family == family, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=_now())
    )


def sign_out(session: Session, *, token: str) -> None:
    stored = session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == security.digest(token))
    )
    if stored is not None:
        revoke_family(session, stored.family)


def create_api_token(session: Session, user: User, name: str) -> tuple[ApiToken, str]:
    """A new API token and its secret, which is shown once and never stored."""
    secret = security.random_token(security.API_TOKEN_PREFIX)
    token = ApiToken(
        user_id=user.id,
        name=name,
        prefix=secret[: len(security.API_TOKEN_PREFIX) + 6],
        token_hash=security.digest(secret),
    )
    session.add(token)
    session.flush()
    return token, secret


def api_tokens(session: Session, user: User) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at)
    return list(session.scalars(query))


def revoke_api_token(session: Session, user: User, token_id: str) -> None:
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(f"no API token {token_id}")
    token.revoked_at = token.revoked_at or _now()


def authenticate(session: Session, bearer: str, *, signing_key: str) -> User:
    """The user behind a bearer token: an API token, or a signed access token."""
    if bearer.startswith(security.API_TOKEN_PREFIX):
        token = session.scalar(
            select(ApiToken).where(ApiToken.token_hash == security.digest(bearer))
        )
        if token is None or token.revoked_at is not None:
            raise Unauthorized("the API token is not valid or was revoked")
        token.last_used_at = _now()
        user = session.get(User, token.user_id)
    else:
        claims = security.read_access_token(bearer, key=signing_key)
        user = session.get(User, str(claims["sub"]))
    if user is None:
        raise Unauthorized("the account no longer exists")
    return user


def require(user: User, *roles: Role) -> None:
    if user.role not in roles:
        raise Forbidden(f"this needs the role {' or '.join(roles)}")


def invite(
    session: Session,
    *,
    by: User,
    email: str,
    problem: str,
    deadline: datetime,
    name: str = "",
) -> tuple[Invitation, str]:
    """Invite a candidate (made on first invitation) to a problem; returns the accept token."""
    require(by, Role.admin, Role.reviewer)
    if deadline <= _now():
        raise InvalidInput("the deadline is in the past")
    candidate = user_by_email(session, email)
    if candidate is None:
        candidate = create_user(session, email=email, role=Role.candidate, name=name)
    elif candidate.role is not Role.candidate:
        raise Conflict(f"{email} belongs to a {candidate.role}, not a candidate")
    accept = security.random_token()
    invitation = Invitation(
        candidate_id=candidate.id,
        problem=problem,
        invited_by=by.id,
        deadline=deadline,
        accept_token_hash=security.digest(accept),
    )
    session.add(invitation)
    session.flush()
    return invitation, accept


def accept_invitation(session: Session, *, token: str, password: str) -> User:
    """The candidate sets a password with the token of their invitation (once)."""
    invitation = session.scalar(
        select(Invitation).where(Invitation.accept_token_hash == security.digest(token))
    )
    if invitation is None:
        raise Unauthorized("the invitation token is not valid or was already used")
    if len(password) < 10:
        raise InvalidInput("the password needs at least 10 characters")
    invitation.accept_token_hash = None
    user = session.get_one(User, invitation.candidate_id)
    user.password_hash = security.hash_password(password)
    return user


def invitations(session: Session, user: User) -> list[Invitation]:
    query = select(Invitation).order_by(Invitation.created_at.desc())
    if not user.is_staff:
        query = query.where(Invitation.candidate_id == user.id)
    return list(session.scalars(query))


def open_invitation(session: Session, user: User, problem: str) -> Invitation:
    """The invitation that lets ``user`` submit to ``problem`` now; staff need none."""
    query = (
        select(Invitation)
        .where(Invitation.candidate_id == user.id, Invitation.problem == problem)
        .order_by(Invitation.deadline.desc())
    )
    invitation = session.scalars(query).first()
    if invitation is None:
        raise NotFound(f"no invitation to {problem}")
    if invitation.deadline <= _now():
        raise InvalidInput(
            f"the deadline for {problem} passed at {invitation.deadline:%Y-%m-%d %H:%M} UTC"
        )
    return invitation


def start_clock(session: Session, user: User, problem: str) -> None:
    """Note when a candidate first takes a problem's starter: their time box counts from there."""
    if user.is_staff:
        return
    query = select(Invitation).where(
        Invitation.candidate_id == user.id,
        Invitation.problem == problem,
        Invitation.started_at.is_(None),
    )
    for invitation in session.scalars(query):
        invitation.started_at = _now()
