"""Acceptances: the record that a customer took a recommended product, and the loan it puts in the book.

An acceptance names a product of the customer's current ``recommendations.json`` by its id and fixes the
terms the loan is booked on:

* **amount** — at most the offer's amount (the eligibility the product was sized to), at least the
  product's ``min_amount`` on the shelf; default the offered amount;
* **tenure_months** — from 1 to the offer's tenure (the shelf has one tenure per product: the most the
  offer was sized on); a shorter annuity term is taken only while its EMI still fits the EMI capacity the
  offer was sized on (``sizing.emi_capacity``); default the offered tenure;
* **rate** — the offer's annual rate, never the caller's;
* **disbursed_on** — an ISO date, not before the acceptance date; default the acceptance date;
* **collateral_value** — when collateral was taken: a product listed in ``monitoring.loans.secured_products``
  is secured (at the supplied ``collateral_value``, of unknown value without one), and a supplied value
  secures any product.
  The offers carry no collateral value of their own.

Refused, each with an :class:`AcceptanceError` (a ValueError) that names the field: a product the
recommendations do not list or mark ineligible, an amount above the eligibility, a tenure out of range, an
acceptance id already used with other terms, and a second offer of the same recommendations document — the
offers are alternatives sized on the same EMI capacity (``policy.alternatives``), so a second product needs
recommendations computed after the first loan. Replaying an acceptance id with the same terms returns the
recorded acceptance (idempotent); without an id, each call records a new acceptance.

Acceptances are stored per customer in ``monitoring/acceptances/<customer_id>.json`` (written atomically,
under the monitoring lock that also serialises ingestion, by :mod:`monitoring.booking`) and booked by
:func:`monitoring.loans.build_loan_book` as ``REC-<customer_id>-<n>`` loans with ``source: "recommendation"``.
This module is pure but for :func:`read_acceptances`; recording one and booking its loan is
:func:`monitoring.booking.accept_recommendation`.
"""
from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from analytics.recommendations.facts import inr
from monitoring.schedules import add_months, amortise, annuity_emi
from pipeline.lake import Lake

IST = timezone(timedelta(hours=5, minutes=30))
ACCEPTANCE_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$", re.ASCII)
TERM_FIELDS = ("product_id", "amount", "tenure_months", "disbursed_on", "collateral_value")
REQUEST_FIELDS = ("customer_id", *TERM_FIELDS, "acceptance_id")
EMI_TOLERANCE = 1.0  # rupees: the offer's EMI is rounded to the rupee, the booked one to the paisa


class AcceptanceError(ValueError):
    """An acceptance that cannot be recorded; ``field`` names the input at fault, ``code`` the reason."""

    code = "invalid_acceptance"

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = f"{field}: {message}"


class RecommendationsMissingError(AcceptanceError):
    """The customer has no recommendations to accept from."""
    code = "recommendations_not_found"


class UnknownProductError(AcceptanceError):
    """The product id is not in the customer's recommendations."""
    code = "unknown_product"


class ProductNotEligibleError(AcceptanceError):
    """The recommendations mark the product NOT_ELIGIBLE or NOT_ASSESSED."""
    code = "product_not_eligible"


class AmountAboveEligibilityError(AcceptanceError):
    """The amount is above what the customer is eligible for."""
    code = "amount_above_eligibility"


class DuplicateAcceptanceError(AcceptanceError):
    """The acceptance id was already used with other terms."""
    code = "duplicate_acceptance"


class OfferAlreadyAcceptedError(AcceptanceError):
    """An offer of the same recommendations document was accepted already (the offers are alternatives)."""
    code = "offer_already_accepted"


def _number(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise AcceptanceError(field, f"must be a positive number of rupees, got {value!r}")
    return round(float(value), 2)


def parse_terms(request: dict) -> dict[str, Any]:
    """The terms a caller asked for, type-checked and normalised; only the fields given (``customer_id`` is
    the caller's to check). Unknown fields are refused so a misspelt one never silently becomes a default."""
    if not isinstance(request, dict):
        raise AcceptanceError("body", "must be a JSON object")
    unknown = sorted(set(request) - set(REQUEST_FIELDS))
    if unknown:
        raise AcceptanceError(unknown[0], f"unknown field; expected some of {', '.join(REQUEST_FIELDS)}")
    given = {k: v for k, v in request.items() if v is not None and k != "customer_id"}
    product = given.get("product_id")
    if not isinstance(product, str) or not product.strip():
        raise AcceptanceError("product_id", "is required: the id of a product in the customer's recommendations")
    terms: dict[str, Any] = {"product_id": product.strip()}
    for field in ("amount", "collateral_value"):
        if field in given:
            terms[field] = _number(given[field], field)
    if "tenure_months" in given:
        months = given["tenure_months"]
        if isinstance(months, float) and months.is_integer():
            months = int(months)
        if isinstance(months, bool) or not isinstance(months, int) or months < 1:
            raise AcceptanceError("tenure_months", f"must be a whole number of months (at least 1), got {months!r}")
        terms["tenure_months"] = months
    if "disbursed_on" in given:
        try:
            terms["disbursed_on"] = date.fromisoformat(str(given["disbursed_on"])).isoformat()
        except ValueError:
            raise AcceptanceError("disbursed_on", f"must be an ISO date YYYY-MM-DD, got {given['disbursed_on']!r}") \
                from None
    if "acceptance_id" in given:
        if not isinstance(given["acceptance_id"], str) or not ACCEPTANCE_ID_PATTERN.fullmatch(given["acceptance_id"]):
            raise AcceptanceError("acceptance_id", "must be 1-64 letters, digits or '_.:-', starting with a letter "
                                                   "or digit")
        terms["acceptance_id"] = given["acceptance_id"]
    return terms


# ---- deciding an acceptance against the recommendations (pure) --------------------------------------
def replayed(existing: list[dict], terms: dict) -> dict | None:
    """The recorded acceptance this request repeats (same id, same supplied terms), None for a new id;
    :class:`DuplicateAcceptanceError` when the id was used with other terms."""
    wanted = terms.get("acceptance_id")
    found = next((a for a in existing if wanted is not None and a.get("acceptance_id") == wanted), None)
    if found is None:
        return None
    for field in TERM_FIELDS:
        if field in terms and terms[field] != found.get(field):
            raise DuplicateAcceptanceError("acceptance_id", f"{wanted} was recorded with {field} "
                                                            f"{found.get(field)!r}, not {terms[field]!r}")
    return found


def find_offer(recommendations: dict, product_id: str) -> dict:
    """The recommended product with this id, if the customer is eligible for it."""
    offer = next((p for p in recommendations.get("products", []) if p.get("id") == product_id), None)
    if offer is None:
        listed = ", ".join(p.get("id", "?") for p in recommendations.get("products", [])) or "none"
        raise UnknownProductError("product_id", f"{product_id!r} is not in the customer's recommendations "
                                                f"(products: {listed})")
    if offer.get("status") != "ELIGIBLE" or not offer.get("eligible"):
        reasons = offer.get("reasons") or ["see its rules"]
        more = f" (and {len(reasons) - 1} more reason(s))" if len(reasons) > 1 else ""
        raise ProductNotEligibleError("product_id", f"the recommendations mark {product_id} "
                                                    f"{offer.get('status', 'not eligible')}: {reasons[0]}{more}")
    return offer


def _value(offer: dict, key: str) -> Any:
    entry = offer.get(key)
    return entry.get("value") if isinstance(entry, dict) else None


def _check_tenure(offer: dict, amount: float, rate_pct: float, months: int) -> None:
    """Tenure within 1..offered, and an annuity EMI that still fits the capacity the offer was sized on."""
    offered = int(_value(offer, "tenure_months"))
    if months > offered:
        raise AcceptanceError("tenure_months", f"{months} months is above the {offered} months {offer['id']} "
                                               f"is offered for")
    if offer.get("repayment", {}).get("kind", "annuity") != "annuity":
        return
    capacity = (offer.get("sizing") or {}).get("emi_capacity", {}).get("value")
    limit = max(v for v in (capacity, _value(offer, "emi"), 0.0) if isinstance(v, (int, float)))
    emi = annuity_emi(amount, rate_pct, months)
    if emi > limit + EMI_TOLERANCE:
        raise AcceptanceError("tenure_months", f"the EMI over {months} months would be {inr(emi)}, above the EMI "
                                               f"capacity of {inr(limit)} the offer was sized on; take a longer "
                                               f"tenure (up to {offered}) or a smaller amount")


def decide_acceptance(recommendations: dict, terms: dict, existing: list[dict], *, customer_id: str,
                      accepted_by: str, accepted_at: datetime, min_amounts: dict[str, float]) -> dict[str, Any]:
    """The acceptance record for ``terms`` against the customer's recommendations (pure; raises
    :class:`AcceptanceError` naming the field when a term is refused). ``existing`` are the acceptances
    already recorded; ``min_amounts`` the shelf's ``min_amount`` by product id."""
    offer = find_offer(recommendations, terms["product_id"])
    generated = recommendations.get("generated_at")
    taken = next((a for a in existing if generated and a.get("offer", {}).get("generated_at") == generated), None)
    if taken is not None:
        raise OfferAlreadyAcceptedError("product_id", f"{taken['product_id']} of these recommendations "
                                                      f"(computed {generated}) was accepted already "
                                                      f"({taken['acceptance_id']}); the offers are alternatives "
                                                      "on one EMI capacity: recompute the recommendations first")
    offered = float(_value(offer, "amount"))
    amount = terms.get("amount", offered)
    if amount > offered:
        raise AmountAboveEligibilityError("amount", f"{inr(amount)} is above the {inr(offered)} the customer is "
                                                    f"eligible for on {offer['id']}")
    floor = min_amounts.get(offer["id"])
    if floor is not None and amount < floor:
        raise AcceptanceError("amount", f"{inr(amount)} is below the {inr(floor)} minimum of {offer['id']}")
    rate_pct = round(float(_value(offer, "annual_rate")) * 100, 4)
    months = terms.get("tenure_months", int(_value(offer, "tenure_months")))
    _check_tenure(offer, amount, rate_pct, months)
    accepted_on = accepted_at.astimezone(IST).date()
    disbursed_on = terms.get("disbursed_on", accepted_on.isoformat())
    if disbursed_on < accepted_on.isoformat():
        raise AcceptanceError("disbursed_on", f"{disbursed_on} is before the acceptance date {accepted_on}")
    n = len(existing) + 1
    used, k = {a.get("acceptance_id") for a in existing}, n
    while f"ACC-{customer_id}-{k}" in used:  # a caller may have chosen an id of this form
        k += 1
    return {
        "acceptance_id": terms.get("acceptance_id", f"ACC-{customer_id}-{k}"),
        "loan_id": f"REC-{customer_id}-{n}",
        "customer_id": customer_id,
        "product_id": offer["id"],
        "product_name": offer.get("name"),
        "repayment_kind": offer.get("repayment", {}).get("kind", "annuity"),
        "amount": amount,
        "tenure_months": months,
        "annual_rate": _value(offer, "annual_rate"),
        "rate": rate_pct,
        "disbursed_on": disbursed_on,
        "collateral_value": terms.get("collateral_value"),
        "accepted_by": accepted_by,
        "accepted_at": accepted_at.isoformat(timespec="seconds"),
        "requested": {name: v for name, v in terms.items() if name != "acceptance_id"},
        "offer": {"generated_at": generated, "as_of": recommendations.get("as_of"), "rank": offer.get("rank"),
                  "amount": offered, "tenure_months": _value(offer, "tenure_months"), "emi": _value(offer, "emi"),
                  "emi_capacity": (offer.get("sizing") or {}).get("emi_capacity", {}).get("value"),
                  "conditions": offer.get("conditions", [])},
    }


# ---- the loan an acceptance books (pure) -------------------------------------------------------------
def loan_from_acceptance(acceptance: dict, settings: dict, lender: dict) -> dict[str, Any]:
    """One booked loan from an acceptance: the annuity schedule of :mod:`monitoring.loans` (interest-only and
    bullet products pay ``P·r`` a month and the principal with the last instalment), due on the disbursal
    day of each following month; secured per ``settings["secured_products"]`` or a supplied collateral value."""
    principal, rate, months = float(acceptance["amount"]), float(acceptance["rate"]), int(acceptance["tenure_months"])
    kind = acceptance.get("repayment_kind", "annuity")
    if kind == "annuity":
        emi, emi_source = annuity_emi(principal, rate, months), "annuity formula"
    else:
        emi, emi_source = round(principal * rate / 1200, 2), f"{kind}: interest P x r a month, principal at the end"
    disbursed = date.fromisoformat(acceptance["disbursed_on"])
    dues = [add_months(disbursed, k, disbursed.day) for k in range(1, months + 1)]
    collateral = acceptance.get("collateral_value")
    listed = acceptance["product_id"] in settings.get("secured_products", [])
    basis = ("collateral_value of the acceptance" if collateral is not None else
             "secured product (monitoring.loans.secured_products); no collateral value recorded" if listed else None)
    return {
        "loan_id": acceptance["loan_id"],
        "customer_id": acceptance["customer_id"],
        "source": "recommendation",
        "acceptance_id": acceptance["acceptance_id"],
        "application_id": None,
        "lender": lender.get("name"),
        "lender_id": lender.get("id"),
        "product": acceptance["product_id"],
        "product_name": acceptance.get("product_name"),
        "repayment_kind": kind,
        "principal": principal,
        "disbursed_amount": None,
        "rate": rate,
        "tenure_months": months,
        "emi": emi,
        "emi_source": emi_source,
        "emi_day": disbursed.day,
        "emi_day_source": "disbursal_day",
        "disbursed_at": datetime.combine(disbursed, time(0, 0), IST).isoformat(),
        "schedule": amortise(principal, rate, emi, dues),
        "secured": collateral is not None or listed,
        "collateral_value": collateral,
        "collateral_basis": basis,
        "repayment_mandate": None,
        "status": "ACTIVE",
        "ocen_status": None,
        "ocen_loan_status": None,
        "accepted_by": acceptance.get("accepted_by"),
        "accepted_at": acceptance.get("accepted_at"),
    }


# ---- the lake --------------------------------------------------------------------------------------------
def read_acceptances(lake: Lake, customer_id: str) -> list[dict]:
    """The customer's recorded acceptances, oldest first (empty when none)."""
    path = lake.acceptances_path(customer_id)
    return lake.read_json(path).get("acceptances", []) if path.exists() else []
