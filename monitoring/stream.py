"""Repayment events from a Redis Stream, with a consumer group and explicit acknowledgement.

Producers ``XADD`` one entry per event with the event as JSON in the ``event``
field (:func:`publish_events`). :func:`consume` reads them as one consumer of a
group and acknowledges an entry only after :func:`monitoring.ingest.ingest_events`
has stored it, so delivery is at-least-once:

* a consumer that dies between reading and ``XACK`` leaves its entries pending
  in the group; the same consumer re-reads them first when it restarts
  (``XREADGROUP`` from id ``0``), and any consumer takes over the entries of a
  consumer that has been silent longer than ``claim_idle_ms`` (``XAUTOCLAIM``);
* a re-delivered event changes nothing, because ingestion is idempotent by
  ``event_id`` (a durable processed-id index in the lake);
* an entry that is not JSON, or not a valid event, is quarantined by the ingest
  with its reasons and acknowledged: it would fail the same way on every retry.

The consumer stops cleanly on SIGTERM or SIGINT: the batch in hand is ingested
and acknowledged before it returns.
"""
from __future__ import annotations

import os
import signal
import socket
import threading
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import orjson

from pipeline.consents import MONITORING_PURPOSE, ConsentRegistry

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
DEFAULT_STREAM = "repayments"
DEFAULT_GROUP = "monitoring"
EVENT_FIELD = "event"
SOCKETIO_CHANNEL = "msme-socketio"  # the Redis pub/sub channel Socket.IO emits travel on between processes
PORTFOLIO_ROOM = "portfolio"  # the Socket.IO room of analysts watching the portfolio
RISK_UPDATE = "risk_update"  # the Socket.IO event of one re-scored loan
DEFAULT_CLAIM_IDLE_MS = 60_000
CRASH_HOOK_ENV = "MONITORING_CRASH_AFTER_INGEST"  # tests only: exit hard after the N-th ingest, before XACK


class StreamError(Exception):
    """Redis cannot be reached or refused a stream command; the message says which and where."""


def redact_url(url: str) -> str:
    """The Redis URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def configured_redis_url(config: dict[str, Any]) -> str | None:
    """The Redis URL when the deployment configured one (``$REDIS_URL`` or ``monitoring.redis_url``), else None:
    without it the product runs embedded, with HTTP ingestion alone and no broker."""
    return os.environ.get("REDIS_URL") or (config.get("monitoring") or {}).get("redis_url") or None


def resolve_redis_url(config: dict[str, Any], explicit: str | None = None) -> str:
    """The Redis URL to use: ``explicit``, else ``$REDIS_URL``, else ``monitoring.redis_url``, else the default."""
    return (explicit or os.environ.get("REDIS_URL")
            or (config.get("monitoring") or {}).get("redis_url") or DEFAULT_REDIS_URL)


def connect(redis_url: str):
    """A connected client (responses decoded to str); :class:`StreamError` when Redis does not answer."""
    import redis

    try:
        client = redis.Redis.from_url(redis_url, decode_responses=True, socket_connect_timeout=5,
                                      health_check_interval=30)
        client.ping()
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, ValueError) as exc:
        raise StreamError(f"cannot reach Redis at {redact_url(redis_url)}: {exc}") from None
    except redis.exceptions.ResponseError as exc:  # e.g. NOAUTH
        raise StreamError(f"Redis at {redact_url(redis_url)} refused the connection: {exc}") from None
    return client


def encode_event(event: dict[str, Any]) -> dict[str, str]:
    """The fields of one stream entry carrying ``event``."""
    return {EVENT_FIELD: orjson.dumps(event).decode()}


def publish_events(client, events: Iterable[dict[str, Any]], stream: str = DEFAULT_STREAM,
                   chunk: int = 500) -> list[str]:
    """``XADD`` each event as one entry (pipelined ``chunk`` at a time); return the entry ids.

    The stream is not trimmed: trimming could drop entries no consumer has
    acknowledged yet. Trim acknowledged history with ``XTRIM`` from operations.
    """
    ids: list[str] = []
    pipe = client.pipeline(transaction=False)
    pending = 0
    for event in events:
        pipe.xadd(stream, encode_event(event))
        pending += 1
        if pending >= chunk:
            ids.extend(pipe.execute())
            pending = 0
    if pending:
        ids.extend(pipe.execute())
    return ids


def decode_entry(fields: dict[str, str] | None) -> Any:
    """The event carried by one entry's fields.

    A payload that is not JSON comes back as ``{"_malformed": reason, "raw": text}``,
    which is no valid event, so the ingest quarantines it with its reasons.
    """
    if not fields or EVENT_FIELD not in fields:
        shown = sorted(fields or {})[:5]
        return {"_malformed": f"stream entry has no {EVENT_FIELD!r} field (fields: {shown})"}
    raw = fields[EVENT_FIELD]
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        return {"_malformed": f"payload is not JSON: {exc}", "raw": raw[:1000]}


def ensure_group(client, stream: str, group: str) -> None:
    """Create the consumer group (and the stream) unless it exists.

    The group starts at id ``0``, so events added before any consumer ran are
    delivered too.
    """
    import redis

    try:
        client.xgroup_create(stream, group, id="0", mkstream=True)
    except redis.exceptions.ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


class _StopFlag:
    """Set by SIGTERM/SIGINT; the loop checks it between batches."""

    def __init__(self) -> None:
        self.stopped = False
        self._previous: dict[int, Any] = {}

    def install(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return  # signal handlers can only be set from the main thread; the caller stops us another way
        for signum in (signal.SIGTERM, signal.SIGINT):
            self._previous[signum] = signal.signal(signum, self._handle)

    def _handle(self, signum, frame) -> None:  # noqa: ARG002 - signal handler signature
        self.stopped = True

    def restore(self) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous.clear()


class _Consumer:
    """One consumer's state: the client, the group, the counts and the batch handler."""

    def __init__(self, client, lake, config, stream, group, name, on_update, on_batch):
        from monitoring.ingest import ingest_events

        self.client, self.lake, self.config = client, lake, config
        self.stream, self.group, self.name = stream, group, name
        self.on_update, self.on_batch = on_update, on_batch
        self.ingest = ingest_events
        self.counts = {"read": 0, "reclaimed": 0, "accepted": 0, "duplicates": 0, "quarantined": 0, "acked": 0}
        self.batches = 0
        self.crash_after = int(os.environ.get(CRASH_HOOK_ENV) or 0)

    def handle(self, entries: list[tuple[str, dict | None]], reclaimed: bool = False) -> None:
        """Ingest a batch of entries, then acknowledge them (never the other way round)."""
        if not entries:
            return
        ids = [entry_id for entry_id, _ in entries]
        live = [(entry_id, fields) for entry_id, fields in entries if fields is not None]
        # a pending entry whose body was trimmed away comes back without fields: nothing to ingest, only to ack
        events = [decode_entry(fields) for _, fields in live]
        result = self.ingest(self.lake, events, self.config, on_update=self.on_update) if events else {}
        self.batches += 1
        if self.crash_after and self.batches >= self.crash_after:
            os._exit(1)  # test hook: die after ingesting, before acknowledging
        acked = self.client.xack(self.stream, self.group, *ids)
        self.counts["read"] += len(entries)
        if reclaimed:
            self.counts["reclaimed"] += len(entries)
        self.counts["accepted"] += int(result.get("accepted", 0))
        self.counts["duplicates"] += int(result.get("duplicates", 0))
        self.counts["quarantined"] += len(result.get("quarantined") or [])
        self.counts["acked"] += int(acked)
        if self.on_batch:
            self.on_batch(dict(self.counts), result)

    def read(self, start: str, count: int, block_ms: int | None) -> list[tuple[str, dict | None]]:
        """``XREADGROUP`` from ``start`` (``0`` = this consumer's pending entries, ``>`` = new ones)."""
        reply = self.client.xreadgroup(self.group, self.name, {self.stream: start}, count=count, block=block_ms)
        if not reply:
            return []
        if isinstance(reply, dict):  # RESP3 replies are keyed by stream
            return list(reply.get(self.stream, [[]])[0])
        return list(reply[0][1])

    def autoclaim(self, min_idle_ms: int, count: int) -> list[tuple[str, dict | None]]:
        """Take over entries another consumer received but has not acknowledged for ``min_idle_ms``."""
        claimed: list[tuple[str, dict | None]] = []
        start = "0-0"
        while len(claimed) < count:
            reply = self.client.xautoclaim(self.stream, self.group, self.name, min_idle_ms, start_id=start,
                                           count=count - len(claimed))
            start, entries = reply[0], reply[1]
            claimed.extend(entries)  # ids whose bodies were trimmed come back apart; Redis drops them itself
            if start in ("0-0", b"0-0"):
                break
        return claimed


def consume(lake, config: dict[str, Any], redis_url: str, stream: str = DEFAULT_STREAM,
            group: str = DEFAULT_GROUP, consumer: str | None = None, batch: int = 500, block_ms: int = 1000,
            stop_after: int | None = None, on_update: Callable[[dict], None] | None = None, *,
            drain: bool = False, claim_idle_ms: int | None = None,
            on_batch: Callable[[dict, dict], None] | None = None, stop: threading.Event | None = None,
            on_ready: Callable[[str], None] | None = None, client=None) -> dict[str, int]:
    """Consume repayment events from ``stream`` as ``consumer`` of ``group`` until stopped.

    Order of work: this consumer's own pending entries (left by a crash), then
    entries of consumers idle longer than ``claim_idle_ms`` (default from
    ``monitoring.claim_idle_ms``, 60 s), then new entries, ``batch`` at a time,
    blocking ``block_ms`` for more. Each batch is ingested, then acknowledged.

    Stops after ``stop_after`` entries have been read (re-deliveries included),
    when the stream has nothing new and ``drain`` is set, on SIGTERM/SIGINT, or
    when ``stop`` is set (how a server thread, which cannot take signals, stops it).
    ``consumer`` defaults to the host name, so a restarted consumer on the same
    host finds its own pending entries; name each one when several run on a host.
    ``on_batch(counts, ingest_result)`` is called after each acknowledged batch;
    ``on_ready(consumer_name)`` once the group exists and the signal handlers
    are in place; ``client`` is an already connected client (see :func:`connect`).

    Returns the counts ``{read, reclaimed, accepted, duplicates, quarantined, acked}``.
    """
    import redis

    if batch < 1:
        raise ValueError("batch must be at least 1")
    settings = config.get("monitoring") or {}
    idle = int(claim_idle_ms if claim_idle_ms is not None else settings.get("claim_idle_ms", DEFAULT_CLAIM_IDLE_MS))
    name = consumer or settings.get("consumer_name") or socket.gethostname()
    client = client or connect(redis_url)
    worker = _Consumer(client, lake, config, stream, group, name, on_update, on_batch)
    flag = _StopFlag()
    flag.install()

    def room() -> int:
        return batch if stop_after is None else min(batch, stop_after - worker.counts["read"])

    def done() -> bool:
        stopped = flag.stopped or (stop is not None and stop.is_set())
        return stopped or (stop_after is not None and worker.counts["read"] >= stop_after)

    try:
        ensure_group(client, stream, group)
        if on_ready:
            on_ready(name)
        while not done():  # 1. our own pending entries, left by a crash before XACK
            entries = worker.read("0", room(), None)
            if not entries:
                break
            worker.handle(entries, reclaimed=True)
        claim_due = True
        while not done():
            if claim_due:  # 2. entries of consumers that died holding them
                worker.handle(worker.autoclaim(idle, room()), reclaimed=True)
                claim_due = False
                continue
            entries = worker.read(">", room(), block_ms)  # 3. new entries
            if entries:
                worker.handle(entries)
            elif drain:
                break
            else:
                claim_due = True  # idle: a good moment to look for abandoned entries again
    except redis.exceptions.ConnectionError as exc:
        raise StreamError(f"lost Redis at {redact_url(redis_url)}: {exc}; un-acknowledged entries stay pending "
                          f"and are re-delivered on restart") from None
    except redis.exceptions.ResponseError as exc:
        raise StreamError(f"Redis refused a stream command on {stream!r}: {exc}") from None
    finally:
        flag.restore()
    return dict(worker.counts)


class RiskUpdatePublisher:
    """Publishes ``risk_update`` from outside the API server (this consumer) through Socket.IO's Redis message
    queue; every server started with the same Redis URL delivers it to its portfolio room. Only borrowers whose
    active consent covers monitoring (purpose 104) are published."""

    def __init__(self, lake, redis_url: str):
        import socketio as sio

        self.registry = ConsentRegistry(lake)
        self.manager = sio.RedisManager(redis_url, channel=SOCKETIO_CHANNEL, write_only=True)

    def __call__(self, payload: dict) -> None:
        """Publish one update (monitored borrowers only)."""
        if self.registry.covers(payload.get("customer_id"), MONITORING_PURPOSE):
            self.manager.emit(RISK_UPDATE, payload, namespace="/", room=PORTFOLIO_ROOM)
