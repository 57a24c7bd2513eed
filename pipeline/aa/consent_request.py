"""The consent an FIU asks the AA for (ReBIT ``POST /Consent``), and the check that a fetch stays inside it.

A lender asks for exactly what underwriting needs: the FI types (bank ``DEPOSIT``, ``GSTR1_3B``, ...), a data
range, how long it may keep the data (``DataLife``), how often it may fetch (``Frequency``, with ``fetchType``
``PERIODIC`` for monitoring), and a purpose from ReBIT's purpose list. :func:`consent_request` builds the body
of ReBIT AA API 2.0.0 and refuses a request that could never be approved (unknown FI type or purpose, a range
that ends before it starts or after the consent ends); :func:`check_fetch` refuses an FI request the approved
artefact does not cover, before anything is asked of the AA, naming the field.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from pipeline.aa.errors import AAError
from pipeline.aa.timestamps import iso_z, parse_iso

API_VERSION = "2.0.0"
PURPOSES = {
    "101": "Wealth management service",
    "102": "Customer spending patterns, budget or other reportings",
    "103": "Aggregated statement",
    "104": "Explicit consent for monitoring of the accounts",
    "105": "Explicit one-time consent for accessing data from the accounts",
}
FI_TYPES = ("DEPOSIT", "TERM_DEPOSIT", "RECURRING_DEPOSIT", "SIP", "CP", "GOVT_SECURITIES", "EQUITIES", "BONDS",
            "DEBENTURES", "MUTUAL_FUNDS", "ETF", "IDR", "CIS", "AIF", "INSURANCE_POLICIES", "NPS", "INVIT", "REIT",
            "GSTR1_3B", "OTHER")
UNITS = ("HOUR", "DAY", "MONTH", "YEAR", "INF")


def consent_request(fiu_id: str, customer_handle: str, fi_types: list[str], purpose: str = "101",
                    months_of_data: int = 12, consent_months: int = 12, fetch_type: str = "PERIODIC",
                    frequency: tuple[str, int] = ("MONTH", 3), data_life: tuple[str, int] = ("MONTH", 6),
                    now: datetime | None = None, txnid: str | None = None) -> dict:
    """The body of ``POST /Consent`` (ReBIT AA API 2.0.0) for one customer; :class:`AAError` ``bad_request``
    naming the field when it could never be approved."""
    now = now or datetime.now(timezone.utc)
    unknown = [t for t in fi_types if t not in FI_TYPES]
    if not fi_types or unknown:
        raise AAError("bad_request", f"fiTypes must be some of {', '.join(FI_TYPES)}; got {unknown or 'none'}")
    if purpose not in PURPOSES:
        raise AAError("bad_request", f"purpose must be one of {', '.join(PURPOSES)}; got {purpose!r}")
    if fetch_type not in ("ONETIME", "PERIODIC"):
        raise AAError("bad_request", f"fetchType must be ONETIME or PERIODIC; got {fetch_type!r}")
    for field, (unit, value) in (("Frequency", frequency), ("DataLife", data_life)):
        if unit not in UNITS or not isinstance(value, int) or value < 0:
            raise AAError("bad_request", f"{field} must be a unit of {', '.join(UNITS)} and a count >= 0")
    if not 1 <= months_of_data <= 120 or not 1 <= consent_months <= 60:
        raise AAError("bad_request", "FIDataRange must cover 1-120 months and the consent last 1-60 months")
    if "@" not in customer_handle:
        raise AAError("bad_request", "Customer.id must be the customer's AA handle (<mobile>@<aa>)")
    return {
        "ver": API_VERSION, "timestamp": iso_z(now), "txnid": txnid or str(uuid.uuid4()),
        "ConsentDetail": {
            "consentStart": iso_z(now), "consentExpiry": iso_z(now + timedelta(days=30 * consent_months)),
            "consentMode": "STORE", "fetchType": fetch_type, "consentTypes": ["PROFILE", "SUMMARY", "TRANSACTIONS"],
            "fiTypes": list(fi_types), "DataConsumer": {"id": fiu_id, "type": "FIU"},
            "Customer": {"id": customer_handle,
                         "Identifiers": [{"type": "MOBILE", "value": customer_handle.split("@", 1)[0]}]},
            "Purpose": {"code": purpose, "refUri": f"https://api.rebit.org.in/aa/purpose/{purpose}.xml",
                        "text": PURPOSES[purpose], "Category": {"type": "string"}},
            # a PERIODIC consent reaches forward to its expiry, so each re-fetch may bring the newest data
            "FIDataRange": {"from": iso_z(now - timedelta(days=30 * months_of_data)),
                            "to": iso_z(now + timedelta(days=30 * consent_months) if fetch_type == "PERIODIC"
                                        else now)},
            "DataLife": {"unit": data_life[0], "value": data_life[1]},
            "Frequency": {"unit": frequency[0], "value": frequency[1]},
        },
    }


def check_fetch(consent_detail: dict, fi_types: list[str], date_from: str, date_to: str,
                now: datetime | None = None) -> None:
    """Refuse (``consent_scope``) an FI request the approved consent does not cover: FI types, range, validity."""
    now = now or datetime.now(timezone.utc)
    if now >= parse_iso(consent_detail["consentExpiry"], "consentExpiry"):
        raise AAError("consent_scope", f"the consent expired at {consent_detail['consentExpiry']}")
    outside = [t for t in fi_types if t not in consent_detail.get("fiTypes", [])]
    if outside:
        raise AAError("consent_scope", f"fiTypes {', '.join(outside)} are not in the consent "
                      f"({', '.join(consent_detail.get('fiTypes', []))})")
    rng = consent_detail["FIDataRange"]
    lo, hi = parse_iso(rng["from"], "FIDataRange.from"), parse_iso(rng["to"], "FIDataRange.to")
    start, end = parse_iso(date_from, "from"), parse_iso(date_to, "to")
    if start > end:
        raise AAError("bad_request", "the FI request range ends before it starts")
    if start < lo or end > hi:
        raise AAError("consent_scope", f"the requested range {date_from} to {date_to} is outside the consent's "
                      f"FIDataRange {rng['from']} to {rng['to']}")
