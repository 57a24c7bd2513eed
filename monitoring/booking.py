"""Booking an accepted recommendation: record the acceptance under the monitoring lock, rebuild the loan book.

The rules of an acceptance (which terms are allowed, the loan it becomes) are in :mod:`monitoring.acceptances`;
the book is :mod:`monitoring.loans`. Used by the API's ``POST /api/loans``, ``python -m monitoring accept`` and
``python -m pipeline prepare-demo``.
"""
from __future__ import annotations

import fcntl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from analytics.recommendations.catalogue import load_catalogue
from monitoring.acceptances import (
    IST,
    AcceptanceError,
    RecommendationsMissingError,
    decide_acceptance,
    parse_terms,
    read_acceptances,
    replayed,
)
from monitoring.loans import load_loans
from pipeline.lake import Lake, LakeError, validate_customer_id

_LOCK = threading.Lock()


@dataclass(frozen=True)
class AcceptanceResult:
    """What :func:`accept_recommendation` did: the acceptance, its booked loan, and whether it is new."""

    acceptance: dict
    loan: dict
    created: bool


# ---- the request's own shape (pure) ------------------------------------------------------------------
def _min_amounts(config: dict) -> dict[str, float]:
    try:
        return {p.id: p.min_amount for p in load_catalogue(config)}
    except ValueError:  # no shelf configured: the offer's own amount checks still apply
        return {}


def accept_recommendation(lake: Lake, customer_id: str, request: dict, accepted_by: str, config: dict,
                          now: datetime | None = None) -> AcceptanceResult:
    """Record that the customer accepted a recommended product and book its loan.

    ``request`` holds ``product_id`` and optionally ``amount``, ``tenure_months``, ``disbursed_on``,
    ``collateral_value`` and ``acceptance_id`` (see :func:`parse_terms`); ``now`` (aware, default the wall
    clock) is when it was accepted. Returns the acceptance, the loan as booked, and whether it is new.
    """
    validate_customer_id(customer_id)
    terms = parse_terms(request)
    accepted_at = now or datetime.now(IST)
    lake.monitoring_lock_path.parent.mkdir(parents=True, exist_ok=True)
    with _LOCK, open(lake.monitoring_lock_path, "a") as lock:  # the lock ingestion takes: one writer at a time
        fcntl.flock(lock, fcntl.LOCK_EX)
        existing = read_acceptances(lake, customer_id)
        acceptance = replayed(existing, terms)
        created = acceptance is None
        if created:
            path = lake.analytics_path(customer_id, "recommendations")
            try:
                recommendations = lake.read_json(path)
            except LakeError:
                raise RecommendationsMissingError("customer_id", f"no recommendations for {customer_id}: run the "
                                                                 "models step first") from None
            acceptance = decide_acceptance(recommendations, terms, existing, customer_id=customer_id,
                                           accepted_by=accepted_by, accepted_at=accepted_at,
                                           min_amounts=_min_amounts(config))
            lake.write_json(lake.acceptances_path(customer_id),
                            {"customer_id": customer_id, "acceptances": [*existing, acceptance]})
        loans = load_loans(lake, customer_id, config)  # rebuilt: the acceptances file is one of its sources
    loan = next((x for x in loans if x["loan_id"] == acceptance["loan_id"]), None)
    if loan is None:
        raise LakeError(f"acceptance {acceptance['acceptance_id']} was recorded but its loan could not be booked: "
                        f"see not_booked in the loan book of {customer_id}")
    return AcceptanceResult(acceptance, loan, created)


def accept_demo_recommendations(lake: Lake, config: dict,
                                progress: Callable[[str], None] | None = None) -> list[dict[str, Any]]:
    """Accept the top eligible recommendation of each customer in ``monitoring.acceptances.demo_customers`` so
    the demo loan book holds recommended loans next to the OCEN ones. Deterministic: accepted at 10:00 IST on
    the recommendations' as-of date and disbursed that day, under the id ``DEMO-<customer_id>`` (a second run
    keeps the first acceptance). A customer without recommendations or an eligible product is skipped."""
    say = progress or (lambda _message: None)
    outcomes = []
    for customer_id in config.get("monitoring", {}).get("acceptances", {}).get("demo_customers", []):
        outcome: dict[str, Any] = {"customer_id": customer_id, "loan_id": None, "product_id": None}
        path = lake.analytics_path(customer_id, "recommendations")
        recommendations = lake.read_json(path) if path.exists() else None
        top = (recommendations or {}).get("summary", {}).get("top_recommendation")
        demo_id = f"DEMO-{customer_id}"
        kept = next((a for a in read_acceptances(lake, customer_id) if a.get("acceptance_id") == demo_id), None)
        if kept is not None:
            outcome.update(status="kept", loan_id=kept["loan_id"], product_id=kept["product_id"])
        elif recommendations is None or top is None:
            outcome.update(status="skipped", reason="no recommendations" if recommendations is None
                           else "no eligible product")
        else:
            as_of = date.fromisoformat(str(recommendations["as_of"])[:10])
            try:
                result = accept_recommendation(lake, customer_id, {"product_id": top, "acceptance_id": demo_id},
                                               "demo (python -m pipeline prepare-demo)", config,
                                               now=datetime.combine(as_of, time(10, 0), IST))
            except AcceptanceError as exc:  # e.g. an operator already took an offer of these recommendations
                outcome.update(status="skipped", reason=str(exc))
            else:
                outcome.update(status="accepted", loan_id=result.loan["loan_id"], product_id=top,
                               amount=result.loan["principal"], emi=result.loan["emi"])
        say(f"{customer_id}: {outcome['status']}" + (f" {outcome['product_id']} as {outcome['loan_id']}"
                                                     if outcome["loan_id"] else f" ({outcome.get('reason')})"))
        outcomes.append(outcome)
    return outcomes
