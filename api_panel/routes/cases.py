"""The case list an officer lands on after signing in: every customer with the engine's decision, PD and band,
last run and the latest officer decision — no personal data beyond the business name."""
from __future__ import annotations

import orjson
from flask import Blueprint, Response, current_app, request

from api_panel.access import analytics_document, lake, registry, visible_customers
from api_panel.auth import current_principal, require_role
from api_panel.casefile.decisions import read_officer_decisions
from api_panel.casefile.history import case_row
from pipeline.consents import LENDING_PURPOSES, ConsentError
from pipeline.customers import customer_summary

bp = Blueprint("cases", __name__)


@bp.get("/api/cases")
@require_role("officer")
def list_cases():
    """Every customer inside the caller's scope as a case: name, consent, engine decision, PD and band, last run, latest officer decision
    (and whether it differs from the engine). Figures are shown only where a lending consent allows reading
    them (``restricted`` says why not), and each customer whose figures are shown is audited as read."""
    principal = current_principal()
    access_log = current_app.extensions["audit_log"]
    rows = []
    for customer_id in visible_customers(sorted(set(lake().customers()) | set(registry().customers()))):
        summary = customer_summary(lake(), customer_id)
        consents = registry().list(customer_id)
        try:
            check = registry().check(customer_id, LENDING_PURPOSES, ("DEPOSIT",))
            restricted = None
        except ConsentError as exc:
            check, restricted = None, str(exc)
        row = case_row(customer_id, summary["name"], consents[-1]["effectiveStatus"] if consents else None,
                       summary["last_run"],
                       None if restricted else analytics_document(customer_id, "decision"),
                       None if restricted else analytics_document(customer_id, "risk_model"),
                       [] if restricted else read_officer_decisions(lake(), customer_id), restricted)
        if check is not None:
            access_log.append("read", customer_id, who=principal.label, role=principal.role, purpose=check.purpose,
                              consent_id=check.consent_id, endpoint=request.path, what="case_list")
        rows.append(row)
    return Response(orjson.dumps({"cases": rows, "count": len(rows)}), mimetype="application/json")
