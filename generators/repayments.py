"""Simulated repayment events for the loan book: ``python -m generators.repayments --rate N --duration S``.

Each loan's EMI schedule is walked in due-date order. What happens at each
instalment follows the borrower's profile (:data:`BEHAVIOURS`, data rather than
branches): a stable-income borrower pays on time; declining and high-debt
borrowers pay on time for a few instalments and then start paying late, partly,
or have their mandate bounce, more often as the loan ages; a fraud profile is
erratic. A bounced mandate is presented again a few days later and is either
paid late or bounces again; the rest of a part payment is
usually paid later (a LATE event for the remainder).

Everything is deterministic: the draws for an instalment come from a stable
hash of the loan id, the instalment number and ``--seed``, and the event ids
from the same, so re-running the simulator replays the same events (which the
ingest recognises by ``event_id`` and ignores). Event times (``paid_at``,
``ts``) are simulated business time, in IST.

Events go to ``POST /api/events/repayments`` (batches of up to 1,000, with an
analyst token), to a Redis stream (``XADD``, the event as JSON in the
``event`` field), or to stdout as NDJSON (``--target -``), at ``--rate``
events a second for ``--duration`` seconds, or until the schedules run out.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import islice
from typing import Any

import orjson

from generators.seeding import stable_seed

STATUSES = ("PAID", "LATE", "PARTIAL", "BOUNCED")
MAX_HTTP_BATCH = 1000
IST = "+05:30"
DEFAULT_TARGET = "http://127.0.0.1:5000"


@dataclass(frozen=True)
class RepaymentBehaviour:
    """How a borrower repays: chances per instalment once trouble has started, and how trouble grows.

    ``late``, ``partial`` and ``bounced`` are the chances of each outcome per
    instalment (the rest is PAID on time); before ``healthy_instalments`` have
    passed they are scaled by ``early_scale``; after, each instalment adds
    ``drift`` (shared out in proportion) up to ``max_trouble``.
    """

    late: float = 0.04
    partial: float = 0.01
    bounced: float = 0.01
    healthy_instalments: int = 0
    early_scale: float = 1.0
    drift: float = 0.0
    max_trouble: float = 0.9
    late_days: tuple[int, int] = (1, 6)
    partial_share: tuple[float, float] = (0.5, 0.9)
    represent_days: tuple[int, int] = (3, 7)   # a bounce is presented again (the rest of a part payment comes) later
    cure: float = 0.85                          # chance that second event pays (else: bounces again / rest unpaid)

    def chances(self, instalment: int) -> tuple[float, float, float]:
        """(late, partial, bounced) chances at the 0-based ``instalment``."""
        base = (self.late, self.partial, self.bounced)
        total = sum(base) or 1.0
        if instalment < self.healthy_instalments:
            return tuple(p * self.early_scale for p in base)
        grown = min(self.max_trouble, total + self.drift * (instalment - self.healthy_instalments))
        return tuple(p * grown / total for p in base)


BASELINE_BEHAVIOUR = RepaymentBehaviour()
BEHAVIOURS: dict[str, RepaymentBehaviour] = {
    "baseline": BASELINE_BEHAVIOUR,
    "stable_income": RepaymentBehaviour(late=0.02, partial=0.0, bounced=0.0, late_days=(1, 3)),
    "high_growth": RepaymentBehaviour(late=0.05, partial=0.01, bounced=0.01),
    "high_seasonality": RepaymentBehaviour(late=0.08, partial=0.03, bounced=0.02, late_days=(2, 15)),
    "customer_concentration": RepaymentBehaviour(late=0.07, partial=0.02, bounced=0.02, late_days=(3, 20)),
    "declining": RepaymentBehaviour(late=0.3, partial=0.2, bounced=0.15, healthy_instalments=2, early_scale=0.1,
                                    drift=0.04, late_days=(5, 45), partial_share=(0.3, 0.8), cure=0.6),
    "high_debt": RepaymentBehaviour(late=0.35, partial=0.2, bounced=0.25, healthy_instalments=1, early_scale=0.1,
                                    drift=0.03, late_days=(3, 40), partial_share=(0.4, 0.85), cure=0.55),
    "fraud": RepaymentBehaviour(late=0.2, partial=0.15, bounced=0.25, late_days=(1, 75),
                                partial_share=(0.05, 0.95), represent_days=(1, 20), cure=0.4),
}


class SimulatorError(Exception):
    """The loan book is empty or a target refused the events; the message says which."""


def behaviour_for(profile: str | None) -> RepaymentBehaviour:
    """The repayment behaviour of a profile (the baseline one for an unknown or missing profile)."""
    return BEHAVIOURS.get(profile or "", BASELINE_BEHAVIOUR)


def _event_id(seed: int, loan_id: str, instalment: int, attempt: int) -> str:
    digest = hashlib.sha256(f"{seed}:{loan_id}:{instalment}:{attempt}".encode()).hexdigest()
    return f"RPY_{digest[:24].upper()}"


def _at(day: date, rng: random.Random) -> str:
    """An IST timestamp during banking hours of ``day``."""
    return f"{day.isoformat()}T{rng.randint(9, 18):02d}:{rng.randint(0, 59):02d}:00{IST}"


def _money(value: float) -> float:
    return round(float(value), 2)


def simulate_loan(loan: dict[str, Any], behaviour: RepaymentBehaviour, seed: int = 0) -> list[dict[str, Any]]:
    """Every repayment event of one loan's schedule, in time order (pure: no I/O, no clock)."""
    events = []
    loan_id, customer_id = loan["loan_id"], loan["customer_id"]
    for k, item in enumerate(loan.get("schedule") or []):
        due = date.fromisoformat(str(item["due_date"])[:10])
        amount_due = _money(item["amount"])
        rng = random.Random(f"{seed}:{stable_seed(loan_id)}:{k}")
        late, partial, bounced = behaviour.chances(k)
        draw = rng.random()
        base = {"loan_id": loan_id, "customer_id": customer_id, "due_date": due.isoformat(),
                "amount_due": amount_due, "channel": "ENACH"}
        if draw < bounced:
            presented = _at(due, rng)
            events.append({**base, "event_id": _event_id(seed, loan_id, k, 0), "paid_at": None, "amount_paid": 0.0,
                           "status": "BOUNCED", "ts": presented})
            again = due + timedelta(days=rng.randint(*behaviour.represent_days))
            paid = rng.random() < behaviour.cure
            when = _at(again, rng)
            events.append({**base, "event_id": _event_id(seed, loan_id, k, 1), "paid_at": when if paid else None,
                           "amount_paid": amount_due if paid else 0.0, "status": "LATE" if paid else "BOUNCED",
                           "channel": "UPI" if paid else "ENACH", "ts": when})
            continue
        if draw < bounced + partial:
            day = due + timedelta(days=rng.randint(0, behaviour.late_days[0]))
            part = _money(amount_due * rng.uniform(*behaviour.partial_share))
            when = _at(day, rng)
            events.append({**base, "event_id": _event_id(seed, loan_id, k, 0), "paid_at": when, "amount_paid": part,
                           "status": "PARTIAL", "channel": rng.choice(("UPI", "NEFT")), "ts": when})
            if rng.random() < behaviour.cure:  # the rest follows later; the instalment is then paid in full, LATE
                when = _at(day + timedelta(days=rng.randint(*behaviour.represent_days)), rng)
                events.append({**base, "event_id": _event_id(seed, loan_id, k, 1), "paid_at": when,
                               "amount_paid": _money(amount_due - part), "status": "LATE", "channel": "UPI",
                               "ts": when})
            continue
        if draw < bounced + partial + late:
            status, day = "LATE", due + timedelta(days=rng.randint(*behaviour.late_days))
        else:
            status, day = "PAID", due
        when = _at(day, rng)
        channel = "ENACH" if status == "PAID" else rng.choice(("UPI", "NEFT", "ENACH"))
        events.append({**base, "event_id": _event_id(seed, loan_id, k, 0), "paid_at": when,
                       "amount_paid": amount_due, "status": status, "channel": channel, "ts": when})
    events.sort(key=lambda e: (e["ts"], e["event_id"]))  # a late payment can land after the next due date
    return events


def simulate_book(loans: Iterable[dict[str, Any]], profiles: dict[str, str | None], seed: int = 0,
                  include_closed: bool = False) -> list[dict[str, Any]]:
    """The events of every loan, merged in event-time order (ties by loan id).

    ``profiles`` maps customer id to profile name; closed loans are skipped
    unless ``include_closed``, since nothing more is repaid on them.
    """
    events: list[dict[str, Any]] = []
    for loan in loans:
        if not include_closed and str(loan.get("status", "")).upper() == "CLOSED":
            continue
        events.extend(simulate_loan(loan, behaviour_for(profiles.get(loan["customer_id"])), seed))
    events.sort(key=lambda e: (e["ts"], e["loan_id"], e["event_id"]))
    return events


def load_book(lake, config: dict[str, Any]) -> tuple[list[dict], dict[str, str | None]]:
    """The lake's loans and each borrower's profile (from the customer record, else ``demo_customers``)."""
    from monitoring.loans import load_loans
    from pipeline.customers import customer_summary

    loans = load_loans(lake, config=config)
    profiles = {}
    for customer_id in sorted({loan["customer_id"] for loan in loans}):
        profiles[customer_id] = (customer_summary(lake, customer_id).get("profile")
                                 or (config.get("demo_customers") or {}).get(customer_id))
    return loans, profiles


# ---- targets ---------------------------------------------------------------------------------------
class HttpTarget:
    """``POST /api/events/repayments`` with a bearer token; ``client`` may be Flask's test client."""

    path = "/api/events/repayments"

    def __init__(self, base_url: str, token: str | None, client=None):
        import httpx

        self.url = base_url.rstrip("/") + self.path
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.client = client or httpx.Client(timeout=60)
        self.path_only = client is not None  # a test client is addressed by path
        self.counts = {"accepted": 0, "duplicates": 0, "quarantined": 0}

    def send(self, events: list[dict]) -> None:
        """Post one batch; raise :class:`SimulatorError` on a non-2xx answer."""
        response = self.client.post(self.path if self.path_only else self.url, json={"events": events},
                                    headers=self.headers)
        body = response.get_json() if hasattr(response, "get_json") else _json_or_none(response)
        if not 200 <= response.status_code < 300:
            message = (body or {}).get("message") if isinstance(body, dict) else None
            raise SimulatorError(f"{self.url} answered {response.status_code}: {message or 'no message'}")
        if isinstance(body, dict):
            self.counts["accepted"] += int(body.get("accepted") or 0)
            self.counts["duplicates"] += int(body.get("duplicates") or 0)
            quarantined = body.get("quarantined") or 0
            self.counts["quarantined"] += len(quarantined) if isinstance(quarantined, list) else int(quarantined)


def _json_or_none(response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


class RedisTarget:
    """``XADD`` to a stream, pipelined per batch, through :func:`monitoring.stream.publish_events`."""

    def __init__(self, redis_url: str, stream: str, client=None):
        from monitoring.stream import connect

        self.stream, self.client = stream, client or connect(redis_url)
        self.counts: dict[str, int] = {}

    def send(self, events: list[dict]) -> None:
        """Add one batch to the stream."""
        from monitoring.stream import publish_events

        publish_events(self.client, events, self.stream)


class StdoutTarget:
    """NDJSON on stdout, for inspection or piping."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def send(self, events: list[dict]) -> None:
        """Write one batch."""
        sys.stdout.buffer.write(b"".join(orjson.dumps(e) + b"\n" for e in events))
        sys.stdout.flush()


def emit(events: Iterable[dict], send: Callable[[list[dict]], None], rate: float, duration: float,
         clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
         max_batch: int = MAX_HTTP_BATCH) -> int:
    """Send up to ``rate * duration`` events at ``rate`` a second, in batches; return how many were sent.

    Batches are a tenth of a second's worth (at least one event, at most
    ``max_batch``); event ``i`` is not sent before ``i / rate`` seconds.
    """
    if rate <= 0 or duration <= 0:
        raise ValueError("--rate and --duration must be positive")
    limit = int(rate * duration)
    size = max(1, min(max_batch, int(rate // 10)))
    start, sent = clock(), 0
    source: Iterator[dict] = iter(events)
    while sent < limit:
        chunk = list(islice(source, min(size, limit - sent)))
        if not chunk:
            break
        wait = start + sent / rate - clock()
        if wait > 0:
            sleep(wait)
        send(chunk)
        sent += len(chunk)
    return sent


def make_target(target: str, token: str | None, stream: str):
    """The target object for a ``--target`` value: ``http(s)://``, ``redis(s)://`` or ``-``."""
    if target == "-":
        return StdoutTarget()
    if target.startswith(("redis://", "rediss://", "unix://")):
        return RedisTarget(target, stream)
    if target.startswith(("http://", "https://")):
        return HttpTarget(target, token)
    raise SimulatorError(f"unknown target {target!r}: use http://HOST:PORT, redis://HOST:PORT/DB or -")


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, simulate the lake's loan book and send the events; errors are one line on stderr."""
    from pipeline.config import ConfigError, load_config
    from pipeline.lake import Lake, LakeError

    parser = argparse.ArgumentParser(prog="python -m generators.repayments", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=10.0, help="events per second (default 10)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds to run (default 10)")
    parser.add_argument("--target", help="http://HOST:PORT (default: monitoring.simulator_target or "
                                         f"{DEFAULT_TARGET}), redis://HOST:PORT/DB, or - for NDJSON on stdout")
    parser.add_argument("--token", default=os.environ.get("API_TOKEN"),
                        help="analyst API token for an HTTP target (default: $API_TOKEN)")
    parser.add_argument("--stream", default="repayments", help="Redis stream name (default repayments)")
    parser.add_argument("--lake", help="lake root (default: config.json lake_root, or $LAKE_DIR)")
    parser.add_argument("--seed", type=int, default=0, help="simulation seed (default 0; same seed, same events)")
    parser.add_argument("--include-closed", action="store_true", help="replay closed loans' schedules too")
    args = parser.parse_args(argv)
    try:
        config = load_config({"lake_root": args.lake})
        target_url = args.target or (config.get("monitoring") or {}).get("simulator_target") or DEFAULT_TARGET
        if target_url.startswith("http") and not args.token:
            raise SimulatorError("an HTTP target needs an analyst token: --token T or $API_TOKEN")
        loans, profiles = load_book(Lake(config["lake_root"]), config)
        events = simulate_book(loans, profiles, args.seed, include_closed=args.include_closed)
        if not events:
            raise SimulatorError(f"no open loans with a schedule in {config['lake_root']}: build the loan book first")
        target = make_target(target_url, args.token, args.stream)
        began = time.monotonic()
        sent = emit(events, target.send, args.rate, args.duration)
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        known = isinstance(exc, (SimulatorError, ConfigError, LakeError, ValueError, OSError)) \
            or type(exc).__name__ == "StreamError"
        print(f"error: {exc}" if known else f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    from monitoring.stream import redact_url

    elapsed = max(time.monotonic() - began, 1e-9)
    counts = "".join(f", {k} {v}" for k, v in target.counts.items())
    where = "stdout" if target_url == "-" else redact_url(target_url) + (
        f" stream {args.stream}" if isinstance(target, RedisTarget) else "")
    customers = len({e["customer_id"] for e in events[:sent]})
    note = "" if sent == int(args.rate * args.duration) else f"; the schedules ran out at {len(events)} events"
    print(f"sent {sent} repayment events for {customers} customers to {where} in {elapsed:.1f} s "
          f"({sent / elapsed:.0f}/s){counts}{note}", file=sys.stderr if target_url == "-" else sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
