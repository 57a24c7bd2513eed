"""The fronted server (nginx, a REST worker pool and a control process), started for real as
``python -m api_panel serve``: routing, Socket.IO through the proxy, state shared across processes, shutdown."""
import json
import os
import socket as sockets
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
import socketio

from api_panel.front import CONTROL_PATHS, FRONT_ERRORS, FrontLayout, nginx_path, render_nginx_conf, worker_user
from pipeline.lake import Lake
from tests.api_panel.conftest import prepare
from tests.conftest import PROJECT_ROOT
from tests.served import free_port, start_server, stop_server

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
    conf = render_nginx_conf(FrontLayout("127.0.0.1", 5000, tmp_path))
    assert "listen 127.0.0.1:5000" in conf
    assert f"server unix:{tmp_path}/control.sock" in conf and f"server unix:{tmp_path}/rest.sock" in conf
    control_block = conf.split("location ~ ^/api/(", 1)[1].split(")", 1)[0].split("|")
    assert set(control_block) == set(CONTROL_PATHS) >= {"pipeline", "jobs", "events", "consents"}
    socket_block = conf.split("location /socket.io/", 1)[1].split("}", 1)[0]
    assert "proxy_pass http://control" in socket_block and "Upgrade $http_upgrade" in socket_block
    assert "user " not in conf.split("http {")[0]
    as_root = render_nginx_conf(FrontLayout("h", 1, tmp_path), ("www-data", "www-data"))
    assert "user www-data www-data;" in as_root and "user root" not in as_root


def test_every_error_nginx_answers_itself_is_json_in_the_config(tmp_path):
    conf = render_nginx_conf(FrontLayout("127.0.0.1", 5000, tmp_path))
    assert {400, 405, 413, 414, 502, 503, 504} <= set(FRONT_ERRORS)
    for code, (status, error, _) in FRONT_ERRORS.items():
        assert f"error_page {code} /_front_errors/{code};" in conf
        page = conf.split(f"location = /_front_errors/{code} {{", 1)[1].split("}'; }", 1)[0] + "}"
        assert "internal;" in page and "default_type application/json;" in page and f"return {status} '" in page
        assert json.loads(page.split(f"return {status} '", 1)[1])["error"] == error


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


def _raw(base: str, request: bytes) -> tuple[int, str, dict]:
    """Send bytes as they are (what a broken or hostile client sends) and read the answer until nginx closes."""
    host, port = base.removeprefix("http://").rsplit(":", 1)
    with sockets.create_connection((host, int(port)), timeout=30) as conn:
        conn.sendall(request)
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split(" ")[1]), headers.get("content-type", ""), json.loads(body)


LONG_ID = "A" * 100_000
ODD_REQUESTS = {  # what reaches the front, the status it answers, the error code
    "trace_on_the_api": (b"TRACE /api/health HTTP/1.1\r\nHost: x\r\n\r\n", 405, "method_not_allowed"),
    "trace_on_the_dashboard": (b"TRACE / HTTP/1.1\r\nHost: x\r\n\r\n", 405, "method_not_allowed"),
    "a_5_kb_customer_id": ((f"GET /api/analytics?customer_id={'A' * 5000} HTTP/1.1\r\nHost: x\r\n"
                            f"Authorization: Bearer {ANALYST}\r\nConnection: close\r\n\r\n").encode(),
                           400, "invalid_customer_id"),  # reaches the app now: no gunicorn HTML 414
    "a_100_kb_customer_id": (f"GET /api/analytics?customer_id={LONG_ID} HTTP/1.1\r\nHost: x\r\n\r\n".encode(),
                             414, "uri_too_long"),
    "a_body_over_16_mb": (b"POST /api/ai-insights HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          b"Content-Length: 17000000\r\n\r\n", 413, "payload_too_large"),
    "a_malformed_request_line": (b"GARBAGE\r\n\r\n", 400, "bad_request"),
    "a_tls_handshake_on_the_http_port": (b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\r\n\r\n", 400, "bad_request"),
    "a_header_over_8_kb": (b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"p" * 9000 + b"\r\n\r\n",
                           400, "header_too_large"),
    "an_unknown_http_version": (b"GET /api/health HTTP/9.9\r\n\r\n", 505, "http_version_not_supported"),
    "an_error_page_asked_for": (b"GET /_front_errors/414 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                                404, "not_found"),
}


@pytest.mark.parametrize("name", ODD_REQUESTS)
def test_odd_requests_through_the_front_are_json_errors(fronted, name):
    request, status, error = ODD_REQUESTS[name]
    answered, content_type, body = _raw(fronted[1], request)
    assert (answered, body["error"]) == (status, error), body
    assert content_type == "application/json" and body["message"]


def test_a_front_whose_upstreams_are_down_answers_json_502(tmp_path):
    if nginx_path() is None:
        pytest.fail("nginx is not installed: `make test` installs it (apt-get install nginx-light)")
    port = free_port()
    layout = FrontLayout("127.0.0.1", port, tmp_path)  # no upstream listens on its sockets
    conf = tmp_path / "nginx.conf"
    conf.write_text(render_nginx_conf(layout, worker_user()[:2] if os.geteuid() == 0 else None))
    nginx = subprocess.Popen([nginx_path(), "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log"),
                              "-g", "daemon off;"])
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                answer = requests.get(f"http://127.0.0.1:{port}/api/health", timeout=5)
                break
            except requests.ConnectionError:
                assert nginx.poll() is None and time.monotonic() < deadline, (tmp_path / "error.log").read_text()
                time.sleep(0.05)
        assert answer.status_code == 502 and answer.headers["Content-Type"] == "application/json"
        assert answer.json()["error"] == "unavailable" and "retry" in answer.json()["message"]
    finally:
        nginx.terminate()
        nginx.wait(timeout=20)


def test_the_one_process_server_answers_gunicorns_own_errors_as_json(tmp_path):
    proc, base = start_server(tmp_path / "lake", {}, ("--workers", "0"))  # Gunicorn alone, its 4 KB line limit
    try:
        assert _descendants(proc.pid) and not any("nginx" in _cmdline(p) for p in _descendants(proc.pid))
        status, content_type, body = _raw(base, f"GET /api/analytics?customer_id={'A' * 5000} HTTP/1.1\r\n"
                                                f"Host: x\r\n\r\n".encode())
        assert (status, content_type, body["error"]) == (414, "application/json", "uri_too_long")
    finally:
        stop_server(proc)


def _uid(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("\nUid:", 1)[1].split()[1])  # the effective uid


def test_nginx_workers_drop_root_and_still_reach_the_upstreams(fronted):
    proc, base = fronted
    masters = [pid for pid in _descendants(proc.pid) if _cmdline(pid).startswith("nginx: master")]
    workers = [pid for pid in _descendants(masters[0]) if _cmdline(pid).startswith("nginx: worker")]
    assert workers
    if os.geteuid() == 0:  # the tests run as root here; elsewhere nginx cannot switch users at all
        assert _uid(masters[0]) == 0 and all(_uid(pid) != 0 for pid in workers)
        run_dir = Path(_cmdline(masters[0]).split(" -p ", 1)[1].split(" ", 1)[0])
        assert run_dir.stat().st_mode & 0o777 == 0o710  # the workers' group may enter, not list; others nothing
    headers = {"Authorization": f"Bearer {ANALYST}"}
    assert requests.get(base + "/api/credit-score?customer_id=CUST_FRT_00001", headers=headers,
                        timeout=10).status_code == 200  # a REST worker over its socket
    insight = requests.post(base + "/api/ai-insights", json={"customer_id": "CUST_FRT_00001"}, headers=headers,
                            timeout=60)  # a body, through nginx to the control process's socket
    assert insight.status_code == 200 and insight.headers["Content-Type"] == "application/json", insight.text


@pytest.mark.parametrize("path", ["/api/analytics", "/api/analytics/transaction_summary/eod_balance",
                                  "/api/customer-profile"])
def test_json_comes_gzip_compressed_through_the_front_and_decompresses_to_the_same_body(fronted, path):
    """The analytics arrive pre-compressed by the app and pass nginx untouched; other JSON (the profile) is
    compressed by nginx. Either way the body decompresses to exactly what an identity request gets."""
    import gzip

    _, base = fronted
    url = f"{base}{path}?customer_id=CUST_FRT_00001"
    headers = {"Authorization": f"Bearer {ANALYST}"}
    plain = requests.get(url, headers={**headers, "Accept-Encoding": "identity"}, timeout=30)
    packed = requests.get(url, headers={**headers, "Accept-Encoding": "gzip"}, timeout=30, stream=True)
    raw = packed.raw.read(decode_content=False)
    assert plain.status_code == packed.status_code == 200
    assert plain.headers.get("Content-Encoding") is None and packed.headers["Content-Encoding"] == "gzip"
    assert packed.headers["Content-Type"].startswith("application/json")
    assert len(raw) < len(plain.content) / 3
    assert gzip.decompress(raw) == plain.content
