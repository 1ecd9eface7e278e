"""Password hashing and tokens: the only module that touches argon2 and JWT.

Access tokens are short-lived JWTs (HS256) that are checked without the database.
Refresh tokens are opaque random strings; only their SHA-256 digest is stored, so a
leaked table cannot be replayed, and each one is single use.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ALGORITHM = "HS256"
ACCESS = "access"

# OWASP's minimum argon2id profile (19 MiB, 2 passes): slow for an attacker, and cheap
# enough that a one-CPU server keeps answering while people log in.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
# Verified against when the email is unknown, so both failures take the same time.
_DECOY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class InvalidTokenError(Exception):
    """A token that is malformed, badly signed, expired or of the wrong type."""


@dataclass(frozen=True)
class AccessClaims:
    """What a valid access token says."""

    user_id: int
    expires_at: datetime


def hash_password(password: str) -> str:
    """Hash a password with a fresh salt (argon2id)."""
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """Check a password against its hash; without a hash, take as long and fail."""
    try:
        _hasher.verify(password_hash or _DECOY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    return password_hash is not None


def create_access_token(user_id: int, *, secret: str, lifetime: timedelta) -> str:
    """Sign an access token for a user."""
    now = datetime.now(UTC)
    claims = {"sub": str(user_id), "type": ACCESS, "iat": now, "exp": now + lifetime}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def decode_access_token(token: str, *, secret: str) -> AccessClaims:
    """Verify an access token's signature, expiry and type, and return its claims."""
    try:
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub"]}
        )
        user_id = int(claims["sub"])
    except (jwt.PyJWTError, ValueError, TypeError) as error:
        raise InvalidTokenError(str(error)) from error
    if claims.get("type") != ACCESS:
        raise InvalidTokenError("not an access token")
    return AccessClaims(user_id=user_id, expires_at=datetime.fromtimestamp(claims["exp"], UTC))


def new_refresh_token() -> str:
    """Return a new opaque refresh token (256 random bits)."""
    return secrets.token_urlsafe(32)


def digest_refresh_token(token: str) -> str:
    """Return the digest under which a refresh token is stored and looked up."""
    return hashlib.sha256(token.encode()).hexdigest()
