"""Who is in the lake: the customer list shared by the CLI's ``list`` and the API."""
from __future__ import annotations

from typing import Any

from pipeline.lake import Lake, LakeError
from pipeline.runner import last_run


def _read_optional(lake: Lake, path) -> dict | None:
    try:
        return lake.read_json(path) if path.exists() else None
    except LakeError:
        return None


def customer_summary(lake: Lake, customer_id: str) -> dict[str, Any]:
    """Id, display name, profile, consent status and last run of one customer (no other personal data)."""
    meta = _read_optional(lake, lake.customer_meta_path(customer_id)) or {}
    consent = _read_optional(lake, lake.consent_path(customer_id)) or {}
    return {
        "customer_id": customer_id,
        "name": meta.get("business_name"),
        "profile": meta.get("profile"),
        "consent_status": consent.get("status"),
        "last_run": last_run(lake, customer_id),
    }


def list_customers(lake: Lake) -> list[dict[str, Any]]:
    """Every customer in the lake, sorted by id."""
    return [customer_summary(lake, cid) for cid in lake.customers()]
