"""The real server for tests: ``python -m api_panel serve`` in a subprocess on a free port, waited for until
``/api/health`` answers, stopped with SIGTERM (what Ctrl-C or a process manager sends)."""
import os
import socket
import subprocess
import sys
import time

import pytest
import requests

from tests.conftest import PROJECT_ROOT

NO_AI_KEYS = {"OPENAI_API_KEY": "", "DEEPSEEK_API_KEY": "", "GEMINI_API_KEY": "", "GOOGLE_API_KEY": ""}


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(lake_root, env_extra: dict, args: tuple[str, ...] = (), timeout: float = 60,
                 new_session: bool = False) -> tuple[subprocess.Popen, str]:
    """Start the server on ``lake_root`` (no AI provider reachable: the offline narrative answers); its base URL.
    ``new_session`` puts it in its own process group, so a test can kill it with all its children at once."""
    port = free_port()
    env = {**os.environ, "LAKE_DIR": str(lake_root), **NO_AI_KEYS, **env_extra}
    proc = subprocess.Popen([sys.executable, "-m", "api_panel", "serve", "--port", str(port), *args], cwd=PROJECT_ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=new_session)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if requests.get(base + "/api/health", timeout=1).status_code == 200:
                return proc, base
        except (requests.ConnectionError, requests.Timeout):  # not listening yet, or busy starting on a loaded machine
            time.sleep(0.1)
    proc.kill()
    pytest.fail("server did not start: " + proc.stdout.read().decode()[-2000:])


def stop_server(proc: subprocess.Popen) -> int:
    """SIGTERM, then wait; the exit status."""
    proc.terminate()
    return proc.wait(timeout=20)
