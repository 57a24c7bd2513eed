"""Socket.IO: authenticated connections, one room per customer, only for callers who may see its jobs.

Joining a customer's room is a read of that customer: it needs the analyst
role and the same consent as every REST read (an active consent allows
lending use; :func:`api_panel.access.lending_consent`), so a customer whose
consent was revoked, expired, paused or rejected is refused. One exception: a
customer the lake does not know at all (no consent on record, no data) may be
followed, because the journeys that onboard a customer are followed in its
room before any consent exists (``generate`` for a new id, the AA consent
request and its ``aa_consent_status``) and there is nothing to read yet; once
a consent is on record the rule applies to every join. Each join is audited
as ``socket_join`` (who, which consent or none), a refusal for scope as
``socket_join_refused``: joins are rare (one per page
that follows a customer) and open a stream of that customer's job logs, so the
audit log should show who watched whom; the lines that then flow are not
audited one by one. A socket whose token is revoked or replaced is
disconnected (:mod:`api_panel.socket_sessions`).

A scoped token (:mod:`api_panel.scopes`) joins only the rooms of customers
inside its scope (``out_of_scope`` otherwise, checked before existence or
consent), and never the ``batch`` room, which carries every customer's
progress; so no event of another customer reaches its sockets.

Handlers are registered by :func:`register_handlers` on every ``create_app``:
Flask-SocketIO keeps decorator-registered handlers only on the first server,
so a second app (tests, workers) would otherwise accept unauthenticated sockets.
"""
from __future__ import annotations

from flask import current_app, session
from flask_socketio import ConnectionRefusedError, join_room, leave_room

from api_panel.access import in_scope, is_new_customer, lending_consent
from api_panel.auth import RANK, current_principal, hash_token
from api_panel.jobs import BATCH_ROOM, room_for
from api_panel.socket_sessions import authenticated, forget_socket, remember_socket, whole_book_only
from pipeline.consents import ConsentError
from pipeline.lake import InvalidCustomerIdError, validate_customer_id

FOLLOW_ROLE = "analyst"


def on_connect(auth=None):
    """Accept only clients presenting a valid API token as ``auth={"token": ...}``."""
    token = auth.get("token") if isinstance(auth, dict) else None
    principal = current_app.extensions["token_store"].resolve(token) if isinstance(token, str) and token else None
    if principal is None:
        raise ConnectionRefusedError("unauthorized: connect with auth={'token': <API token>}")
    session["principal"] = {"role": principal.role, "label": principal.label}
    remember_socket(hash_token(token), principal)


def on_disconnect(*_args):
    """Forget the socket's token."""
    forget_socket()


def on_join(data=None):
    """Follow a customer's pipeline jobs; analysts and admins only, customers inside the token's scope only.
    Returns an ack the client can check."""
    principal = current_principal()
    if RANK[principal.role] < RANK[FOLLOW_ROLE]:
        return {"ok": False, "error": "forbidden", "message": "following pipeline jobs needs the analyst role"}
    customer_id = data.get("customer_id") if isinstance(data, dict) else None
    try:
        validate_customer_id(customer_id)
    except InvalidCustomerIdError as exc:
        return {"ok": False, "error": "invalid_customer_id", "message": str(exc)}
    audit = current_app.extensions["audit_log"]
    if not in_scope(customer_id):
        audit.append("socket_join_refused", customer_id, who=principal.label, role=principal.role,
                     reason="out_of_scope", scope=str(principal.scope))
        return {"ok": False, "error": "out_of_scope", "field": "customer_id",
                "message": f"customer {customer_id} is outside your token's scope ({principal.scope})"}
    consent = {"purpose": None, "consent_id": None, "what": "pipeline events of a customer not onboarded yet"}
    if not is_new_customer(customer_id):
        try:
            check = lending_consent(customer_id, actor=principal.label)
        except ConsentError as exc:
            return {"ok": False, "error": "consent_required", "message": str(exc)}
        consent = {"purpose": check.purpose, "consent_id": check.consent_id, "what": "pipeline events"}
    audit.append("socket_join", customer_id, who=principal.label, role=principal.role, **consent)
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
    """Follow batch jobs started from the API (customer ids and outcomes); unscoped analysts and admins only."""
    if RANK[current_principal().role] < RANK[FOLLOW_ROLE]:
        return {"ok": False, "error": "forbidden", "message": "following batch jobs needs the analyst role"}
    refused = whole_book_only("the batch room")
    if refused:
        return refused
    join_room(BATCH_ROOM)
    return {"ok": True, "room": BATCH_ROOM}


def on_leave_batch(data=None):
    """Stop following batch jobs."""
    leave_room(BATCH_ROOM)
    return {"ok": True}


def register_handlers(socketio) -> None:
    """Bind the handlers to the server ``socketio`` currently wraps."""
    socketio.on_event("connect", on_connect)
    socketio.on_event("disconnect", on_disconnect)
    socketio.on_event("join", authenticated(on_join))
    socketio.on_event("leave", authenticated(on_leave))
    socketio.on_event("join_batch", authenticated(on_join_batch))
    socketio.on_event("leave_batch", authenticated(on_leave_batch))
