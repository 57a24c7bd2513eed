"""Production serving, not the Werkzeug reloader.

Two layouts, chosen by ``config.json`` ``api.front`` (``"nginx"`` by default, ``"none"`` to disable) and by
whether nginx is installed:

* fronted (:mod:`api_panel.front`): nginx on the public port, ``api.rest_workers`` Gunicorn sync worker
  processes for stateless reads, one Gunicorn gthread process for Socket.IO, jobs, events and consents;
* single process: one Gunicorn gthread worker serving everything (Socket.IO needs its sessions in one process;
  simple-websocket gives real WebSockets on it).
"""
from __future__ import annotations

import json
import sys
from typing import Any

from gunicorn import util as gunicorn_util
from gunicorn.app.base import BaseApplication

# Behind nginx the upstreams take any request line and header nginx let through (nginx allows 8 KB per line and
# answers its own 414/400 as JSON), so no request is refused twice with two different limits.
BEHIND_NGINX = {"limit_request_line": 0, "limit_request_field_size": 0, "limit_request_fields": 32768}


def write_json_error(sock, status_int: int, reason: str, mesg: str) -> None:
    """Gunicorn's answer to a request it cannot parse (a request line over its limit: 414; a bad header: 400),
    as the API's JSON error shape instead of an HTML page. Gunicorn has no hook for this body; its workers call
    ``gunicorn.util.write_error``, which :class:`DashboardServer` replaces with this in the server's processes."""
    body = json.dumps({"error": reason.lower().replace(" ", "_"), "message": mesg or reason}).encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode("latin1")
    gunicorn_util.write_nonblock(sock, head + body)


class DashboardServer(BaseApplication):
    """Gunicorn configured in code, so ``python -m api_panel serve`` needs no config file."""

    def __init__(self, app_factory, options: dict[str, Any]):
        gunicorn_util.write_error = write_json_error  # every error of this process is JSON (see above)
        self.app_factory = app_factory
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key, value)

    def load(self):
        return self.app_factory()


def _gunicorn_options(bind: str, **overrides) -> dict[str, Any]:
    return {"bind": bind, "timeout": 120, "graceful_timeout": 5, "keepalive": 5, "accesslog": None,
            "errorlog": "-", "loglevel": "warning", "backlog": 2048, **overrides}


def serve_upstream(role: str, bind: str, workers: int = 2, threads: int = 16) -> None:
    """Run one upstream of the fronted server: ``control`` (one threaded process: Socket.IO, jobs, events,
    schedules) or ``rest`` (``workers`` single-threaded processes for stateless reads)."""
    from api_panel import create_app

    if role == "control":
        options = _gunicorn_options(bind, workers=1, worker_class="gthread", threads=threads, **BEHIND_NGINX)
        factory = create_app
    elif role == "rest":
        options = _gunicorn_options(bind, workers=workers, worker_class="sync", **BEHIND_NGINX)
        def factory():
            return create_app({"SERVER_ROLE": "rest"})
    else:
        raise ValueError(f"unknown upstream role {role!r}; roles: control, rest")
    DashboardServer(factory, options).run()


def serve(host: str, port: int, threads: int = 16, rest_workers: int | None = None) -> int:
    """Run the API and dashboard until interrupted; the exit code is non-zero if a server process failed."""
    from api_panel import create_app
    from api_panel.front import FrontedServer, nginx_path
    from pipeline.config import load_config

    config = load_config()
    api = config.get("api", {})
    workers = api.get("rest_workers", 3) if rest_workers is None else rest_workers
    if api.get("front", "nginx") == "nginx" and workers > 0:
        if nginx_path():
            from monitoring.stream import configured_redis_url
            return FrontedServer(host, port, workers, threads, configured_redis_url(config)).run()
        print("warning: nginx is not installed; serving from one process (install nginx-light for the "
              "multi-process layout)", file=sys.stderr)
    DashboardServer(create_app, _gunicorn_options(f"{host}:{port}", workers=1, worker_class="gthread",
                                                  threads=threads, graceful_timeout=10)).run()
    return 0
