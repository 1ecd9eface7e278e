"""Browser sign-in: a signed session token in an HttpOnly cookie, and CSRF tokens for forms.

The session cookie is ``SameSite=Lax`` and unreadable by scripts. Every form carries a token
that is an HMAC of a random per-browser secret (its own cookie) under the signing key: a page
of another site can neither read the token nor forge one.
"""

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

import jwt
from fastapi import Request, Response

SESSION_COOKIE = "assay_session"
CSRF_COOKIE = "assay_csrf"
SESSION_TTL_S = 12 * 3600
ALGORITHM = "HS256"
KIND = "page"


def session_token(user_id: str, *, key: str, ttl_s: int = SESSION_TTL_S) -> str:
    now = datetime.now(UTC)
    claims = {"sub": user_id, "typ": KIND, "iat": now, "exp": now + timedelta(seconds=ttl_s)}
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def session_user(token: str | None, *, key: str) -> str | None:
    """The user id a session cookie names, or None when it is missing, expired or forged."""
    if not token:
        return None
    try:
        claims = jwt.decode(
            token, key, algorithms=[ALGORITHM], options={"require": ["exp", "sub", "typ"]}
        )
    except jwt.InvalidTokenError:
        return None
    return str(claims["sub"]) if claims.get("typ") == KIND else None


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def set_session(response: Response, request: Request, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=SESSION_TTL_S,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )


def clear_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


def csrf_secret(request: Request) -> tuple[str, bool]:
    """This browser's CSRF secret, and whether it is new (and must be set as a cookie)."""
    secret = request.cookies.get(CSRF_COOKIE)
    if secret and len(secret) >= 32:
        return secret, False
    return secrets.token_urlsafe(32), True


def set_csrf_secret(response: Response, request: Request, secret: str) -> None:
    response.set_cookie(
        CSRF_COOKIE, secret, httponly=True, samesite="strict", secure=_secure(request), path="/"
    )


def csrf_token(secret: str, *, key: str) -> str:
    return hmac.new(key.encode(), f"csrf:{secret}".encode(), hashlib.sha256).hexdigest()


def csrf_valid(request: Request, token: str, *, key: str) -> bool:
    secret = request.cookies.get(CSRF_COOKIE)
    if not secret or not token:
        return False
    return hmac.compare_digest(csrf_token(secret, key=key), token)


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site, never another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
