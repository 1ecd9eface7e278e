"""Password hashing (argon2id) and access tokens (HS256 JWT)."""

from datetime import UTC, datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

# OWASP's minimum argon2id profile: 19 MiB, 2 passes, one lane.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Verified when the email is unknown, so both failures take as long.
_DECOY = _hasher.hash("decoy password, never a real one")


def hash_password(password: str) -> str:
    """Hash a password for storage."""
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """Check a password against its hash; a missing hash checks a decoy and fails."""
    try:
        return _hasher.verify(password_hash or _DECOY, password) and password_hash is not None
    except VerificationError:
        return False


def issue_access_token(user_id: int, *, secret: str, minutes: int) -> str:
    """Sign a short-lived token the gateway verifies with the same secret."""
    now = datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "type": "access",
        "iat": now,
        "exp": now + timedelta(minutes=minutes),
    }
    return jwt.encode(claims, secret, algorithm="HS256")
