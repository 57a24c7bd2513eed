"""Redis plumbing of the stream consumer: the start/stop script, entry encoding, group creation, settings."""
import subprocess
import sys

import pytest

from monitoring.stream import (
    DEFAULT_REDIS_URL,
    EVENT_FIELD,
    StreamError,
    connect,
    decode_entry,
    encode_event,
    ensure_group,
    publish_events,
    redact_url,
    resolve_redis_url,
)
from tests.conftest import PROJECT_ROOT
from tests.redis_server import redis_script, redis_server, redis_url  # noqa: F401 - pytest fixtures
from tests.served import free_port


def test_the_script_starts_reports_and_stops_a_local_redis(redis_server, tmp_path):  # noqa: F811
    port = free_port()
    assert redis_script("status", port, tmp_path).returncode == 3
    started = redis_script("start", port, tmp_path)
    assert started.returncode == 0 and f"127.0.0.1:{port}" in started.stdout
    try:
        status = redis_script("status", port, tmp_path)
        assert status.returncode == 0 and "running" in status.stdout
        assert (tmp_path / f"redis-{port}.pid").exists()
        assert connect(f"redis://127.0.0.1:{port}/0").ping()
    finally:
        stopped = redis_script("stop", port, tmp_path)
    assert stopped.returncode == 0 and not (tmp_path / f"redis-{port}.pid").exists()
    assert redis_script("status", port, tmp_path).returncode == 3
    usage = subprocess.run(["bash", str(PROJECT_ROOT / "scripts" / "redis.sh"), "restart"], capture_output=True,
                           text=True)
    assert usage.returncode == 2 and "usage" in usage.stderr


def test_entries_carry_the_event_as_json(redis_url):  # noqa: F811
    client = connect(redis_url)
    events = [{"event_id": f"E{i}", "amount_due": 1234.5, "paid_at": None} for i in range(1203)]
    ids = publish_events(client, events, "s1", chunk=500)
    assert len(ids) == len(set(ids)) == 1203 and client.xlen("s1") == 1203
    entries = client.xrange("s1", count=3)
    assert [decode_entry(fields) for _, fields in entries] == events[:3]
    assert set(entries[0][1]) == {EVENT_FIELD}


def test_a_malformed_entry_decodes_to_something_the_ingest_quarantines():
    assert decode_entry(encode_event({"event_id": "E1"})) == {"event_id": "E1"}
    not_json = decode_entry({EVENT_FIELD: "{not json"})
    assert "not JSON" in not_json["_malformed"] and "event_id" not in not_json
    assert "no 'event' field" in decode_entry({"payload": "{}"})["_malformed"]
    assert "_malformed" in decode_entry(None)


def test_the_group_is_created_once_and_sees_earlier_entries(redis_url):  # noqa: F811
    client = connect(redis_url)
    publish_events(client, [{"event_id": "before"}], "s2")
    ensure_group(client, "s2", "g")
    ensure_group(client, "s2", "g")  # BUSYGROUP is not an error
    ensure_group(client, "fresh", "g")  # MKSTREAM creates an empty stream
    assert client.exists("fresh") and [g["name"] for g in client.xinfo_groups("s2")] == ["g"]
    reply = client.xreadgroup("g", "c", {"s2": ">"}, count=10)
    assert decode_entry(reply[0][1][0][1]) == {"event_id": "before"}


def test_redis_url_settings(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert resolve_redis_url({}) == DEFAULT_REDIS_URL
    assert resolve_redis_url({"monitoring": {"redis_url": "redis://cfg:1/0"}}) == "redis://cfg:1/0"
    monkeypatch.setenv("REDIS_URL", "redis://env:2/0")
    assert resolve_redis_url({"monitoring": {"redis_url": "redis://cfg:1/0"}}) == "redis://env:2/0"
    assert resolve_redis_url({}, "redis://flag:3/0") == "redis://flag:3/0"
    assert redact_url("redis://user:s3cret@host:6380/1") == "redis://user:***@host:6380/1"
    assert redact_url("redis://host:6380/1") == "redis://host:6380/1"


def test_unreachable_redis_is_one_clear_line():
    port = free_port()  # nobody listens here
    with pytest.raises(StreamError, match=f"cannot reach Redis at redis://127.0.0.1:{port}/0"):
        connect(f"redis://127.0.0.1:{port}/0")
    result = subprocess.run([sys.executable, "-m", "pipeline", "consume", "--redis", f"redis://:pw@127.0.0.1:{port}/0"],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot reach Redis at redis://:***@127.0.0.1")
    assert "pw" not in result.stderr
