"""A consent's status at the AA: what the customer may decide in each status, and the move that tells the FIU.

The customer approves or rejects a PENDING request, pauses or revokes an ACTIVE consent, resumes or revokes a
PAUSED one (:data:`DECISIONS`); the AA itself expires consents, and tests move them with the admin hook. Every
move follows the lifecycle the FIU enforces (:data:`pipeline.aa.lifecycle.ALLOWED`), so the local AA can never
send a notification a correct FIU must refuse; each move is told to the consent's FIU.
"""
from __future__ import annotations

import uuid

from generators.aa_server.notify import notify_consent
from pipeline.aa.errors import AAError
from pipeline.aa.lifecycle import ALLOWED

DECISIONS = {
    "approve": (("PENDING",), "ACTIVE"),
    "reject": (("PENDING",), "REJECTED"),
    "pause": (("ACTIVE",), "PAUSED"),
    "resume": (("PAUSED",), "ACTIVE"),
    "revoke": (("ACTIVE", "PAUSED"), "REVOKED"),
}
ADMIN_STATUSES = ("EXPIRED", "PAUSED", "ACTIVE", "REVOKED")


def decisions_for(status: str) -> list[str]:
    """The customer's choices for a consent in ``status``, in the order the approval page shows them."""
    return [name for name, (sources, _) in DECISIONS.items() if status in sources]


def can_move(consent: dict, status: str) -> bool:
    """Whether the lifecycle lets the consent move to ``status`` now."""
    return status in ALLOWED.get(consent["status"], set())


def move(state: dict, consent: dict, status: str) -> None:
    """Move the consent to ``status`` (an approval gets its ``consentId``) and notify its FIU;
    :class:`AAError` ``invalid_transition`` when the lifecycle forbids it."""
    with state["lock"]:
        if not can_move(consent, status):
            raise AAError("invalid_transition", f"a consent cannot move from {consent['status']} to {status}")
        consent["status"] = status
        if status == "ACTIVE" and not consent["consent_id"]:
            consent["consent_id"] = str(uuid.uuid4())
        notify_consent(state, consent)


def decide(state: dict, consent: dict, decision: str) -> None:
    """Apply the customer's ``decision``; :class:`AAError` ``invalid_argument`` for an unknown one and
    ``invalid_transition`` for one the consent's status does not offer."""
    if decision not in DECISIONS:
        raise AAError("invalid_argument", f"decision must be one of {', '.join(DECISIONS)}; got {decision!r}")
    sources, status = DECISIONS[decision]
    with state["lock"]:
        if consent["status"] not in sources:
            raise AAError("invalid_transition", f"the customer cannot {decision} a {consent['status']} consent; "
                          f"allowed: {', '.join(decisions_for(consent['status'])) or 'nothing, it is final'}")
        move(state, consent, status)
