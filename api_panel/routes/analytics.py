"""Read-only analytics: the bundle (a digest of every document), each document, and its long lists paged.

Documents are stored whole; what is served is light (:mod:`api_panel.analytics_views`): built once per file
change from the cached parse, kept as bytes, gzip-compressed once (:mod:`api_panel.compression`).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

import orjson
from flask import Blueprint, current_app
from pydantic import AfterValidator, Field

from api_panel.access import analytics_bytes, authorize_read, lake
from api_panel.analytics_views import DEFAULT_PAGE, MAX_PAGE, PAGED_LISTS, digest, page, without_paged_lists
from api_panel.auth import require_role
from api_panel.compression import json_response
from api_panel.declare import CustomerQuery, capped, declared, refusal
from api_panel.errors import APIError, NotFoundError
from pipeline.config import PROJECT_ROOT
from pipeline.lake import Lake

bp = Blueprint("analytics", __name__)

BUNDLE = ("overall_summary", "credit_score", "transaction_summary", "gst_summary", "credit_summary",
          "earnings_spendings", "anomalies_report", "smart_collect", "mutual_funds_summary", "insurance_summary",
          "ocen_summary", "ondc_summary", "risk_model", "cashflow_forecast", "reconciliation", "enhanced_anomalies",
          "recommendations", "decision", "signals")
SINGLE = {
    "/api/credit-score": ("credit_score",),
    "/api/signals": ("signals",),
    "/api/risk-model": ("risk_model",),
    "/api/forecast": ("cashflow_forecast",),
    "/api/reconciliation": ("reconciliation",),
    "/api/recommendations": ("recommendations",),
    "/api/smart-collect": ("smart_collect",),
    "/api/decision": ("decision",),  # the engine's credit decision (docs/decision.md)
}


@lru_cache(maxsize=4096)
def _paths(lake_: Lake, customer_id: str, names: tuple[str, ...]) -> tuple[Path, ...]:
    """The documents' paths (building 19 paths costs more than serving the cached bundle)."""
    return tuple(lake_.analytics_path(customer_id, name) for name in names)


def _cached(key: tuple, names: tuple[str, ...], customer_id: str, build) -> bytes | None:
    """Response bytes built from the named documents, rebuilt only when one of their files changes."""
    return current_app.extensions["documents"].derived(key, _paths(lake(), customer_id, tuple(names)), build)


def _parsed(customer_id: str, name: str):
    """One document parsed (cached); NotFoundError saying which step computes it."""
    return current_app.extensions["documents"].read_parsed(lake().analytics_path(customer_id, name))


def _document_name(name: str) -> str:
    if name not in BUNDLE:
        raise APIError(f"unknown document {name!r}; documents: {', '.join(BUNDLE)}", field="name",
                       code="invalid_argument")
    return name


def _document_names(text: str) -> tuple[str, ...]:
    if not text:
        return ()
    wanted = tuple(n.strip() for n in text.split(",") if n.strip())
    unknown = [n for n in wanted if n not in BUNDLE]
    if unknown or not wanted:
        raise refusal("invalid_argument", f"unknown document name(s) {', '.join(unknown)}; names: {', '.join(BUNDLE)}")
    return wanted


class BundleQuery(CustomerQuery):
    """The customer, and optionally which of the bundle's documents to send."""

    names: Annotated[str, Field(description="comma-separated document names (default: all)"),
                     AfterValidator(_document_names)] = ""


class PageQuery(CustomerQuery):
    """The customer and a page of a long list."""

    limit: capped(1, MAX_PAGE, "page size") = DEFAULT_PAGE
    offset: capped(0, 10_000_000, "items to skip") = 0


@bp.get("/api/analytics")
@require_role("officer")
@declared
def analytics_bundle(query: BundleQuery):
    """A digest of every analytics document (plain fields and ``metrics`` whole, other sections linked), or the
    documents named in ``names`` (whole, long lists paged); ``missing`` lists those not computed yet."""
    customer_id = query.customer_id
    wanted, form = (query.names, "documents") if query.names else (BUNDLE, "digest")
    authorize_read(customer_id, "analytics")
    body = _cached(("bundle", form, customer_id, wanted), wanted, customer_id,
                   lambda: _bundle(customer_id, wanted, digest if form == "digest" else without_paged_lists))
    if body is None:
        raise NotFoundError(f"no analytics for {customer_id} yet: run the analyze step", code="analytics_not_found")
    return json_response(body)


def _bundle(customer_id: str, wanted: tuple[str, ...], shape) -> bytes | None:
    """The named documents keyed by name, each through ``shape``, with ``missing`` listing those not computed
    (None if none is)."""
    out: dict = {"customer_id": customer_id, "missing": []}
    for name in wanted:
        try:
            out[name] = shape(name, _parsed(customer_id, name), customer_id)
        except (NotFoundError, orjson.JSONDecodeError):
            out["missing"].append(name)
    return orjson.dumps(out) if len(out) > 2 else None


def _document_bytes(customer_id: str, name: str) -> bytes:
    """One document as served: compact, its long lists replaced by links to their pages."""
    return _cached(("document", customer_id, name), (name,), customer_id,
                   lambda: orjson.dumps(without_paged_lists(name, _parsed(customer_id, name), customer_id)))


@bp.get("/api/analytics/<name>")
@require_role("officer")
@declared
def analytics_document_view(name: str, query: CustomerQuery):
    """One analytics document, its long per-record lists replaced by ``{total, href}`` links to their pages."""
    customer_id = query.customer_id
    _document_name(name)
    authorize_read(customer_id, name)
    return json_response(_document_bytes(customer_id, name))


@bp.get("/api/analytics/<name>/<list_name>")
@require_role("officer")
@declared
def analytics_list_page(name: str, list_name: str, query: PageQuery):
    """One page of a document's long list: ``{items, total, limit, offset}`` in stored order (``limit`` at most
    500, default 100)."""
    customer_id = query.customer_id
    _document_name(name)
    if list_name not in PAGED_LISTS.get(name, ()):
        lists = ", ".join(f"{doc}/{key}" for doc, keys in PAGED_LISTS.items() for key in keys)
        raise APIError(f"{name} has no paged list {list_name!r}; paged lists: {lists}", field="list",
                       code="invalid_argument")
    limit, offset = query.limit, query.offset
    authorize_read(customer_id, f"{name}/{list_name}")

    def build() -> bytes:
        items = (_parsed(customer_id, name) or {}).get(list_name) or []
        return orjson.dumps({"customer_id": customer_id, "document": name, "list": list_name,
                             **page(items, limit, offset)})
    return json_response(_cached(("page", customer_id, name, list_name, limit, offset), (name,), customer_id, build))


def _single(names: tuple[str, ...]):
    @declared
    def view(query: CustomerQuery):
        customer_id = query.customer_id
        authorize_read(customer_id, names[0])
        return json_response(_document_bytes(customer_id, names[0]))
    return view


for _path, _names_ in SINGLE.items():
    bp.add_url_rule(_path, endpoint=_names_[0], view_func=require_role("officer")(_single(_names_)), methods=["GET"])


@bp.get("/api/anomalies")
@require_role("officer")
@declared
def anomalies(query: CustomerQuery):
    """Rule-based and machine-learning anomalies side by side."""
    customer_id = query.customer_id
    authorize_read(customer_id, "anomalies")
    def build() -> bytes:
        rules = analytics_bytes(customer_id, "anomalies_report")
        ml_path = lake().analytics_path(customer_id, "enhanced_anomalies")
        ml = analytics_bytes(customer_id, "enhanced_anomalies") if ml_path.exists() else b"null"
        return b'{"customer_id":"' + customer_id.encode() + b'","rules":' + rules + b',"ml":' + ml + b"}"
    return json_response(_cached(("anomalies", customer_id), ("anomalies_report", "enhanced_anomalies"),
                                 customer_id, build))


@bp.get("/api/methodology")
@require_role("officer")
def methodology():
    """The credit methodology document (Markdown) the dashboard's Methodology tab renders."""
    text = (PROJECT_ROOT / "docs" / "credit_methodology.md").read_text(encoding="utf-8")
    return current_app.response_class(text, mimetype="text/markdown")
