"""Repayment-event ingestion benchmark (issue 7 targets), against the real server ``python -m api_panel serve``.

Prepares a temporary lake (the ten demo customers plus ``--extra`` generated ones: generate, clean, analyze,
score with a small underwriting model; their OCEN loans booked; the behavioural model trained), starts the
server on it, connects a python-socketio client that joins the portfolio room, then:

1. throughput: ``--senders`` threads POST batches of 1,000 events for ``--seconds`` (target >= 2,000 events/s);
2. latency: one sender offers ``--rate`` events/s (default 2,000) for ``--latency-seconds``, in batches of a
   tenth of a second's worth as ``python -m generators.repayments`` sends them; event-to-``risk_update``
   delay = time the client receives the update carrying a loan's last event of a batch minus the time that
   batch was sent (both on this process's clock), weighted by the events the update covers (target p99 <
   200 ms);
3. replay: a sample of the events already sent is sent again: all must come back as duplicates;
4. counts: unique events sent = accepted = events covered by ``risk_update`` messages = lines in the lake's
   event logs = accepted ids in the processed-event index; nothing quarantined. A mismatch exits non-zero.

Events walk each loan's instalments month after month (past the schedule's end when the run is long) with a
mix of statuses, round-robin over the loans, each with a unique id.
"""
from __future__ import annotations

import argparse
import itertools
import random
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import orjson
import requests
import socketio

from bench.server import start_server
from monitoring.schedules import add_months
from pipeline.config import load_config
from pipeline.lake import Lake
from pipeline.runner import run_steps

TOKEN = "bench-events-analyst-token"
STATUSES = (("PAID", 0.86), ("LATE", 0.07), ("PARTIAL", 0.03), ("BOUNCED", 0.04))


def prepare_lake(root: Path, config: dict, extra: int) -> tuple[Lake, list[dict]]:
    """Demo (+ extra) customers through score, their loans booked, both models trained; returns the loans."""
    from analytics.risk.model import save_risk_model, train_portfolio_model
    from monitoring.loans import load_loans
    from monitoring.model import save_behaviour_model, train_behaviour_model

    lake = Lake(root)
    bundle, _ = train_portfolio_model(80, config)
    save_risk_model(lake, bundle, config)
    customers = dict(config["demo_customers"])
    customers.update({f"CUST_BEN_{i:05d}": None for i in range(1, extra + 1)})
    as_of = date(2026, 11, 1)
    for customer_id, profile in customers.items():
        options = {"generate": {"as_of": as_of, **({"profile": profile} if profile else {})}}
        outcome = run_steps(lake, customer_id, ["generate", "clean", "analyze", "score"], config,
                            lambda level, message: None, options)
        if outcome["status"] != "done":
            raise SystemExit(f"preparing {customer_id} failed: {outcome['error']}")
    behaviour, _ = train_behaviour_model(lake, config)
    save_behaviour_model(lake, behaviour, config)
    return lake, load_loans(lake, config=config)


def event_stream(loans: list[dict], run: str, seed: int = 7):
    """Endless events: each loan's instalments in turn, round-robin over the loans."""
    rng = random.Random(seed)
    names, weights = zip(*STATUSES)
    for k in itertools.count():
        for loan in loans:
            first = date.fromisoformat(loan["schedule"][0]["due_date"])
            due = add_months(first, k, loan["emi_day"])
            amount = loan["schedule"][k]["amount"] if k < len(loan["schedule"]) else loan["emi"]
            status = rng.choices(names, weights)[0]
            day = due if status in ("PAID", "BOUNCED") else due + timedelta(days=9)
            ts = f"{day.isoformat()}T11:00:00+05:30"
            paid = {"PAID": amount, "LATE": amount, "PARTIAL": round(amount * 0.4, 2), "BOUNCED": 0.0}[status]
            yield {"event_id": f"{run}-{loan['loan_id']}-{k}", "loan_id": loan["loan_id"],
                   "customer_id": loan["customer_id"], "due_date": due.isoformat(), "amount_due": amount,
                   "paid_at": None if status == "BOUNCED" else ts, "amount_paid": paid, "status": status,
                   "channel": "ENACH", "ts": ts}


class Watcher:
    """A python-socketio client in the portfolio room, recording every risk_update with its arrival time."""

    def __init__(self, base: str):
        self.updates: list[tuple[float, dict]] = []
        self.client = socketio.Client(reconnection=False)
        self.client.on("risk_update", lambda payload: self.updates.append((time.perf_counter(), payload)))
        self.client.connect(base, auth={"token": TOKEN}, transports=["websocket"], wait_timeout=10)
        ack = self.client.call("join_portfolio", {}, timeout=10)
        if not ack or not ack.get("ok"):
            raise SystemExit(f"could not join the portfolio room: {ack}")

    def covered(self) -> int:
        """Events covered by the updates received so far."""
        return sum(p["events"] for _, p in list(self.updates))


def post(session: requests.Session, base: str, events: list[dict]) -> dict:
    """POST one batch; any non-200 is fatal for the benchmark."""
    response = session.post(base + "/api/events/repayments", data=orjson.dumps(events),
                            headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
                            timeout=60)
    if response.status_code != 200:
        raise SystemExit(f"POST answered {response.status_code}: {response.text[:300]}")
    return response.json()


def throughput(base: str, stream, seconds: float, senders: int, totals: dict) -> tuple[float, int]:
    """Events accepted per second with ``senders`` threads posting 1,000-event batches."""
    lock, deadline = threading.Lock(), time.perf_counter() + seconds

    def work():
        session = requests.Session()
        while time.perf_counter() < deadline:
            with lock:
                batch = list(itertools.islice(stream, 1000))
                totals["sent"].extend(e["event_id"] for e in batch)
            body = post(session, base, batch)
            with lock:
                totals["accepted"] += body["accepted"]
                totals["quarantined"] += body["quarantined"]
    began = time.perf_counter()
    accepted_before = totals["accepted"]
    threads = [threading.Thread(target=work) for _ in range(senders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    return (totals["accepted"] - accepted_before) / elapsed, totals["accepted"] - accepted_before


def latency(base: str, stream, watcher: Watcher, rate: float, seconds: float, size: int, totals: dict) -> dict:
    """Offer ``rate`` events/s in ``size``-event batches; event-to-risk_update delays (ms) weighted by events."""
    session, sent_at, post_ms = requests.Session(), {}, []
    first_update = len(watcher.updates)
    began = time.perf_counter()
    n = 0
    while n < rate * seconds:
        wait = began + n / rate - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        batch = list(itertools.islice(stream, size))
        t0 = time.perf_counter()
        for event in batch:
            sent_at[event["event_id"]] = t0
        totals["sent"].extend(e["event_id"] for e in batch)
        body = post(session, base, batch)
        post_ms.append((time.perf_counter() - t0) * 1000)
        totals["accepted"] += body["accepted"]
        totals["quarantined"] += body["quarantined"]
        n += len(batch)
    offered = n / (time.perf_counter() - began)
    _settle(watcher, totals["accepted"])
    delays = []
    for received, payload in watcher.updates[first_update:]:
        if payload["event_id"] in sent_at:
            delays.extend([(received - sent_at[payload["event_id"]]) * 1000] * payload["events"])
    delays.sort()
    post_ms.sort()
    pick = lambda xs, q: xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")  # noqa: E731
    return {"offered": offered, "events": len(delays), "p50": pick(delays, 0.5), "p99": pick(delays, 0.99),
            "max": delays[-1] if delays else float("nan"), "post_p50": pick(post_ms, 0.5),
            "post_p99": pick(post_ms, 0.99)}


def _settle(watcher: Watcher, accepted: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while watcher.covered() < accepted and time.monotonic() < deadline:
        time.sleep(0.05)


def lake_counts(lake: Lake) -> dict:
    """Lines in the event logs, accepted ids in the index, and quarantined events, read from the lake's files."""
    logs = sum(len(lake.read_lines(lake.clean_path(c, "repayment_events"))) for c in lake.customers()
               if lake.clean_path(c, "repayment_events").exists())
    index = [orjson.loads(line) for line in lake.read_lines(lake.processed_events_path)]
    quarantine = list(lake.root.glob("quarantine/*/repayment_events.ndjson"))
    return {"log_lines": logs, "index_accepted": sum(e["outcome"] == "accepted" for e in index),
            "index_ids": len({e["event_id"] for e in index}), "index_lines": len(index),
            "quarantine_lines": sum(len(lake.read_lines(p)) for p in quarantine)}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_events", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="throughput phase length (default 20)")
    parser.add_argument("--senders", type=int, default=4, help="concurrent HTTP senders (default 4)")
    parser.add_argument("--rate", type=float, default=2000.0, help="offered events/s in the latency phase")
    parser.add_argument("--latency-seconds", type=float, default=10.0)
    parser.add_argument("--latency-batch", type=int, help="events a batch in the latency phase (default: a tenth of a "
                                                          "second's worth, as python -m generators.repayments sends)")
    parser.add_argument("--extra", type=int, default=20, help="generated customers besides the demo ten")
    parser.add_argument("--replay", type=int, default=2000, help="events sent again to check idempotency")
    args = parser.parse_args([] if argv is None else argv)  # python -m bench events: the defaults
    config = load_config()
    with tempfile.TemporaryDirectory(prefix="bench_events_") as tmp:
        t0 = time.perf_counter()
        lake, loans = prepare_lake(Path(tmp) / "lake", config, args.extra)
        customers = len({loan["customer_id"] for loan in loans})
        print(f"events: {len(loans)} loans of {customers} customers prepared in {time.perf_counter() - t0:.0f} s")
        proc, base = start_server(lake.root, TOKEN)
        try:
            watcher = Watcher(base)
            stream = event_stream(loans, "B")
            totals = {"sent": [], "accepted": 0, "quarantined": 0}
            rate, accepted = throughput(base, stream, args.seconds, args.senders, totals)
            print(f"  throughput: {rate:,.0f} events/s sustained over {args.seconds:.0f} s ({accepted:,} events, "
                  f"{args.senders} senders x 1,000-event batches; target >= 2,000/s)")
            _settle(watcher, totals["accepted"])
            size = args.latency_batch or max(1, min(1000, int(args.rate // 10)))
            lat = latency(base, stream, watcher, args.rate, args.latency_seconds, size, totals)
            print(f"  latency at {lat['offered']:,.0f} events/s offered ({size}-event batches, "
                  f"{args.latency_seconds:.0f} s): event -> risk_update p50 {lat['p50']:.1f} ms, p99 {lat['p99']:.1f} "
                  f"ms, max {lat['max']:.1f} ms over {lat['events']:,} events (target p99 < 200 ms); "
                  f"POST p50 {lat['post_p50']:.1f} ms, p99 {lat['post_p99']:.1f} ms")
            sample = random.Random(3).sample(totals["sent"], min(args.replay, len(totals["sent"])))
            wanted = set(sample)
            again = [e for e in itertools.islice(event_stream(loans, "B"), len(totals["sent"]))
                     if e["event_id"] in wanted]
            replay = {"accepted": 0, "duplicates": 0}
            session = requests.Session()
            for start in range(0, len(again), 1000):
                body = post(session, base, again[start:start + 1000])
                replay["accepted"] += body["accepted"]
                replay["duplicates"] += body["duplicates"]
            _settle(watcher, totals["accepted"])
            covered = watcher.covered()
            watcher.client.disconnect()
        finally:
            proc.terminate()
            proc.wait(timeout=15)
        counts = lake_counts(lake)
    unique = len(set(totals["sent"]))
    ok = (unique == len(totals["sent"]) == totals["accepted"] == covered == counts["log_lines"]
          == counts["index_accepted"] == counts["index_ids"] == counts["index_lines"]
          and totals["quarantined"] == counts["quarantine_lines"] == 0
          and replay == {"accepted": 0, "duplicates": len(again)})
    print(f"  counts: sent {len(totals['sent']):,} ({unique:,} unique), accepted {totals['accepted']:,}, "
          f"quarantined {totals['quarantined']}; risk_update messages covered {covered:,} events; lake: "
          f"{counts['log_lines']:,} event-log lines, {counts['index_lines']:,} index lines "
          f"({counts['index_accepted']:,} accepted); replayed {len(again):,} -> {replay['duplicates']:,} duplicates, "
          f"{replay['accepted']} accepted: {'nothing lost or duplicated' if ok else 'MISMATCH'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
