"""Socket.IO for loan monitoring: analysts join the ``portfolio`` room and receive every ``risk_update``.

Registered per app by :func:`register_handlers` (called when the monitoring
blueprint is registered in ``create_app``): Flask-SocketIO keeps
decorator-registered handlers only on its first server, see
:mod:`api_panel.events`. Connection itself is authenticated there.

Updates come from two places: the HTTP ingestion endpoint (in the server,
:func:`emit_risk_update`) and the Redis Streams consumer
(``python -m pipeline consume``, another process, possibly another machine),
which publishes through Socket.IO's Redis message queue
(:class:`RiskUpdatePublisher`); the server relays those to its sockets when
Redis is configured. Either way only borrowers whose active consent covers
monitoring (purpose 104) are pushed: the portfolio shows nobody else.
"""
from __future__ import annotations

from flask import current_app, session
from flask_socketio import join_room, leave_room

from api_panel.auth import RANK
from pipeline.consents import ConsentRegistry

PORTFOLIO_ROOM = "portfolio"
WATCH_ROLE = "analyst"
RISK_UPDATE = "risk_update"
MONITORING_PURPOSE = "104"


def covers_monitoring(registry: ConsentRegistry, customer_id: str | None) -> bool:
    """Whether the customer has an active consent whose purpose is monitoring (104)."""
    if not customer_id:
        return False
    try:
        return any(a["Purpose"]["code"] == MONITORING_PURPOSE for a in registry.active(customer_id))
    except (ValueError, KeyError, TypeError):
        return False


def on_join_portfolio(data=None):
    """Watch the portfolio's live risk updates; analysts and admins only. Returns an ack the client can check."""
    principal = session.get("principal") or {}
    if RANK.get(principal.get("role"), -1) < RANK[WATCH_ROLE]:
        return {"ok": False, "error": "forbidden", "message": "watching the portfolio needs the analyst role"}
    join_room(PORTFOLIO_ROOM)
    return {"ok": True, "room": PORTFOLIO_ROOM}


def on_leave_portfolio(data=None):
    """Stop watching the portfolio."""
    leave_room(PORTFOLIO_ROOM)
    return {"ok": True}


def register_handlers(socketio) -> None:
    """Bind the portfolio handlers to the server ``socketio`` currently wraps."""
    socketio.on_event("join_portfolio", on_join_portfolio)
    socketio.on_event("leave_portfolio", on_leave_portfolio)


def emit_risk_update(payload: dict) -> None:
    """Push one new score to the analysts watching the portfolio (monitored borrowers only)."""
    from api_panel.extensions import socketio

    if covers_monitoring(current_app.extensions["consents"], payload.get("customer_id")):
        socketio.emit(RISK_UPDATE, payload, to=PORTFOLIO_ROOM)


class RiskUpdatePublisher:
    """Publishes ``risk_update`` from outside the server (the stream consumer) through Socket.IO's Redis
    message queue; every server started with the same Redis URL delivers it to its portfolio room."""

    def __init__(self, lake, redis_url: str):
        import socketio as sio

        from monitoring.stream import SOCKETIO_CHANNEL

        self.registry = ConsentRegistry(lake)
        self.manager = sio.RedisManager(redis_url, channel=SOCKETIO_CHANNEL, write_only=True)

    def __call__(self, payload: dict) -> None:
        """Publish one update (monitored borrowers only)."""
        if covers_monitoring(self.registry, payload.get("customer_id")):
            self.manager.emit(RISK_UPDATE, payload, namespace="/", room=PORTFOLIO_ROOM)
