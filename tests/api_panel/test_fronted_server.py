"""The fronted server (nginx, a REST worker pool and a control process), started for real as
``python -m api_panel serve``: routing, Socket.IO through the proxy, state shared across processes, shutdown."""
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
import socketio

from api_panel.front import CONTROL_PATHS, FrontLayout, nginx_path, render_nginx_conf
from pipeline.lake import Lake
from tests.api_panel.conftest import prepare
from tests.conftest import PROJECT_ROOT
from tests.served import start_server

ANALYST, ADMIN = "fronted-analyst-token", "fronted-admin-token"
CUSTOMERS = {"CUST_FRT_00001": "baseline", "CUST_FRT_00002": "stable_income"}


def _start(lake_root: Path) -> tuple[subprocess.Popen, str]:
    if nginx_path() is None:
        pytest.fail("nginx is not installed: `make test` installs it (apt-get install nginx-light)")
    return start_server(lake_root, {"API_TOKENS": f"analyst:{ANALYST},admin:{ADMIN}"}, ("--workers", "3"))


@pytest.fixture(scope="module")
def fronted(tmp_path_factory):
    lake = Lake(tmp_path_factory.mktemp("fronted") / "lake")
    prepare(lake, CUSTOMERS)
    proc, base = _start(lake.root)
    yield proc, base
    proc.terminate()
    proc.wait(timeout=20)


def _descendants(pid: int) -> set[int]:
    found, frontier = set(), [pid]
    while frontier:
        current = frontier.pop()
        for task in Path(f"/proc/{current}/task").glob("*"):
            children = (task / "children").read_text().split() if (task / "children").exists() else []
            for child in map(int, children):
                if child not in found:
                    found.add(child)
                    frontier.append(child)
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


def test_the_nginx_config_sends_live_state_to_the_control_process(tmp_path):
    conf = render_nginx_conf(FrontLayout("127.0.0.1", 5000, tmp_path), running_as_root=False)
    assert "listen 127.0.0.1:5000" in conf
    assert f"server unix:{tmp_path}/control.sock" in conf and f"server unix:{tmp_path}/rest.sock" in conf
    control_block = conf.split("location ~ ^/api/(", 1)[1].split(")", 1)[0].split("|")
    assert set(control_block) == set(CONTROL_PATHS) >= {"pipeline", "jobs", "events", "consents"}
    socket_block = conf.split("location /socket.io/", 1)[1].split("}", 1)[0]
    assert "proxy_pass http://control" in socket_block and "Upgrade $http_upgrade" in socket_block
    assert "user root" not in conf and "user root" in render_nginx_conf(FrontLayout("h", 1, tmp_path), True)


def test_the_server_is_nginx_a_rest_pool_and_a_control_process(fronted):
    proc, _ = fronted
    commands = [_cmdline(pid) for pid in _descendants(proc.pid)]
    assert any(c.startswith("nginx: master") for c in commands), commands
    assert any("serve-upstream --role control" in c for c in commands), commands
    rest_master = [pid for pid in _descendants(proc.pid) if "serve-upstream --role rest" in _cmdline(pid)]
    # the rest role: a Gunicorn master and its three worker processes
    assert len(rest_master) == 4, commands


def test_a_default_socketio_client_long_polls_then_upgrades_through_the_front(fronted):
    _, base = fronted
    statuses, done = [], threading.Event()
    client = socketio.Client()

    @client.on("pipeline_status")
    def on_status(data):
        statuses.append(data)
        if data["status"] in ("done", "error"):
            done.set()

    client.connect(base, auth={"token": ANALYST})  # polling first, as python-socketio does by default
    assert client.call("join", {"customer_id": "CUST_FRT_00001"}, timeout=10)["ok"] is True
    started = requests.post(base + "/api/pipeline/analyze", json={"customer_id": "CUST_FRT_00001"},
                            headers={"Authorization": f"Bearer {ANALYST}"}, timeout=10)
    assert started.status_code == 202
    assert done.wait(60)
    transport = client.transport()
    client.disconnect()
    assert statuses[-1]["status"] == "done" and statuses[-1]["job_id"] == started.json()["job_id"]
    assert transport == "websocket"  # the upgrade went through nginx too
    job = requests.get(f"{base}/api/jobs/{started.json()['job_id']}", headers={"Authorization": f"Bearer {ANALYST}"},
                       timeout=10).json()
    assert job["status"] == "done"


def test_a_revocation_in_the_control_process_is_seen_by_every_rest_worker(fronted):
    _, base = fronted
    customer = "CUST_FRT_00002"
    officer_read = lambda: requests.get(f"{base}/api/credit-score?customer_id={customer}",
                                        headers={"Authorization": f"Bearer {ANALYST}"}, timeout=10)
    assert all(officer_read().status_code == 200 for _ in range(12))  # every REST worker has it cached
    consents = requests.get(f"{base}/api/consents?customer_id={customer}",
                            headers={"Authorization": f"Bearer {ADMIN}"}, timeout=10).json()["consents"]
    revoked = requests.post(f"{base}/api/consents/{consents[0]['consentId']}/revoke",
                            headers={"Authorization": f"Bearer {ADMIN}"}, timeout=30)
    assert revoked.status_code == 200
    answers = [officer_read() for _ in range(12)]
    assert {a.status_code for a in answers} == {403}, [a.text[:200] for a in answers]
    assert "revoked" in answers[0].json()["message"].lower()


def test_an_oversized_body_is_a_json_413_from_the_app_not_an_nginx_page(fronted):
    _, base = fronted
    response = requests.post(base + "/api/pipeline/clean", data=b"{" + b" " * 2_000_000 + b"}",
                             headers={"Authorization": f"Bearer {ANALYST}", "Content-Type": "application/json"},
                             timeout=30)
    assert response.status_code == 413 and response.json()["error"]


def test_stopping_the_server_stops_every_process_and_frees_the_port(tmp_path):
    lake = Lake(tmp_path / "lake")
    proc, base = _start(lake.root)
    children = _descendants(proc.pid)
    assert len(children) >= 6
    proc.terminate()
    assert proc.wait(timeout=20) == 0
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [(_cmdline(pid), pid) for pid in children if _alive(pid)]
    with pytest.raises(requests.ConnectionError):
        requests.get(base + "/api/health", timeout=2)


def test_a_port_in_use_is_one_clear_line_and_nothing_left_running(tmp_path):
    import socket as sockets
    with sockets.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "api_panel", "serve", "--port", str(port)], cwd=PROJECT_ROOT,
                              env={**os.environ, "LAKE_DIR": str(tmp_path / "lake")}, capture_output=True, text=True,
                              timeout=60, check=False)
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr and "Traceback" not in done.stderr
