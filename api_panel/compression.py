"""JSON responses gzip-compressed once, not once per request.

Why: the analytics responses are cached bytes (:class:`api_panel.access.DocumentCache`
hands out the same ``bytes`` object until a file changes), so their gzip form
can be cached next to them. Compressing a 100 KB body costs about a
millisecond; done per request it would be most of the request's CPU. nginx
passes a response that already has ``Content-Encoding`` through untouched and
gzips the other JSON responses itself (:mod:`api_panel.front`); in the
one-process layout this is the only compression.
"""
from __future__ import annotations

import gzip
import threading

from flask import Response, request

MIN_SIZE = 1024  # smaller bodies gain less than the header costs
LEVEL = 6


class CompressedBodies:
    """The gzip form of response bodies, keyed by the body object itself (held, so its id is never reused while
    cached); bounded, oldest out first."""

    def __init__(self, max_entries: int = 256):
        self._entries: dict[int, tuple[bytes, bytes]] = {}
        self._lock = threading.Lock()
        self.max_entries = max_entries

    def gzip(self, body: bytes) -> bytes:
        """``body`` gzip-compressed (deterministic: no timestamp), compressed once per body object."""
        cached = self._entries.get(id(body))
        if cached is not None and cached[0] is body:
            return cached[1]
        packed = gzip.compress(body, LEVEL, mtime=0)
        with self._lock:
            if len(self._entries) >= self.max_entries:
                self._entries.pop(next(iter(self._entries)))
            self._entries[id(body)] = (body, packed)
        return packed


_BODIES = CompressedBodies()


def accepts_gzip(header: str | None = None) -> bool:
    """Whether the client said it takes gzip (``gzip`` or ``*`` in ``Accept-Encoding``, not with ``q=0``). Read
    by hand: werkzeug's full parse of the header costs more than the rest of serving a cached body."""
    header = request.headers.get("Accept-Encoding", "") if header is None else header
    for part in header.lower().split(","):
        name, _, params = part.partition(";")
        if name.strip() not in ("gzip", "*"):
            continue
        quality = params.strip()
        if not quality.startswith("q="):
            return True
        try:
            return float(quality[2:]) > 0
        except ValueError:
            return False
    return False


def json_response(body: bytes) -> Response:
    """A JSON response of cached bytes: gzip-compressed (from the cache) when the client accepts it and the body
    is worth it, identical after decompression; ``Vary: Accept-Encoding`` either way so caches keep both."""
    if len(body) >= MIN_SIZE and accepts_gzip():
        response = Response(_BODIES.gzip(body), mimetype="application/json")
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(body, mimetype="application/json")
    response.vary.add("Accept-Encoding")
    return response
