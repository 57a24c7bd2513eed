"""Alerts: a loan's band worsened, the model drifted, a scheduled refresh failed — e-mailed, posted, audited, once.

Three rules (``config.json`` ``alerts.rules``), each ``{"enabled": bool, "channels": ["email", "webhook"]}``:

* ``band_worsened`` — a monitored loan's re-score put it in a worse band (raised by
  :func:`monitoring.ingest.ingest_events`); one alert per loan, band reached and day;
* ``drift`` — a month's population stability reached ``min_status`` (``act`` by default) for the champion
  model (:func:`monitoring.drift.check_drift`); one alert per model, version and month;
* ``refresh_failed`` — the server's scheduled refresh failed as a whole or for a customer
  (:mod:`api_panel.schedule`); one alert per customer (or per run failure) and day.

Each alert goes through :func:`raise_alerts`: under a file lock, an alert whose key (SHA-256 of rule +
subject + period) is already in the ledger (``lake.alert_ledger_path``) is **suppressed**; otherwise it is
delivered over the enabled transports (:mod:`monitoring.alert_transports`) and recorded in the ledger unless
every channel failed (so the next trigger tries again). Every outcome — ``sent``, ``recorded`` (no transport
enabled), ``failed``, ``suppressed`` — is written to the lake's audit log.

What an alert carries: the customer id (when it concerns one) and the reason — bands, PDs, PSI figures and
the names of the inputs that moved; never a name, PAN, phone, e-mail or an amount of the customer. The
ledger holds only the key's hash, the rule and the period, so erasing a customer leaves nothing of them
in it.
"""
from __future__ import annotations

import fcntl
import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import orjson

from monitoring.alert_transports import TransportError, enabled_transports
from pipeline.lake import Lake, utc_now_iso

RULES = ("band_worsened", "drift", "refresh_failed")
TITLES = {"band_worsened": "Loan band worsened", "drift": "Model drift", "refresh_failed": "Scheduled refresh failed"}
CHANNELS = ("email", "webhook")


@dataclass(frozen=True)
class Alert:
    """One alert: which rule, about what (``subject``, shown), for which period, and why in words."""

    rule: str
    subject: str
    period: str
    reason: str
    customer_id: str | None = None
    dedupe: str = ""          # what else tells two alerts of a rule, subject and period apart (e.g. a loan id)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """SHA-256 of rule, subject, period (and ``dedupe``): the ledger's only trace of the alert."""
        text = "\x1f".join((self.rule, self.subject, self.period, self.dedupe))
        return hashlib.sha256(text.encode()).hexdigest()

    def subject_line(self) -> str:
        """The e-mail subject."""
        return f"[MSME Lake] {TITLES.get(self.rule, self.rule)}: {self.subject} ({self.period})"

    def text(self) -> str:
        """The e-mail body: the reason, then what to do and where to look."""
        lines = [TITLES.get(self.rule, self.rule), "", self.reason, ""]
        if self.customer_id:
            lines.append(f"Customer: {self.customer_id}")
        lines += [f"Period: {self.period}", f"Alert id: {self.key[:16]}", "",
                  "This alert carries the customer id and the reason only; open the dashboard for the case."]
        return "\n".join(lines)

    def payload(self) -> dict[str, Any]:
        """The webhook's JSON body."""
        return {"alert_id": self.key[:16], "rule": self.rule, "subject": self.subject, "period": self.period,
                "customer_id": self.customer_id, "reason": self.reason, "details": self.details,
                "raised_at": utc_now_iso()}


def alert_settings(config: dict) -> dict[str, Any]:
    """``config.json`` ``alerts`` (every rule on, no transport, when absent)."""
    return config.get("alerts") or {}


def rule_settings(config: dict, rule: str) -> dict[str, Any]:
    """One rule's settings: ``enabled`` (default true) and ``channels`` (default both)."""
    return {"enabled": True, "channels": list(CHANNELS), **(alert_settings(config).get("rules") or {}).get(rule, {})}


_LEDGERS: dict[str, tuple[tuple[int, int], set[str]]] = {}  # ledger path -> ((inode, bytes read), keys)


def _ledger_keys(lake: Lake) -> set[str]:
    """The keys in the ledger; read once per process, then only what other processes appended since."""
    path = lake.alert_ledger_path
    try:
        stat = path.stat()
    except FileNotFoundError:
        return set()
    cached = _LEDGERS.get(str(path))
    inode, offset, keys = (cached[0][0], cached[0][1], cached[1]) if cached else (stat.st_ino, 0, set())
    if inode != stat.st_ino or offset > stat.st_size:  # the ledger was replaced: read it again
        offset, keys = 0, set()
    for line in lake.read_lines_from(path, offset):
        try:
            keys.add(orjson.loads(line)["key"])
        except (orjson.JSONDecodeError, KeyError, TypeError):
            continue  # a torn line after a crash: the lines around it still count
    _LEDGERS[str(path)] = ((stat.st_ino, stat.st_size), keys)
    return keys


def raise_alerts(lake: Lake, config: dict, alerts: list[Alert], transports: list | None = None) -> list[dict]:
    """Deliver each alert once (see the module docstring); returns ``[{rule, subject, outcome, channels}]``."""
    wanted = [a for a in alerts if rule_settings(config, a.rule)["enabled"]]
    if not wanted:
        return []
    available = enabled_transports(alert_settings(config)) if transports is None else transports
    lake.alert_lock_path.parent.mkdir(parents=True, exist_ok=True)
    results = []
    with open(lake.alert_lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        sent = _ledger_keys(lake)
        for alert in wanted:
            results.append(_raise_one(lake, config, alert, available, sent))
    return results


def _raise_one(lake: Lake, config: dict, alert: Alert, available: list, sent: set[str]) -> dict:
    channels: dict[str, str] = {}
    if alert.key in sent:
        outcome = "suppressed"
    else:
        allowed = rule_settings(config, alert.rule)["channels"]
        for transport in (t for t in available if t.name in allowed):
            try:
                channels[transport.name] = transport.send(alert.subject_line(), alert.text(), alert.payload())
            except TransportError as exc:
                channels[transport.name] = f"failed: {exc}"
        delivered = [c for c in channels.values() if not c.startswith("failed")]
        outcome = "failed" if channels and not delivered else ("sent" if delivered else "recorded")
        if outcome != "failed":
            lake.append_line(lake.alert_ledger_path, {"key": alert.key, "rule": alert.rule, "period": alert.period,
                                                      "at": utc_now_iso(), "outcome": outcome})
            sent.add(alert.key)
    lake.audit("alert", alert.customer_id, actor="alerts", rule=alert.rule, subject=alert.subject,
               period=alert.period, outcome=outcome, channels=channels, reason=alert.reason,
               alert_id=alert.key[:16])
    return {"rule": alert.rule, "subject": alert.subject, "period": alert.period, "outcome": outcome,
            "channels": channels}


def _today() -> str:
    return datetime.now(timezone.utc).date().isoformat()


# ---- the three triggers: what happened -> the alerts it raises ------------------------------------------
def band_alerts(updates: list[dict]) -> list[Alert]:
    """An alert for every re-score of :func:`monitoring.ingest.ingest_events` that put a loan in a worse band."""
    out = []
    for update in updates:
        alert = update.get("alert")
        if not alert or alert.get("direction") != "worsened":
            continue
        moved = [r.get("description") or r.get("feature") for r in alert.get("reasons") or []]
        reason = (f"A monitored loan of {update['customer_id']} moved from the {alert['from_band']} band to "
                  f"{alert['to_band']} (PD {update['previous_pd']:.1%} -> {update['pd']:.1%})"
                  + (f"; what moved it most: {', '.join(moved)}." if moved else "."))
        out.append(Alert("band_worsened", update["customer_id"], f"{_today()} {alert['to_band']}", reason,
                         customer_id=update["customer_id"], dedupe=str(update["loan_id"]),
                         details={"from_band": alert["from_band"], "to_band": alert["to_band"],
                                  "pd": update["pd"], "previous_pd": update["previous_pd"], "reasons": moved}))
    return out


def refresh_alerts(outcome: dict[str, Any]) -> list[Alert]:
    """Alerts for a scheduled refresh (:meth:`api_panel.schedule.RefreshSchedule.run_once`'s outcome)."""
    day = _today()
    if "summary" not in outcome:
        return [Alert("refresh_failed", "scheduled refresh", day,
                      f"The scheduled refresh did not complete: {outcome.get('error') or 'no report'}.",
                      details={"returncode": outcome.get("returncode")})]
    return [Alert("refresh_failed", row["customer_id"], day,
                  f"The scheduled refresh of {row['customer_id']} failed: {row.get('error') or 'no reason given'}.",
                  customer_id=row["customer_id"])
            for row in outcome.get("customers") or [] if row.get("outcome") == "failed"]
