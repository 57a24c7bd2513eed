"""The real server in a subprocess (Gunicorn, threaded worker), driven by curl and a python-socketio client."""
import json
import os
import subprocess
import threading
import time

import pytest
import requests
import socketio

from tests.api_panel.conftest import prepare
from tests.conftest import PROJECT_ROOT
from tests.served import start_server, stop_server

TOKEN = "readme-analyst-token-for-tests"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from pipeline.lake import Lake
    lake = Lake(tmp_path_factory.mktemp("served") / "lake")
    prepare(lake, {"CUST_MSM_00001": "baseline"})
    proc, base = start_server(lake.root, {"API_TOKENS": f"analyst:{TOKEN}"})
    yield base
    stop_server(proc)


def readme_curl_commands() -> list[str]:
    text = (PROJECT_ROOT / "README.md").read_text()
    block = text.split("## The API", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    joined = block.replace("\\\n", " ")
    return [line.strip() for line in joined.splitlines() if line.strip().startswith("curl ")]


def test_the_readme_curl_examples_work(server):
    commands = readme_curl_commands()
    assert len(commands) >= 7
    env = {**os.environ, "TOKEN": TOKEN, "API": server}
    for command in commands:
        result = subprocess.run(["bash", "-c", command + " -w '\\n%{http_code}'"], env=env, capture_output=True,
                                text=True, timeout=60, check=False)
        assert result.returncode == 0, (command, result.stderr)
        body, status = result.stdout.rsplit("\n", 1)
        assert status in ("200", "202"), (command, status, body[:300])
        assert isinstance(json.loads(body), dict)
        if status == "202":  # let the job finish before the next example (one job per customer at a time)
            wait_for_job(server, json.loads(body)["job_id"])


def wait_for_job(server: str, job_id: str) -> dict:
    """Poll the job endpoint, as a script or a reloaded page would, until the job has ended."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        state = requests.get(f"{server}/api/jobs/{job_id}", headers={"Authorization": f"Bearer {TOKEN}"},
                             timeout=10).json()
        if state["status"] in ("done", "error"):
            return state
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish")


def test_a_socketio_client_follows_a_job_over_websocket(server):
    received, done = [], threading.Event()
    client = socketio.Client()

    @client.on("pipeline_log")
    def on_log(data):
        received.append(("log", data))

    @client.on("pipeline_status")
    def on_status(data):
        received.append(("status", data))
        if data["status"] in ("done", "error"):
            done.set()

    client.connect(server, auth={"token": TOKEN}, transports=["websocket"])
    assert client.transport() == "websocket"
    ack = client.call("join", {"customer_id": "CUST_MSM_00001"}, timeout=10)
    assert ack["ok"] is True
    started = subprocess.run(["curl", "-s", "-X", "POST", "-H", f"Authorization: Bearer {TOKEN}", "-H",
                              "Content-Type: application/json", "-d", '{"customer_id": "CUST_MSM_00001"}',
                              f"{server}/api/pipeline/clean"], capture_output=True, text=True, timeout=30, check=True)
    job = json.loads(started.stdout)
    assert job["status"] == "pending"
    assert done.wait(60)
    client.disconnect()
    logs = [d for kind, d in received if kind == "log" and d["job_id"] == job["job_id"]]
    assert any("transactions: read" in d["message"] for d in logs)
    assert [d for kind, d in received if kind == "status"][-1]["status"] == "done"


def test_unauthenticated_sockets_are_refused(server):
    client = socketio.Client()
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(server, auth={"token": "wrong"}, transports=["websocket"])


def test_errors_are_json_from_the_real_server(server):
    response = requests.get(server + "/api/analytics?customer_id=../../etc",
                            headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
    assert response.status_code == 400 and response.json()["error"] == "invalid_customer_id"
    assert requests.get(server + "/api/analytics?customer_id=CUST_MSM_00001", timeout=10).status_code == 401
