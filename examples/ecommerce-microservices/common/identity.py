"""The caller's identity as the gateway passes it on to the services behind it."""

from typing import Annotated

from fastapi import Header

from common.errors import AuthenticationError

# The gateway drops any copy a client sends and sets it from a verified token.
USER_HEADER = "X-User-Id"


def caller_id(x_user_id: Annotated[int | None, Header()] = None) -> int:
    """Return the user id the gateway vouched for, or refuse the request."""
    if x_user_id is None:
        raise AuthenticationError("authentication required")
    return x_user_id
