"""The FIU endpoints an Account Aggregator calls (ReBIT AA API 2.0.0): ``/Consent/Notification`` and
``/FI/Notification``.

No bearer token here: the AA proves itself with the detached JWS on the body, checked against its published
key (``AA_PUBLIC_KEY_FILE``, else the AA's ``GET /keys``). Replies and errors are in ReBIT's shape
(``{ver, timestamp, txnid, response}`` / ``{..., errorCode, errorMsg}``). An applied consent notification is
pushed to the customer's room as ``aa_consent_status``, so the dashboard's status changes as it happens.
"""
from __future__ import annotations

import uuid

from flask import Blueprint, current_app, jsonify, request

from api_panel.access import lake, registry
from api_panel.extensions import socketio
from api_panel.jobs import room_for
from pipeline.aa.errors import AAError
from pipeline.aa.journey import aa_public_key, aa_settings, client_for
from pipeline.aa.notifications import receive_consent_notification, receive_fi_notification
from pipeline.aa.timestamps import iso_z

bp = Blueprint("aa_callbacks", __name__)
STATUS_OF = {"bad_signature": 401, "unknown_consent": 404, "replayed_notification": 409,
             "out_of_order_notification": 409, "invalid_transition": 409, "aa_unreachable": 503}


def _txnid() -> str:
    try:
        return str((request.get_json(silent=True, force=True) or {}).get("txnid") or uuid.uuid4())
    except AttributeError:
        return str(uuid.uuid4())


def _refusal(exc: AAError):
    body = {"ver": "2.0.0", "timestamp": iso_z(), "txnid": _txnid(), "errorCode": exc.code, "errorMsg": str(exc)}
    return jsonify(body), STATUS_OF.get(exc.code, 400)


def _aa_key() -> str:
    """The AA's public key, read once per process (:func:`pipeline.aa.journey.aa_public_key`)."""
    key = current_app.extensions.get("aa_public_key")
    if not key:
        key = aa_public_key(aa_settings(current_app.extensions["settings"]))
        current_app.extensions["aa_public_key"] = key
    return key


def _fetch_artefact(consent_id: str) -> dict:
    return client_for(aa_settings(current_app.extensions["settings"]), timeout=5).fetch_consent(consent_id)


@bp.post("/Consent/Notification")
def consent_notification():
    """A consent changed at the AA: verify, apply, act on the registry, tell the customer's room."""
    try:
        outcome = receive_consent_notification(lake(), registry(), request.get_data(),
                                               request.headers.get("x-jws-signature"), _aa_key(), _fetch_artefact)
    except AAError as exc:
        return _refusal(exc)
    socketio.emit("aa_consent_status", {k: outcome[k] for k in ("customer_id", "consent_handle", "consent_id",
                                                                  "status", "at")},
                  to=room_for(outcome["customer_id"]))
    return jsonify({"ver": "2.0.0", "timestamp": iso_z(), "txnid": outcome["txnid"], "response": "OK"})


@bp.post("/FI/Notification")
def fi_notification():
    """FI data is ready (or failed) at the AA: verify and record; the fetch job reads the data."""
    try:
        outcome = receive_fi_notification(lake(), request.get_data(), request.headers.get("x-jws-signature"),
                                          _aa_key())
    except AAError as exc:
        return _refusal(exc)
    return jsonify({"ver": "2.0.0", "timestamp": iso_z(), "txnid": outcome["txnid"], "response": "OK"})
