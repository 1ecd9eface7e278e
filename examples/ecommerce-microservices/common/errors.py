"""Errors a service raises; `install_error_handler` turns them into `{"detail": message}`.

ServiceError (500)
 +-- AuthenticationError (401)   no caller identity, or one that is invalid
 +-- NotFoundError (404)         absent, or not the caller's: the same answer
 +-- ConflictError (409)         the request contradicts stored state (stock, duplicates)
 +-- InvalidInputError (422)     well-formed JSON that refers to something it may not
 +-- UnavailableError (503)      a service this one depends on did not answer in time
"""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse


class ServiceError(Exception):
    """Base of every error a service reports as `{"detail": message}`."""

    status_code = 500


class AuthenticationError(ServiceError):
    """The caller is not authenticated."""

    status_code = 401


class NotFoundError(ServiceError):
    """The resource does not exist, or the caller may not know that it does."""

    status_code = 404


class ConflictError(ServiceError):
    """The request is valid but contradicts stored state."""

    status_code = 409


class InvalidInputError(ServiceError):
    """The body is well formed but names something it may not."""

    status_code = 422


class UnavailableError(ServiceError):
    """A dependency is down or too slow; the caller may retry later."""

    status_code = 503


def install_error_handler(app: FastAPI) -> None:
    """Answer every `ServiceError` with its status code and message."""

    @app.exception_handler(ServiceError)
    async def service_error(_request: Request, error: ServiceError) -> JSONResponse:
        """Render the error; 503 tells the client when to come back."""
        headers = {"Retry-After": "5"} if error.status_code == 503 else None
        return JSONResponse(
            status_code=error.status_code, content={"detail": str(error)}, headers=headers
        )
