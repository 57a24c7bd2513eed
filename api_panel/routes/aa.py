"""The Account Aggregator journey through the API: ask for consent, follow it, fetch under it.

``POST /api/aa/consents`` and ``POST /api/aa/fetch`` start jobs (202) that run exactly the commands an analyst
would type (``python -m pipeline aa-consent`` / ``aa-fetch``), with their lines streamed live to the
customer's room like any pipeline job; ``GET /api/aa/consents`` says where the journey stands: the handle, the
AA's approval page, the status as the AA's notifications moved it, and when data was last fetched.
"""
from __future__ import annotations

from typing import Annotated, Literal

from flask import Blueprint, current_app, jsonify
from pydantic import BeforeValidator, Field

from api_panel.access import audit_action, lake
from api_panel.auth import current_principal, require_role
from api_panel.declare import CustomerBody, CustomerQuery, declared, optional, whole
from api_panel.errors import NotFoundError
from pipeline.aa.consent_request import FI_TYPES, PURPOSES
from pipeline.aa.journey import aa_settings
from pipeline.aa.records import read_record

bp = Blueprint("aa", __name__)
DEFAULT_FI_TYPES = ["DEPOSIT", "GSTR1_3B"]
HIDDEN = ("applied_txnids", "detail", "customer_handle_sha256")   # internal bookkeeping, not the user's concern


def public_journey(record: dict | None) -> dict | None:
    """The journey record as the dashboard shows it."""
    return None if record is None else {k: v for k, v in record.items() if k not in HIDDEN}


def _listed(value):
    """FI types may also come as one comma-separated string."""
    return [t.strip() for t in value.split(",")] if isinstance(value, str) else value


class AAConsentRequest(CustomerBody):
    """What the consent asks the customer's AA for."""

    purpose: Literal[tuple(PURPOSES)] = Field("104", description="ReBIT purpose code (default 104, monitoring)")
    fi_types: Annotated[list[Literal[FI_TYPES]], Field(min_length=1, description="default DEPOSIT, GSTR1_3B"),
                        BeforeValidator(_listed),
                        whole(f"fi_types must be a non-empty list of FI types; known: {', '.join(FI_TYPES)}")] = \
        DEFAULT_FI_TYPES
    handle: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+$", max_length=100)] = optional(
        "the customer's AA handle, <mobile>@<aa> (default: the local AA's)")


@bp.get("/api/aa/consents")
@require_role("analyst")
@declared
def journey(query: CustomerQuery):
    """Where the customer's AA consent journey stands (``journey`` is null before any request)."""
    customer_id = query.customer_id
    return jsonify({"customer_id": customer_id, "aa": {"base_url": aa_settings(current_app.extensions["settings"])
                                                       .base_url},
                    "journey": public_journey(read_record(lake(), customer_id))})


@bp.post("/api/aa/consents")
@require_role("analyst")
@declared
def request_consent(json: AAConsentRequest):
    """Ask the customer's AA for a consent (a 202 job running ``python -m pipeline aa-consent``)."""
    customer_id, purpose, types = json.customer_id, json.purpose, list(dict.fromkeys(json.fi_types))
    args = ["aa-consent", "--customer-id", customer_id, "--purpose", purpose, "--fi-types", ",".join(types)]
    if json.handle is not None:
        args += ["--handle", json.handle]
    job = current_app.extensions["jobs"].start_command(customer_id, "aa_consent", args, current_principal().label)
    audit_action("aa_consent_request_started", customer_id, job_id=job["job_id"], purpose=purpose, fi_types=types)
    return jsonify({"job_id": job["job_id"], "status": job["status"], "customer_id": customer_id,
                    "step": "aa_consent"}), 202


@bp.post("/api/aa/fetch")
@require_role("analyst")
@declared
def fetch(json: CustomerBody):
    """Fetch under the customer's AA consent, decrypt, import and clean (a 202 job running ``aa-fetch``)."""
    customer_id = json.customer_id
    if read_record(lake(), customer_id) is None:
        raise NotFoundError(f"no AA consent was requested for {customer_id}: request one first",
                            code="no_aa_consent")
    job = current_app.extensions["jobs"].start_command(customer_id, "aa_fetch",
                                                       ["aa-fetch", "--customer-id", customer_id],
                                                       current_principal().label)
    audit_action("aa_fetch_started", customer_id, job_id=job["job_id"])
    return jsonify({"job_id": job["job_id"], "status": job["status"], "customer_id": customer_id,
                    "step": "aa_fetch"}), 202
