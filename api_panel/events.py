"""Socket.IO: authenticated connections, one room per customer, only for callers who may see its jobs.

Handlers are registered by :func:`register_handlers` on every ``create_app``:
Flask-SocketIO keeps decorator-registered handlers only on the first server,
so a second app (tests, workers) would otherwise accept unauthenticated sockets.
"""
from __future__ import annotations

from flask import current_app, session
from flask_socketio import ConnectionRefusedError, join_room, leave_room

from api_panel.auth import RANK
from api_panel.jobs import BATCH_ROOM, room_for
from pipeline.lake import InvalidCustomerIdError, validate_customer_id

FOLLOW_ROLE = "analyst"


def on_connect(auth=None):
    """Accept only clients presenting a valid API token as ``auth={"token": ...}``."""
    token = auth.get("token") if isinstance(auth, dict) else None
    principal = current_app.extensions["token_store"].resolve(token) if isinstance(token, str) and token else None
    if principal is None:
        raise ConnectionRefusedError("unauthorized: connect with auth={'token': <API token>}")
    session["principal"] = {"role": principal.role, "label": principal.label}


def on_join(data=None):
    """Follow a customer's pipeline jobs; analysts and admins only. Returns an ack the client can check."""
    principal = session.get("principal") or {}
    if RANK.get(principal.get("role"), -1) < RANK[FOLLOW_ROLE]:
        return {"ok": False, "error": "forbidden", "message": "following pipeline jobs needs the analyst role"}
    customer_id = data.get("customer_id") if isinstance(data, dict) else None
    try:
        validate_customer_id(customer_id)
    except InvalidCustomerIdError as exc:
        return {"ok": False, "error": "invalid_customer_id", "message": str(exc)}
    join_room(room_for(customer_id))
    return {"ok": True, "customer_id": customer_id, "room": room_for(customer_id)}


def on_leave(data=None):
    """Stop following a customer."""
    customer_id = data.get("customer_id") if isinstance(data, dict) else None
    try:
        validate_customer_id(customer_id)
    except InvalidCustomerIdError as exc:
        return {"ok": False, "error": "invalid_customer_id", "message": str(exc)}
    leave_room(room_for(customer_id))
    return {"ok": True}


def on_join_batch(data=None):
    """Follow batch jobs started from the API (customer ids and outcomes); analysts and admins only."""
    principal = session.get("principal") or {}
    if RANK.get(principal.get("role"), -1) < RANK[FOLLOW_ROLE]:
        return {"ok": False, "error": "forbidden", "message": "following batch jobs needs the analyst role"}
    join_room(BATCH_ROOM)
    return {"ok": True, "room": BATCH_ROOM}


def on_leave_batch(data=None):
    """Stop following batch jobs."""
    leave_room(BATCH_ROOM)
    return {"ok": True}


def register_handlers(socketio) -> None:
    """Bind the handlers to the server ``socketio`` currently wraps."""
    socketio.on_event("connect", on_connect)
    socketio.on_event("join", on_join)
    socketio.on_event("leave", on_leave)
    socketio.on_event("join_batch", on_join_batch)
    socketio.on_event("leave_batch", on_leave_batch)
