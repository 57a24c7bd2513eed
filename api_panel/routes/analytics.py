"""Read-only analytics: the bundle and each model's document, served as stored (bytes, cached)."""
from __future__ import annotations

from typing import Annotated

from flask import Blueprint, Response, current_app
from pydantic import AfterValidator, Field

from api_panel.access import analytics_bytes, authorize_read, lake
from api_panel.auth import require_role
from api_panel.declare import CustomerQuery, declared, refusal
from api_panel.errors import NotFoundError
from pipeline.config import PROJECT_ROOT

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


def _json(data: bytes) -> Response:
    return Response(data, mimetype="application/json")


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


@bp.get("/api/analytics")
@require_role("officer")
@declared
def analytics_bundle(query: BundleQuery):
    """Every analytics document of the customer (or those named in ``names``), keyed by name; ``missing`` lists
    those not computed yet."""
    customer_id = query.customer_id
    wanted = query.names or BUNDLE
    authorize_read(customer_id, "analytics")
    paths = [lake().analytics_path(customer_id, name) for name in wanted]
    body = current_app.extensions["documents"].derived(("bundle", customer_id, wanted), paths,
                                                       lambda: _bundle(customer_id, wanted))
    if body is None:
        raise NotFoundError(f"no analytics for {customer_id} yet: run the analyze step", code="analytics_not_found")
    return _json(body)


def _bundle(customer_id: str, wanted: tuple[str, ...]) -> bytes | None:
    """The named documents keyed by name, with ``missing`` listing those not computed (None if all are)."""
    parts, missing = [], []
    for name in wanted:
        try:
            parts.append(b'"' + name.encode() + b'":' + analytics_bytes(customer_id, name))
        except NotFoundError:
            missing.append(name)
    if not parts:
        return None
    head = b'{"customer_id":"' + customer_id.encode() + b'","missing":' + _names(missing) + b","
    return head + b",".join(parts) + b"}"


def _names(names: list[str]) -> bytes:
    return b"[" + b",".join(b'"' + n.encode() + b'"' for n in names) + b"]"


def _single(names: tuple[str, ...]):
    @declared
    def view(query: CustomerQuery):
        customer_id = query.customer_id
        authorize_read(customer_id, names[0])
        return _json(analytics_bytes(customer_id, names[0]))
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
    rules = analytics_bytes(customer_id, "anomalies_report")
    ml_path = lake().analytics_path(customer_id, "enhanced_anomalies")
    ml = analytics_bytes(customer_id, "enhanced_anomalies") if ml_path.exists() else b"null"
    return _json(b'{"customer_id":"' + customer_id.encode() + b'","rules":' + rules + b',"ml":' + ml + b"}")


@bp.get("/api/methodology")
@require_role("officer")
def methodology():
    """The credit methodology document (Markdown) the dashboard's Methodology tab renders."""
    text = (PROJECT_ROOT / "docs" / "credit_methodology.md").read_text(encoding="utf-8")
    return current_app.response_class(text, mimetype="text/markdown")
