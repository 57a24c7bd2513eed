"""The AA's outgoing notifications: a queue and the one thread that POSTs them, in order, never raising.

Sending in the background lets the approval page answer at once and the FIU call back into the AA while it is
told; one thread per AA keeps the order the consent changed in, so a pause never overtakes the approval before
it. Each attempt, answered or not, is appended to the log (``state["notifications"]``): ``{url, body,
status_code}`` or ``{url, body, error}``. :meth:`Outbox.wait` lets a test wait for the sender instead of sleeping.
"""
from __future__ import annotations

import queue
import threading
from typing import Any

import httpx
import orjson


class Outbox:
    """Notifications waiting to be sent, and the one thread that sends them in order."""

    def __init__(self, log: list[dict], timeout: float = 5.0):
        self.log = log
        self.timeout = timeout
        self._queue: queue.Queue = queue.Queue()
        self._pending = 0
        self._idle = threading.Condition()
        self._thread: threading.Thread | None = None

    def send(self, url: str, data: bytes, signature: str) -> None:
        """Queue one signed body for ``url``; the sender thread starts on first use."""
        with self._idle:
            self._pending += 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="local-aa-notify", daemon=True)
                self._thread.start()
        self._queue.put((url, data, signature))

    def wait(self, timeout: float = 10.0) -> bool:
        """Block until every queued notification was attempted (``True``), or ``timeout`` seconds passed."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def _run(self) -> None:
        while True:
            url, data, signature = self._queue.get()
            entry: dict[str, Any] = {"url": url, "body": orjson.loads(data)}
            try:
                resp = httpx.post(url, content=data, timeout=self.timeout,
                                  headers={"content-type": "application/json", "x-jws-signature": signature})
                entry["status_code"] = resp.status_code
            except Exception as exc:   # noqa: BLE001 - an FIU that is down must never stop the AA or its sender
                entry["error"] = f"{type(exc).__name__}: {exc}"
            with self._idle:
                self.log.append(entry)
                self._pending -= 1
                self._idle.notify_all()
