"""The Account Aggregator journey through the API: ask for consent, follow it, fetch under it.

``POST /api/aa/consents`` and ``POST /api/aa/fetch`` start jobs (202) that run exactly the commands an analyst
would type (``python -m pipeline aa-consent`` / ``aa-fetch``), with their lines streamed live to the
customer's room like any pipeline job; ``GET /api/aa/consents`` says where the journey stands: the handle, the
AA's approval page, the status as the AA's notifications moved it, and when data was last fetched.
"""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from api_panel.access import audit_action, customer_id_arg, lake
from api_panel.auth import current_principal, require_role
from api_panel.errors import APIError, NotFoundError
from api_panel.inputs import json_body
from pipeline.aa.consent_request import FI_TYPES, PURPOSES
from pipeline.aa.journey import aa_settings
from pipeline.aa.records import read_record

bp = Blueprint("aa", __name__)
DEFAULT_FI_TYPES = ["DEPOSIT", "GSTR1_3B"]
HIDDEN = ("applied_txnids", "detail", "customer_handle_sha256")   # internal bookkeeping, not the user's concern


def public_journey(record: dict | None) -> dict | None:
    """The journey record as the dashboard shows it."""
    return None if record is None else {k: v for k, v in record.items() if k not in HIDDEN}


def _fi_types(body: dict) -> list[str]:
    raw = body.get("fi_types", DEFAULT_FI_TYPES)
    types = [t.strip() for t in raw.split(",")] if isinstance(raw, str) else raw
    if not isinstance(types, list) or not types or not all(isinstance(t, str) and t for t in types):
        raise APIError("fi_types must be a non-empty list of FI types", field="fi_types", code="invalid_argument")
    unknown = [t for t in types if t not in FI_TYPES]
    if unknown:
        raise APIError(f"unknown FI types {', '.join(unknown)}; known: {', '.join(FI_TYPES)}", field="fi_types",
                       code="invalid_argument")
    return list(dict.fromkeys(types))


@bp.get("/api/aa/consents")
@require_role("analyst")
def journey():
    """Where the customer's AA consent journey stands (``journey`` is null before any request)."""
    customer_id = customer_id_arg()
    return jsonify({"customer_id": customer_id, "aa": {"base_url": aa_settings(current_app.extensions["settings"])
                                                       .base_url},
                    "journey": public_journey(read_record(lake(), customer_id))})


@bp.post("/api/aa/consents")
@require_role("analyst")
def request_consent():
    """Ask the customer's AA for a consent (a 202 job running ``python -m pipeline aa-consent``)."""
    body = json_body(required=("customer_id",))
    customer_id = customer_id_arg(body["customer_id"])
    purpose = str(body.get("purpose", "104"))
    if purpose not in PURPOSES:
        raise APIError(f"purpose must be one of {', '.join(PURPOSES)}", field="purpose", code="invalid_argument")
    types = _fi_types(body)
    args = ["aa-consent", "--customer-id", customer_id, "--purpose", purpose, "--fi-types", ",".join(types)]
    handle = body.get("handle")
    if handle is not None:
        if not isinstance(handle, str) or "@" not in handle or len(handle) > 100:
            raise APIError("handle must be the customer's AA handle (<mobile>@<aa>)", field="handle",
                           code="invalid_argument")
        args += ["--handle", handle]
    job = current_app.extensions["jobs"].start_command(customer_id, "aa_consent", args, current_principal().label)
    audit_action("aa_consent_request_started", customer_id, job_id=job["job_id"], purpose=purpose, fi_types=types)
    return jsonify({"job_id": job["job_id"], "status": job["status"], "customer_id": customer_id,
                    "step": "aa_consent"}), 202


@bp.post("/api/aa/fetch")
@require_role("analyst")
def fetch():
    """Fetch under the customer's AA consent, decrypt, import and clean (a 202 job running ``aa-fetch``)."""
    body = json_body(required=("customer_id",))
    customer_id = customer_id_arg(body["customer_id"])
    if read_record(lake(), customer_id) is None:
        raise NotFoundError(f"no AA consent was requested for {customer_id}: request one first",
                            code="no_aa_consent")
    job = current_app.extensions["jobs"].start_command(customer_id, "aa_fetch",
                                                       ["aa-fetch", "--customer-id", customer_id],
                                                       current_principal().label)
    audit_action("aa_fetch_started", customer_id, job_id=job["job_id"])
    return jsonify({"job_id": job["job_id"], "status": job["status"], "customer_id": customer_id,
                    "step": "aa_fetch"}), 202
