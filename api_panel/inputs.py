"""Request parsing shared by the routes: JSON bodies and bounded integer arguments, with 4xx errors naming the field."""
from __future__ import annotations

from typing import Any

from flask import request

from api_panel.errors import APIError


def json_body(required: tuple[str, ...] = ()) -> dict[str, Any]:
    """The request's JSON object: 415 if not JSON, 400 if malformed, not an object or missing a field."""
    if not request.is_json:
        raise APIError("send a JSON body with Content-Type: application/json", status=415,
                       code="unsupported_media_type")
    body = request.get_json(silent=True)
    if body is None:
        raise APIError("the body is not valid JSON", code="malformed_json")
    if not isinstance(body, dict):
        raise APIError("the JSON body must be an object", code="invalid_body")
    for name in required:
        if name not in body or body[name] in (None, ""):
            raise APIError(f"{name} is required", code="missing_field", field=name)
    return body


def int_arg(name: str, default: int, minimum: int, maximum: int) -> int:
    """An integer query argument clamped to ``maximum``; 400 when it is not an integer or below ``minimum``."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise APIError(f"{name} must be an integer", field=name, code="invalid_argument") from None
    if value < minimum:
        raise APIError(f"{name} must be at least {minimum}", field=name, code="invalid_argument")
    return min(value, maximum)
