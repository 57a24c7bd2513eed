"""``python -m pipeline refresh``: keep every consented customer's data as fresh as the consent allows, no fresher.

For each customer in the consent registry:

* no consent keeps the data alive any more (revoked, expired, DataLife run
  out) -> the data is erased from every layer (:func:`enforce_data_life`,
  which also writes the audit entry);
* an ACTIVE PERIODIC consent whose ``Frequency`` allows a new fetch, and data
  older than that frequency -> the pipeline runs again (generate as of the
  current month for a synthetic customer, so a new month brings new data;
  a customer whose consent came through the AA journey is fetched again from
  the AA under it (:mod:`pipeline.aa.periodic`); a customer imported from a
  file is reported as needing a new AA fetch, which only its AA can deliver);
* otherwise nothing happens, and the report says why.

The decision is the pure :func:`plan_refresh`; :func:`run_refresh` gathers
the state from the lake, carries the plan out customer by customer (one
failure does not stop the others) and audits every erase and refresh. Cron,
any orchestrator, or the API server's schedule call the same command.
"""
from __future__ import annotations

import calendar
from datetime import datetime, timedelta
from typing import Any

from pipeline.aa.records import read_record
from pipeline.consents import IST, ConsentRegistry, effective_status, enforce_data_life
from pipeline.lake import Lake, LakeError

ERASE, REFRESH, NEEDS_FETCH, NOTHING = "erase", "refresh", "needs_fetch", "none"
ALIVE = ("ACTIVE", "PAUSED")  # the statuses under which fetched data may be kept


def _quiet(level: str, message: str) -> None:
    return None


def _parse(ts: str | None) -> datetime | None:
    if not ts:
        return None
    moment = datetime.fromisoformat(ts)
    return moment if moment.tzinfo else moment.replace(tzinfo=IST)


def _plus_one(moment: datetime, unit: str) -> datetime:
    """``moment`` plus one HOUR, DAY, MONTH or YEAR (calendar months: the 31st becomes the month's last day)."""
    if unit == "HOUR":
        return moment + timedelta(hours=1)
    if unit == "DAY":
        return moment + timedelta(days=1)
    months = 12 if unit == "YEAR" else 1
    year, month = divmod(moment.month - 1 + months, 12)
    year, month = moment.year + year, month + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def next_fetch_at(last_fetch: datetime, frequency: dict) -> datetime | None:
    """When a consent's ``Frequency`` ({unit, value}: at most ``value`` fetches per ``unit``) allows the next fetch.

    None for ``INF``, which sets no cadence to refresh on.
    """
    unit = str(frequency.get("unit", "INF"))
    if unit not in ("HOUR", "DAY", "MONTH", "YEAR"):
        return None
    value = max(1, int(frequency.get("value", 1) or 1))
    return last_fetch + (_plus_one(last_fetch, unit) - last_fetch) / value


def _due(fetched: datetime | None, consent: dict, now: datetime) -> datetime | None:
    """When the consent allows the next fetch: ``now`` for data of unknown age, None when it sets no cadence."""
    first = next_fetch_at(fetched or now, consent.get("Frequency") or {})
    if first is None:
        return None
    return first if fetched else now


def _frequency_text(frequency: dict) -> str:
    return f"{frequency.get('value', 1)}/{frequency.get('unit', 'INF')}"


def _plan_one(customer_id: str, artefacts: list[dict], state: dict, now: datetime) -> dict[str, Any]:
    action = {"customer_id": customer_id, "action": NOTHING, "reason": "", "consent_id": None,
              "fetched_at": state.get("fetched_at"), "due_at": None}
    statuses = [(a, effective_status(a, now)) for a in artefacts]
    latest, latest_status = statuses[-1]
    if not any(status in ALIVE for _, status in statuses):
        action["consent_id"] = latest["consentId"]
        if state.get("has_data"):
            return {**action, "action": ERASE, "reason": f"consent {latest['consentId']} is {latest_status}"}
        return {**action, "reason": f"consent {latest['consentId']} is {latest_status}; no data held"}
    periodic = [a for a, status in statuses if status == "ACTIVE" and a.get("fetchType") == "PERIODIC"]
    if not periodic:
        active = [a for a, status in statuses if status == "ACTIVE"]
        kind = "ONETIME" if active else "PAUSED"
        return {**action, "consent_id": (active or [latest])[-1]["consentId"],
                "reason": f"no active PERIODIC consent ({kind}): no new fetch is allowed"}
    if not state.get("has_data"):
        return {**action, "consent_id": periodic[-1]["consentId"],
                "reason": "no data in the lake (never fetched, or erased on request): not fetched automatically"}
    fetched = _parse(state.get("fetched_at"))
    timed = [(due, a) for a in periodic if (due := _due(fetched, a, now)) is not None]
    if not timed:
        return {**action, "consent_id": periodic[-1]["consentId"],
                "reason": "the PERIODIC consent's Frequency is INF: no cadence to refresh on"}
    due, consent = min(timed, key=lambda pair: pair[0])
    action.update(consent_id=consent["consentId"], due_at=due.isoformat())
    cadence = f"Frequency {_frequency_text(consent.get('Frequency') or {})}"
    if due > now:
        return {**action, "reason": f"data fetched {fetched:%Y-%m-%d %H:%M}; {cadence} allows the next fetch "
                                    f"from {due:%Y-%m-%d %H:%M}"}
    age = "of unknown age" if fetched is None else f"{(now - fetched).days} day(s) old"
    if state.get("origin") == "aa" and consent.get("source") == "aa":
        return {**action, "action": REFRESH, "reason": f"data fetched from the AA {age}, {cadence} allows a new "
                                                       "AA fetch"}
    if state.get("origin") == "imported":
        return {**action, "action": NEEDS_FETCH, "reason": f"imported AA data {age}, {cadence}: "
                                                           "needs a new AA fetch"}
    return {**action, "action": REFRESH, "reason": f"data {age}, {cadence} allows a new fetch"}


def plan_refresh(registry_state: dict[str, list[dict]], runs: dict[str, dict], now: datetime) -> list[dict[str, Any]]:
    """Decide, without touching anything, what refresh does for each customer at ``now``.

    ``registry_state`` maps a customer id to its consent artefacts (oldest
    first, as the registry stores them); ``runs`` maps it to the state of its
    data: ``fetched_at`` (ISO time of the last fetch, or None), ``has_data``
    and ``origin`` (``"synthetic"`` or ``"imported"``). Returns one action per
    customer with artefacts, sorted by id: ``{customer_id, action (erase,
    refresh, needs_fetch, none), reason, consent_id, fetched_at, due_at}``.
    """
    return [_plan_one(cid, artefacts, runs.get(cid, {}), now)
            for cid, artefacts in sorted(registry_state.items()) if artefacts]


# ---- the I/O edge ---------------------------------------------------------------------------------------------

def _mtime(lake: Lake, layer: str, customer_id: str) -> str | None:
    try:
        stamp = lake.customer_dir(layer, customer_id).stat().st_mtime
    except FileNotFoundError:
        return None
    return datetime.fromtimestamp(stamp, IST).replace(microsecond=0).isoformat()


def data_state(lake: Lake, customer_id: str) -> dict[str, Any]:
    """When the customer's data was last fetched, whether any is held, and where it came from.

    The fetch time is the last successful run that generated data (the run
    log, ``logs/<id>/runs.ndjson``; a later analyse-only run does not make the
    data younger), else the raw layer's mtime (an AA import writes raw without
    a run), else the clean layer's.
    """
    fetched = None
    path = lake.run_log_path(customer_id)
    try:
        runs = lake.read_ndjson(path) if path.exists() else []
    except LakeError:
        runs = []
    for run in reversed(runs):
        if run.get("status") == "done" and "generate" in run.get("steps", []):
            fetched = run["ts"]
            break
    fetched = fetched or _mtime(lake, "raw", customer_id) or _mtime(lake, "clean", customer_id)
    meta_path = lake.customer_meta_path(customer_id)
    try:
        meta = lake.read_json(meta_path) if meta_path.exists() else {}
    except LakeError:
        meta = {}
    imported = meta.get("profile") == "imported" or meta.get("source") == "aa_import"
    origin = "imported" if imported else "synthetic"
    journey = read_record(lake, customer_id)
    if journey and journey.get("fetched_at"):   # fetched over the AA: its fetch time is the data's age
        fetched, origin = datetime.fromisoformat(journey["fetched_at"]).astimezone(IST).isoformat(), "aa"
    return {"fetched_at": fetched, "has_data": lake.has_customer(customer_id), "origin": origin,
            "profile": meta.get("profile")}


def collect_state(lake: Lake, registry: ConsentRegistry) -> tuple[dict[str, list[dict]], dict[str, dict]]:
    """The inputs of :func:`plan_refresh` read from the lake: every registry customer's artefacts and data state."""
    registry_state = {cid: registry.list(cid) for cid in registry.customers()}
    return registry_state, {cid: data_state(lake, cid) for cid in registry_state}


def _refresh_one(lake: Lake, config: dict, action: dict, state: dict, now: datetime, progress) -> dict[str, Any]:
    from generators.registry import PROFILE_NAMES
    from pipeline.aa.periodic import refresh_via_aa
    from pipeline.runner import DEFAULT_STEPS, run_steps

    cid, steps = action["customer_id"], list(DEFAULT_STEPS)
    as_of = now.date().replace(day=1)
    profile = state.get("profile") if state.get("profile") in PROFILE_NAMES else None
    if state.get("origin") == "aa":
        outcome = refresh_via_aa(lake, config, cid, profile, as_of, progress)
        steps = outcome["steps"]
    else:
        outcome = run_steps(lake, cid, steps, config, progress, {"generate": {"profile": profile, "as_of": as_of}})
    lake.audit("refresh", cid, actor="refresh", consent_id=action["consent_id"], steps=steps,
               as_of=as_of.isoformat(), status=outcome["status"], error=outcome["error"])
    if outcome["status"] != "done":
        return {"outcome": "failed", "error": outcome["error"]}
    return {"outcome": "refreshed", "as_of": as_of.isoformat()[:7], "steps": steps}


def _carry_out(lake: Lake, registry: ConsentRegistry, config: dict, action: dict, state: dict, now: datetime,
               progress) -> dict[str, Any]:
    kind = action["action"]
    if kind == ERASE:
        layers = enforce_data_life(lake, registry, action["customer_id"], actor="refresh")
        return {"outcome": "erased", "layers": layers} if layers else {"outcome": "unchanged"}
    if kind == REFRESH:
        return _refresh_one(lake, config, action, state, now, progress)
    if kind == NEEDS_FETCH:
        return {"outcome": "needs_fetch"}
    return {"outcome": "unchanged"}


OUTCOMES = ("refreshed", "erased", "needs_fetch", "unchanged", "failed", "planned")


def run_refresh(lake: Lake, config: dict, dry_run: bool = False, now: datetime | None = None,
                progress=_quiet) -> dict[str, Any]:
    """Plan and (unless ``dry_run``) carry out the refresh of every registry customer; return the report.

    Report: ``{now, dry_run, customers: [action + {outcome, error?, layers?, as_of?, steps?}], summary: {outcome:
    count}}``. ``progress(level, message)`` hears one line per customer.
    """
    now = now or datetime.now(IST).replace(microsecond=0)
    registry = ConsentRegistry(lake)
    registry_state, runs = collect_state(lake, registry)
    rows = []
    for action in plan_refresh(registry_state, runs, now):
        cid = action["customer_id"]
        if dry_run:
            result = {"outcome": {ERASE: "planned", REFRESH: "planned", NEEDS_FETCH: "needs_fetch"}.get(
                action["action"], "unchanged")}
        else:
            try:
                result = _carry_out(lake, registry, config, action, runs[cid], now, _prefixed(progress, cid))
            except Exception as exc:  # noqa: BLE001 - one customer's failure must not stop the others
                result = {"outcome": "failed", "error": f"{type(exc).__name__}: {exc}"}
        row = {**action, **result}
        rows.append(row)
        progress("error" if row["outcome"] == "failed" else "info", describe(row))
    summary = {name: sum(r["outcome"] == name for r in rows) for name in OUTCOMES}
    return {"now": now.isoformat(), "dry_run": dry_run, "customers": rows, "summary": summary}


def _prefixed(progress, customer_id: str):
    """Step progress of a customer's refresh: only warnings and errors, named by customer."""
    def say(level: str, message: str) -> None:
        if level in ("warning", "error"):
            progress(level, f"{customer_id}: {message}")
    return say


def describe(row: dict[str, Any]) -> str:
    """One human line for a customer's refresh outcome."""
    cid, outcome, reason = row["customer_id"], row["outcome"], row["reason"]
    if outcome == "refreshed":
        return f"{cid}: refreshed as of {row['as_of']} ({reason})"
    if outcome == "erased":
        return f"{cid}: erased from {', '.join(row['layers'])} ({reason})"
    if outcome == "needs_fetch":
        return f"{cid}: needs a new AA fetch ({reason})"
    if outcome == "failed":
        return f"{cid}: refresh failed: {row.get('error')}"
    if outcome == "planned":
        return f"{cid}: would {row['action']} ({reason})"
    return f"{cid}: nothing to do ({reason})"
