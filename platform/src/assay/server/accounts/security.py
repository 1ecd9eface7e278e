"""Secrets of sign-in: password hashes, signed access tokens, opaque random tokens."""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from assay.errors import Unauthorized

ALGORITHM = "HS256"
API_TOKEN_PREFIX = "asy_"  # noqa: S105 - marks a token as an API token; not a secret
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if password_hash is None:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def digest(token: str) -> str:
    """Random tokens have all the entropy they need: a plain SHA-256 is their stored form."""
    return hashlib.sha256(token.encode()).hexdigest()


def random_token(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def access_token(user_id: str, role: str, *, key: str, ttl_s: int) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": user_id,
        "role": role,
        "typ": "access",
        "iat": now,
        "exp": now + timedelta(seconds=ttl_s),
        "jti": secrets.token_hex(8),
    }
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def read_access_token(token: str, *, key: str) -> dict[str, Any]:
    try:
        claims: dict[str, Any] = jwt.decode(
            token, key, algorithms=[ALGORITHM], options={"require": ["exp", "sub", "typ"]}
        )
    except jwt.ExpiredSignatureError as error:
        raise Unauthorized("the access token has expired; refresh it or sign in again") from error
    except jwt.InvalidTokenError as error:
        raise Unauthorized("the access token is not valid") from error
    if claims.get("typ") != "access":
        raise Unauthorized("the access token is not valid")
    return claims
