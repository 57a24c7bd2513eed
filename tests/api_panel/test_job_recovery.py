"""Jobs survive a crash: the real server is killed (with its job) mid-run and restarted on the same lake."""
import os
import signal
import subprocess
import sys
import threading

import requests
import socketio

from api_panel import create_app
from api_panel.job_recovery import INTERRUPTED, is_pipeline_process, wait_for_exit
from pipeline.lake import Lake
from tests.api_panel.conftest import auth, prepare
from tests.conftest import PROJECT_ROOT
from tests.served import start_server, stop_server

TOKEN = "recovery-analyst-token"
CID = "CUST_RCV_00001"
PREPARED = "CUST_API_00001"  # of the conftest lake


def _follow(base: str, customer_id: str):
    """A real Socket.IO client in the customer's room; events set when a log line / a final status arrives."""
    client = socketio.Client()
    first_log, ended, statuses = threading.Event(), threading.Event(), []
    client.on("pipeline_log", lambda line: first_log.set())

    @client.on("pipeline_status")
    def on_status(state):
        statuses.append(state)
        if state["status"] in ("done", "error"):
            ended.set()

    client.connect(base, auth={"token": TOKEN}, transports=["websocket"])
    assert client.call("join", {"customer_id": customer_id}, timeout=10)["ok"] is True
    return client, first_log, ended, statuses


def test_a_job_killed_with_its_server_reads_interrupted_after_a_restart(tmp_path):
    lake = Lake(tmp_path / "lake")
    prepare(lake, {CID: "baseline"})
    env = {"API_TOKENS": f"analyst:{TOKEN}"}
    proc, base = start_server(lake.root, env, new_session=True)
    try:
        client, first_log, _, _ = _follow(base, CID)
        started = requests.post(f"{base}/api/pipeline/run_all", json={"customer_id": CID}, headers=auth(TOKEN),
                                timeout=10)
        assert started.status_code == 202
        job_id = started.json()["job_id"]
        assert first_log.wait(60)
        running = requests.get(f"{base}/api/jobs/{job_id}", headers=auth(TOKEN), timeout=10).json()
        client.disconnect()
        assert running["status"] == "running" and is_pipeline_process(running["pid"], lake.root)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the server, nginx, both upstreams and the job's process
        proc.wait()
    wait_for_exit(running["pid"])
    stored = lake.read_json(lake.job_path(CID, job_id))
    assert stored["status"] == "running" and stored["finished_at"] is None  # what the kill left behind

    proc, base = start_server(lake.root, env, new_session=True)
    try:
        state = requests.get(f"{base}/api/jobs/{job_id}", headers=auth(TOKEN), timeout=10).json()
        assert state["status"] == "error" and state["message"] == INTERRUPTED and state["finished_at"]
        assert INTERRUPTED in state["log"][-1]["message"]
        stored = lake.read_json(lake.job_path(CID, job_id))
        assert stored["status"] == "error" and stored["message"] == INTERRUPTED and stored["finished_at"]
        client, _, ended, statuses = _follow(base, CID)
        again = requests.post(f"{base}/api/pipeline/analyze", json={"customer_id": CID}, headers=auth(TOKEN),
                              timeout=10)
        assert again.status_code == 202, again.text
        assert ended.wait(60)
        client.disconnect()
        assert statuses[-1]["job_id"] == again.json()["job_id"] and statuses[-1]["status"] == "done"
    finally:
        stop_server(proc)


def _stored_job(lake: Lake, job_id: str, **fields) -> None:
    lake.write_json(lake.job_path(PREPARED, job_id),
                    {"job_id": job_id, "customer_id": PREPARED, "step": "clean", "steps": ["clean"], "status": "running",
                     "message": None, "created_at": "2026-01-01T00:00:00+00:00", "finished_at": None, "log": [],
                     **fields})


def test_a_job_whose_process_outlived_its_server_keeps_the_customer_locked_until_it_ends(lake, tokens):
    # a process with a pipeline command line for this lake, whose server (the recorded parent) is gone
    stand_in = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()", "-m", "pipeline", "run",
                                 "--lake", str(lake.root)], cwd=PROJECT_ROOT, stdin=subprocess.PIPE)
    try:
        _stored_job(lake, "job_orphan000000001", pid=stand_in.pid, server_pid=0)
        _stored_job(lake, "job_gone0000000000001", pid=os.getpid(), server_pid=0)  # alive, but not a pipeline
        app = create_app({"TESTING": True, "LAKE_ROOT": str(lake.root)})
        client = app.test_client()
        gone = client.get("/api/jobs/job_gone0000000000001", headers=auth(tokens["analyst"])).get_json()
        assert gone["status"] == "error" and gone["message"] == INTERRUPTED
        orphan = client.get("/api/jobs/job_orphan000000001", headers=auth(tokens["analyst"])).get_json()
        assert orphan["status"] == "running"
        busy = client.post("/api/pipeline/clean", json={"customer_id": PREPARED}, headers=auth(tokens["analyst"]))
        assert busy.status_code == 409 and busy.get_json()["error"] == "job_running"
    finally:
        stand_in.communicate(b"")
    assert app.extensions["jobs"].wait("job_orphan000000001", timeout=60)
    ended = lake.read_json(lake.job_path(PREPARED, "job_orphan000000001"))
    assert ended["status"] == "error" and ended["message"] == INTERRUPTED and ended["finished_at"]
    freed = client.post("/api/pipeline/clean", json={"customer_id": PREPARED}, headers=auth(tokens["analyst"]))
    assert freed.status_code == 202
    assert app.extensions["jobs"].wait(freed.get_json()["job_id"], timeout=60)
