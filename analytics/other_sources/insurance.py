"""Insurance analytics: the body of ``insurance_summary.json`` from clean AA INSURANCE_POLICIES records.

A policy is *in force* when its ``policyStatus`` is ACTIVE, it started on or before the as-of date and
its ``maturityDate`` (if any) is not before it. Cover of a policy is ``coverAmount`` when given (general
insurance), else ``sumAssured`` (life). Premiums are annualised by frequency (MONTHLY 12, QUARTERLY 4,
HALF_YEARLY 2, ANNUAL 1); a SINGLE premium is a one-off, paid already, and adds nothing a year.
Business cover means a policy that protects the enterprise rather than the family: KEYMAN, FIRE,
PROPERTY, MARINE, SHOPKEEPER, GROUP_HEALTH (staff) and CREDIT_LIFE (covers a loan).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from analytics.metric import metric, missing

NO_DATA = "no insurance data delivered"
PER_YEAR = {"MONTHLY": 12, "QUARTERLY": 4, "HALF_YEARLY": 2, "ANNUAL": 1, "SINGLE": 0}
BUSINESS_TYPES = ("KEYMAN", "FIRE", "PROPERTY", "MARINE", "SHOPKEEPER", "GROUP_HEALTH", "CREDIT_LIFE")
UNITS = {"total_cover": "INR", "total_sum_assured": "INR", "annualised_premium": "INR/year", "active_policies": "count",
         "lapsed_policies": "count", "premium_overdue": "count", "keyman_or_business_cover": "flag"}


def _in_force(p: dict, as_of: date) -> bool:
    iso = as_of.isoformat()
    return (p["policyStatus"] == "ACTIVE" and p["policyStartDate"] <= iso
            and (not p.get("maturityDate") or p["maturityDate"] >= iso))


def _cover(p: dict) -> float:
    return float(p["coverAmount"] if p.get("coverAmount") is not None else p["sumAssured"])


def summarize_insurance(records: list[dict], as_of: date, config: dict) -> dict:
    """The body of ``insurance_summary.json``: cover, premiums, lapses, overdue premiums, policies table.

    Why: cover protects the lender's repayment source (key person, stock, premises); lapsed policies
    and missed premiums are early signs of cash stress.
    """
    if not records:
        return {"metrics": {k: missing(u, "see data dictionary: insurance_policies", NO_DATA)
                            for k, u in UNITS.items()}, "policies": []}
    policies = sorted(records, key=lambda p: p["policyNumber"])
    live = [p for p in policies if _in_force(p, as_of)]
    ids = [p["policyNumber"] for p in live]
    lapsed = [p["policyNumber"] for p in policies if p["policyStatus"] == "LAPSED"]
    overdue = [p for p in live if p.get("nextPremiumDueDate") and p["nextPremiumDueDate"] < as_of.isoformat()
               and PER_YEAR[p["premiumFrequency"]] > 0]
    business = [p["policyNumber"] for p in live if p["policyType"] in BUSINESS_TYPES]
    yearly = [float(p["premiumAmount"]) * PER_YEAR[p["premiumFrequency"]] for p in live]
    metrics = {
        "total_cover": metric(sum(_cover(p) for p in live), "INR",
                              "Σ coverAmount (else sumAssured) of in-force policies",
                              {"policies": ids, "cover": [_cover(p) for p in live]}, "Total protection in force."),
        "total_sum_assured": metric(sum(float(p["sumAssured"]) for p in live), "INR",
                                    "Σ sumAssured of in-force policies",
                                    {"policies": ids, "sum_assured": [float(p["sumAssured"]) for p in live]},
                                    "Sum assured across in-force policies."),
        "annualised_premium": metric(sum(yearly), "INR/year",
                                     "Σ premiumAmount x payments a year (MONTHLY 12, QUARTERLY 4, HALF_YEARLY 2, "
                                     "ANNUAL 1, SINGLE 0) over in-force policies",
                                     {"policies": ids, "annual_premium": yearly},
                                     "Yearly cash the borrower commits to premiums."),
        "active_policies": metric(len(live), "count", "policyStatus ACTIVE, started, not matured",
                                  {"policies": ids}, "Policies in force."),
        "lapsed_policies": metric(len(lapsed), "count", "policies with policyStatus LAPSED", {"policies": lapsed},
                                  "Policies dropped for unpaid premiums, a sign of cash stress."),
        "premium_overdue": metric(len(overdue), "count", "in-force policies with nextPremiumDueDate before as-of",
                                  {"policies": [p["policyNumber"] for p in overdue],
                                   "due_dates": [p["nextPremiumDueDate"] for p in overdue]},
                                  "In-force policies whose next premium is already past due."),
        "keyman_or_business_cover": metric(bool(business), "flag",
                                           f"any in-force policy of type {', '.join(BUSINESS_TYPES)}",
                                           {"policies": business},
                                           "Whether the business itself (key person, assets, staff, loan) is insured."),
    }
    return {"metrics": metrics, "policies": [_row(p, as_of) for p in policies]}


def _row(p: dict, as_of: date) -> dict[str, Any]:
    keys = ("policyNumber", "insurer", "policyName", "policyType", "coverType", "sumAssured", "coverAmount",
            "premiumAmount", "premiumFrequency", "policyStartDate", "maturityDate", "policyStatus",
            "lastPremiumPaidDate", "nextPremiumDueDate")
    return {**{k: p.get(k) for k in keys}, "in_force": _in_force(p, as_of),
            "riders": [r.get("riderType") for r in p.get("riders") or []]}
