"""The real server for benchmarks: ``python -m api_panel serve`` on a free port, as ``make run`` serves it."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from pipeline.config import PROJECT_ROOT


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(lake_root: Path, analyst_token: str) -> tuple[subprocess.Popen, str]:
    """Serve ``lake_root`` with one analyst token; the process and its base URL once ``/api/health`` answers."""
    port = free_port()
    env = {**os.environ, "LAKE_DIR": str(lake_root), "API_TOKENS": f"analyst:{analyst_token}"}
    proc = subprocess.Popen([sys.executable, "-m", "api_panel", "serve", "--port", str(port)], cwd=PROJECT_ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if requests.get(base + "/api/health", timeout=1).ok:
                return proc, base
        except requests.RequestException:  # not listening yet, or still importing
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")
