"""Model health: the risk model's population stability by month, for analysts (``GET /api/model-health``)."""
from __future__ import annotations

import orjson
from flask import Blueprint, Response, current_app
from pydantic import BaseModel

from api_panel.access import lake
from api_panel.auth import require_role
from api_panel.declare import capped, declared
from api_panel.errors import NotFoundError

bp = Blueprint("model_health", __name__)


class HealthQuery(BaseModel):
    """How many as-of months of history to report."""

    months: capped(1, 36, "as-of months to report, latest last") = 12


@bp.get("/api/model-health")
@require_role("analyst")
@declared
def model_health(query: HealthQuery):
    """The champion risk model's drift: per as-of month the customers scored, score PSI, status, every input's
    PSI (largest first) and the top drivers' CSI with their attribution shift, and how it was calculated."""
    from monitoring.drift import NoReferenceError
    from monitoring.drift import model_health as build_report  # pandas/scikit-learn: on the first request only

    months = query.months
    try:
        report = build_report(lake(), current_app.extensions["settings"], months)
    except NoReferenceError as exc:
        raise NotFoundError(str(exc), code="no_reference_profile") from None
    return Response(orjson.dumps(report), mimetype="application/json")
