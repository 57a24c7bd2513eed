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
    """The role and label of the presented token (the dashboard uses it to decide what to show)."""
    principal = current_principal()
    return jsonify({"role": principal.role, "label": principal.label})


@bp.get("/api/openapi.json")
def openapi():
    """The OpenAPI 3 description of every endpoint."""
    return jsonify(build_openapi(current_app))
