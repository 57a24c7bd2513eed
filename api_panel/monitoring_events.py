"""Socket.IO for loan monitoring: analysts join the ``portfolio`` room and receive every ``risk_update``.

Registered per app by :func:`register_handlers` (called when the monitoring
blueprint is registered in ``create_app``): Flask-SocketIO keeps
decorator-registered handlers only on its first server, see
:mod:`api_panel.events`. Connection itself is authenticated there.

Updates come from two places: the HTTP ingestion endpoint (in the server,
:func:`emit_risk_update`) and the Redis Streams consumer
(``python -m pipeline consume``, another process, possibly another machine),
which publishes through Socket.IO's Redis message queue
(:class:`monitoring.stream.RiskUpdatePublisher`); the server relays those to its sockets when
Redis is configured. Either way only borrowers whose active consent covers
monitoring (purpose 104) are pushed: the portfolio shows nobody else.
"""
from __future__ import annotations

from flask import current_app
from flask_socketio import join_room, leave_room

from api_panel.auth import RANK, current_principal
from api_panel.socket_sessions import authenticated, whole_book_only
from monitoring.stream import PORTFOLIO_ROOM, RISK_UPDATE
from pipeline.consents import MONITORING_PURPOSE

WATCH_ROLE = "analyst"


def on_join_portfolio(data=None):
    """Watch the portfolio's live risk updates; unscoped analysts and admins only (the room carries every
    monitored borrower). Returns an ack the client can check."""
    if RANK[current_principal().role] < RANK[WATCH_ROLE]:
        return {"ok": False, "error": "forbidden", "message": "watching the portfolio needs the analyst role"}
    refused = whole_book_only("the live portfolio feed")
    if refused:
        return refused
    join_room(PORTFOLIO_ROOM)
    return {"ok": True, "room": PORTFOLIO_ROOM}


def on_leave_portfolio(data=None):
    """Stop watching the portfolio."""
    leave_room(PORTFOLIO_ROOM)
    return {"ok": True}


def register_handlers(socketio) -> None:
    """Bind the portfolio handlers to the server ``socketio`` currently wraps."""
    socketio.on_event("join_portfolio", authenticated(on_join_portfolio))
    socketio.on_event("leave_portfolio", authenticated(on_leave_portfolio))


def emit_risk_update(payload: dict) -> None:
    """Push one new score to the analysts watching the portfolio (monitored borrowers only)."""
    from api_panel.extensions import socketio

    if current_app.extensions["consents"].covers(payload.get("customer_id"), MONITORING_PURPOSE):
        socketio.emit(RISK_UPDATE, payload, to=PORTFOLIO_ROOM)
