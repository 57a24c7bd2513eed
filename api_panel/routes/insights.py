"""AI lending narratives: an OpenAI-compatible model first, Gemini second, a deterministic narrative always."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from api_panel.access import audit_action, authorize_read, lake
from api_panel.auth import require_role
from api_panel.declare import CustomerBody, declared
from api_panel.errors import NotFoundError
from pipeline.lake import LakeError

bp = Blueprint("insights", __name__)
DOCUMENTS = ("overall_summary", "credit_score", "transaction_summary", "gst_summary", "credit_summary",
             "anomalies_report", "smart_collect", "risk_model", "cashflow_forecast", "recommendations",
             "reconciliation", "enhanced_anomalies", "decision")


@bp.post("/api/ai-insights")
@require_role("officer")
@declared
def ai_insights(json: CustomerBody):
    """A lending narrative (summary, strengths, risks, recommendation, conditions) and which provider wrote it."""
    from api_panel.insights import generate_insights, settings_from_env

    customer_id = json.customer_id
    authorize_read(customer_id, "ai_insights")
    documents = {}
    for name in DOCUMENTS:
        path = lake().analytics_path(customer_id, name)
        if path.exists():
            try:
                documents[name] = lake().read_json(path)
            except LakeError:
                continue
    if "overall_summary" not in documents:
        raise NotFoundError(f"no analytics for {customer_id} yet: run the analyze step", code="analytics_not_found")
    settings = current_app.extensions.get("insight_settings") or settings_from_env()
    result = generate_insights(documents, settings)
    audit_action("ai_insights", customer_id, provider=result.get("provider"))
    return jsonify({"customer_id": customer_id, **result})
