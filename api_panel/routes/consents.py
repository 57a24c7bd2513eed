"""Consent artefacts (admins): create, list, revoke — revocation erases the customer's data."""
from __future__ import annotations

from flask import Blueprint, jsonify

from api_panel.access import audit_action, customer_id_arg, lake, registry, require_in_scope
from api_panel.auth import require_role
from api_panel.errors import NotFoundError
from api_panel.inputs import json_body
from pipeline.consents import build_consent, erase_customer

bp = Blueprint("consents", __name__)


@bp.post("/api/consents")
@require_role("admin")
def create_consent():
    """Record a new ACTIVE consent for a customer (purpose, fiTypes, data range, DataLife, fetch type)."""
    body = json_body(required=("customer_id",))
    customer_id = customer_id_arg(body["customer_id"])
    artefact = registry().add(customer_id, build_consent(customer_id, body))
    audit_action("consent_created", customer_id, consent_id=artefact["consentId"],
                 purpose=artefact["Purpose"]["code"], fi_types=artefact["fiTypes"])
    return jsonify({**artefact, "effectiveStatus": "ACTIVE"}), 201


@bp.get("/api/consents")
@require_role("admin")
def list_consents():
    """A customer's consent artefacts with their effective status."""
    customer_id = customer_id_arg()
    consents = registry().list(customer_id)
    if not consents and not lake().has_customer(customer_id):
        raise NotFoundError(f"customer {customer_id} not found", code="customer_not_found")
    return jsonify({"customer_id": customer_id, "consents": consents})


@bp.post("/api/consents/<consent_id>/revoke")
@require_role("admin")
def revoke_consent(consent_id: str):
    """Revoke a consent and erase the customer's data from every layer (DPDP), recording both."""
    customer_id = None
    for candidate in registry().customers():
        if any(c["consentId"] == consent_id for c in registry().list(candidate)):
            customer_id = candidate
            break
    if customer_id is None:
        raise NotFoundError(f"consent {consent_id} not found", code="consent_not_found")
    require_in_scope(customer_id, field="consent_id", what=f"consent {consent_id}")
    registry().set_status(customer_id, consent_id, "REVOKED")
    layers = erase_customer(lake(), registry(), customer_id)
    artefact = registry().get(customer_id, consent_id)   # as erasure left it: REVOKED, minimised
    audit_action("consent_revoked", customer_id, consent_id=consent_id)
    audit_action("erase", customer_id, reason=f"consent {consent_id} revoked", layers=layers)
    return jsonify({"consent": artefact, "erased_layers": layers, "customer_id": customer_id})
