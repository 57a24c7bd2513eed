"""Live risk from the Redis stream to a browser's socket: the real server, started with Redis configured, runs
the stream consumer beside it; updates the consumer publishes reach analysts watching the portfolio through
Socket.IO's Redis message queue. Only borrowers consenting to monitoring (purpose 104) are ever pushed."""
import threading
import time

import pytest
import requests
import socketio

from api_panel.front import nginx_path
from monitoring.stream import connect, publish_events
from tests.monitoring.conftest import NOT_MONITORED
from tests.monitoring.factory import auth, on_time, repayment
from tests.redis_server import redis_server, redis_url  # noqa: F401 - pytest fixtures
from tests.served import start_server, stop_server

TOKEN = "live-over-redis-analyst"


def test_http_ingestion_never_pushes_a_borrower_without_a_monitoring_consent(client, tokens, socket_client, loans):
    analyst = socket_client("analyst")
    assert analyst.emit("join_portfolio", {}, callback=True)["ok"] is True
    analyst.get_received()
    other = next(x for x in loans.values() if x["customer_id"] == NOT_MONITORED)
    body = client.post("/api/events/repayments", json=on_time(other, range(2)),
                       headers=auth(tokens["analyst"])).get_json()
    assert body["accepted"] == 2 and body["updated_loans"] == 1  # scored and stored ...
    assert [m for m in analyst.get_received() if m["name"] == "risk_update"] == []  # ... but never pushed


@pytest.fixture()
def server_with_redis(monitoring_lake, redis_url):  # noqa: F811 - pytest fixture
    if nginx_path() is None:
        pytest.fail("nginx is not installed: `make test` installs it")
    connect(redis_url).delete("repayments")  # a stream of our own: no entries left by other tests
    proc, base = start_server(monitoring_lake.root, {"API_TOKENS": f"analyst:{TOKEN}", "REDIS_URL": redis_url})
    yield base
    stop_server(proc)
    connect(redis_url).delete("repayments")


def test_updates_from_the_stream_consumer_reach_a_watching_analyst(server_with_redis, redis_url, monitoring_lake,  # noqa: F811
                                                                   active_loan, loans):
    updates, arrived = [], threading.Event()
    client = socketio.Client()

    @client.on("risk_update")
    def on_update(data):
        updates.append(data)
        if data["loan_id"] == active_loan["loan_id"]:
            arrived.set()

    client.connect(server_with_redis, auth={"token": TOKEN})
    assert client.call("join_portfolio", {}, timeout=10)["ok"] is True
    other = next(x for x in loans.values() if x["customer_id"] == NOT_MONITORED)
    late = [repayment(active_loan, k, "LATE", delay=20) for k in range(3)]
    published = publish_events(connect(redis_url), [*on_time(other, range(2)), *late])
    assert published
    assert arrived.wait(60), "no risk_update arrived from the consumer"
    time.sleep(1.0)  # the unmonitored borrower's update would have been published in the same batch
    client.disconnect()
    assert {u["loan_id"] for u in updates} == {active_loan["loan_id"]}
    assert updates[-1]["event_id"] == late[-1]["event_id"] and updates[-1]["customer_id"] == active_loan["customer_id"]
    history = requests.get(f"{server_with_redis}/api/loans/{active_loan['loan_id']}/risk-history",
                           headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10).json()
    assert late[-1]["event_id"] in str(history)
