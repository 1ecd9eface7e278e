"""Access tokens, as the user service signs them (HS256, `sub` = user id, `type` = access)."""

import jwt

from common.errors import AuthenticationError


def authenticate(authorization: str | None, *, secret: str) -> int:
    """Return the user id of a valid `Bearer` token, or refuse."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise AuthenticationError("authentication required")
    try:
        claims = jwt.decode(
            token, secret, algorithms=["HS256"], options={"require": ["sub", "exp"]}
        )
    except jwt.PyJWTError as error:
        raise AuthenticationError("invalid or expired token") from error
    subject = claims["sub"]
    if claims.get("type") != "access" or not str(subject).isdigit():
        raise AuthenticationError("invalid or expired token")
    return int(subject)
