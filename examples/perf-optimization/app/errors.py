"""Errors the services raise; the API maps each to its status code.

AppError (400)
├── NotFoundError (404)
└── InvalidRequestError (422)
"""


class AppError(Exception):
    """A failure the client caused, with the HTTP status that describes it."""

    status_code = 400


class NotFoundError(AppError):
    """A referenced user or post does not exist."""

    status_code = 404


class InvalidRequestError(AppError):
    """The request is well formed but not allowed (following yourself)."""

    status_code = 422
