"""The API server: ``create_app()`` binds the extensions and registers a blueprint per resource."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask, request, send_from_directory

from api_panel.access import AccessLog, DocumentCache
from api_panel.auth import TokenStore
from api_panel.errors import error_response, register_error_handlers
from api_panel.extensions import socketio
from api_panel.jobs import JobManager
from api_panel.scopes import configured_scopes
from api_panel.socket_sessions import SocketSessions, start_revocation_sweep
from pipeline.config import PROJECT_ROOT, load_config
from pipeline.consents import ConsentRegistry
from pipeline.lake import Lake

MAX_BODY_BYTES = 64 * 1024


def _cors_origins(settings: dict[str, Any]) -> list[str]:
    configured = os.environ.get("CORS_ORIGINS") or ",".join(settings.get("api", {}).get("cors_origins", []))
    return [o.strip() for o in configured.split(",") if o.strip()]


def _message_queue(settings: dict[str, Any], test_config: dict[str, Any]) -> dict[str, Any]:
    """Socket.IO's Redis message queue when Redis is configured, so ``risk_update`` published by the stream
    consumer (another process) reaches this server's sockets. REST workers hold no sockets; tests opt in."""
    from monitoring.stream import SOCKETIO_CHANNEL, configured_redis_url

    if test_config.get("SERVER_ROLE") == "rest":
        return {}
    url = test_config.get("SOCKETIO_MESSAGE_QUEUE") if test_config.get("TESTING") else configured_redis_url(settings)
    return {"message_queue": url, "channel": SOCKETIO_CHANNEL} if url else {}


def _with_test_scopes(settings: dict[str, Any], test_config: dict[str, Any]) -> dict[str, Any]:
    """Settings with ``api.token_scopes`` replaced by the test config's ``TOKEN_SCOPES`` when it has one."""
    if "TOKEN_SCOPES" not in test_config:
        return settings
    return {**settings, "api": {**settings.get("api", {}), "token_scopes": test_config["TOKEN_SCOPES"]}}


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app for the lake named by ``LAKE_ROOT`` (test config), ``LAKE_DIR`` or config.json."""
    test_config = test_config or {}
    settings = load_config({"lake_root": test_config.get("LAKE_ROOT")})
    app = Flask(__name__, static_folder=None)
    app.config.update(MAX_CONTENT_LENGTH=MAX_BODY_BYTES, JSON_SORT_KEYS=False, CODE_VERSION=str(settings["version"]),
                      FRONTEND_DIST=str(PROJECT_ROOT / "frontend" / "dist"))
    app.config.update(test_config)
    lake = Lake(settings["lake_root"])
    app.extensions["lake"] = lake
    app.extensions["settings"] = settings
    app.extensions["consents"] = ConsentRegistry(lake)
    app.extensions["documents"] = DocumentCache()
    app.extensions["audit_log"] = AccessLog(lake)
    app.extensions["token_store"] = TokenStore(lake, test_config.get("API_TOKENS", os.environ.get("API_TOKENS")),
                                               configured_scopes(_with_test_scopes(settings, test_config)))
    app.extensions["jobs"] = JobManager(lake, settings)
    app.extensions["socket_sessions"] = SocketSessions()
    if "INSIGHT_SETTINGS" in test_config:
        app.extensions["insight_settings"] = test_config["INSIGHT_SETTINGS"]
    origins = _cors_origins(settings)
    socketio.init_app(app, async_mode=test_config.get("ASYNC_MODE", "threading"),
                      cors_allowed_origins=origins or None, max_http_buffer_size=MAX_BODY_BYTES,
                      **_message_queue(settings, test_config))
    from api_panel.events import register_handlers
    register_handlers(socketio)
    from api_panel.routes import (aa, aa_callbacks, analytics, audit, consents, customers, datasets, health,
                                  insights, pipeline, profile)
    for module in (health, customers, analytics, profile, pipeline, datasets, consents, audit, insights, aa,
                   aa_callbacks):
        app.register_blueprint(module.bp)
    # ---- loan monitoring (api_panel/routes/monitoring.py): REST routes + the portfolio Socket.IO handlers ----
    from api_panel.routes import monitoring as monitoring_routes
    app.register_blueprint(monitoring_routes.bp)
    from api_panel.routes import acceptances
    app.register_blueprint(acceptances.bp)
    from api_panel.routes import model_health  # the risk model's drift (issue 16)
    app.register_blueprint(model_health.bp)
    from api_panel.routes import warehouse   # the portfolio views over the Parquet warehouse
    app.register_blueprint(warehouse.bp)
    # ---- the officer's case file: decisions, case history, case list, credit memo (api_panel/casefile) ----
    from api_panel.routes import cases, decisions, memo
    for module in (decisions, cases, memo):
        app.register_blueprint(module.bp)
    register_error_handlers(app)
    # ---- refresh schedule (api_panel/schedule.py): off unless config.json refresh.enabled ----
    from api_panel.schedule import start_refresh_schedule
    # REST workers of the fronted server (api_panel/front.py) serve stateless reads only: no background tasks
    background = test_config.get("SERVER_ROLE") != "rest"
    app.extensions["refresh_schedule"] = start_refresh_schedule(lake, settings, test_config) if background else None
    if background:  # the control process owns jobs: end the ones a killed predecessor left "running"
        from api_panel.job_recovery import recover_interrupted_jobs
        recover_interrupted_jobs(app.extensions["jobs"])
        sweep = test_config.get("SOCKET_SWEEP_SECONDS", None if test_config.get("TESTING") else 2.0)
        if sweep:  # a revoked token's open sockets are dropped within this many seconds
            start_revocation_sweep(app, sweep)
    _register_cors(app, origins)
    _register_dashboard(app)
    return app


def _register_cors(app: Flask, origins: list[str]) -> None:
    """CORS is off unless origins are configured (config.json api.cors_origins or CORS_ORIGINS)."""
    if not origins:
        return

    @app.after_request
    def _cors(response):
        origin = request.headers.get("Origin")
        if origin in origins:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Vary"] = "Origin"
            response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type"
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        return response


def _register_dashboard(app: Flask) -> None:
    """Serve the built React dashboard at ``/`` (and its client-side routes) once it exists."""

    @app.get("/", defaults={"path": ""})
    @app.get("/<path:path>")
    def dashboard(path: str):
        """The dashboard (a single-page app)."""
        dist = Path(app.config["FRONTEND_DIST"])
        if path.startswith("api/"):
            return error_response(404, "not_found", f"no endpoint /{path}")
        if not (dist / "index.html").exists():
            return error_response(404, "dashboard_not_built", "the dashboard is not built: run `make run`")
        target = (dist / path).resolve()
        if path and target.is_file() and dist.resolve() in target.parents:
            return send_from_directory(dist, path)
        return send_from_directory(dist, "index.html")
