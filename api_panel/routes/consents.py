"""Consent artefacts (admins): create, list, revoke — revocation erases the customer's data."""
from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from flask import Blueprint, jsonify
from pydantic import ConfigDict, Field, StrictInt

from api_panel.access import audit_action, lake, registry, require_in_scope
from api_panel.auth import require_role
from api_panel.declare import CustomerBody, CustomerQuery, declared, optional
from api_panel.errors import NotFoundError
from pipeline.consents import PURPOSES, build_consent, erase_customer

bp = Blueprint("consents", __name__)


class ConsentRequest(CustomerBody):
    """A consent to record (ReBIT field names); other artefact fields (FIDataRange, consentMode, consentTypes)
    pass through to :func:`pipeline.consents.build_consent`, which checks the artefact against its schema."""

    model_config = ConfigDict(extra="allow")
    error_code: ClassVar[str] = "invalid_consent"
    purpose: Literal[tuple(PURPOSES)] = Field("103", description="ReBIT purpose code")
    fiTypes: Annotated[list[str], Field(min_length=1)] = optional("FI types the consent covers (default: all seven)")
    fetchType: Literal["ONETIME", "PERIODIC"] = optional("default PERIODIC for purpose 104, else ONETIME")
    dataRangeMonths: Annotated[StrictInt, Field(ge=1, le=120)] = 36
    DataLife: dict = optional("{unit, value} (default one year)")
    Frequency: dict = optional("{unit, value}")


@bp.post("/api/consents")
@require_role("admin")
@declared
def create_consent(json: ConsentRequest):
    """Record a new ACTIVE consent for a customer (purpose, fiTypes, data range, DataLife, fetch type)."""
    customer_id = json.customer_id
    artefact = registry().add(customer_id, build_consent(customer_id, json.model_dump(exclude_unset=True)))
    audit_action("consent_created", customer_id, consent_id=artefact["consentId"],
                 purpose=artefact["Purpose"]["code"], fi_types=artefact["fiTypes"])
    return jsonify({**artefact, "effectiveStatus": "ACTIVE"}), 201


@bp.get("/api/consents")
@require_role("admin")
@declared
def list_consents(query: CustomerQuery):
    """A customer's consent artefacts with their effective status."""
    customer_id = query.customer_id
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
