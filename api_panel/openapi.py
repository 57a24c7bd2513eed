"""The OpenAPI 3 document, built from the app's own routes so it cannot miss one.

Paths, methods, path parameters, summaries (the view docstrings) and the role
each route needs come from the registered rules; query parameters, request
bodies and response shapes that the rules cannot tell are declared here.
"""
from __future__ import annotations

import re
from typing import Any

from flask import Flask

from api_panel.casefile.decisions import OFFICER_DECISION_SCHEMA

CUSTOMER_ID = {"name": "customer_id", "in": "query", "required": True,
               "schema": {"type": "string", "pattern": r"^CUST_[A-Z]{3}_\d{5}$"}, "description": "customer id"}
PAGING = [{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1}, "description": "page size (capped)"},
          {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}}]
QUERY: dict[str, list[dict]] = {
    "/api/analytics": [CUSTOMER_ID, {"name": "names", "in": "query", "schema": {"type": "string"},
                                     "description": "comma-separated document names, served whole (default: a "
                                                    "digest of every document)"}],
    "/api/analytics/{name}": [CUSTOMER_ID],
    "/api/analytics/{name}/{list_name}": [CUSTOMER_ID, PAGING[0] | {"description": "page size (default 100, capped at 500)"},
                                          PAGING[1]],
    "/api/customer-profile": [CUSTOMER_ID], "/api/credit-score": [CUSTOMER_ID],
    "/api/signals": [CUSTOMER_ID],
    "/api/risk-model": [CUSTOMER_ID], "/api/forecast": [CUSTOMER_ID], "/api/reconciliation": [CUSTOMER_ID],
    "/api/anomalies": [CUSTOMER_ID], "/api/recommendations": [CUSTOMER_ID], "/api/smart-collect": [CUSTOMER_ID],
    "/api/consents": [CUSTOMER_ID], "/api/audit": [CUSTOMER_ID, PAGING[0]], "/api/aa/consents": [CUSTOMER_ID],
    "/api/datasets/{layer}/{source}": [CUSTOMER_ID, *PAGING],
    "/api/transactions": [CUSTOMER_ID, *PAGING,
                          {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "search narration/txnId"},
                          {"name": "sort", "in": "query", "schema": {"type": "string"}},
                          {"name": "order", "in": "query", "schema": {"type": "string", "enum": ["asc", "desc"]}}],
    # loan monitoring (api_panel/routes/monitoring.py)
    "/api/portfolio": [{"name": "sort", "in": "query", "schema": {"type": "string", "enum": [
                           "pd", "band", "dpd_now", "customer_id", "loan_id", "updated_at", "principal"]}},
                       {"name": "order", "in": "query", "schema": {"type": "string", "enum": ["asc", "desc"]}},
                       {"name": "band", "in": "query", "schema": {"type": "string"}, "description": "only this band"},
                       PAGING[0],
                       {"name": "since", "in": "query", "schema": {"type": "string", "format": "date-time"},
                        "description": "a moment (ISO 8601, IST without an offset): each loan gets start_pd, "
                                       "start_band and pd_change, and alerts lists band crossings since then"}],
    "/api/loans": [CUSTOMER_ID],
    # the officer's case file (api_panel/routes/decisions.py, cases.py, memo.py, profile.py)
    "/api/decision": [CUSTOMER_ID], "/api/case-history": [CUSTOMER_ID], "/api/credit-memo": [CUSTOMER_ID],
    "/api/customer-identity": [CUSTOMER_ID],
    "/api/loans/{loan_id}/risk-history": [{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 0},
                                           "description": "only the last N entries"}],
    # model health (api_panel/routes/model_health.py)
    "/api/model-health": [{"name": "months", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 36},
                           "description": "the last N as-of months (default 12)"}],
}
BODIES: dict[str, dict] = {
    "/api/pipeline/{step}": {"type": "object", "required": ["customer_id"],
                             "properties": {"customer_id": {"type": "string"}}},
    "/api/pipeline/batch": {"type": "object", "properties": {
        "customer_ids": {"type": "array", "maxItems": 10000, "items": {"type": "string"}},
        "all": {"type": "boolean", "description": "every customer in the lake (instead of customer_ids)"},
        "steps": {"type": "array", "items": {"type": "string",
                                             "enum": ["generate", "clean", "analyze", "score", "models"]}},
        "workers": {"type": "integer", "minimum": 1, "maximum": 8}}},
    "/api/ai-insights": {"type": "object", "required": ["customer_id"], "properties": {"customer_id": {"type": "string"}}},
    "/api/consents": {"type": "object", "required": ["customer_id"], "properties": {
        "customer_id": {"type": "string"}, "purpose": {"type": "string", "enum": ["101", "102", "103", "104", "105"]},
        "fiTypes": {"type": "array", "items": {"type": "string"}}, "fetchType": {"type": "string"},
        "dataRangeMonths": {"type": "integer"}, "DataLife": {"type": "object"}, "Frequency": {"type": "object"}}},
    "/api/consents/{consent_id}/revoke": {"type": "object", "properties": {}},
    "/api/aa/consents": {"type": "object", "required": ["customer_id"], "properties": {
        "customer_id": {"type": "string"}, "purpose": {"type": "string", "enum": ["101", "102", "103", "104", "105"],
                                                      "description": "ReBIT purpose code (default 104, monitoring)"},
        "fi_types": {"type": "array", "items": {"type": "string"}, "description": "default DEPOSIT, GSTR1_3B"},
        "handle": {"type": "string", "description": "the customer's AA handle (default: the local AA's)"}}},
    "/api/aa/fetch": {"type": "object", "required": ["customer_id"], "properties": {"customer_id": {"type": "string"}}},
    "/api/loans": {"type": "object", "required": ["customer_id", "product_id"], "additionalProperties": False,
                   "properties": {
        "customer_id": {"type": "string"}, "product_id": {"type": "string", "description": "a recommended product id"},
        "amount": {"type": "number", "exclusiveMinimum": 0, "description": "INR, at most the offer (default it)"},
        "tenure_months": {"type": "integer", "minimum": 1, "description": "at most the offer's (default it)"},
        "disbursed_on": {"type": "string", "format": "date", "description": "default the acceptance date"},
        "collateral_value": {"type": "number", "exclusiveMinimum": 0, "description": "INR, when collateral is taken"},
        "acceptance_id": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$",
                          "description": "idempotency key: a repeat with the same terms returns the same loan"}}},
    "/api/officer-decisions": OFFICER_DECISION_SCHEMA,  # the same schema validates the request
    "/api/events/repayments": {"oneOf": [
        {"type": "array", "maxItems": 1000, "items": {"$ref": "#/components/schemas/RepaymentEvent"}},
        {"type": "object", "required": ["events"], "properties": {"events": {
            "type": "array", "maxItems": 1000, "items": {"$ref": "#/components/schemas/RepaymentEvent"}}}}],
        "required": ["events"]},
}
REPAYMENT_EVENT = {"type": "object", "description": "schemas/repayment_events.schema.json", "properties": {
    "event_id": {"type": "string"}, "loan_id": {"type": "string"}, "customer_id": {"type": "string"},
    "due_date": {"type": "string", "format": "date"}, "amount_due": {"type": "number"},
    "paid_at": {"type": "string", "format": "date-time", "nullable": True}, "amount_paid": {"type": "number"},
    "status": {"type": "string", "enum": ["PAID", "PARTIAL", "LATE", "BOUNCED"]}, "channel": {"type": "string"},
    "ts": {"type": "string", "format": "date-time"}}}
PATH_ENUMS = {"step": ["generate", "clean", "analyze", "calculate_score", "models", "run_all"],
              "layer": ["raw", "clean", "quarantine"]}
ERROR = {"$ref": "#/components/schemas/Error"}


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def _operation(app: Flask, rule, method: str, path: str) -> dict[str, Any]:
    view = app.view_functions[rule.endpoint]
    doc = (view.__doc__ or rule.endpoint).strip().splitlines()[0]
    role = getattr(view, "required_role", None)
    params = [{"name": name, "in": "path", "required": True,
               "schema": {"type": "string", **({"enum": PATH_ENUMS[name]} if name in PATH_ENUMS else {})}}
              for name in rule.arguments]
    params += QUERY.get(path, []) if method == "get" else []
    op: dict[str, Any] = {"summary": doc, "operationId": f"{method}_{rule.endpoint.replace('.', '_')}",
                          "tags": [rule.endpoint.split(".")[0]], "parameters": params}
    created = method == "post" and path in ("/api/consents", "/api/loans", "/api/officer-decisions")
    job = path.startswith("/api/pipeline/") or (method == "post" and path.startswith("/api/aa/"))
    ok_code = "202" if job else ("201" if created else "200")
    op["responses"] = {ok_code: {"description": "success", "content": {"application/json": {"schema": {"type": "object"}}}},
                       "400": {"description": "bad input (the field is named)", "content": {"application/json": {"schema": ERROR}}},
                       "404": {"description": "unknown customer, document or resource", "content": {"application/json": {"schema": ERROR}}}}
    if role:
        op["security"] = [{"bearerAuth": []}]
        op["description"] = f"Needs the {role} role (or higher)."
        op["responses"]["401"] = {"description": "missing or invalid token", "content": {"application/json": {"schema": ERROR}}}
        op["responses"]["403"] = {"description": "role too low, or no consent allows this use",
                                  "content": {"application/json": {"schema": ERROR}}}
    else:
        op["security"] = []
    if method == "post":
        op["requestBody"] = {"required": path in BODIES and bool(BODIES[path].get("required")),
                             "content": {"application/json": {"schema": BODIES.get(path, {"type": "object"})}}}
        op["responses"]["415"] = {"description": "body is not JSON", "content": {"application/json": {"schema": ERROR}}}
        op["responses"]["413"] = {"description": "body too large", "content": {"application/json": {"schema": ERROR}}}
    if job:
        op["responses"]["409"] = {"description": "a job is already running for this customer",
                                  "content": {"application/json": {"schema": ERROR}}}
    if path == "/api/credit-memo":
        op["responses"]["200"] = {"description": "the credit memo (an attachment named credit-memo-<id>.pdf)",
                                  "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}
    if path == "/api/loans" and method == "post":
        op["responses"]["409"] = {"description": "the acceptance id was used with other terms, or an offer of "
                                                 "these recommendations is already accepted",
                                  "content": {"application/json": {"schema": ERROR}}}
    return op


def build_openapi(app: Flask) -> dict[str, Any]:
    """OpenAPI 3.0 for every registered ``/api`` route of ``app``."""
    paths: dict[str, dict] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith("/api/"):
            continue
        path = _openapi_path(rule.rule)
        for method in sorted(m.lower() for m in rule.methods - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method] = _operation(app, rule, method, path)
    return {
        "openapi": "3.0.3",
        "info": {"title": "MSME Lending Data Lake API", "version": app.config["CODE_VERSION"],
                 "description": "Underwriting analytics, pipeline jobs, consents and audit for MSME lending. "
                                "Live pipeline logs stream over Socket.IO (`pipeline_log`, `pipeline_status`); "
                                "analysts who emit `join_portfolio` receive `risk_update`, and those who emit "
                                "`join_batch` follow batch jobs (`POST /api/pipeline/batch`)."},
        "paths": paths,
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": {"type": "object", "required": ["error", "message"],
                                  "properties": {"error": {"type": "string"}, "message": {"type": "string"},
                                                 "field": {"type": "string"}}},
                        "RepaymentEvent": REPAYMENT_EVENT},
        },
    }
