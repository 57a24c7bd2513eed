"""The FIU's side of the AA's notifications: verify, apply to the consent's journey, act on the registry.

ReBIT AA API 2.0.0 has the AA call the FIU at ``POST /Consent/Notification`` when a consent changes and
``POST /FI/Notification`` when FI data is ready. A notification is believed only when its detached JWS
verifies against the AA's published key and it names a consent handle this FIU requested; then
:func:`pipeline.aa.lifecycle.apply_notification` decides whether it may move the consent (a replay, one out of
order or a forbidden move is refused with its cause). What follows in the lake:

* ACTIVE — the consent joins the consent registry (the artefact as the AA signed it when it can be fetched,
  else as requested), so every later read is checked against it; a PAUSED one becomes ACTIVE again;
* PAUSED — the registry says so; reads are refused until it is resumed;
* REVOKED or EXPIRED — the registry says so and, when no other consent keeps the data alive, the customer's
  data is erased from every layer (DPDP), as revocation through the API does;
* REJECTED — nothing was allowed, nothing changes in the registry.

Every notification, applied or refused, is in the audit log with the consent handle and the cause.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import timezone
from typing import Any

import orjson

from pipeline.aa import jws
from pipeline.aa.errors import AAError
from pipeline.aa.lifecycle import ConsentState, apply_notification
from pipeline.aa.records import TXNIDS_KEPT, customer_for_handle, update_record
from pipeline.aa.timestamps import parse_iso
from pipeline.consents import IST, ConsentNotFoundError, ConsentRegistry, enforce_data_life
from pipeline.erasure import ERASED
from pipeline.lake import Lake

ArtefactFetcher = Callable[[str], dict]


def _verified(body: bytes, signature: str | None, aa_public_key: str) -> dict:
    jws.verify(body, signature, aa_public_key)
    try:
        notice = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise AAError("bad_notification", "the notification is not JSON") from None
    if not isinstance(notice, dict):
        raise AAError("bad_notification", "the notification is not a JSON object")
    return notice


def _state_of(record: dict) -> ConsentState:
    updated = record.get("updated_at")
    return ConsentState(record["consent_handle"], record.get("status", "PENDING"), record.get("consent_id"),
                        parse_iso(updated, "updated_at") if updated else None,
                        tuple(record.get("applied_txnids") or ()))


def _ist(value: str) -> str:
    return parse_iso(value, "timestamp").astimezone(IST).isoformat()


def registry_artefact(customer_id: str, record: dict, signed: dict | None) -> dict:
    """The registry's artefact of an approved AA consent: the signed ConsentDetail when there is one."""
    detail = (signed or {}).get("ConsentDetail") or record.get("detail") or {}
    start = detail.get("consentStart") or record["requested_at"]
    return {
        "consentId": record["consent_id"], "status": "ACTIVE", "createdAt": _ist(record["requested_at"]),
        "consentStart": _ist(start), "consentExpiry": _ist(detail["consentExpiry"]),
        "consentMode": detail.get("consentMode", "STORE"), "fetchType": detail.get("fetchType", "ONETIME"),
        "consentTypes": detail.get("consentTypes") or ["PROFILE", "SUMMARY", "TRANSACTIONS"],
        "fiTypes": list(detail.get("fiTypes") or record.get("fi_types") or []),
        "DataConsumer": detail.get("DataConsumer") or {"id": "FIU-MSME-LAKE", "type": "FIU"},
        "Customer": {"id": f"sha256:{record.get('customer_handle_sha256', '')}"},
        "Purpose": detail.get("Purpose") or {"code": record.get("purpose")},
        "FIDataRange": {"from": _ist(detail["FIDataRange"]["from"]), "to": _ist(detail["FIDataRange"]["to"])},
        "DataLife": detail.get("DataLife") or {"unit": "INF", "value": 0},
        "Frequency": detail.get("Frequency") or {"unit": "INF", "value": 1},
        "customer_id": customer_id, "source": "aa",
        "aa": {"base_url": record.get("aa"), "consent_handle": record["consent_handle"],
               "artefact": "signed" if signed else "as requested"},
    }


def sync_registry(lake: Lake, registry: ConsentRegistry, customer_id: str, record: dict,
                  fetch_artefact: ArtefactFetcher | None = None, actor: str = "aa") -> list[str]:
    """Make the registry say what the journey record says; returns the layers erased (revoked or expired)."""
    status, consent_id = record.get("status"), record.get("consent_id")
    if not consent_id or status in ("PENDING", "REJECTED"):
        return []
    try:
        current = registry.get(customer_id, consent_id)
    except ConsentNotFoundError:
        current = None
    if current is None and status == "ACTIVE":
        signed = None
        if fetch_artefact is not None:
            try:
                signed = fetch_artefact(consent_id)
            except AAError:
                signed = None   # joined as requested; the fetch checks the signed artefact again
        registry.add(customer_id, registry_artefact(customer_id, record, signed))
        lake.audit("consent_created", customer_id, consent_id=consent_id, actor=actor, source="aa",
                   purpose=record.get("purpose"), fi_types=record.get("fi_types"))
        return []
    if current is None or current.get("status") in (status, ERASED):   # an erased consent stays ended
        return []
    registry.set_status(customer_id, consent_id, status)
    if status in ("REVOKED", "EXPIRED"):
        return enforce_data_life(lake, registry, customer_id, actor=actor)
    return []


def receive_consent_notification(lake: Lake, registry: ConsentRegistry, body: bytes, signature: str | None,
                                 aa_public_key: str, fetch_artefact: ArtefactFetcher | None = None) -> dict[str, Any]:
    """Verify and apply one ``Consent/Notification``; :class:`AAError` (audited when the customer is known)
    for a bad signature, an unknown handle, a replay, one out of order or a forbidden move."""
    notice = _verified(body, signature, aa_public_key)
    body_of = notice.get("ConsentStatusNotification")
    if not isinstance(body_of, dict):
        raise AAError("bad_notification", "a consent notification needs ConsentStatusNotification")
    handle = body_of.get("consentHandle")
    customer_id = customer_for_handle(lake, handle)

    def change(record: dict | None) -> dict:
        if record is None or record.get("consent_handle") != handle:
            raise AAError("unknown_consent", f"consent handle {handle} is not {customer_id}'s current consent")
        state = apply_notification(_state_of(record), notice)
        history = [*(record.get("history") or []), {"status": state.status, "at": notice["timestamp"],
                                                    "source": "notification"}]
        return {**record, "status": state.status, "consent_id": state.consent_id,
                "updated_at": state.updated_at.astimezone(timezone.utc).isoformat(),
                "applied_txnids": list(state.applied_txnids[-TXNIDS_KEPT:]), "history": history[-50:]}

    try:
        record = update_record(lake, customer_id, change)
    except AAError as exc:
        lake.audit("aa_notification_refused", customer_id, cause=exc.code, consent_handle=handle,
                   txnid=str(notice.get("txnid")))
        raise
    lake.audit("aa_consent_notification", customer_id, consent_handle=handle, consent_id=record["consent_id"],
               status=record["status"], txnid=str(notice.get("txnid")))
    erased = sync_registry(lake, registry, customer_id, record, fetch_artefact)
    return {"customer_id": customer_id, "consent_handle": handle, "consent_id": record["consent_id"],
            "status": record["status"], "at": notice["timestamp"], "erased_layers": erased,
            "txnid": notice.get("txnid")}


def receive_fi_notification(lake: Lake, body: bytes, signature: str | None, aa_public_key: str) -> dict[str, Any]:
    """Verify one ``FI/Notification`` and audit what it says of the session; the fetch itself reads the data."""
    notice = _verified(body, signature, aa_public_key)
    status = notice.get("FIStatusNotification")
    if not isinstance(status, dict) or not status.get("sessionId"):
        raise AAError("bad_notification", "an FI notification needs FIStatusNotification.sessionId")
    accounts = [a for fip in status.get("FIStatusResponse") or [] if isinstance(fip, dict)
                for a in fip.get("Accounts") or [] if isinstance(a, dict)]
    summary = {"session_id": str(status["sessionId"]), "session_status": str(status.get("sessionStatus")),
               "accounts": len(accounts), "ready": sum(a.get("FIStatus") == "READY" for a in accounts),
               "txnid": str(notice.get("txnid"))}
    lake.audit("aa_fi_notification", None, **summary)
    return summary
