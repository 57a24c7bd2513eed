"""Repayment event validation: the project's schema machinery, the cleaner's reason codes, every reason kept.

An event is checked in three layers, and the quarantine entry lists every
reason of the first layer that fails:

1. shape: a JSON object (``not_an_object``), or what a stream reader could
   not decode (``malformed_json``, the cleaner's code);
2. the schema ``schemas/repayment_events.schema.json`` through
   :func:`pipeline.validation.validator_for` (fast compiled check, then
   ``iter_errors`` for every reason; codes ``<field>:<keyword>`` such as
   ``status:enum`` or ``amount_paid:exclusiveMinimum``), then what a schema
   cannot say: real calendar dates (``due_date:format``), a LATE payment made
   after the due date (``paid_at:not_late``) and a PARTIAL payment below the
   amount due (``amount_paid:not_partial``);
3. routing against the loan book: ``loan_id:unknown_loan``,
   ``customer_id:unknown_customer`` (no data for that customer in the lake),
   ``customer_id:loan_mismatch`` and ``due_date:before_disbursal``.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

import orjson

from pipeline.lake import Lake, utc_now_iso
from pipeline.validation import Reason, validator_for

SCHEMA = "repayment_events"
MAX_ID_LENGTH = 128  # longer ids are not recorded in the processed-event index


def _bad_date(value: str, field: str, kind: str) -> Reason | None:
    try:
        (date.fromisoformat if kind == "date" else datetime.fromisoformat)(value)
    except ValueError:
        return Reason(f"{field}:format", field, f"{value!r} is not a '{kind}'")
    return None


def event_reasons(event: Any) -> list[Reason]:
    """Every reason ``event`` is not a valid repayment event on its own (empty when it is)."""
    if not isinstance(event, dict):
        return [Reason("not_an_object", "$", f"expected a JSON object, got {type(event).__name__}")]
    if "_malformed" in event:
        return [Reason("malformed_json", "$", str(event["_malformed"])[:300])]
    reasons = validator_for(SCHEMA).errors(event)
    if reasons:
        return reasons
    checks = [_bad_date(event["due_date"], "due_date", "date"), _bad_date(event["ts"], "ts", "date-time")]
    if event["paid_at"] is not None:
        checks.append(_bad_date(event["paid_at"], "paid_at", "date-time"))
    reasons = [r for r in checks if r is not None]
    if reasons:
        return sorted(reasons, key=lambda r: r.code)
    if event["status"] == "LATE" and event["paid_at"][:10] <= event["due_date"]:
        reasons.append(Reason("paid_at:not_late", "paid_at",
                              f"a LATE payment must be paid after the due date {event['due_date']}"))
    if event["status"] == "PARTIAL" and event["amount_paid"] >= event["amount_due"]:
        reasons.append(Reason("amount_paid:not_partial", "amount_paid",
                              f"a PARTIAL payment must be less than the amount due {event['amount_due']}"))
    return reasons


def routing_reasons(event: dict, loan: dict | None, customer_known: bool) -> list[Reason]:
    """Why a schema-valid event cannot be applied to the loan book (empty when it can)."""
    reasons = []
    if loan is None:
        reasons.append(Reason("loan_id:unknown_loan", "loan_id", f"no booked loan {event['loan_id']} in this lake"))
        if not customer_known:
            reasons.append(Reason("customer_id:unknown_customer", "customer_id",
                                  f"no customer {event['customer_id']} in this lake"))
        return reasons
    if loan["customer_id"] != event["customer_id"]:
        reasons.append(Reason("customer_id:loan_mismatch", "customer_id",
                              f"loan {loan['loan_id']} belongs to another customer"))
    if event["due_date"] < str(loan["disbursed_at"])[:10]:
        reasons.append(Reason("due_date:before_disbursal", "due_date",
                              f"due date {event['due_date']} is before the loan was disbursed "
                              f"({str(loan['disbursed_at'])[:10]})"))
    return reasons


def indexable_id(event: Any) -> str | None:
    """The event's id if it can be recorded in the processed-event index (a short non-empty string)."""
    event_id = event.get("event_id") if isinstance(event, dict) else None
    return event_id if isinstance(event_id, str) and 0 < len(event_id) <= MAX_ID_LENGTH else None


def quarantine_entry(event: Any, reasons: list[Reason], received_at: str | None = None) -> dict[str, Any]:
    """What is written to quarantine: the event as received, every reason, and when it arrived."""
    return {"event": event, "reasons": [r.as_dict() for r in reasons], "received_at": received_at or utc_now_iso()}


def quarantine_lines(lake: Lake, quarantined: list[tuple[Any, list[Reason]]], received_at: str) -> dict[Any, list]:
    """Quarantine lines grouped by file: the customer the event names if the lake knows them, else ``_unrouted``."""
    by_path: dict[Any, list[bytes]] = {}
    known: dict[str, bool] = {}
    for event, reasons in quarantined:
        cid = event.get("customer_id") if isinstance(event, dict) else None
        if isinstance(cid, str) and cid not in known:
            try:
                known[cid] = lake.has_customer(cid)
            except ValueError:  # not a customer id at all
                known[cid] = False
        path = lake.quarantine_path(cid, SCHEMA) if isinstance(cid, str) and known[cid] \
            else lake.unrouted_quarantine_path(SCHEMA)
        by_path.setdefault(path, []).append(orjson.dumps(quarantine_entry(event, reasons, received_at)))
    return by_path
