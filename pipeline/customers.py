"""Who is in the lake: the customer list shared by the CLI's ``list`` and the API."""
from __future__ import annotations

from typing import Any

import orjson

from pipeline.lake import Lake, LakeError
from pipeline.remote_lake import RemoteLake
from pipeline.remote_stage import snapshot


def last_run(lake: Lake, customer_id: str) -> dict[str, Any] | None:
    """The most recent run of a customer (``logs/<id>/runs.ndjson``, written by the runner), or None."""
    path = lake.run_log_path(customer_id)
    if not path.exists():
        return None
    lines = lake.read_lines(path)
    return orjson.loads(lines[-1]) if lines else None


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


def remote_customer_summaries(remote: RemoteLake) -> list[dict[str, Any]]:
    """What :func:`list_customers` says of an object-store lake, read through small read-only working copies."""
    rows = []
    for customer_id in remote.customers():
        with snapshot(remote, customer_id) as lake:
            rows.append(customer_summary(lake, customer_id))
    return rows
