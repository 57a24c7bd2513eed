"""The customer's side of the local AA: the approval page and the decisions taken on it.

``GET /approve/<handle>`` shows the request; ``POST /approve/<handle>`` with ``decision`` (form or JSON) in
approve, reject, pause, resume, revoke moves the consent and answers ``{"ConsentHandle", "status", "consentId"}``
(a browser, which prefers HTML, is sent back to the page instead). A decision the status does not offer is 409
``invalid_transition``; an unknown one 400.
"""
from __future__ import annotations

from flask import Blueprint, Response, redirect, request, url_for

from generators.aa_server.consents import decide
from generators.aa_server.pages import approval_page
from generators.aa_server.state import aa_state
from pipeline.aa.errors import AAError

bp = Blueprint("customer", __name__)
STATUS_OF_ERROR = {"invalid_transition": 409, "invalid_argument": 400}


@bp.route("/approve/<handle>", methods=["GET", "POST"])
def approve(handle: str):
    """Show the consent request, or apply the customer's decision on it."""
    state = aa_state()
    c = state["consents"].get(handle)
    if c is None:
        return Response("No such consent request.", status=404, mimetype="text/plain")
    if request.method == "GET":
        return Response(approval_page(handle, c), mimetype="text/html")
    decision = request.form.get("decision") or (request.get_json(silent=True) or {}).get("decision") or ""
    try:
        decide(state, c, str(decision))
    except AAError as exc:
        return {"error": exc.code, "message": str(exc)}, STATUS_OF_ERROR[exc.code]
    if request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html":
        return redirect(url_for("customer.approve", handle=handle), code=303)
    return {"ConsentHandle": handle, "status": c["status"], "consentId": c["consent_id"]}
