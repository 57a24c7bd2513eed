"""Production serving: Gunicorn with one gthread worker (Socket.IO needs one process; threads give
concurrency, and simple-websocket gives real WebSockets on it) — not the Werkzeug reloader."""
from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication


class DashboardServer(BaseApplication):
    """Gunicorn configured in code, so ``python -m api_panel serve`` needs no config file."""

    def __init__(self, app_factory, options: dict[str, Any]):
        self.app_factory = app_factory
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key, value)

    def load(self):
        return self.app_factory()


def serve(host: str, port: int, threads: int = 16) -> None:
    """Run the API and dashboard until interrupted."""
    from api_panel import create_app

    DashboardServer(create_app, {
        "bind": f"{host}:{port}", "workers": 1, "worker_class": "gthread", "threads": threads,
        "timeout": 120, "graceful_timeout": 10, "keepalive": 5, "accesslog": None, "errorlog": "-",
        "loglevel": "warning",
    }).run()
