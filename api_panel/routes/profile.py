"""The customer profile (ten sections), the borrower's identity and the officer's transaction list.

What a generator's ``customer.json`` says about the synthetic profile that made a customer (``fraud``,
``high_debt``) is test data, never a property of a borrower: it is served nowhere an officer looks."""
from __future__ import annotations

from typing import Literal

import orjson
from flask import Blueprint, Response, current_app
from pydantic import Field

from analytics.bank.categorise.frame import with_categories
from api_panel.access import analytics_document, authorize_read, lake
from api_panel.auth import require_role
from api_panel.casefile.identity import customer_identity
from api_panel.declare import CustomerQuery, capped, declared

bp = Blueprint("profile", __name__)
MAX_PAGE = 500
SORTABLE = ("transactionTimestamp", "amount", "type", "mode", "currentBalance", "narration")


class TransactionPage(CustomerQuery):
    """The customer, a search, a sort and a page."""

    q: str = Field("", description="search narration/txnId (the first 100 characters count)")
    sort: Literal[SORTABLE] = "transactionTimestamp"
    order: Literal["asc", "desc"] = "desc"
    limit: capped(1, MAX_PAGE, "page size") = 50
    offset: capped(0, 10_000_000, "transactions to skip") = 0


def _doc(customer_id: str, name: str) -> dict | None:
    return analytics_document(customer_id, name)


def _metrics(doc: dict | None) -> dict:
    return (doc or {}).get("metrics", {})


def _meta(customer_id: str) -> dict:
    """The customer's ``customer.json`` (empty when absent or unreadable)."""
    path = lake().customer_meta_path(customer_id)
    try:
        return current_app.extensions["documents"].read_parsed(path) if path.exists() else {}
    except Exception:  # noqa: BLE001 - an unreadable record means an unknown identity, not a failed request
        return {}


def _without_profile(overall: dict | None) -> dict | None:
    """The overall summary without the generator's profile name (a copy: the cached document is shared)."""
    if not isinstance(overall, dict) or not isinstance(overall.get("customer"), dict):
        return overall
    return {**overall, "customer": {k: v for k, v in overall["customer"].items() if k != "profile"}}


@bp.get("/api/customer-identity")
@require_role("officer")
@declared
def identity(query: CustomerQuery):
    """Who the borrower is: business name, owner, constitution, industry, PAN, GSTIN, Udyam registration number
    and location (the case header shows it)."""
    customer_id = query.customer_id
    authorize_read(customer_id, "customer_identity")
    return Response(orjson.dumps(customer_identity(customer_id, _meta(customer_id))), mimetype="application/json")


@bp.get("/api/customer-profile")
@require_role("officer")
@declared
def customer_profile(query: CustomerQuery):
    """All sources aggregated into the ten sections of the profile view."""
    customer_id = query.customer_id
    authorize_read(customer_id, "customer_profile")
    l = lake()
    inputs = [l.customer_meta_path(customer_id), l.clean_path(customer_id, "accounts"),
              l.log_path(customer_id, "clean_report"), *(l.analytics_path(customer_id, n) for n in PROFILE_DOCS)]
    body = current_app.extensions["documents"].derived(("profile", customer_id), inputs,
                                                       lambda: _build_profile(customer_id))
    return Response(body, mimetype="application/json")


PROFILE_DOCS = ("overall_summary", "transaction_summary", "gst_summary", "credit_summary", "earnings_spendings",
                "anomalies_report", "enhanced_anomalies", "mutual_funds_summary", "insurance_summary",
                "ocen_summary", "ondc_summary", "signals")


def _build_profile(customer_id: str) -> bytes:
    """The ten sections as JSON bytes, from the documents on disk."""
    l = lake()
    meta = _meta(customer_id)
    accounts = l.read_clean(customer_id, "accounts")
    txn = _doc(customer_id, "transaction_summary")
    gst = _doc(customer_id, "gst_summary")
    credit = _doc(customer_id, "credit_summary")
    earn = _doc(customer_id, "earnings_spendings")
    rules = _doc(customer_id, "anomalies_report")
    ml = _doc(customer_id, "enhanced_anomalies")
    body = {
        "customer_id": customer_id,
        "overview": {"customer": customer_identity(customer_id, meta),
                     "accounts": [{"maskedAccNumber": a.get("maskedAccNumber"), "type": (a.get("summary") or {}).get("type"),
                                   "facility": (a.get("summary") or {}).get("facility"),
                                   "currentBalance": (a.get("summary") or {}).get("currentBalance"),
                                   "ifscCode": (a.get("summary") or {}).get("ifscCode")} for a in accounts],
                     "overall": _without_profile(_doc(customer_id, "overall_summary"))},
        "transactions": {"metrics": _metrics(txn), "monthly": (txn or {}).get("monthly", []),
                         "bounces": (txn or {}).get("bounces", []),
                         "window_dressing": (txn or {}).get("window_dressing"), "count": _clean_count(customer_id)},
        "gst": {"metrics": _metrics(gst), "monthly": (gst or {}).get("monthly", []),
                "seasonality_index": (gst or {}).get("seasonality_index", []),
                "fraud_indicators": (gst or {}).get("fraud_indicators"), "itc_check": (gst or {}).get("itc_check")},
        "credit": {"metrics": _metrics(credit), "tradelines": (credit or {}).get("tradelines", []),
                   "enquiries": (credit or {}).get("enquiries", []),
                   "loan_stacking": (credit or {}).get("loan_stacking")},
        "earnings_spendings": earn,
        "anomalies": {"rules": rules, "ml": ml},
        "mutual_funds": _doc(customer_id, "mutual_funds_summary"),
        "insurance": _doc(customer_id, "insurance_summary"),
        "ocen": _doc(customer_id, "ocen_summary"),
        "ondc": _doc(customer_id, "ondc_summary"),
        "signals": _doc(customer_id, "signals"),
    }
    return orjson.dumps(body)


def _clean_count(customer_id: str) -> int:
    """Clean transactions written, from the clean report (no need to read 17,000 lines)."""
    path = lake().log_path(customer_id, "clean_report")
    try:
        report = current_app.extensions["documents"].read_parsed(path) if path.exists() else {}
    except Exception:  # noqa: BLE001 - a missing or odd report just means an unknown count
        return 0
    return int(((report.get("sources") or {}).get("transactions") or {}).get("written") or 0)


@bp.get("/api/transactions")
@require_role("officer")
@declared
def transactions(query: TransactionPage):
    """The customer's clean transactions: searchable (q), sortable (sort, order) and paged (limit, offset); each
    item carries its taxonomy ``group`` and ``category_leaf`` (docs/taxonomy.md)."""
    customer_id = query.customer_id
    authorize_read(customer_id, "transactions")
    limit, offset, sort, order = query.limit, query.offset, query.sort, query.order
    search = query.q.strip().lower()[:100]
    rows = statement = lake().read_clean(customer_id, "transactions")
    if search:
        rows = [r for r in rows if search in r.get("narration", "").lower() or search in r.get("txnId", "").lower()]
    rows.sort(key=lambda r: (r.get(sort) is None, r.get(sort) if r.get(sort) is not None else ""), reverse=order == "desc")
    page = with_categories(rows[offset:offset + limit], statement)
    return Response(orjson.dumps({"customer_id": customer_id, "total": len(rows), "limit": limit, "offset": offset,
                                  "sort": sort, "order": order, "items": page}), mimetype="application/json")
