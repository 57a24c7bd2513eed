"""Insurance source (ReBIT INSURANCE_POLICIES summary): one record per policy.

Premium dates here are the dates the bank debits; a lapsed policy stops
being paid at its lapse date and says so (status LAPSED, next premium due in
the past).
"""
from __future__ import annotations

from .timeline import Clock

_COVER_TYPE = {"SHOPKEEPER": "SHOP_CONTENTS", "FIRE": "BUILDING_AND_STOCK", "HEALTH": "FAMILY_FLOATER",
               "MOTOR": "COMPREHENSIVE", "TERM_PLAN": "LIFE", "ENDOWMENT": "LIFE", "KEYMAN": "LIFE"}


def build_insurance(plan) -> list[dict]:
    """Render the plan's policies as records."""
    clock = Clock()
    out = []
    for pol in plan.policies:
        rec = {
            "policyNumber": pol.number, "insurer": pol.insurer, "policyName": pol.name, "policyType": pol.ptype,
            "coverType": _COVER_TYPE[pol.ptype], "sumAssured": pol.sum_assured, "coverAmount": pol.cover,
            "premiumAmount": pol.premium, "premiumFrequency": pol.frequency, "policyStartDate": clock.date(pol.start),
            "maturityDate": clock.date(pol.maturity), "policyStatus": pol.status,
            "holderType": "SINGLE", "riders": pol.riders,
        }
        if pol.last_paid is not None:
            rec["lastPremiumPaidDate"] = clock.date(pol.last_paid)
        if pol.next_due is not None:
            rec["nextPremiumDueDate"] = clock.date(pol.next_due)
        out.append(rec)
    return out
