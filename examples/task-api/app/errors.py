"""Errors the services raise; one handler in `app.main` turns them into responses.

AppError (500)
 +-- AuthenticationError (401)   no credentials, or ones that are invalid, expired or revoked
 +-- PermissionDeniedError (403) a member asks for something only the owner may do
 +-- NotFoundError (404)         absent, or hidden from the caller: the same answer
 +-- ConflictError (409)         the request contradicts stored state
 +-- InvalidInputError (422)     valid JSON that refers to something it may not
"""


class AppError(Exception):
    """Base of every error the API reports as `{"detail": message}`."""

    status_code = 500


class AuthenticationError(AppError):
    """The caller is not authenticated."""

    status_code = 401


class PermissionDeniedError(AppError):
    """The caller is authenticated and may see the resource, but not do this to it."""

    status_code = 403


class NotFoundError(AppError):
    """The resource does not exist, or the caller may not know that it does."""

    status_code = 404


class ConflictError(AppError):
    """The request is valid but contradicts stored state."""

    status_code = 409


class InvalidInputError(AppError):
    """The body is well formed but names something it may not (an assignee who is no member)."""

    status_code = 422
