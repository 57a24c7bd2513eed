"""The Redis Streams consumer end to end: real Redis, real ingest, a consumer killed between ingest and ack.

Events are the simulator's for the monitoring lake's loans; what reached the lake is counted in the
processed-event index, the per-customer event logs and the loans' risk histories.
"""
import os
import signal
import subprocess
import sys
from collections import Counter

import orjson
import pytest

from generators.repayments import load_book, simulate_book
from monitoring.ingest import forget_monitors, ingest_events
from monitoring.stream import CRASH_HOOK_ENV, EVENT_FIELD, connect, consume, decode_entry, publish_events
from tests.conftest import PROJECT_ROOT
from tests.redis_server import redis_server, redis_url  # noqa: F401 - pytest fixtures

STREAM, GROUP = "repayments", "monitoring"


@pytest.fixture()
def events(monitoring_lake, config):
    """The simulated repayment events of the lake's open loans (about 80, several loans and customers)."""
    loans, profiles = load_book(monitoring_lake, config)
    simulated = simulate_book(loans, profiles, seed=3)
    assert len(simulated) >= 60 and len({e["loan_id"] for e in simulated}) >= 3
    return simulated


def lake_counts(lake) -> dict:
    """What the lake holds: ids in the processed index, event-log lines, events behind risk-history entries."""
    index = [orjson.loads(line)["event_id"] for line in lake.read_lines(lake.processed_events_path)] \
        if lake.processed_events_path.exists() else []
    logged = [orjson.loads(line)["event_id"] for path in (lake.root / "clean").glob("*/repayment_events.ndjson")
              for line in lake.read_lines(path)]
    scored = [eid for path in (lake.monitoring_dir / "risk").glob("*.ndjson") for line in lake.read_lines(path)
              for eid in orjson.loads(line)["event_ids"]]
    for ids in (index, logged, scored):
        assert len(ids) == len(set(ids)), Counter(ids).most_common(3)  # nothing stored twice
    return {"index": set(index), "logged": set(logged), "scored": set(scored)}


def monitoring_files(lake) -> dict:
    """Every monitoring file of the lake and its bytes (the ingest lock excluded)."""
    paths = [*lake.monitoring_dir.rglob("*"), *(lake.root / "clean").glob("*/repayment_events.ndjson"),
             *(lake.root / "quarantine").rglob("repayment_events.ndjson")]
    return {p: p.read_bytes() for p in paths if p.is_file() and p != lake.monitoring_lock_path}


def pending(client) -> int:
    return client.xpending(STREAM, GROUP)["pending"]


def run_cli(lake, url, *args, env_extra=None, timeout=300) -> subprocess.CompletedProcess:
    """``python -m pipeline consume`` on the lake, as an operator would run it."""
    env = {**{k: v for k, v in os.environ.items() if k != CRASH_HOOK_ENV}, **(env_extra or {})}
    command = [sys.executable, "-m", "pipeline", "consume", "--lake", str(lake.root), "--redis", url, *args]
    return subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def test_a_batch_is_ingested_then_acknowledged(monitoring_lake, config, redis_url, events):  # noqa: F811
    client = connect(redis_url)
    publish_events(client, events)
    updates = []
    counts = consume(monitoring_lake, config, redis_url, consumer="c1", batch=25, block_ms=50,
                     stop_after=len(events), on_update=updates.append)
    n = len(events)
    assert counts == {"read": n, "reclaimed": 0, "accepted": n, "duplicates": 0, "quarantined": 0, "acked": n}
    assert pending(client) == 0
    ids = {e["event_id"] for e in events}
    assert lake_counts(monitoring_lake) == {"index": ids, "logged": ids, "scored": ids}
    assert updates and {u["loan_id"] for u in updates} == {e["loan_id"] for e in events}
    assert all(0 <= u["pd"] <= 1 and u["band"] for u in updates)


def test_the_same_events_added_twice_change_nothing(monitoring_lake, config, redis_url, events):  # noqa: F811
    client = connect(redis_url)
    publish_events(client, events)
    first = consume(monitoring_lake, config, redis_url, consumer="c1", block_ms=50, drain=True)
    assert first["accepted"] == len(events)
    before = monitoring_files(monitoring_lake)
    publish_events(client, events)  # at-least-once: a producer retried, or the stream was replayed
    updates = []
    again = consume(monitoring_lake, config, redis_url, consumer="c2", block_ms=50, drain=True,
                    on_update=updates.append)
    assert again == {"read": len(events), "reclaimed": 0, "accepted": 0, "duplicates": len(events),
                     "quarantined": 0, "acked": len(events)}
    assert updates == [] and pending(client) == 0
    assert monitoring_files(monitoring_lake) == before
    forget_monitors()  # a new process reads the durable index: still nothing changes
    publish_events(client, events[:10])
    assert consume(monitoring_lake, config, redis_url, block_ms=50, drain=True)["duplicates"] == 10
    assert monitoring_files(monitoring_lake) == before


def test_a_consumer_killed_between_ingest_and_ack_loses_and_duplicates_nothing(monitoring_lake, events,
                                                                                redis_url):  # noqa: F811
    client = connect(redis_url)
    publish_events(client, events)
    n, batch = len(events), 20
    crashed = run_cli(monitoring_lake, redis_url, "--consumer", "c1", "--batch", str(batch), "--block-ms", "50",
                      "--stop-after", str(n), env_extra={CRASH_HOOK_ENV: "2"})
    assert crashed.returncode == 1 and "consumed" not in crashed.stdout, crashed.stdout + crashed.stderr
    # the first batch was acknowledged; the second was ingested but its acknowledgement never happened
    held = client.xpending(STREAM, GROUP)
    assert held["pending"] == batch and held["consumers"] == [{"name": "c1", "pending": batch}]
    assert len(lake_counts(monitoring_lake)["index"]) == 2 * batch
    restarted = run_cli(monitoring_lake, redis_url, "--consumer", "c1", "--batch", str(batch), "--block-ms", "50",
                        "--stop-after", str(n - batch), "--drain")
    assert restarted.returncode == 0, restarted.stdout + restarted.stderr
    summary = restarted.stdout.strip().splitlines()[-1]
    assert summary == (f"consumed {n - batch} read, {batch} reclaimed, {n - 2 * batch} accepted, {batch} duplicates, "
                       f"0 quarantined, {n - batch} acked")
    assert pending(client) == 0
    ids = {e["event_id"] for e in events}
    assert lake_counts(monitoring_lake) == {"index": ids, "logged": ids, "scored": ids}


def test_entries_of_a_dead_consumer_are_claimed_by_another(monitoring_lake, config, redis_url, events):  # noqa: F811
    client = connect(redis_url)
    publish_events(client, events)
    consume(monitoring_lake, config, redis_url, consumer="c0", batch=10, stop_after=10, block_ms=50)
    # "c1" reads a batch and ingests it, then dies before XACK (and never comes back)
    reply = client.xreadgroup(GROUP, "c1", {STREAM: ">"}, count=15)
    held = reply[0][1]
    ingest_events(monitoring_lake, [decode_entry(fields) for _, fields in held], config)
    assert client.xpending(STREAM, GROUP)["consumers"] == [{"name": "c1", "pending": 15}]
    counts = consume(monitoring_lake, config, redis_url, consumer="c2", batch=50, block_ms=50, drain=True,
                     claim_idle_ms=0)
    assert counts["reclaimed"] == 15 and counts["duplicates"] == 15
    assert counts["read"] == len(events) - 10 and counts["acked"] == counts["read"]
    assert pending(client) == 0
    ids = {e["event_id"] for e in events}
    assert lake_counts(monitoring_lake) == {"index": ids, "logged": ids, "scored": ids}


def test_malformed_entries_are_quarantined_and_acknowledged(monitoring_lake, config, redis_url, events):  # noqa: F811
    client = connect(redis_url)
    good, invalid = events[0], {**events[1], "status": "LOST"}
    client.xadd(STREAM, {EVENT_FIELD: "{not json"})
    client.xadd(STREAM, {"payload": "{}"})
    publish_events(client, [invalid, good, 42])
    counts = consume(monitoring_lake, config, redis_url, block_ms=50, drain=True)
    assert counts == {"read": 5, "reclaimed": 0, "accepted": 1, "duplicates": 0, "quarantined": 4, "acked": 5}
    assert pending(client) == 0
    quarantine = [orjson.loads(line) for path in (monitoring_lake.root / "quarantine").rglob("repayment_events.ndjson")
                  for line in monitoring_lake.read_lines(path)]
    codes = sorted(r["code"] for entry in quarantine for r in entry["reasons"])
    assert codes == ["malformed_json", "malformed_json", "not_an_object", "status:enum"]


def test_sigterm_stops_after_the_batch_in_hand(monitoring_lake, config, redis_url, events):  # noqa: F811
    client = connect(redis_url)
    publish_events(client, events)
    previous = signal.getsignal(signal.SIGTERM)

    def terminate_once(counts, result):
        if counts["read"] == 10:
            os.kill(os.getpid(), signal.SIGTERM)  # delivered while the consumer is between batches

    counts = consume(monitoring_lake, config, redis_url, consumer="c1", batch=10, block_ms=50, on_batch=terminate_once)
    assert counts["read"] == counts["acked"] == counts["accepted"] == 10
    assert pending(client) == 0 and signal.getsignal(signal.SIGTERM) is previous
    rest = consume(monitoring_lake, config, redis_url, consumer="c1", block_ms=50, drain=True)
    assert rest["accepted"] == len(events) - 10


def test_the_cli_consumer_exits_cleanly_on_sigterm(monitoring_lake, redis_url, events):  # noqa: F811
    publish_events(connect(redis_url), events[:5])
    command = [sys.executable, "-m", "pipeline", "consume", "--lake", str(monitoring_lake.root), "--redis", redis_url,
               "--consumer", "cli", "--block-ms", "100"]
    env = {k: v for k, v in os.environ.items() if k != CRASH_HOOK_ENV}
    proc = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        first = proc.stdout.readline()  # printed once the group exists and the handlers are in place
        assert first.startswith("consuming 'repayments' as cli of group 'monitoring'"), first + proc.stderr.read()
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert out.strip().splitlines()[-1].startswith("consumed ")
