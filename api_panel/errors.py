"""Every error the API returns is JSON ``{"error", "message"}`` with a 4xx status — never a traceback.

Domain exceptions map to status codes here, in one place; routes just raise.
"""
from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from pipeline.consents import ConsentError, ConsentNotFoundError, ConsentValidationError
from pipeline.lake import InvalidCustomerIdError

log = logging.getLogger(__name__)


class APIError(Exception):
    """An error with an HTTP status, a short code and a message for the person."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, status: int | None = None, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status or self.status
        self.code = code or self.code
        self.field = field


class NotFoundError(APIError):
    status, code = 404, "not_found"


class CustomerNotFoundError(NotFoundError):
    code = "customer_not_found"


class ConflictError(APIError):
    status, code = 409, "conflict"


class ForbiddenError(APIError):
    status, code = 403, "forbidden"


class OutOfScopeError(ForbiddenError):
    """The customer (or the object naming one) lies outside the caller's token scope."""

    code = "out_of_scope"


class UnauthorizedError(APIError):
    status, code = 401, "unauthorized"


def error_response(status: int, code: str, message: str, field: str | None = None):
    """The one JSON error shape."""
    body = {"error": code, "message": message}
    if field:
        body["field"] = field
    response = jsonify(body)
    response.status_code = status
    return response


def register_error_handlers(app: Flask) -> None:
    """Map domain exceptions and every HTTPException to JSON; anything unexpected becomes a logged 500 JSON."""

    @app.errorhandler(APIError)
    def _api_error(exc: APIError):
        return error_response(exc.status, exc.code, exc.message, exc.field)

    @app.errorhandler(InvalidCustomerIdError)
    def _bad_id(exc: InvalidCustomerIdError):
        return error_response(400, "invalid_customer_id", str(exc), "customer_id")

    @app.errorhandler(ConsentNotFoundError)
    def _no_consent(exc: ConsentNotFoundError):
        return error_response(404, "consent_not_found", str(exc))

    @app.errorhandler(ConsentValidationError)
    def _bad_consent(exc: ConsentValidationError):
        return error_response(400, "invalid_consent", str(exc), exc.field)

    @app.errorhandler(ConsentError)
    def _consent(exc: ConsentError):
        return error_response(403, "consent_required", str(exc))

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        code = (exc.name or "error").lower().replace(" ", "_")
        return error_response(exc.code or 500, code, exc.description or exc.name)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):  # a bug: log it for us, say nothing internal to the caller
        log.exception("unhandled error")
        return error_response(500, "internal_error", "the server could not complete the request")
