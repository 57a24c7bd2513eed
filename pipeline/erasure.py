"""What the lake keeps of a customer's consents once the customer is erased (DPDP): the minimum, as pure functions.

After erasure nothing in the lake may name the customer or hold an identifier of theirs, except the audit log
(ids and labels) and, per consent, the record that it existed: its id, why it ended (``REVOKED`` or
``EXPIRED`` when that is the reason, else ``ERASED``), its dates, purpose code, FI types and fetch type, and
the customer's AA handle (a mobile number such as ``9812345678@onemoney``) only as ``sha256:<hex>``, enough to
match a later request from the same handle and never the number itself.

The AA journey record (:mod:`pipeline.aa.records`) is minimised the same way: it keeps the consent handle (a
random UUID the AA issued, not personal), the consent id, the status, the dates and the handle's hash, and its
status history (statuses, times and where each came from: nothing personal, and the evidence of how the
consent ended). It drops the customer id, the request detail (which the registry record repeats as far as it
is needed), the approval URL and the AA transaction ids applied (kept only to recognise a replayed
notification, and after erasure no notification finds the customer: its handle file is gone).

These functions never touch the disk: :func:`pipeline.consents.erase_customer` reads, calls them and writes.
"""
from __future__ import annotations

import hashlib
from typing import Any

ERASED = "ERASED"
ENDED = ("REVOKED", "EXPIRED")  # statuses that say why a consent ended; any other becomes ERASED
HASH_PREFIX = "sha256:"
_KEPT_DATES = ("createdAt", "consentStart", "consentExpiry")
_HISTORY_KEYS = ("status", "at", "source")


def handle_hash(customer_handle: str) -> str:
    """The SHA-256 (hex) of a customer's AA handle: enough to match it again, never the mobile number itself."""
    return hashlib.sha256(customer_handle.strip().lower().encode()).hexdigest()


def hashed_handle(customer_handle: Any) -> str | None:
    """``sha256:<hex>`` of an AA handle; a handle already in that form is kept, a missing one stays None."""
    if not isinstance(customer_handle, str) or not customer_handle:
        return None
    if customer_handle.startswith(HASH_PREFIX):
        return customer_handle
    return HASH_PREFIX + handle_hash(customer_handle)


def ended_status(status: Any) -> str:
    """The status a consent keeps after erasure: REVOKED or EXPIRED when that is why it ended, else ERASED."""
    return status if status in ENDED else ERASED


def minimise_consent(artefact: dict[str, Any], erased_at: str) -> dict[str, Any]:
    """The consent registry record kept after erasure (idempotent: minimising it again changes nothing).

    The status is the effective one (a consent past its expiry or DataLife is EXPIRED even if its stored
    status still says ACTIVE); ``statusChangedAt`` is the erasure when erasure is what changed it.
    """
    status = ended_status(artefact.get("effectiveStatus") or artefact.get("status"))
    changed_at = artefact.get("statusChangedAt") if status == artefact.get("status") else erased_at
    purpose = artefact.get("Purpose") if isinstance(artefact.get("Purpose"), dict) else {}
    minimal = {"consentId": artefact.get("consentId"), "status": status,
               **{key: artefact.get(key) for key in _KEPT_DATES},
               "statusChangedAt": changed_at, "erasedAt": artefact.get("erasedAt") or erased_at,
               "Purpose": {"code": purpose.get("code")}, "fiTypes": list(artefact.get("fiTypes") or []),
               "fetchType": artefact.get("fetchType"),
               "Customer": {"id": hashed_handle((artefact.get("Customer") or {}).get("id"))}}
    if artefact.get("source"):
        minimal["source"] = artefact["source"]   # "aa": how the consent came, not who gave it
    return minimal


def minimise_journey(record: dict[str, Any], erased_at: str) -> dict[str, Any]:
    """The AA journey record kept after erasure (idempotent); its history says the erasure happened."""
    status = record.get("status")
    history = [{k: entry.get(k) for k in _HISTORY_KEYS} for entry in record.get("history") or []
               if isinstance(entry, dict)]
    if status not in (*ENDED, ERASED, "REJECTED"):
        status = ERASED
        history.append({"status": ERASED, "at": erased_at, "source": "erasure"})
    return {"consent_handle": record.get("consent_handle"), "consent_id": record.get("consent_id"),
            "status": status, "purpose": record.get("purpose"), "fi_types": list(record.get("fi_types") or []),
            "customer_handle_sha256": record.get("customer_handle_sha256"),
            "requested_at": record.get("requested_at"), "updated_at": record.get("updated_at"),
            "fetched_at": record.get("fetched_at"), "erased_at": record.get("erased_at") or erased_at,
            "history": history[-50:]}


def redact(value: Any, needles: tuple[str, ...], label: str = "[erased]") -> Any:
    """``value`` (JSON-shaped) with every occurrence of each needle inside its strings and keys replaced by
    ``label``: how a shared record (a batch job's log, a model card) forgets one customer and keeps the rest."""
    if isinstance(value, str):
        for needle in needles:
            value = value.replace(needle, label)
        return value
    if isinstance(value, dict):
        return {redact(k, needles, label): redact(v, needles, label) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v, needles, label) for v in value]
    return value
