"""The AA's notifications to the FIU (ReBIT ``POST /Consent/Notification`` and ``/FI/Notification``), signed.

A consent that changes status, and an FI session whose data is ready, are told to the FIU that asked, at
``<its base URL>/Consent/Notification`` or ``/FI/Notification``, with a detached JWS of the exact body bytes by the
AA's key (``x-jws-signature``), and handed to the AA's :class:`~generators.aa_server.outbox.Outbox`, which sends
them in the background, in order, and logs each attempt. Only clients with a URL in ``state["fiu_urls"]`` are told
anything.
"""
from __future__ import annotations

import uuid

import orjson

from generators.aa_server.state import AA_ID, KID, signing_key
from pipeline.aa import jws
from pipeline.aa.timestamps import iso_z

NOTIFIER = {"type": "AA", "id": AA_ID}
FIP_ID = "LOCAL-FIP"


def message(now: str, kind: str, payload: dict) -> dict:
    """A notification body: ``ver``, ``timestamp``, a fresh ``txnid``, the ``Notifier`` and the payload under
    ``kind`` (``ConsentStatusNotification`` or ``FIStatusNotification``)."""
    return {"ver": "2.0.0", "timestamp": now, "txnid": str(uuid.uuid4()), "Notifier": dict(NOTIFIER), kind: payload}


def consent_status_body(consent: dict, now: str) -> dict:
    """The ``/Consent/Notification`` body for the consent's current status."""
    return message(now, "ConsentStatusNotification", {
        "consentId": consent["consent_id"], "consentHandle": consent["handle"], "consentStatus": consent["status"]})


def fi_ready_body(session_id: str, now: str) -> dict:
    """The ``/FI/Notification`` body saying the session's data is ready at the FIP."""
    return message(now, "FIStatusNotification", {
        "sessionId": session_id, "sessionStatus": "COMPLETED",
        "FIStatusResponse": [{"fipID": FIP_ID, "Accounts": [{"linkRefNumber": "L1", "FIStatus": "READY",
                                                             "description": ""}]}]})


def notify(state: dict, client_id: str, path: str, body: dict) -> None:
    """Sign ``body`` and queue it for the client's ``<base URL><path>`` (twice under ``duplicate_notification``,
    byte for byte); nothing when the client gave no URL."""
    base = state["fiu_urls"].get(client_id)
    if not base:
        return
    data = orjson.dumps(body)
    signature = jws.sign(data, signing_key(state), kid=KID)
    for _ in range(2 if "duplicate_notification" in state["faults"] else 1):
        state["outbox"].send(base.rstrip("/") + path, data, signature)


def notify_consent(state: dict, consent: dict) -> None:
    """Tell the consent's FIU its new status."""
    notify(state, consent["client_id"], "/Consent/Notification", consent_status_body(consent, iso_z(state["now"]())))


def notify_fi_ready(state: dict, consent: dict, session_id: str) -> None:
    """Tell the consent's FIU that the FI data of ``session_id`` is ready to fetch."""
    notify(state, consent["client_id"], "/FI/Notification", fi_ready_body(session_id, iso_z(state["now"]())))
