"""The simulator against real targets: the app's HTTP endpoint (test client and a real HTTP server) and Redis."""
import os
import subprocess
import sys
import threading

import orjson
import pytest
from werkzeug.serving import make_server

from generators.repayments import HttpTarget, emit, load_book, simulate_book
from monitoring.stream import connect, consume
from tests.conftest import PROJECT_ROOT
from tests.monitoring.test_stream import lake_counts
from tests.redis_server import redis_server, redis_url  # noqa: F401 - pytest fixtures

SEED = 5


@pytest.fixture()
def book_events(monitoring_lake, config):
    loans, profiles = load_book(monitoring_lake, config)
    return simulate_book(loans, profiles, seed=SEED)


def simulator(lake, *args) -> subprocess.CompletedProcess:
    """``python -m generators.repayments`` on the lake."""
    command = [sys.executable, "-m", "generators.repayments", "--lake", str(lake.root), "--seed", str(SEED), *args]
    env = {k: v for k, v in os.environ.items() if k != "API_TOKEN"}
    return subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300)


class VirtualClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def test_batches_posted_to_the_app_are_ingested_once(monitoring_lake, client, tokens, book_events):
    target = HttpTarget("http://localhost", tokens["analyst"], client=client)
    clock = VirtualClock()
    sent = emit(book_events, target.send, rate=300, duration=10, clock=clock, sleep=clock.sleep)
    n = len(book_events)
    assert sent == n and target.counts == {"accepted": n, "duplicates": 0, "quarantined": 0}
    ids = {e["event_id"] for e in book_events}
    assert lake_counts(monitoring_lake) == {"index": ids, "logged": ids, "scored": ids}
    emit(book_events, target.send, rate=300, duration=10, clock=clock, sleep=clock.sleep)  # the same run again
    assert target.counts == {"accepted": n, "duplicates": n, "quarantined": 0}
    assert lake_counts(monitoring_lake)["index"] == ids


def test_an_officer_token_is_refused(client, tokens, book_events):
    from generators.repayments import SimulatorError

    with pytest.raises(SimulatorError, match="answered 403"):
        HttpTarget("http://localhost", tokens["officer"], client=client).send(book_events[:3])


def test_the_cli_posts_to_a_real_http_server(monitoring_lake, app, tokens, book_events):
    server = make_server("127.0.0.1", 0, app, threaded=True)  # listening from here on; requests wait in the backlog
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        result = simulator(monitoring_lake, "--rate", "2000", "--duration", "5", "--token", tokens["analyst"],
                           "--target", f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join()
    n = len(book_events)
    assert result.returncode == 0, result.stderr
    line, customers = result.stdout.strip(), len({e["customer_id"] for e in book_events})
    assert line.startswith(f"sent {n} repayment events for {customers} customers to http://127.0.0.1:")
    assert line.endswith(f"/s), accepted {n}, duplicates 0, quarantined 0; the schedules ran out at {n} events")
    ids = {e["event_id"] for e in book_events}
    assert lake_counts(monitoring_lake) == {"index": ids, "logged": ids, "scored": ids}


def test_the_cli_adds_to_a_redis_stream_and_a_rerun_is_a_replay(monitoring_lake, config, book_events,
                                                                 redis_url):  # noqa: F811
    n = len(book_events)
    first = simulator(monitoring_lake, "--rate", "1000", "--duration", "1", "--target", redis_url)
    assert first.returncode == 0, first.stderr
    customers = len({e["customer_id"] for e in book_events})
    assert first.stdout.startswith(f"sent {n} repayment events for {customers} customers to {redis_url} stream "
                                   f"repayments")
    client = connect(redis_url)
    assert client.xlen("repayments") == n
    assert consume(monitoring_lake, config, redis_url, block_ms=50, drain=True)["accepted"] == n
    assert simulator(monitoring_lake, "--rate", "1000", "--duration", "1", "--target", redis_url).returncode == 0
    again = consume(monitoring_lake, config, redis_url, block_ms=50, drain=True)
    assert (again["read"], again["accepted"], again["duplicates"]) == (n, 0, n)
    ids = {e["event_id"] for e in book_events}
    assert lake_counts(monitoring_lake) == {"index": ids, "logged": ids, "scored": ids}


def test_the_cli_prints_ndjson_and_stops_at_rate_times_duration(monitoring_lake, book_events):
    result = simulator(monitoring_lake, "--rate", "1000", "--duration", "0.02", "--target", "-")
    assert result.returncode == 0, result.stderr
    assert [orjson.loads(line) for line in result.stdout.splitlines()] == book_events[:20]
    customers = len({e["customer_id"] for e in book_events[:20]})
    assert result.stderr.startswith(f"sent 20 repayment events for {customers} customers to stdout")


def test_the_cli_says_what_is_wrong_in_one_line(monitoring_lake, tmp_path):
    no_token = simulator(monitoring_lake, "--target", "http://127.0.0.1:9")
    assert no_token.returncode == 1 and no_token.stderr.strip() == \
        "error: an HTTP target needs an analyst token: --token T or $API_TOKEN"
    refused = simulator(monitoring_lake, "--target", "http://127.0.0.1:9", "--token", "t")
    assert refused.returncode == 1 and len(refused.stderr.strip().splitlines()) == 1
    assert refused.stderr.startswith("error: ConnectError")
    unreachable = simulator(monitoring_lake, "--target", "redis://:secret@127.0.0.1:9/0")
    assert unreachable.returncode == 1 and unreachable.stderr.startswith("error: cannot reach Redis at redis://:***@")
    empty = subprocess.run([sys.executable, "-m", "generators.repayments", "--lake", str(tmp_path / "empty"),
                            "--target", "-"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert empty.returncode == 1 and "no open loans" in empty.stderr
