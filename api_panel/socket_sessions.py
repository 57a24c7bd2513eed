"""Open sockets and the tokens they were opened with: a revoked or replaced token loses its sockets.

Why: a socket authenticates once, at connect; afterwards the server pushes to
it (job logs, risk updates) without it asking again. A token revoked
(``python -m api_panel revoke-token``) or replaced (``demo-tokens`` replaces
tokens by label) must stop that flow, so the server keeps ``sid -> token
hash`` for every open socket and:

* re-checks them against the token store every few seconds
  (:func:`start_revocation_sweep`; the store is a file that other processes
  rewrite, so a change cannot be announced, only noticed) and disconnects the
  sockets whose token no longer resolves (:func:`drop_revoked_sockets`);
* checks the token on every event a socket sends (:func:`authenticated`), so a
  revoked socket cannot join a room between two sweeps; the handler then sees
  the token's current principal (role and scope) as ``g.principal``, like a
  REST view.

A socket whose token's role or scope changed (config.json ``api.token_scopes``
edited) is dropped by the sweep as well: its rooms were joined under the old
scope, and the client reconnects and joins again under the new one.

Only hashes are kept, as in the token store.
"""
from __future__ import annotations

import threading
from functools import wraps

from flask import current_app, g, request, session
from flask_socketio import disconnect

from api_panel.extensions import socketio

REVOKED = {"ok": False, "error": "unauthorized", "message": "your token was revoked or replaced; sign in again"}
SWEEP_SECONDS = 2.0


class SocketSessions:
    """``sid -> (token hash, principal at connect)`` of the sockets open on this server."""

    def __init__(self):
        self._tokens: dict[str, tuple[str, object]] = {}
        self._lock = threading.Lock()

    def opened(self, sid: str, token_hash: str, principal: object = None) -> None:
        """Remember the token a socket authenticated with and who it was then."""
        with self._lock:
            self._tokens[sid] = (token_hash, principal)

    def closed(self, sid: str) -> None:
        """Forget a socket that disconnected."""
        with self._lock:
            self._tokens.pop(sid, None)

    def revoked(self, token_store) -> list[str]:
        """The sockets whose token the store no longer knows, or now knows with another role or scope."""
        with self._lock:
            open_now = list(self._tokens.items())
        return [sid for sid, (digest, principal) in open_now
                if (now := token_store.resolve_hash(digest)) is None or (principal is not None and now != principal)]


def remember_socket(token_hash: str, principal: object = None) -> None:
    """Record the connecting socket's token and principal (called from the connect handler)."""
    session["token_hash"] = token_hash
    current_app.extensions["socket_sessions"].opened(request.sid, token_hash, principal)


def whole_book_only(what: str) -> dict | None:
    """The refusal for a scoped token asking for a room that streams the whole book (the portfolio's risk
    updates, batch progress), else None: those rooms carry customers outside any scope."""
    principal = g.get("principal")
    if principal is None or principal.scope is None:
        return None
    return {"ok": False, "error": "out_of_scope", "message": f"{what} spans the whole book and your token is "
            f"scoped to {principal.scope}; poll the REST endpoint instead, which shows your customers only"}


def forget_socket() -> None:
    """Drop the disconnecting socket from the map (the disconnect handler)."""
    current_app.extensions["socket_sessions"].closed(request.sid)


def drop_revoked_sockets(app) -> list[str]:
    """Disconnect every socket of ``app`` whose token was revoked or replaced; their sids."""
    sessions = app.extensions["socket_sessions"]
    dropped = sessions.revoked(app.extensions["token_store"])
    for sid in dropped:
        socketio.server.disconnect(sid, namespace="/")
        sessions.closed(sid)
    return dropped


def start_revocation_sweep(app, interval_s: float = SWEEP_SECONDS) -> None:
    """Check the open sockets' tokens every ``interval_s`` seconds for the life of the server (control process
    or the one-process server: the processes that hold sockets)."""

    def sweep() -> None:
        while True:
            socketio.sleep(interval_s)
            try:
                drop_revoked_sockets(app)
            except Exception:  # noqa: BLE001 - a failed sweep must not end the ones after it
                app.logger.exception("socket revocation sweep failed")

    socketio.start_background_task(sweep)


def authenticated(handler):
    """Wrap a Socket.IO event handler: a socket whose token is no longer valid is disconnected instead."""

    @wraps(handler)
    def wrapper(*args, **kwargs):
        digest = session.get("token_hash")
        principal = current_app.extensions["token_store"].resolve_hash(digest) if digest else None
        if principal is None:
            current_app.extensions["socket_sessions"].closed(request.sid)
            disconnect()
            return dict(REVOKED)
        g.principal = principal
        return handler(*args, **kwargs)

    return wrapper
