"""The OpenAPI 3.1 document, built from the app's own routes so it cannot miss one.

Paths, methods, summaries (the view docstrings) and the role each route needs come from the registered rules;
query parameters, request bodies and path-parameter constraints come from each view's declared input
(:mod:`api_panel.declare`, through spectree), the same declaration that validates the request. Nothing about
an endpoint's input is written here. OpenAPI 3.1, because its schemas are JSON Schema 2020-12, which is what
pydantic and our ``schemas/*.schema.json`` files speak.
"""
from __future__ import annotations

import re
from typing import Any

from flask import Flask

from api_panel.declare import api

ERROR = {"$ref": "#/components/schemas/Error"}
CREATED = {("post", "/api/consents"), ("post", "/api/loans"), ("post", "/api/officer-decisions")}
PDF = {"/api/credit-memo": "the credit memo (an attachment named credit-memo-<id>.pdf)"}
MARKDOWN = {"/api/methodology": "the credit methodology (Markdown)"}


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ERROR}}}


def _is_job(method: str, path: str) -> bool:
    return method == "post" and (path.startswith("/api/pipeline/") or path.startswith("/api/aa/"))


def _responses(method: str, path: str, role: str | None, has_body: bool) -> dict[str, Any]:
    ok = "202" if _is_job(method, path) else ("201" if (method, path) in CREATED else "200")
    responses = {ok: {"description": "success", "content": {"application/json": {"schema": {"type": "object"}}}},
                 "400": _error("bad input (the field is named)"),
                 "404": _error("unknown customer, document or resource")}
    if path in PDF:
        responses["200"] = {"description": PDF[path],
                            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}
    if path in MARKDOWN:
        responses["200"] = {"description": MARKDOWN[path], "content": {"text/markdown": {"schema": {"type": "string"}}}}
    if role:
        responses["401"] = _error("missing or invalid token")
        responses["403"] = _error("role too low, or no consent allows this use")
    if has_body:
        responses["415"] = _error("body is not JSON")
        responses["413"] = _error("body too large")
    if _is_job(method, path):
        responses["409"] = _error("a job is already running for this customer")
    if (method, path) == ("post", "/api/loans"):
        responses["409"] = _error("the acceptance id was used with other terms, or an offer of these "
                                  "recommendations is already accepted")
    if (method, path) == ("post", "/api/events/repayments"):
        responses["503"] = _error("the behaviour model is not available")
    return responses


def _operation(app: Flask, rule, method: str, path: str, declared: dict) -> dict[str, Any]:
    view = app.view_functions[rule.endpoint]
    doc = (view.__doc__ or rule.endpoint).strip().splitlines()[0]
    role = getattr(view, "required_role", None)
    constraints = getattr(view, "path_schemas", {})
    params = [{"name": name, "in": "path", "required": True, "schema": constraints.get(name, {"type": "string"})}
              for name in rule.arguments]
    params += [p for p in declared.get("parameters", []) if p["in"] != "path"]
    op: dict[str, Any] = {"summary": doc, "operationId": f"{method}_{rule.endpoint.replace('.', '_')}",
                          "tags": [rule.endpoint.split(".")[0]], "parameters": params}
    if declared.get("requestBody"):
        op["requestBody"] = declared["requestBody"]
    op["responses"] = _responses(method, path, role, "requestBody" in op)
    op["security"] = [{"bearerAuth": []}] if role else []
    if role:
        op["description"] = f"Needs the {role} role (or higher)."
    return op


def build_openapi(app: Flask) -> dict[str, Any]:
    """OpenAPI 3.1 for every registered ``/api`` route of ``app`` (call inside an app context)."""
    declared = api.spec  # spectree's view of the declared inputs (built once per process: the routes are fixed)
    paths: dict[str, dict] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith("/api/"):
            continue
        path = _openapi_path(rule.rule)
        for method in sorted(m.lower() for m in rule.methods - {"HEAD", "OPTIONS"}):
            operation = declared["paths"].get(path, {}).get(method, {})
            paths.setdefault(path, {})[method] = _operation(app, rule, method, path, operation)
    return {
        "openapi": "3.1.0",
        "info": {"title": "MSME Lending Data Lake API", "version": app.config["CODE_VERSION"],
                 "description": "Underwriting analytics, pipeline jobs, consents and audit for MSME lending. "
                                "Live pipeline logs stream over Socket.IO (`pipeline_log`, `pipeline_status`); "
                                "analysts who emit `join_portfolio` receive `risk_update`, and those who emit "
                                "`join_batch` follow batch jobs (`POST /api/pipeline/batch`)."},
        "paths": paths,
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": {**declared["components"]["schemas"],
                        "Error": {"type": "object", "required": ["error", "message"],
                                  "properties": {"error": {"type": "string"}, "message": {"type": "string"},
                                                 "field": {"type": "string"}}}},
        },
    }
