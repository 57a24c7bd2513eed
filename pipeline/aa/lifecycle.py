"""A consent's status as the AA's notifications move it, refusing replays and notifications out of order.

ReBIT's ``POST /Consent/Notification`` tells the FIU a consent changed: ``ConsentStatusNotification`` with
``consentId`` and ``consentStatus``. The FIU keeps the consent's state from them: PENDING until the customer
acts; ACTIVE once approved; PAUSED and back; REVOKED, EXPIRED and REJECTED for good. A notification whose
``txnid`` was already applied is a replay; one older than the last applied is out of order; a move the
lifecycle does not allow (REVOKED back to ACTIVE) is refused. Each refusal is an :class:`AAError` naming the
cause, for the audit log; nothing changes.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from pipeline.aa.errors import AAError
from pipeline.aa.timestamps import parse_iso

STATUSES = ("PENDING", "ACTIVE", "PAUSED", "REVOKED", "EXPIRED", "REJECTED")
FINAL = frozenset({"REVOKED", "EXPIRED", "REJECTED"})
ALLOWED = {
    "PENDING": {"ACTIVE", "REJECTED", "EXPIRED"},
    "ACTIVE": {"PAUSED", "REVOKED", "EXPIRED"},
    "PAUSED": {"ACTIVE", "REVOKED", "EXPIRED"},
}


@dataclass(frozen=True)
class ConsentState:
    """What the FIU knows of one consent: its status, when it last changed and the notifications applied."""

    consent_handle: str
    status: str = "PENDING"
    consent_id: str | None = None
    updated_at: datetime | None = None
    applied_txnids: tuple[str, ...] = field(default_factory=tuple)


def apply_notification(state: ConsentState, notification: dict) -> ConsentState:
    """The state after one ``Consent/Notification`` body; :class:`AAError` for a replay, an out-of-order or
    malformed notification, or a move the lifecycle forbids."""
    try:
        txnid = str(notification["txnid"])
        moment = parse_iso(notification["timestamp"], "timestamp", code="bad_notification")
        body = notification["ConsentStatusNotification"]
        status = str(body["consentStatus"]).upper()
    except (KeyError, TypeError):
        raise AAError("bad_notification", "a consent notification needs txnid, timestamp and "
                      "ConsentStatusNotification.consentStatus") from None
    if status not in STATUSES:
        raise AAError("bad_notification", f"consentStatus {status!r} is not one of {', '.join(STATUSES)}")
    if txnid in state.applied_txnids:
        raise AAError("replayed_notification", f"notification {txnid} was already applied")
    if state.updated_at is not None and moment < state.updated_at:
        raise AAError("out_of_order_notification", f"notification {txnid} of {notification['timestamp']} is older "
                      f"than the last applied ({state.updated_at.isoformat()})")
    if status != state.status and status not in ALLOWED.get(state.status, set()):
        raise AAError("invalid_transition", f"a consent cannot move from {state.status} to {status}")
    return replace(state, status=status, consent_id=body.get("consentId") or state.consent_id, updated_at=moment,
                   applied_txnids=(*state.applied_txnids, txnid))
