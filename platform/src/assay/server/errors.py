"""Every error leaves the API as ``application/problem+json`` (RFC 9457), with its reason."""

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException

from assay.errors import AssayError, TooManyRequests, Unauthorized

MEDIA_TYPE = "application/problem+json"
DATABASE_RETRY_S = 5


def problem(request: Request, status: int, detail: str, **extra: Any) -> JSONResponse:
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE)


async def _assay_error(request: Request, error: Exception) -> JSONResponse:
    if not isinstance(error, AssayError):  # registered for this type only
        raise error
    response = problem(request, error.status, error.message)
    if isinstance(error, Unauthorized):
        response.headers["WWW-Authenticate"] = "Bearer"
    if isinstance(error, TooManyRequests):
        response.headers["Retry-After"] = str(error.retry_after_s)
    return response


async def _invalid_request(request: Request, error: Exception) -> JSONResponse:
    if not isinstance(error, RequestValidationError):  # registered for this type only
        raise error
    errors = [
        {"where": ".".join(str(part) for part in item["loc"]), "problem": item["msg"]}
        for item in error.errors()
    ]
    detail = "; ".join(f"{item['where']}: {item['problem']}" for item in errors)
    return problem(request, 422, detail, errors=errors)


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    if not isinstance(error, HTTPException):  # registered for this type only
        raise error
    response = problem(request, error.status_code, str(error.detail))
    for key, value in (error.headers or {}).items():
        response.headers[key] = value
    return response


async def _database_down(request: Request, error: Exception) -> JSONResponse:
    response = problem(request, 503, "the database is unavailable; nothing was changed: retry")
    response.headers["Retry-After"] = str(DATABASE_RETRY_S)
    return response


def install(app: FastAPI) -> None:
    app.add_exception_handler(AssayError, _assay_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(OperationalError, _database_down)
