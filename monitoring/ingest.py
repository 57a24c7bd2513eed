"""Ingesting repayment events: idempotent by ``event_id``, durable before acknowledged, scored in batches.

:func:`ingest_events` is what the HTTP endpoint and the stream consumer call.
For one batch, under a process lock and a file lock (so the API server and
stream consumers can share a lake):

1. every event whose id was processed before (the durable index
   ``monitoring/processed_events.ndjson``, loaded once into a set) is a
   duplicate and changes nothing; the others are validated
   (:mod:`monitoring.events`) and invalid ones are quarantined with every
   reason (``quarantine/<customer_id>/repayment_events.ndjson``, or
   ``quarantine/_unrouted/`` for events naming no customer of the lake);
2. valid events are folded into their loan's :class:`LoanState` (kept in
   memory, rebuilt from the event log on first use);
3. every loan the batch touched is re-scored once, all in one vectorised call;
   a loan scored for the first time is first scored at booking (no events) so
   its first event can already cross a band;
4. writes, in this order: accepted events appended to
   ``clean/<customer_id>/repayment_events.ndjson`` (the event log), quarantine
   entries, one risk-history line per loan (``monitoring/risk/<loan_id>.ndjson``),
   then the ids and outcomes to the index (fsync'd when ``monitoring.fsync``);
   only then are ``on_update`` called and the result returned, so an
   acknowledged event is on disk. A crash after the event log but before the
   index loses nothing either: the replayed events are found in the rebuilt
   loan state and counted as duplicates.

A band change between the previous score and the new one carries an alert
with the inputs that moved the score most (:meth:`BehaviourScorer.reasons`).
"""
from __future__ import annotations

import fcntl
import logging
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import orjson

from monitoring.alerts import band_alerts, raise_alerts
from monitoring.events import event_reasons, indexable_id, quarantine_lines, routing_reasons
from monitoring.features import LoanState, customer_inputs
from monitoring.loans import load_loans
from monitoring.model import BehaviourScorer, ensure_behaviour_model, read_customer_documents
from pipeline.lake import Lake

EVENTS_SOURCE = "repayment_events"
log = logging.getLogger(__name__)
UpdateFn = Callable[[dict], None]
_MONITORS: dict[str, "Monitor"] = {}
_MONITORS_LOCK = threading.Lock()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _stamp(path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_mtime_ns, stat.st_size


class Monitor:
    """The in-memory monitoring state of one lake, kept consistent with its files."""

    def __init__(self, lake: Lake, config: dict):
        self.lake = lake
        self.configure(config)
        self._lock = threading.Lock()
        self._seen: dict[str, str] = {}          # event id -> "accepted" | "quarantined"
        self._index_size = -1
        self._loans: dict[str, dict] = {}
        self._states: dict[str, LoanState] = {}
        self._log_size: dict[str, int] = {}      # customer -> size of its event log as last read or written
        self._current: dict[str, dict] = {}      # loan -> {pd, band, features} of its last score
        self._inputs: dict[str, tuple[tuple, dict]] = {}
        self._scorer: tuple[tuple | None, BehaviourScorer] | None = None
        self._indexed = False

    def configure(self, config: dict) -> None:
        """Use ``config`` (its ``monitoring`` section) from now on."""
        self.config = config
        settings = config.get("monitoring", {})
        windows = settings.get("windows_days", {})
        self.windows = (int(windows.get("short", 91)), int(windows.get("long", 183)))
        self.fsync = bool(settings.get("fsync", True))

    # ---- loading what other batches or processes wrote ----------------------------------------------
    def _sync_index(self) -> None:
        stamp = _stamp(self.lake.processed_events_path)
        size = stamp[1] if stamp else 0
        if size == self._index_size:
            return
        grown = 0 <= self._index_size < size  # another process appended: read only what it added
        if not grown:
            self._seen = {}
        for line in self.lake.read_lines_from(self.lake.processed_events_path, self._index_size if grown else 0):
            entry = orjson.loads(line)
            self._seen[entry["event_id"]] = entry["outcome"]
        self._index_size = size

    def _rescan(self) -> None:
        self._loans = {loan["loan_id"]: loan for loan in load_loans(self.lake, config=self.config)}
        self._indexed = True

    def _loan(self, loan_id: str, alive: dict[str, bool]) -> dict | None:
        loan = self._loans.get(loan_id)
        if loan is not None:
            cid = loan["customer_id"]
            if cid not in alive:
                alive[cid] = self.lake.loan_book_path(cid).exists()
            if not alive[cid]:  # erased (consent revoked or DataLife over): forget it
                self._forget(cid)
                return None
        return loan

    def _forget(self, customer_id: str) -> None:
        for loan_id in [k for k, v in self._loans.items() if v["customer_id"] == customer_id]:
            self._loans.pop(loan_id, None)
            self._states.pop(loan_id, None)
            self._current.pop(loan_id, None)
        self._log_size.pop(customer_id, None)
        self._inputs.pop(customer_id, None)

    def _load_customer(self, customer_id: str) -> None:
        """Bring the customer's loan states up to its event log: build them once, then apply what others appended."""
        path = self.lake.clean_path(customer_id, EVENTS_SOURCE)
        stamp = _stamp(path)
        size = stamp[1] if stamp else 0
        known = self._log_size.get(customer_id)
        if known == size:
            return
        grown = known is not None and known < size
        for loan in [loan for loan in self._loans.values() if loan["customer_id"] == customer_id]:
            if not grown or loan["loan_id"] not in self._states:
                self._states[loan["loan_id"]] = LoanState(loan)
            self._current.pop(loan["loan_id"], None)  # someone else may have scored it: re-read its history
        for line in self.lake.read_lines_from(path, known if grown else 0):
            event = orjson.loads(line)
            state = self._states.get(event["loan_id"])
            if state is not None:
                state.apply(event)
        self._log_size[customer_id] = size

    def _customer_inputs(self, customer_id: str) -> dict:
        paths = [self.lake.analytics_path(customer_id, n) for n in ("transaction_summary", "credit_summary",
                                                                    "risk_model")]
        key = tuple(_stamp(p) for p in paths)
        cached = self._inputs.get(customer_id)
        if cached is None or cached[0] != key:
            cached = (key, customer_inputs(read_customer_documents(self.lake, customer_id)))
            self._inputs[customer_id] = cached
        return cached[1]

    def _previous(self, loan_id: str) -> dict | None:
        if loan_id in self._current:
            return self._current[loan_id]
        line = self.lake.read_last_line(self.lake.risk_history_path(loan_id))
        if line is None:
            return None
        entry = orjson.loads(line)
        return {"pd": entry["pd"], "band": entry["band"], "features": entry["features"]}

    def scorer(self) -> BehaviourScorer:
        """The behavioural model (trained once if the lake has none; reloaded when its file changes)."""
        stamp = _stamp(self.lake.model_path("behaviour_model"))
        if self._scorer is None or stamp is None or self._scorer[0] != stamp:
            bundle = ensure_behaviour_model(self.lake, self.config)
            self._scorer = (_stamp(self.lake.model_path("behaviour_model")), BehaviourScorer(bundle, self.config))
        return self._scorer[1]

    # ---- one batch ------------------------------------------------------------------------------------
    def ingest(self, events: list, on_update: UpdateFn | None = None) -> dict[str, Any]:
        """Process one batch (see the module docstring); returns counts, quarantined events and updates."""
        self.lake.monitoring_dir.mkdir(parents=True, exist_ok=True)
        with self._lock, open(self.lake.monitoring_lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            result = self._ingest_locked(events)
            for payload in result["updates"] if on_update is not None else ():
                try:
                    on_update(payload)
                except Exception:  # noqa: BLE001 - the batch is on disk; a failed notification must not undo the ack
                    log.exception("on_update failed for loan %s", payload["loan_id"])
        return result

    def _ingest_locked(self, events: list) -> dict[str, Any]:
        received = _now()
        self._sync_index()
        if not self._indexed:
            self._rescan()
        alive: dict[str, bool] = {}
        known: dict[str, bool] = {}
        rescanned = False
        batch_ids: set[str] = set()
        by_loan: dict[str, list[dict]] = {}
        quarantined: list[tuple[Any, list]] = []
        index: list[tuple[str, str, str | None, str | None]] = []
        duplicates = 0
        for event in events:
            event_id = indexable_id(event)
            if event_id is not None and (event_id in self._seen or event_id in batch_ids):
                duplicates += 1
                continue
            reasons = event_reasons(event)
            if not reasons:
                loan = self._loan(event["loan_id"], alive)
                if loan is None and not rescanned:
                    self._rescan()
                    rescanned = True
                    loan = self._loan(event["loan_id"], alive)
                cid = event["customer_id"]
                if loan is None and cid not in known:
                    known[cid] = self.lake.has_customer(cid)
                reasons = routing_reasons(event, loan, known.get(cid, True))
            if event_id is not None:
                batch_ids.add(event_id)
            if reasons:
                quarantined.append((event, reasons))
                if event_id is not None:
                    index.append((event_id, "quarantined", None, None))
                continue
            by_loan.setdefault(event["loan_id"], []).append(event)
        applied: dict[str, list[dict]] = {}
        for loan_id, loan_events in by_loan.items():
            cid = self._loans[loan_id]["customer_id"]
            self._load_customer(cid)
            state = self._states.setdefault(loan_id, LoanState(self._loans[loan_id]))
            for event in loan_events:
                if state.apply(event):
                    applied.setdefault(loan_id, []).append(event)
                else:  # already in the event log (a crash before the index was written): a duplicate
                    duplicates += 1
                index.append((event["event_id"], "accepted", loan_id, cid))
        updates, history = self._score(applied, received) if applied else ([], {})
        self._write(applied, quarantined, history, index, received)
        return {"accepted": sum(map(len, applied.values())), "duplicates": duplicates,
                "quarantined": [{"event": e, "reasons": [r.as_dict() for r in rs]} for e, rs in quarantined],
                "updates": updates}

    def _score(self, applied: dict[str, list[dict]], received: str) -> tuple[list[dict], dict[str, list[dict]]]:
        scorer = self.scorer()
        loan_ids = list(applied)
        rows, previous, baseline_ids, baseline_rows = [], {}, [], []
        for loan_id in loan_ids:
            loan, state = self._loans[loan_id], self._states[loan_id]
            inputs = self._customer_inputs(loan["customer_id"])
            rows.append(state.features(inputs, self.windows))
            previous[loan_id] = self._previous(loan_id)
            if previous[loan_id] is None:
                baseline_ids.append(loan_id)
                baseline_rows.append(LoanState(loan).features(inputs, self.windows))
        scores = scorer.score(rows + baseline_rows)
        history: dict[str, list[dict]] = {}
        for loan_id, row, (pd_value, band) in zip(baseline_ids, baseline_rows, scores[len(rows):]):
            previous[loan_id] = {"pd": pd_value, "band": band, "features": row}
            history[loan_id] = [{"ts": received, "kind": "baseline", "event_id": None, "event_ids": [], "events": 0,
                                 "clock": self._loans[loan_id]["disbursed_at"][:10], "pd": pd_value, "band": band,
                                 "previous_pd": None, "previous_band": None, "alert": None, "features": row,
                                 "last_event": None, "model_version": scorer.version}]
        crossing = [i for i, loan_id in enumerate(loan_ids) if scores[i][1] != previous[loan_id]["band"]]
        reasons = scorer.reasons([(previous[loan_ids[i]]["features"], rows[i]) for i in crossing])
        alerts = {loan_ids[i]: r for i, r in zip(crossing, reasons)}
        updates = []
        for loan_id, row, (pd_value, band) in zip(loan_ids, rows, scores):
            loan, state, before = self._loans[loan_id], self._states[loan_id], previous[loan_id]
            alert = None
            if loan_id in alerts:
                alert = {"from_band": before["band"], "to_band": band, "reasons": alerts[loan_id],
                         "direction": "worsened" if pd_value > before["pd"] else "improved"}
            last = state.last_event
            entry = {"ts": received, "kind": "event", "event_id": last["event_id"],
                     "event_ids": [e["event_id"] for e in applied[loan_id]], "events": len(applied[loan_id]),
                     "clock": state.clock, "pd": pd_value, "band": band, "previous_pd": before["pd"],
                     "previous_band": before["band"], "alert": alert, "features": row, "last_event": last,
                     "model_version": scorer.version}
            history.setdefault(loan_id, []).append(entry)
            self._current[loan_id] = {"pd": pd_value, "band": band, "features": row}
            updates.append({"loan_id": loan_id, "customer_id": loan["customer_id"], "event_id": last["event_id"],
                            "pd": pd_value, "band": band, "previous_pd": before["pd"],
                            "previous_band": before["band"], "alert": alert, "ts": _now(), "event_ts": last["ts"],
                            "event_status": last.get("status"),
                            "events": len(applied[loan_id]), "dpd_now": row["dpd_now"], "clock": state.clock})
        return updates, history

    def _write(self, applied: dict[str, list[dict]], quarantined: list, history: dict[str, list[dict]],
               index: list[tuple], received: str) -> None:
        lake, dumps = self.lake, orjson.dumps
        by_customer: dict[str, list[bytes]] = {}
        for loan_id, loan_events in applied.items():
            by_customer.setdefault(self._loans[loan_id]["customer_id"], []).extend(map(dumps, loan_events))
        durable = []  # appended without a sync each, then synced together before the index is written
        for cid, lines in by_customer.items():
            path = lake.clean_path(cid, EVENTS_SOURCE)
            self._log_size[cid] = lake.append_lines(path, lines, sync=False)
            durable.append(path)
        for path, lines in quarantine_lines(lake, quarantined, received).items():
            lake.append_lines(path, lines, sync=False)
            durable.append(path)
        if self.fsync:
            lake.sync(durable)
        for loan_id, entries in history.items():
            lake.append_lines(lake.risk_history_path(loan_id), [dumps(e) for e in entries], sync=False)
        if index:
            lines = [dumps({"event_id": eid, "outcome": outcome, "loan_id": loan_id, "customer_id": cid,
                            "at": received}) for eid, outcome, loan_id, cid in index]
            self._index_size = lake.append_lines(lake.processed_events_path, lines, sync=self.fsync)
            for eid, outcome, _, _ in index:
                self._seen[eid] = outcome


def monitor_for(lake: Lake, config: dict) -> Monitor:
    """The one :class:`Monitor` of a lake root in this process (created on first use)."""
    key = str(lake.root.resolve())
    with _MONITORS_LOCK:
        monitor = _MONITORS.get(key)
        if monitor is None:
            monitor = _MONITORS[key] = Monitor(lake, config)
        elif monitor.config is not config:
            monitor.configure(config)
    return monitor


def ingest_events(lake: Lake, events: list[dict], config: dict, on_update: UpdateFn | None = None) -> dict:
    """Ingest a batch of repayment events; returns ``{accepted, duplicates, quarantined, updates}``.

    Idempotent by ``event_id``: a replayed event is counted as a duplicate and
    changes nothing. ``on_update(payload)`` is called for every new score
    (one per loan the batch touched), after everything is on disk. A loan put
    in a worse band raises a ``band_worsened`` alert (:mod:`monitoring.alerts`).
    """
    if not isinstance(events, list):
        raise TypeError("events must be a list")
    result = monitor_for(lake, config).ingest(events, on_update)
    worsened = band_alerts(result["updates"])
    if worsened:  # after the batch is on disk: a slow mail server never holds the ingestion lock
        result["alerts_raised"] = raise_alerts(lake, config, worsened)
    return result


def forget_monitors() -> None:
    """Drop every in-memory monitor (tests; the files stay the truth)."""
    with _MONITORS_LOCK:
        _MONITORS.clear()
