"""The AA consent artefact under which a synthetic customer's data was fetched.

A loan-monitoring consent: ACTIVE, STORE, PERIODIC, purpose 104, covering the
36-month window, data kept for a year and fetched monthly, starting at 10:00
IST on the as-of date.
"""
from __future__ import annotations

import datetime as dt

from .seeding import random_for

FI_TYPES = ("DEPOSIT", "GSTR1_3B", "MUTUAL_FUNDS", "INSURANCE_POLICIES", "BUREAU", "OCEN", "ONDC")


def build_consent(plan) -> dict:
    """Return the consent artefact (ReBIT AA API 2.0 ConsentDetail plus our ``customer_id``)."""
    rng = random_for(plan.seed, "consent")
    h = f"{rng.getrandbits(128):032x}"
    as_of = plan.as_of
    expiry = dt.date(as_of.year + 1, as_of.month, 1)
    last = dt.date.fromordinal(plan.end_ord - 1)
    first = dt.date.fromordinal(plan.start_ord)
    return {
        "consentId": f"{h[:8]}-{h[8:12]}-4{h[13:16]}-b{h[17:20]}-{h[20:]}",
        "status": "ACTIVE",
        "createdAt": f"{as_of.isoformat()}T09:{rng.randint(50, 58):02d}:{rng.randint(0, 59):02d}+05:30",
        "consentStart": f"{as_of.isoformat()}T10:00:00+05:30",
        "consentExpiry": f"{expiry.isoformat()}T10:00:00+05:30",
        "consentMode": "STORE",
        "fetchType": "PERIODIC",
        "consentTypes": ["PROFILE", "SUMMARY", "TRANSACTIONS"],
        "fiTypes": list(FI_TYPES),
        "DataConsumer": {"id": "FIU-MSME-LAKE", "type": "FIU"},
        "DataProvider": {"id": plan.identity.fip_id, "type": "FIP"},
        "Customer": {"id": f"{plan.identity.mobile}@onemoney"},
        "Purpose": {"code": "104", "refUri": "https://api.rebit.org.in/aa/purpose/104.xml",
                    "text": "Explicit consent for monitoring of the accounts", "Category": {"type": "string"}},
        "FIDataRange": {"from": f"{first.isoformat()}T00:00:00+05:30", "to": f"{last.isoformat()}T23:59:59+05:30"},
        "DataLife": {"unit": "YEAR", "value": 1},
        "Frequency": {"unit": "MONTH", "value": 1},
        "DataFilter": [{"type": "TRANSACTIONAMOUNT", "operator": ">=", "value": "0"}],
        "customer_id": plan.customer_id,
    }
