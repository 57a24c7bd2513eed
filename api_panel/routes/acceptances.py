"""Accepting a recommended product: ``POST /api/loans`` records the acceptance and books its loan.

The route is thin: it parses the body, checks the customer and their consent the way every read of a
customer's data is checked (``authorize_read``: 404 unknown customer, 403 without a lending consent), calls
:func:`monitoring.booking.accept_recommendation` and audits what it did (ids only, no amounts).
``GET /api/loans`` (the customer's book) lives in ``routes/monitoring.py``.
"""
from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar

import orjson
from flask import Blueprint, Response, current_app
from pydantic import ConfigDict, Field, Strict, StrictInt

from api_panel.access import audit_action, authorize_read, lake
from api_panel.auth import current_principal, require_role
from api_panel.declare import CustomerBody, declared
from api_panel.errors import APIError
from monitoring.acceptances import (
    ACCEPTANCE_ID_PATTERN,
    AcceptanceError,
    DuplicateAcceptanceError,
    OfferAlreadyAcceptedError,
    RecommendationsMissingError,
)
from monitoring.booking import accept_recommendation

bp = Blueprint("acceptances", __name__)
STATUS = {RecommendationsMissingError: 404, DuplicateAcceptanceError: 409, OfferAlreadyAcceptedError: 409}


Rupees = Annotated[float, Strict(), Field(gt=0, allow_inf_nan=False)]


class AcceptanceRequest(CustomerBody):
    """The product accepted and the terms asked for (each defaults to the offer's)."""

    model_config = ConfigDict(extra="forbid")  # a misspelt field never silently becomes a default
    error_code: ClassVar[str] = "invalid_acceptance"
    product_id: str = Field(min_length=1, description="a recommended product id")
    amount: Rupees | None = Field(None, description="INR, at most the offer (default it)")
    tenure_months: Annotated[StrictInt, Field(ge=1)] | None = Field(None, description="at most the offer's (default it)")
    disbursed_on: date | None = Field(None, description="default the acceptance date")
    collateral_value: Rupees | None = Field(None, description="INR, when collateral is taken")
    acceptance_id: Annotated[str, Field(pattern=ACCEPTANCE_ID_PATTERN.pattern)] | None = Field(
        None, description="idempotency key: a repeat with the same terms returns the same loan")


def _api_error(exc: AcceptanceError) -> APIError:
    """The HTTP form of a refused acceptance: 400 naming the field, 404/409 for the cases in ``STATUS``."""
    return APIError(exc.message, status=STATUS.get(type(exc), 400), code=exc.code, field=exc.field)


@bp.post("/api/loans")
@require_role("analyst")
@declared
def accept_product(json: AcceptanceRequest):
    """Book a loan from a recommended product the customer accepted (idempotent by acceptance_id).

    Body ``{customer_id, product_id, amount?, tenure_months?, disbursed_on?, collateral_value?, acceptance_id?}``;
    201 with ``{created, acceptance, loan}`` (the loan with its schedule), 200 when ``acceptance_id`` repeats
    an acceptance with the same terms, 409 when it names one with other terms or an offer of the same
    recommendations was accepted already.
    """
    customer_id = json.customer_id
    authorize_read(customer_id, "recommendations")
    try:
        result = accept_recommendation(lake(), customer_id, json.model_dump(mode="json", exclude_none=True),
                                       current_principal().label,
                                       current_app.extensions["settings"])
    except AcceptanceError as exc:
        raise _api_error(exc) from None
    audit_action("loan_accepted" if result.created else "loan_acceptance_replayed", customer_id,
                 acceptance_id=result.acceptance["acceptance_id"], loan_id=result.loan["loan_id"],
                 product_id=result.acceptance["product_id"])
    body = {"created": result.created, "acceptance": result.acceptance, "loan": result.loan}
    return Response(orjson.dumps(body), status=201 if result.created else 200, mimetype="application/json")
