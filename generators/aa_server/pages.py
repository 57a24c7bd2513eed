"""The approval page the simulated customer sees: who asks for what, for how long, and what they may do now.

Every value shown comes from the FIU's request, so every value is escaped (``html.escape``): a consent request is
input from outside the AA. The buttons are the decisions the consent's status offers
(:func:`generators.aa_server.consents.decisions_for`).
"""
from __future__ import annotations

from html import escape

from generators.aa_server.consents import decisions_for

STYLE = ("body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}"
         "h1{font-size:1.4rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1rem}"
         "dt{color:#666}dd{margin:0}.status{display:inline-block;padding:.1rem .6rem;border-radius:1rem;"
         "background:#eee;font-weight:600}.ACTIVE{background:#d7f5dd}.PAUSED{background:#fff1c2}"
         ".REVOKED,.REJECTED,.EXPIRED{background:#fbd5d5}form{margin-top:1.5rem;display:flex;gap:.6rem}"
         "button{font-size:1rem;padding:.5rem 1.2rem;border-radius:.4rem;border:1px solid #888;cursor:pointer}"
         "button[value=approve],button[value=resume]{background:#1a7f37;color:#fff;border-color:#1a7f37}"
         "button[value=revoke],button[value=reject]{background:#fff;color:#b42318;border-color:#b42318}")
LABELS = {"approve": "Approve", "reject": "Reject", "pause": "Pause", "resume": "Resume", "revoke": "Revoke"}


def _period(value: object) -> str:
    v = value if isinstance(value, dict) else {}
    return f"{v.get('value')} per {v.get('unit')}" if v.get("unit") != "INF" else "no limit"


def _rows(detail: dict) -> list[tuple[str, str]]:
    purpose = detail.get("Purpose") or {}
    rng = detail.get("FIDataRange") or {}
    life = detail.get("DataLife") or {}
    return [
        ("Requested by", str((detail.get("DataConsumer") or {}).get("id"))),
        ("Your handle", str((detail.get("Customer") or {}).get("id"))),
        ("Data", ", ".join(str(t) for t in detail.get("fiTypes") or [])),
        ("Purpose", f"{purpose.get('code')}: {purpose.get('text')}"),
        ("Data from", f"{rng.get('from')} to {rng.get('to')}"),
        ("Kept for", f"{life.get('value')} {life.get('unit')}"),
        ("Fetches", f"{detail.get('fetchType')}, {_period(detail.get('Frequency'))}"),
        ("Consent valid", f"{detail.get('consentStart')} to {detail.get('consentExpiry')}"),
    ]


def approval_page(handle: str, consent: dict) -> str:
    """The HTML page for one consent request: its terms, its status, and a button per decision it offers."""
    status = escape(str(consent["status"]))
    rows = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in _rows(consent["detail"]))
    decisions = decisions_for(consent["status"])
    actions = ("<form method=post>" + "".join(
        f'<button name=decision value="{escape(d)}">{escape(LABELS[d])}</button>' for d in decisions) + "</form>"
               if decisions else "<p>This consent is final; nothing more can be done with it.</p>")
    return (f"<!doctype html><html lang=en><meta charset=utf-8><title>Local AA: consent request</title>"
            f"<style>{STYLE}</style><h1>Consent request</h1>"
            f'<p>Status: <span class="status {status}">{status}</span></p><dl>{rows}'
            f"<dt>Consent handle</dt><dd>{escape(handle)}</dd></dl>{actions}</html>")
