"""Switches for the demo and the tests, outside the ReBIT API: faults, consent moves, the notification log.

* ``POST /admin/faults {"faults": [...]}`` — the faults in force from now on (an empty list clears them);
* ``POST /admin/consents/<handle> {"status": "EXPIRED"|"PAUSED"|"ACTIVE"|"REVOKED"}`` — move a consent as the
  AA or the customer would, and notify its FIU (400 unknown status, 404 unknown handle, 409 a move the
  lifecycle forbids);
* ``GET /admin/notifications`` — every notification attempt so far: ``{url, body, status_code | error}``.
"""
from __future__ import annotations

from flask import Blueprint, request

from generators.aa_server.consents import ADMIN_STATUSES, move
from generators.aa_server.state import FAULTS, aa_state
from pipeline.aa.errors import AAError

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.post("/faults")
def faults():
    """Set the faults the AA shows from now on."""
    state = aa_state()
    wanted = (request.get_json(silent=True) or {}).get("faults") or []
    unknown = [f for f in wanted if f not in FAULTS]
    if unknown:
        return {"error": "invalid_argument", "message": f"unknown faults {unknown}; known: {list(FAULTS)}"}, 400
    state["faults"] = set(wanted)
    return {"faults": sorted(state["faults"])}


@bp.post("/consents/<handle>")
def consent_status(handle: str):
    """Move a consent to the status asked for, notifying its FIU."""
    state = aa_state()
    c = state["consents"].get(handle)
    if c is None:
        return {"error": "not_found", "message": f"no consent with handle {handle!r}"}, 404
    status = str((request.get_json(silent=True) or {}).get("status") or "")
    if status not in ADMIN_STATUSES:
        return {"error": "invalid_argument", "message": f"status must be one of {', '.join(ADMIN_STATUSES)}; "
                f"got {status!r}"}, 400
    try:
        move(state, c, status)
    except AAError as exc:
        return {"error": exc.code, "message": str(exc)}, 409
    return {"ConsentHandle": handle, "status": c["status"], "consentId": c["consent_id"]}


@bp.get("/notifications")
def notifications():
    """Every notification the AA tried to send, in order, with the FIU's answer or the error."""
    return {"notifications": list(aa_state()["notifications"])}
