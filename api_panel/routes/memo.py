"""The credit memo: ``GET /api/credit-memo?customer_id=ID`` answers a PDF for the loan file."""
from __future__ import annotations

from flask import Blueprint, Response

from api_panel.access import analytics_document, authorize_read, lake
from api_panel.auth import require_role
from api_panel.declare import CustomerQuery, declared
from api_panel.casefile.decisions import read_officer_decisions
from api_panel.casefile.identity import customer_identity
from api_panel.casefile.memo import MEMO_DOCUMENTS, REQUIRED, build_memo, render_credit_memo
from api_panel.errors import NotFoundError
from pipeline.lake import LakeError

bp = Blueprint("memo", __name__)


@bp.get("/api/credit-memo")
@require_role("officer")
@declared
def credit_memo(query: CustomerQuery):
    """The credit memo of a case as a PDF (``application/pdf``, an attachment named
    ``credit-memo-<id>.pdf``): identity, decision and policy, risk grade, reasons, key metrics with their
    windows, charts, offers with the rate build-up, conditions and the latest officer decision.
    404 naming the pipeline step to run when a document it needs has not been computed."""
    customer_id = query.customer_id
    access = authorize_read(customer_id, "credit_memo")
    docs = {name: analytics_document(customer_id, name) for name in MEMO_DOCUMENTS}
    for name, step in REQUIRED:
        if docs[name] is None:
            raise NotFoundError(f"the credit memo needs {name}.json, which has not been computed for {customer_id}: "
                                f"run the {step} step (python -m pipeline run --customer-id {customer_id} "
                                f"--steps {step})", code="analytics_not_found")
    meta_path = lake().customer_meta_path(customer_id)
    try:
        meta = lake().read_json(meta_path) if meta_path.exists() else {}
    except LakeError:
        meta = {}
    memo = build_memo(customer_id, customer_identity(customer_id, meta), docs,
                      read_officer_decisions(lake(), customer_id),
                      {"consent_id": access.consent.consent_id, "purpose": access.consent.purpose})
    return Response(render_credit_memo(memo), mimetype="application/pdf",
                    headers={"Content-Disposition": f"attachment; filename=credit-memo-{customer_id}.pdf",
                             "Cache-Control": "no-store"})
