"""The credit decision on a case: the officer's own decision (``POST /api/officer-decisions``) and the case
history (``GET /api/case-history``). The engine's ``decision.json`` itself is served by ``routes/analytics.py``
(``GET /api/decision`` and the bundle)."""
from __future__ import annotations

import orjson
from flask import Blueprint, Response

from api_panel.access import analytics_document, audit_action, authorize_read, lake
from api_panel.auth import current_principal, require_role
from api_panel.casefile.decisions import (
    OFFICER_DECISION_SCHEMA,
    OfficerDecisionError,
    OfficerDecisionInput,
    build_record,
    check_against_engine,
    engine_decision,
    parse_officer_decision,
    read_officer_decisions,
    record_officer_decision,
)
from api_panel.casefile.history import case_history, read_runs
from api_panel.declare import CustomerQuery, declared, json_schema_type, refusal
from api_panel.errors import APIError, NotFoundError
from pipeline.lake import InvalidCustomerIdError, validate_customer_id

bp = Blueprint("decisions", __name__)


def _officer_decision(body) -> OfficerDecisionInput:
    """The body checked against :data:`OFFICER_DECISION_SCHEMA` (its customer id by the lake's rule first)."""
    if not isinstance(body, dict):
        raise refusal("invalid_body", "the JSON body must be an object")
    for name in ("customer_id", "decision"):
        if body.get(name) in (None, ""):
            raise refusal("missing_field", f"{name} is required", field=name)
    try:
        validate_customer_id(body["customer_id"])
        return parse_officer_decision(body)
    except InvalidCustomerIdError as exc:
        raise refusal("invalid_customer_id", str(exc), field="customer_id") from None
    except OfficerDecisionError as exc:
        raise refusal(exc.code, exc.message, field=exc.field) from None


OfficerDecision = json_schema_type("OfficerDecision", OFFICER_DECISION_SCHEMA, _officer_decision)


def _json(body, status: int = 200) -> Response:
    return Response(orjson.dumps(body), status=status, mimetype="application/json")


def _refused(exc: OfficerDecisionError) -> APIError:
    return APIError(exc.message, field=exc.field, code=exc.code)


@bp.post("/api/officer-decisions")
@require_role("officer")
@declared
def record_decision(json: OfficerDecision):
    """Record the officer's own decision on a case, against the engine's decision (201 with the record).

    Body ``{customer_id, decision, amount?, conditions?, note?, reason?}``; ``reason`` is required when the
    decision or the amount differs from the engine's. Appended to the customer's officer decisions and audited
    (ids and labels only). 404 when the engine has not decided yet (run the models step).
    """
    entry = json
    customer_id = entry.customer_id
    authorize_read(customer_id, "officer_decision")
    engine = engine_decision(analytics_document(customer_id, "decision"))
    if engine is None or engine.decision is None:
        raise NotFoundError(f"the engine has not decided on {customer_id} yet: run the models step "
                            "(python -m pipeline run --steps models), then record your decision against it",
                            code="decision_not_found")
    try:
        changed = check_against_engine(entry, engine)
    except OfficerDecisionError as exc:
        raise _refused(exc) from None
    principal = current_principal()
    record = build_record(entry, engine, changed, principal.label, principal.role)
    record_officer_decision(lake(), record)
    audit_action("officer_decision", customer_id, decision_id=record["decision_id"], decision=entry.decision,
                 engine_decision=engine.decision, policy_version=engine.policy_version, differs=bool(changed),
                 differences=changed)
    return _json(record, status=201)


@bp.get("/api/case-history")
@require_role("officer")
@declared
def history(query: CustomerQuery):
    """The case's history, newest first: the engine's decisions, the model runs that remade them and the
    officers' decisions (``{customer_id, engine, latest_officer, entries, count}``)."""
    customer_id = query.customer_id
    authorize_read(customer_id, "case_history")
    body = case_history(customer_id, analytics_document(customer_id, "decision"),
                        read_officer_decisions(lake(), customer_id), read_runs(lake(), customer_id))
    return _json(body)
