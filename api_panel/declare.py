"""Each endpoint declares its input once, in its view's signature; validation and the OpenAPI document both come
from that declaration, so they cannot drift.

- ``query: SomeQuery`` — a pydantic model of the query string;
- ``json: SomeBody`` — a pydantic model of the JSON body (or a type whose schema is a JSON Schema, see
  :func:`json_schema_type`, for bodies defined that way);
- a path parameter's annotation (a ``Literal`` of the values it takes, or a constrained ``str``).

spectree (:data:`api`) validates the query and the body and turns their models into the document's parameters
and request bodies (:mod:`api_panel.openapi`); :func:`declared` adds the path parameters and the JSON body's
media-type check (415). A validation error becomes our error contract (:func:`contract_error`): 400
``{"error": "missing_field" | "invalid_argument" | <the model's code>, "message", "field"}`` naming the field,
raised before the view runs, so a malformed customer id never reaches the file system; a declared
``customer_id`` outside the caller's token scope is a 403 ``out_of_scope``, also before the view runs.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Annotated, Any, get_type_hints

from flask import request
from pydantic import BaseModel, Field, PlainValidator, TypeAdapter, ValidationError, WithJsonSchema, WrapValidator
from pydantic_core import PydanticCustomError, core_schema
from spectree import SpecTree

from api_panel.access import require_in_scope
from api_panel.errors import APIError, NotFoundError
from pipeline.lake import CUSTOMER_ID_PATTERN, InvalidCustomerIdError, validate_customer_id

REQUEST_PARTS = ("query", "json", "form", "headers", "cookies")
# the lake checks ids with Python's re under re.ASCII; in a document \d would read as any script's digit
CUSTOMER_ID_SCHEMA = {"type": "string", "pattern": CUSTOMER_ID_PATTERN.pattern.replace(r"\d", "[0-9]"),
                      "description": "customer id, CUST_XXX_NNNNN"}
_ERROR_CODES: dict[str, str] = {}  # model name -> the code its invalid fields are reported with


def _refuse(_req, _resp, error: Exception | None, _instance, _adapter) -> None:
    """spectree's hook after validating a request: a validation error becomes our JSON error contract."""
    if error is not None:
        raise contract_error(error)


api = SpecTree("flask", mode="strict", annotations=True, validation_error_status=400, before=_refuse,
               naming_strategy=lambda model: model.__name__, nested_naming_strategy=lambda _parent, child: child)


def field_name(loc: tuple) -> str:
    """A pydantic error location as our ``field``: ``customer_ids[3]``, ``events[0].status``."""
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


def contract_error(error: ValidationError) -> APIError:
    """The first problem of a validation error as a 400 naming its field. Codes: ``missing_field`` (absent or
    empty), a custom code a validator raised (``invalid_customer_id``), ``invalid_body`` (not a JSON object),
    else the model's ``error_code`` or ``invalid_argument``."""
    first = error.errors(include_url=False)[0]
    kind, ctx = first["type"], first.get("ctx") or {}
    field = ctx.get("field") or field_name(first["loc"])
    if kind == "missing" or kind == "missing_field":
        return APIError(f"{field} is required", code="missing_field", field=field)
    if not first["loc"] and kind in ("model_type", "model_attributes_type", "dict_type"):
        return APIError("the JSON body must be an object", code="invalid_body")
    if ctx.get("reason"):  # a custom error (PydanticCustomError) with its own code and message
        return APIError(str(ctx["reason"]), code=kind, field=field or None)
    code = _ERROR_CODES.get(getattr(error, "title", ""), "invalid_argument")
    return APIError(f"{field}: {first['msg']}" if field else first["msg"], code=code, field=field or None)


def refusal(code: str, reason: str, **context: Any) -> PydanticCustomError:
    """An error a validator raises to choose its code and message (``context`` may name the ``field``)."""
    return PydanticCustomError(code, "{reason}", {"reason": reason, **context})


def _customer_id(value: Any) -> str:
    if value is None or value == "":
        raise refusal("missing_field", "customer_id is required")
    try:
        return validate_customer_id(value)
    except InvalidCustomerIdError as exc:
        raise refusal("invalid_customer_id", str(exc)) from None


CustomerId = Annotated[str, PlainValidator(_customer_id), WithJsonSchema(CUSTOMER_ID_SCHEMA)]


def whole(message: str) -> WrapValidator:
    """Report any problem inside a field (a list's item) as one error naming the field itself."""
    def check(value: Any, handler):
        try:
            return handler(value)
        except ValidationError:
            raise refusal("invalid_argument", message) from None
    return WrapValidator(check)


def _drop_default(schema: dict) -> None:
    schema.pop("default", None)


def optional(description: str = "") -> Any:
    """An optional field with no default value of its declared type (None in Python; absent in the document)."""
    return Field(None, description=description or None, json_schema_extra=_drop_default)


def capped(minimum: int, cap: int, description: str) -> Any:
    """An integer query argument: 400 below ``minimum``, silently capped at ``cap`` (a page size, an offset)."""
    return Annotated[int, Field(ge=minimum, description=f"{description} (capped at {cap:,})"),
                     WrapValidator(lambda value, handler: min(handler(value), cap))]


def json_schema_type(name: str, schema: dict, validate: Callable[[Any], Any]) -> type:
    """A body type defined by a JSON Schema: ``schema`` is what the document shows and ``validate`` (which
    raises :func:`refusal` errors, or returns the parsed value) is what checks a request against it."""
    def _core(cls, _source, _handler):
        return core_schema.no_info_plain_validator_function(validate)

    def _json_schema(cls, _core_schema, _handler):
        return dict(schema)

    return type(name, (), {"__get_pydantic_core_schema__": classmethod(_core),
                           "__get_pydantic_json_schema__": classmethod(_json_schema), "__doc__": schema.get("title")})


def require_json_object() -> None:
    """415 unless the body is JSON; 400 when it is malformed or not an object (before its model is checked)."""
    if not request.is_json:
        raise APIError("send a JSON body with Content-Type: application/json", status=415,
                       code="unsupported_media_type")
    body = request.get_json(silent=True)
    if body is None:
        raise APIError("the body is not valid JSON", code="malformed_json")
    if not isinstance(body, dict):
        raise APIError("the JSON body must be an object", code="invalid_body")


def _path_value(name: str, adapter: TypeAdapter, value: Any) -> Any:
    try:
        return adapter.validate_python(value)
    except ValidationError as exc:
        if exc.errors()[0]["type"] == "literal_error":
            raise NotFoundError(f"unknown {name} {value!r}; {exc.errors()[0]['msg'].lower()}",
                                code=f"unknown_{name}") from None
        raise APIError(f"{name}: {exc.errors()[0]['msg']}", field=name, code=f"invalid_{name}") from None


def _scoped(view: Callable, hints: dict[str, Any]) -> Callable:
    """The view, refusing (403 ``out_of_scope``) a declared ``customer_id`` outside the caller's token scope
    before it runs: a customer named in the query or the body is checked like any object the view reads."""
    @wraps(view)
    def inner(*args, **kwargs):
        for part in ("query", "json"):
            customer_id = getattr(kwargs.get(part), "customer_id", None)
            if isinstance(customer_id, str):
                require_in_scope(customer_id)
        return view(*args, **kwargs)
    inner.__annotations__ = dict(hints)  # resolved: spectree reads them in this module's namespace
    return inner


def declared(view: Callable) -> Callable:
    """Validate a view's declared input (query, JSON body, path parameters) before it runs, and record the
    declaration for the OpenAPI document. Put it under ``@require_role`` so a caller is authenticated first."""
    hints = get_type_hints(view, include_extras=True)
    path = {name: TypeAdapter(hint) for name, hint in hints.items() if name not in (*REQUEST_PARTS, "return")}
    for part in ("query", "json"):
        if isinstance(hints.get(part), type) and issubclass(hints[part], BaseModel):
            _ERROR_CODES[hints[part].__name__] = getattr(hints[part], "error_code", "invalid_argument")
    checked = api.validate()(_scoped(view, hints))

    @wraps(checked)
    def wrapper(*args, **kwargs):
        for name, adapter in path.items():
            kwargs[name] = _path_value(name, adapter, kwargs[name])
        if "json" in hints:
            require_json_object()
        return checked(*args, **kwargs)

    wrapper.path_schemas = {name: adapter.json_schema() for name, adapter in path.items()}
    return wrapper


class CustomerQuery(BaseModel):
    """The one customer a read is about."""

    customer_id: CustomerId


class CustomerBody(BaseModel):
    """A JSON body naming the one customer the action is for."""

    customer_id: CustomerId
