"""The API's coded errors and the handlers that turn every failure into
``{"error": {"code", "message", "hint"}}`` with a 4xx status (503 while the store cannot be
read), never a bare 500 for bad input."""

from __future__ import annotations

import logging
import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from communique.errors import CommuniqueError, StoreError
from communique.query import QueryError

_WHERE = "communique/api"

# Seconds a client should wait before retrying while the store is locked by an ingest.
RETRY_AFTER_SECONDS = 5

_log = logging.getLogger("communique.api")


class ParameterError(QueryError):
    """A query or path parameter has the wrong type or is out of range."""

    code = "C602"


class NotFoundError(QueryError):
    """No such event, article, endpoint or data file."""

    code = "C604"


class ReadOnlyError(QueryError):
    """A method the path does not take: any write but POST /api/ingest."""

    code = "C605"


class StoreBusyError(StoreError):
    """The store is locked by a writer (an ingest) and could not be opened in time."""

    code = "C301"


class InternalError(CommuniqueError):
    """A failure that is a bug: reported, with the details in the server's log."""

    code = "C699"


class ApiError(CommuniqueError):
    """An error of the write endpoint with its own HTTP status (and headers)."""

    status = 400

    def headers(self) -> dict[str, str]:
        return {}


class InvalidBodyError(ApiError):
    """The body of a write request is not the JSON it must be, or some of its dispatches
    cannot be read; ``problems`` lists each one (where, code, message, hint)."""

    code = "C603"

    def __init__(
        self,
        message: str,
        *,
        where: str | None = None,
        hint: str | None = None,
        problems: list[dict[str, str | None]] | None = None,
        status: int = 400,
    ) -> None:
        super().__init__(message, where=where, hint=hint)
        self.problems = problems or []
        self.status = status


class WritesDisabledError(ApiError):
    """A write request to a server started without a write token."""

    code = "C606"
    status = 403


class UnauthorizedError(ApiError):
    """A write request without the right bearer token."""

    code = "C607"
    status = 401

    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": 'Bearer realm="communique"'}


class PayloadTooLargeError(ApiError):
    """A write request over the size or dispatch-count limit."""

    code = "C608"
    status = 413


class RateLimitedError(ApiError):
    """Too many requests from one client address; retry after ``retry_after`` seconds."""

    code = "C609"
    status = 429

    def __init__(
        self, message: str, *, retry_after: float, where: str | None = None, hint: str | None = None
    ) -> None:
        super().__init__(message, where=where, hint=hint)
        self.retry_after = retry_after

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(max(1, math.ceil(self.retry_after)))}


def error_body(exc: CommuniqueError) -> dict[str, Any]:
    error: dict[str, Any] = {"code": exc.code, "message": exc.message, "hint": exc.hint}
    if isinstance(exc, InvalidBodyError) and exc.problems:
        error["problems"] = exc.problems
    return {"error": error}


def status_of(exc: CommuniqueError) -> int:
    if isinstance(exc, ApiError):
        return exc.status
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, ReadOnlyError):
        return 405
    if isinstance(exc, QueryError):
        return 400
    if isinstance(exc, StoreError):
        return 503
    return 500


def error_response(exc: CommuniqueError) -> JSONResponse:
    """The coded JSON answer to ``exc``, with its status and headers."""
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if isinstance(exc, StoreBusyError) else {}
    if isinstance(exc, ApiError):
        headers = exc.headers()
    return JSONResponse(error_body(exc), status_code=status_of(exc), headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("query", "path")]
        name = ".".join(loc) or "request"
        parts.append(f"{name}: {err.get('msg', 'invalid value')}")
    return "; ".join(parts) or "invalid parameters"


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on ``app``."""

    async def on_communique(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, CommuniqueError)
        return error_response(exc)

    async def on_validation(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return error_response(
            ParameterError(
                _validation_message(exc),
                where=_WHERE,
                hint="see /api/openapi.json for each endpoint's parameters and their ranges",
            )
        )

    async def on_http(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 404:
            error: CommuniqueError = NotFoundError(
                "no such page or endpoint",
                where=_WHERE,
                hint="the API lives under /api (see /api/openapi.json); the web UI at /",
            )
        elif exc.status_code == 405:
            error = ReadOnlyError(
                "method not allowed here",
                where=_WHERE,
                hint="reads use GET; the one write is POST /api/ingest, on servers started "
                "with a write token",
            )
        else:
            error = QueryError(str(exc.detail), where=_WHERE, hint="see /api/openapi.json")
        return error_response(error)

    async def on_anything(_: Request, exc: Exception) -> JSONResponse:
        _log.exception("internal error", exc_info=exc)
        return error_response(
            InternalError(
                f"internal error ({type(exc).__name__})",
                where=_WHERE,
                hint="this is a bug: report it with the request and the server's log",
            )
        )

    app.add_exception_handler(CommuniqueError, on_communique)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_anything)
