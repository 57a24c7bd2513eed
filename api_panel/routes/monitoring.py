"""Loan monitoring: repayment events in, live default risk out (portfolio, risk history, a customer's loans).

Registering this blueprint also registers the ``join_portfolio`` Socket.IO
handlers on the app's server (``bp.record_once``), so ``create_app`` needs
one ``register_blueprint`` for both.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

import orjson
from flask import Blueprint, Response, current_app, request
from pydantic import AfterValidator, BaseModel, Field, PlainValidator, TypeAdapter, ValidationError, WithJsonSchema
from werkzeug.exceptions import RequestEntityTooLarge

from api_panel.access import authorize_read, lake, registry, require_in_scope, visible_customers
from api_panel.auth import current_principal, require_role
from api_panel.declare import (
    CustomerQuery,
    api,
    capped,
    contract_error,
    declared,
    json_schema_type,
    optional,
    refusal,
)
from api_panel.errors import APIError, NotFoundError
from api_panel.extensions import socketio
from api_panel.monitoring_events import emit_risk_update, register_handlers
from monitoring.loans import BOOK_NOTE, SORT_KEYS, load_loans, parse_since
from pipeline.consents import MONITORING_PURPOSE
from pipeline.lake import CUSTOMER_ID_PATTERN, LOAN_ID_PATTERN, validate_loan_id
from pipeline.validation import load_schema

# monitoring.ingest / model / portfolio load pandas and scikit-learn: imported in the views, so the server
# starts as fast as before and pays for them on the first monitoring request only

bp = Blueprint("monitoring", __name__)
bp.record_once(lambda state: register_handlers(socketio))
REJECTED_SHOWN = 100


def _settings() -> dict:
    return current_app.extensions["settings"]


def _json(body: dict, status: int = 200) -> Response:
    return Response(orjson.dumps(body), status=status, mimetype="application/json")


def _moment(raw: Any) -> datetime:
    """``since`` as an aware datetime. An unencoded ``+05:30`` arrives as `` 05:30`` (a ``+`` in a query string
    is a space): it is put back."""
    if not isinstance(raw, str) or not raw.strip():
        raise refusal("invalid_argument", "since must be an ISO 8601 date-time, e.g. 2026-11-21T00:00:00+05:30")
    if "T" in raw:
        raw = re.sub(r" (\d{2}:?\d{2})$", r"+\1", raw)
    try:
        return parse_since(raw)
    except ValueError:
        raise refusal("invalid_argument", "since must be an ISO 8601 date-time, e.g. 2026-11-21T00:00:00+05:30") \
            from None


class PortfolioQuery(BaseModel):
    """How to sort and filter the portfolio, and the moment to compare it with."""

    sort: Literal[SORT_KEYS] = "pd"
    order: Literal["asc", "desc"] = "desc"
    band: str = Field("", description="only this band")
    limit: capped(1, 5000, "loans to send") = 500
    since: Annotated[datetime, PlainValidator(_moment), WithJsonSchema({"type": "string", "format": "date-time"})] \
        = optional("a moment (ISO 8601, IST without an offset): each loan gets start_pd, start_band and pd_change, "
                   "and alerts lists band crossings since then")


class RiskHistoryQuery(BaseModel):
    """How much of a loan's history to send."""

    limit: capped(0, 100_000, "only the last N entries (0: all)") = 0


LoanId = Annotated[str, AfterValidator(validate_loan_id), WithJsonSchema({"type": "string",
                                                                          "pattern": LOAN_ID_PATTERN.pattern})]
_REPAYMENT_EVENT = {k: v for k, v in load_schema("repayment_events").items() if k not in ("$schema", "$id")}
_EVENT_ITEMS = {"type": "array", "items": {"anyOf": [_REPAYMENT_EVENT, {"type": "object"}]},
                "description": "each a repayment event (schemas/repayment_events.schema.json); any other object is "
                               "quarantined with its reasons (listed in `rejected`), never the batch"}
_BATCH_SCHEMA = {"description": (
    "a JSON array of events, or {\"events\": [...]}; at most monitoring.max_batch_events (1,000, else 413 "
    "too_many_events) in at most monitoring.max_body_bytes (else 413 payload_too_large)"),
    "anyOf": [_EVENT_ITEMS, {"type": "object", "required": ["events"], "properties": {"events": _EVENT_ITEMS}}]}


def _batch_events(body: Any) -> list:
    events = body.get("events") if isinstance(body, dict) else body
    if not isinstance(events, list):
        raise refusal("invalid_body", 'send a JSON array of events, or an object {"events": [...]}', field="events")
    for index, event in enumerate(events):
        if not isinstance(event, dict):
            raise refusal("invalid_event", f"events[{index}] must be a JSON object (a repayment event)",
                          field=f"events[{index}]")
    return events


RepaymentBatch = json_schema_type("RepaymentBatch", _BATCH_SCHEMA, _batch_events)
_BATCH = TypeAdapter(RepaymentBatch)


def _events_from_request(max_events: int, max_bytes: int) -> list:
    if not request.is_json:
        raise APIError("send a JSON body with Content-Type: application/json", status=415,
                       code="unsupported_media_type")
    request.max_content_length = max_bytes
    try:
        data = request.get_data(cache=False)
    except RequestEntityTooLarge:
        raise APIError(f"the body is larger than {max_bytes:,} bytes; send at most {max_events:,} events a batch",
                       status=413, code="payload_too_large") from None
    try:
        body = orjson.loads(data)
    except orjson.JSONDecodeError:
        raise APIError("the body is not valid JSON", code="malformed_json") from None
    events = body.get("events") if isinstance(body, dict) else body
    if isinstance(events, list) and len(events) > max_events:
        raise APIError(f"a batch holds at most {max_events:,} events; this one has {len(events):,}", status=413,
                       code="too_many_events", field="events")
    try:
        return _BATCH.validate_python(body)
    except ValidationError as exc:
        raise contract_error(exc) from None


@bp.post("/api/events/repayments")
@require_role("analyst")
@api.validate(json=RepaymentBatch, skip_validation=True)  # read here: its body limit is the batch's, not 64 KB
def post_repayment_events():
    """Ingest a batch of up to 1,000 repayment events: idempotent by event_id; invalid ones are quarantined."""
    settings = _settings().get("monitoring", {})
    events = _events_from_request(int(settings.get("max_batch_events", 1000)),
                                  int(settings.get("max_body_bytes", 1 << 20)))
    _check_events_in_scope(events)
    from monitoring.ingest import ingest_events
    from monitoring.model import BehaviourModelError

    try:
        result = ingest_events(lake(), events, _settings(), on_update=emit_risk_update)
    except BehaviourModelError as exc:
        raise APIError(str(exc), status=503, code="model_unavailable") from None
    rejected = [{"event_id": q["event"].get("event_id") if isinstance(q["event"], dict) else None,
                 "reasons": q["reasons"]} for q in result["quarantined"][:REJECTED_SHOWN]]
    principal = current_principal()
    alerts = sum(1 for u in result["updates"] if u["alert"])
    current_app.extensions["audit_log"].append(
        "repayment_events", None, who=principal.label, role=principal.role, endpoint=request.path,
        received=len(events), accepted=result["accepted"], duplicates=result["duplicates"],
        quarantined=len(result["quarantined"]))
    return _json({"received": len(events), "accepted": result["accepted"], "duplicates": result["duplicates"],
                  "quarantined": len(result["quarantined"]), "rejected": rejected,
                  "updated_loans": len(result["updates"]), "alerts": alerts})


def _check_events_in_scope(events: list) -> None:
    """403 ``out_of_scope`` naming the first event whose loan, or the customer it names, is outside the caller's
    scope (a scoped token reports repayments only on its own customers' loans). Unscoped tokens skip the lookup;
    malformed events go on to be quarantined with their reasons."""
    if current_principal().scope is None:
        return
    owners = {loan["loan_id"]: loan["customer_id"] for loan in load_loans(lake(), config=_settings())}
    for index, event in enumerate(events):
        if not isinstance(event, dict):
            continue
        loan_id, customer_id = event.get("loan_id"), event.get("customer_id")
        owner = owners.get(loan_id) if isinstance(loan_id, str) else None
        if owner is not None:
            require_in_scope(owner, field=f"events[{index}].loan_id", what=f"loan {loan_id}")
        if isinstance(customer_id, str) and CUSTOMER_ID_PATTERN.fullmatch(customer_id):
            require_in_scope(customer_id, field=f"events[{index}].customer_id")


def _monitored_customers() -> list[str]:
    """Customers inside the caller's scope whose active consent covers monitoring (purpose 104)."""
    ids = visible_customers(sorted(set(lake().customers()) | set(registry().customers())))
    return [cid for cid in ids if registry().covers(cid, MONITORING_PURPOSE)]


@bp.get("/api/portfolio")
@require_role("analyst")
@declared
def portfolio(query: PortfolioQuery):
    """Monitored loans (consent purpose 104 only) with current PD, band and last event; sort/order/band filters.

    With ``since`` (an ISO 8601 moment, IST when it has no offset; the dashboard sends its start of today)
    each loan also has ``start_pd``, ``start_band`` and ``pd_change``, and ``alerts`` lists the band
    crossings raised since then, newest first.
    """
    from monitoring.portfolio import add_changes_since, loan_rows, sort_rows

    sort, order, limit, since = query.sort, query.order, query.limit, query.since
    settings = _settings()
    customers = _monitored_customers()
    loans = [loan for cid in customers for loan in load_loans(lake(), cid, settings)]
    rows = loan_rows(lake(), loans, settings)
    alerts = add_changes_since(lake(), rows, since) if since is not None else None
    if query.band:
        rows = [r for r in rows if r["band"] == query.band]
    bands = settings.get("monitoring", {}).get("bands") or settings["risk_model"]["bands"]
    rows = sort_rows(rows, sort, order == "desc", bands)
    principal = current_principal()
    current_app.extensions["audit_log"].append("read", None, who=principal.label, role=principal.role,
                                               endpoint=request.path, what="portfolio", customers=len(customers))
    body = {"loans": rows[:limit], "count": len(rows), "customers": len(customers), "sort": sort, "order": order,
            "note": "only borrowers whose active consent covers monitoring (purpose 104)",
            "purpose": MONITORING_PURPOSE, "bands": bands}
    if since is not None:
        body.update(since=since.isoformat(), alerts=alerts)
    return _json(body)


@bp.get("/api/loans/<loan_id>/risk-history")
@require_role("analyst")
@declared
def loan_risk_history(loan_id: LoanId, query: RiskHistoryQuery):
    """A loan's PD over time, each entry with the repayment event(s) that moved it (consent-checked)."""
    from monitoring.portfolio import find_loan, risk_history

    loan = find_loan(lake(), loan_id, _settings())
    if loan is None:
        raise NotFoundError(f"loan {loan_id} not found", code="loan_not_found")
    require_in_scope(loan["customer_id"], field="loan_id", what=f"loan {loan_id}")
    authorize_read(loan["customer_id"], f"risk_history:{loan_id}")
    history = risk_history(lake(), loan_id, query.limit or None)
    return _json({"loan_id": loan_id, "customer_id": loan["customer_id"], "count": len(history),
                  "history": history})


@bp.get("/api/loans")
@require_role("officer")
@declared
def customer_loans(query: CustomerQuery):
    """A customer's booked loans with EMI schedule, collateral and current risk (consent-checked)."""
    from monitoring.portfolio import loan_rows

    customer_id = query.customer_id
    authorize_read(customer_id, "loans")
    loans = load_loans(lake(), customer_id, _settings())
    risks = {r["loan_id"]: r for r in loan_rows(lake(), loans, _settings())}
    out = [{**loan, **{k: risks[loan["loan_id"]].get(k) for k in ("pd", "band", "pd_source", "updated_at",
                                                                   "dpd_now", "last_event", "alert")}}
           for loan in loans]
    return _json({"customer_id": customer_id, "count": len(out), "loans": out, "note": BOOK_NOTE})
