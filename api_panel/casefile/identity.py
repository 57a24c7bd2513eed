"""Who the borrower is, as an officer reads it on the case and in the memo: registrations, not test fixtures.

The generator's ``raw/<id>/customer.json`` also names the synthetic profile that made the customer (``fraud``,
``high_debt``); that is a property of the test data, never of a real borrower, so it is left out here and
everywhere an officer looks.
"""
from __future__ import annotations

from typing import Any

IDENTITY_FIELDS = ("business_name", "owner_name", "constitution", "industry", "pan", "gstin", "udyam_number",
                   "state", "city", "incorporation_date")


def customer_identity(customer_id: str, meta: dict[str, Any] | None) -> dict[str, Any]:
    """Business name, owner, constitution, industry, PAN, GSTIN, Udyam registration number and location of a
    customer from its ``customer.json`` (None for what the record does not hold, e.g. an imported customer)."""
    meta = meta if isinstance(meta, dict) else {}
    values = {**meta, "udyam_number": meta.get("udyam")}
    return {"customer_id": customer_id, **{name: values.get(name) for name in IDENTITY_FIELDS}}
