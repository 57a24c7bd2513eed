"""The read side of monitoring: a loan's current risk, its history, and the portfolio of many loans.

Everything here reads the lake's files, so it shows what any ingesting process
(the API server or a stream consumer) wrote. :func:`add_changes_since` adds
what moved since a moment (the dashboard's start of today): each loan's PD
then, and the alerts raised since. A loan's current risk is the
last line of its risk history (read from the file's tail and cached by the
file's size and modification time). A loan with no repayment event yet has
no history: if a behavioural model is saved, its score *at booking* is
computed on the fly (``pd_source: "booking"``, not stored); without a model
its PD is None.
"""
from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

import orjson

from monitoring.features import LoanState, customer_inputs
from monitoring.loans import SORT_KEYS, load_loans, parse_since  # noqa: F401 - both live in the light module
from monitoring.model import BehaviourScorer, load_behaviour_model, read_customer_documents
from pipeline.lake import Lake, validate_loan_id

_TAILS: dict[str, tuple[tuple[int, int], dict]] = {}
_TAILS_LOCK = threading.Lock()
_SCORERS: dict[str, tuple[tuple[int, int], BehaviourScorer]] = {}


def latest_risk(lake: Lake, loan_id: str) -> dict | None:
    """The last risk-history entry of a loan (None before its first event)."""
    path = lake.risk_history_path(loan_id)
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    key = (stat.st_mtime_ns, stat.st_size)
    cached = _TAILS.get(str(path))
    if cached and cached[0] == key:
        return cached[1]
    line = lake.read_last_line(path)
    entry = orjson.loads(line) if line else None
    if entry is not None:
        with _TAILS_LOCK:
            _TAILS[str(path)] = (key, entry)
    return entry


def risk_history(lake: Lake, loan_id: str, limit: int | None = None) -> list[dict]:
    """A loan's scores over time, oldest first (the last ``limit`` when given)."""
    path = lake.risk_history_path(validate_loan_id(loan_id))
    if not path.exists():
        return []
    entries = lake.read_ndjson(path)
    return entries[-limit:] if limit else entries


def find_loan(lake: Lake, loan_id: str, config: dict | None = None) -> dict | None:
    """The booked loan with this id, in any customer's book (None when there is none)."""
    validate_loan_id(loan_id)
    return next((loan for loan in load_loans(lake, config=config) if loan["loan_id"] == loan_id), None)


def _scorer(lake: Lake, config: dict) -> BehaviourScorer | None:
    path = lake.model_path("behaviour_model")
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    key = (stat.st_mtime_ns, stat.st_size)
    cached = _SCORERS.get(str(path))
    if cached is None or cached[0] != key:
        bundle = load_behaviour_model(lake)
        if bundle is None:
            return None
        cached = (key, BehaviourScorer(bundle, config))
        _SCORERS[str(path)] = cached
    return cached[1]


def _windows(config: dict) -> tuple[int, int]:
    windows = config.get("monitoring", {}).get("windows_days", {})
    return int(windows.get("short", 91)), int(windows.get("long", 183))


def loan_rows(lake: Lake, loans: list[dict], config: dict) -> list[dict[str, Any]]:
    """Each loan's terms (without the schedule) and its current PD, band, last event and last alert."""
    rows, unscored = [], []
    for loan in loans:
        entry = latest_risk(lake, loan["loan_id"])
        row = {k: loan.get(k) for k in ("loan_id", "customer_id", "lender", "product", "principal", "rate",
                                         "tenure_months", "emi", "disbursed_at", "status", "secured",
                                         "collateral_value")}
        if entry is None:
            row.update(pd=None, band=None, pd_source=None, updated_at=None, dpd_now=None, last_event=None,
                       alert=None, events_seen=0)
            unscored.append((row, loan))
        else:
            row.update(pd=entry["pd"], band=entry["band"], pd_source="monitoring", updated_at=entry["ts"],
                       dpd_now=(entry.get("features") or {}).get("dpd_now"), last_event=entry.get("last_event"),
                       alert=entry.get("alert"), model_version=entry.get("model_version"))
        rows.append(row)
    scorer = _scorer(lake, config) if unscored else None
    if scorer is not None:
        inputs: dict[str, dict] = {}
        features = []
        for _, loan in unscored:
            cid = loan["customer_id"]
            if cid not in inputs:
                inputs[cid] = customer_inputs(read_customer_documents(lake, cid))
            features.append(LoanState(loan).features(inputs[cid], _windows(config)))
        for (row, _), (pd_value, band), feats in zip(unscored, scorer.score(features), features):
            row.update(pd=pd_value, band=band, pd_source="booking", dpd_now=feats["dpd_now"],
                       model_version=scorer.version)
    return rows


def sort_rows(rows: list[dict], key: str, descending: bool, bands: list[dict]) -> list[dict]:
    """Rows sorted by ``key`` (bands in risk order); rows without a value always go last."""
    order = {b["band"]: i for i, b in enumerate(bands)}

    def value(row: dict):
        v = row.get(key)
        return order.get(v, -1) if key == "band" and v is not None else v

    present = [r for r in rows if value(r) is not None]
    absent = [r for r in rows if value(r) is None]
    present.sort(key=lambda r: (value(r), r["loan_id"]), reverse=descending)
    return present + sorted(absent, key=lambda r: r["loan_id"])


# ---- what moved since a moment (the dashboard's "today") --------------------------------------------
ALERTS_SHOWN = 100
_SINCE: dict[str, tuple[tuple, int, dict]] = {}   # history path -> ((since, inode), bytes read, summary so far)
_SINCE_LOCK = threading.Lock()


def _fold(summary: dict, entry: dict, since: datetime) -> None:
    """Fold one risk-history entry into a loan's summary since ``since`` (entries arrive oldest first)."""
    if datetime.fromisoformat(entry["ts"]) < since:
        summary["start"] = (entry["pd"], entry["band"])
        return
    if summary["start"] is None:  # the first score at or after `since`: what the loan showed before it
        summary["start"] = (entry["pd"], entry["band"]) if entry.get("kind") == "baseline" \
            else (entry.get("previous_pd"), entry.get("previous_band"))
    if entry.get("alert"):
        summary["alerts"].append({"ts": entry["ts"], "event_id": entry.get("event_id"), "pd": entry["pd"],
                                  "band": entry["band"], "previous_pd": entry.get("previous_pd"),
                                  "previous_band": entry.get("previous_band"), **entry["alert"]})


def changes_since(lake: Lake, loan_id: str, since: datetime) -> dict:
    """A loan's PD and band just before ``since`` (``start``, None without any score before or after it) and
    its band-crossing alerts from then on. The history is read once, then only what was appended to it."""
    path = lake.risk_history_path(validate_loan_id(loan_id))
    try:
        stat = path.stat()
    except FileNotFoundError:
        return {"start": None, "alerts": []}
    size, key = stat.st_size, (since.isoformat(), stat.st_ino)
    with _SINCE_LOCK:
        cached = _SINCE.get(str(path))
    if cached is not None and cached[0] == key and cached[1] <= size:
        offset, summary = cached[1], {"start": cached[2]["start"], "alerts": list(cached[2]["alerts"])}
    else:  # first read, another moment, or the file was erased and started again
        offset, summary = 0, {"start": None, "alerts": []}
    for line in lake.read_lines_from(path, offset):
        try:
            entry = orjson.loads(line)
        except orjson.JSONDecodeError:  # a line still being appended: read it next time
            break
        _fold(summary, entry, since)
        offset += len(line) + 1  # the history is written by monitoring.ingest only: one line + b"\n" each
    with _SINCE_LOCK:
        _SINCE[str(path)] = (key, offset, summary)
    return {"start": summary["start"], "alerts": list(summary["alerts"])}


def add_changes_since(lake: Lake, rows: list[dict], since: datetime) -> list[dict]:
    """Give each row ``start_pd``, ``start_band`` and ``pd_change`` (its PD now minus its PD at ``since``; a
    loan never scored since keeps its current PD as its start) and return every alert raised since then,
    newest first (at most ``ALERTS_SHOWN``), each with its loan and customer."""
    alerts = []
    for row in rows:
        found = changes_since(lake, row["loan_id"], since)
        start_pd, start_band = found["start"] if found["start"] is not None else (row["pd"], row["band"])
        row.update(start_pd=start_pd, start_band=start_band,
                   pd_change=None if row["pd"] is None or start_pd is None else row["pd"] - start_pd)
        alerts.extend({"loan_id": row["loan_id"], "customer_id": row["customer_id"], **a} for a in found["alerts"])
    alerts.sort(key=lambda a: datetime.fromisoformat(a["ts"]), reverse=True)
    return alerts[:ALERTS_SHOWN]
