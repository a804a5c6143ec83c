"""Every error answers ``{"error": {"parameter": name or null, "message": ...}}``."""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from indexer.base import QueryError
from search_api.catalogue import Unavailable
from search_api.params import ParameterError

logger = logging.getLogger("search_api")


class NotFound(LookupError):
    def __init__(self, parameter: str | None, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


def error_response(status: int, parameter: str | None, message: str, headers=None) -> JSONResponse:
    return JSONResponse({"error": {"parameter": parameter, "message": message}}, status_code=status,
                        headers=headers)


def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    first = (exc.errors() or [{}])[0]
    loc = [str(part) for part in first.get("loc", ()) if part not in ("query", "path", "body", "header")]
    message = first.get("msg", "invalid value")
    if first.get("input") is not None and first.get("type") != "missing":
        message = f"{message} (got {str(first['input'])[:100]!r})"
    return error_response(422, loc[0] if loc else None, message)


def install(app: FastAPI) -> None:
    @app.exception_handler(ParameterError)
    async def parameter_error(request: Request, exc: ParameterError):
        return error_response(exc.status, exc.parameter, exc.message)

    @app.exception_handler(QueryError)
    async def query_error(request: Request, exc: QueryError):
        return error_response(422, exc.parameter, exc.message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        return _validation(request, exc)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound):
        return error_response(404, exc.parameter, exc.message)

    @app.exception_handler(Unavailable)
    async def unavailable(request: Request, exc: Unavailable):
        return error_response(503, None, str(exc), headers={"Retry-After": "30"})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such endpoint: {request.url.path[:200]}"
        return error_response(exc.status_code, None, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception):
        logger.exception("%s %s failed", request.method, request.url.path)
        return error_response(500, None, "internal error")
