"""A case's history and the case list.

The history interleaves, newest first: the engine's decisions (the current ``decision.json`` and the earlier
engine decisions officers decided against, as recorded with their decisions), the pipeline runs that ran the
``models`` step (each remade the engine decision), and the officers' decisions. The case list gives one row per
customer: name, engine decision, PD and band, last run and the latest officer decision — no other personal data.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import orjson

from api_panel.casefile.decisions import engine_decision, record_differs
from pipeline.lake import Lake, LakeError

DECIDING_STEP = "models"  # the pipeline step that writes decision.json


def _moment(ts: Any) -> datetime:
    """Sort key of an ISO 8601 timestamp (unparseable ones sort last)."""
    try:
        moment = datetime.fromisoformat(str(ts))
    except ValueError:
        return datetime.min.replace(tzinfo=timezone.utc)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def read_runs(lake: Lake, customer_id: str) -> list[dict[str, Any]]:
    """The customer's pipeline runs (``logs/<id>/runs.ndjson``), oldest first; unreadable lines are skipped."""
    path = lake.run_log_path(customer_id)
    try:
        lines = lake.read_lines(path) if path.exists() else []
    except LakeError:
        return []
    runs = []
    for line in lines:
        try:
            run = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        if isinstance(run, dict):
            runs.append(run)
    return runs


def _engine_entry(engine: dict[str, Any], current: bool) -> dict[str, Any]:
    return {"kind": "engine", "ts": engine.get("generated_at"), "current": current, **engine}


def _officer_entry(record: dict[str, Any]) -> dict[str, Any]:
    engine = record.get("engine") or {}
    return {"kind": "officer", "ts": record.get("ts"), "decision_id": record.get("decision_id"),
            "decision": record.get("decision"), "amount": record.get("amount"),
            "conditions": record.get("conditions") or [], "note": record.get("note") or "",
            "reason": record.get("reason") or "", "by": record.get("by"), "role": record.get("role"),
            "differs": bool(record.get("differs")), "differences": record.get("differences") or [],
            "engine_decision": engine.get("decision"), "policy_version": engine.get("policy_version"),
            "engine_amount": engine.get("amount")}


def case_history(customer_id: str, decision_doc: dict | None, officer_records: list[dict],
                 runs: list[dict]) -> dict[str, Any]:
    """``{customer_id, engine, latest_officer, entries, count}``: every event of the case, newest first."""
    current = engine_decision(decision_doc)
    entries: list[dict[str, Any]] = []
    seen: set[str] = set()
    if current is not None:
        entries.append(_engine_entry(current.as_dict(), current=True))
        seen.add(str(current.generated_at))
    for seq, record in enumerate(officer_records):
        entries.append({**_officer_entry(record), "_seq": seq})
        engine = record.get("engine") or {}
        stamp = str(engine.get("generated_at"))
        if engine.get("decision") and stamp not in seen:  # an engine decision since replaced by a new run
            seen.add(stamp)
            entries.append(_engine_entry(engine, current=False))
    for run in runs:
        if DECIDING_STEP in (run.get("steps") or []):
            entries.append({"kind": "run", "ts": run.get("ts"), "steps": run.get("steps"), "status": run.get("status")})
    order = {"officer": 0, "engine": 1, "run": 2}  # same second: the consequence before its cause
    entries.sort(key=lambda e: (_moment(e.get("ts")), -order[e["kind"]], e.get("_seq", 0)), reverse=True)
    for entry in entries:
        entry.pop("_seq", None)
    latest = _officer_entry(officer_records[-1]) if officer_records else None
    return {"customer_id": customer_id, "engine": current.as_dict() if current else None,
            "latest_officer": latest, "entries": entries, "count": len(entries)}


def _risk_from_model(risk_doc: dict | None) -> tuple[float | None, str | None]:
    metrics = (risk_doc or {}).get("metrics") or {}
    pd_value = (metrics.get("probability_of_default") or {}).get("value")
    band = (metrics.get("risk_band") or {}).get("value")
    return (pd_value if isinstance(pd_value, (int, float)) else None), (band if isinstance(band, str) else None)


def case_row(customer_id: str, name: str | None, consent_status: str | None, last_run: dict | None,
             decision_doc: dict | None, risk_doc: dict | None, officer_records: list[dict],
             restricted: str | None = None) -> dict[str, Any]:
    """One row of the case list. ``restricted`` (why no lending consent allows reading the case) hides every
    figure of the customer: the row then shows who and the consent status only."""
    row: dict[str, Any] = {"customer_id": customer_id, "name": name, "consent_status": consent_status,
                           "last_run": {"ts": last_run.get("ts"), "status": last_run.get("status")} if last_run else None,
                           "restricted": restricted, "decision": None, "policy_version": None,
                           "probability_of_default": None, "band": None, "scorecard": None, "pd_source": None,
                           "decided_at": None, "officer": None}
    if restricted:
        return row
    engine = engine_decision(decision_doc)
    if engine is not None:
        row.update(decision=engine.decision, policy_version=engine.policy_version,
                   probability_of_default=engine.probability_of_default, band=engine.band,
                   scorecard=engine.scorecard, pd_source="decision", decided_at=engine.generated_at)
    else:
        pd_value, band = _risk_from_model(risk_doc)
        if pd_value is not None:
            row.update(probability_of_default=pd_value, band=band, pd_source="risk_model")
    if officer_records:
        latest = officer_records[-1]
        made_against = (latest.get("engine") or {}).get("generated_at")
        row["officer"] = {"decision": latest.get("decision"), "ts": latest.get("ts"), "by": latest.get("by"),
                          "amount": latest.get("amount"),
                          # against the engine's current decision (or, with none, the one the officer saw)
                          "differs": record_differs(latest, engine) if engine else bool(latest.get("differs")),
                          # made against an engine decision the models step has since replaced
                          "stale": engine is not None and made_against != engine.generated_at}
    return row
