"""Public endpoints: liveness and the OpenAPI document."""
from flask import Blueprint, current_app, jsonify

from api_panel.auth import current_principal, require_role
from api_panel.openapi import build_openapi

bp = Blueprint("health", __name__)


@bp.get("/api/health")
def health():
    """Liveness and what this server serves (no token needed, no customer data)."""
    lake = current_app.extensions["lake"]
    return jsonify({"status": "ok", "version": current_app.config["CODE_VERSION"],
                    "customers": len(lake.customers()), "async_mode": current_app.extensions["socketio"].async_mode})


@bp.get("/api/whoami")
@require_role("officer")
def whoami():
    """The role, label and scope of the presented token (the dashboard uses it to decide what to show and shows
    the scope beside the role); ``scope`` is null for a token that sees the whole book, else its
    ``branch:<code>`` / ``customer:<id>`` items."""
    principal = current_principal()
    scope = principal.scope.items() if principal.scope is not None else None
    return jsonify({"role": principal.role, "label": principal.label, "scope": scope})


@bp.get("/api/openapi.json")
def openapi():
    """The OpenAPI 3 description of every endpoint."""
    return jsonify(build_openapi(current_app))
