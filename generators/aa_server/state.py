"""What the local AA remembers, in one dict per app: keys, consents, sessions, faults, the clock, the outbox.

Every part of the server reads it through :func:`aa_state`; tests reach it as ``app.extensions["local_aa"]`` and
may replace ``state["now"]`` (a callable returning an aware ``datetime``) to move the AA's clock.
"""
from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from flask import current_app

from generators.aa_server.outbox import Outbox
from pipeline.aa import jws

FAULTS = ("bad_signature", "tampered_ciphertext", "expired_key", "timeout", "revoked", "duplicate_notification",
          "paused")
AA_ID = "LOCAL-AA"
KID = "local-aa"


def new_state(fiu_keys: dict[str, str], config: dict, as_of: dt.date, fiu_urls: dict[str, str]) -> dict[str, Any]:
    """A fresh AA: its own RSA signing key, the FIUs it knows (public keys, notification URLs), nothing else yet."""
    private, public = jws.new_signing_key()
    notifications: list[dict] = []
    return {"private": private, "public": public, "fiu_keys": dict(fiu_keys), "fiu_urls": dict(fiu_urls),
            "consents": {}, "sessions": {}, "faults": set(), "timeout_s": 3.0, "config": config, "as_of": as_of,
            "now": lambda: dt.datetime.now(dt.timezone.utc), "lock": threading.RLock(),
            "notifications": notifications, "outbox": Outbox(notifications)}


def aa_state() -> dict[str, Any]:
    """The state of the AA app serving the current request."""
    return current_app.extensions["local_aa"]


def signing_key(state: dict[str, Any]) -> str:
    """The key the AA signs with now: its own, or, under the ``bad_signature`` fault, an impostor's (made once)."""
    if "bad_signature" not in state["faults"]:
        return state["private"]
    if "impostor" not in state:
        state["impostor"] = jws.new_signing_key()[0]
    return state["impostor"]


def consent_by_id(state: dict[str, Any], consent_id: object) -> dict | None:
    """The consent with this ``consentId`` (only approved consents have one), or ``None``."""
    return next((c for c in state["consents"].values() if c["consent_id"] and c["consent_id"] == consent_id), None)
