"""Batch jobs from the API: ``python -m pipeline batch`` (a real Dask LocalCluster) started by an analyst,
followed live in the ``batch`` room, its progress and failures in the job state, its customers locked."""
import pytest

from api_panel.extensions import socketio
from tests.api_panel.conftest import auth

BATCH = "/api/pipeline/batch"


def batch_events(sock) -> list[dict]:
    return [m for m in sock.get_received() if m["name"] in ("pipeline_log", "pipeline_status")]


def test_a_batch_streams_its_progress_and_reports_the_customer_that_failed(app, client, lake, tokens):
    sock = socketio.test_client(app, flask_test_client=client, auth={"token": tokens["analyst"]})
    assert sock.emit("join_batch", {}, callback=True) == {"ok": True, "room": "batch"}
    bystander = socketio.test_client(app, flask_test_client=client, auth={"token": tokens["analyst"]})
    assert bystander.emit("join", {"customer_id": "CUST_API_00003"}, callback=True)["ok"] is True
    sock.get_received()
    bystander.get_received()
    # CUST_NEW_00001 has no raw data: its clean step fails; the two known customers go on
    started = client.post(BATCH, json={"customer_ids": ["CUST_API_00001", "CUST_NEW_00001", "CUST_API_00002"],
                                       "steps": ["clean", "analyze"], "workers": 1}, headers=auth(tokens["analyst"]))
    assert started.status_code == 202, started.get_json()
    job = started.get_json()
    assert job["customers"] == 3 and job["steps"] == ["clean", "analyze"] and job["status"] == "pending"
    busy = client.post("/api/pipeline/clean", json={"customer_id": "CUST_API_00001"}, headers=auth(tokens["analyst"]))
    assert busy.status_code == 409 and busy.get_json()["error"] == "job_running"
    second = client.post(BATCH, json={"customer_ids": ["CUST_API_00003"]}, headers=auth(tokens["analyst"]))
    assert second.status_code == 409
    assert app.extensions["jobs"].wait(job["job_id"], timeout=240)

    events = batch_events(sock)
    logs = [e["args"][0]["message"] for e in events if e["name"] == "pipeline_log"]
    assert any(m.startswith("batch of 3 customer(s)") for m in logs), logs
    assert sum(1 for m in logs if m.startswith("[") and " done in " in m) == 2
    assert any("CUST_NEW_00001 error:" in m for m in logs)
    assert any(m.startswith("batch finished: 2 done, 1 failed of 3") for m in logs)
    final = [e["args"][0] for e in events if e["name"] == "pipeline_status"][-1]
    assert final["status"] == "error" and final["job_id"] == job["job_id"]
    assert batch_events(bystander) == []  # a customer's room does not hear the batch

    state = client.get(f"/api/jobs/{job['job_id']}", headers=auth(tokens["analyst"])).get_json()
    assert state["progress"] == {"done": 2, "failed": 1, "total": 3}
    assert [f["customer_id"] for f in state["failed"]] == ["CUST_NEW_00001"]
    assert state["log"] and state["finished_at"]
    assert not lake.batch_customers_path(job["job_id"]).exists()  # the hand-over list is gone, the state stays
    assert lake.read_json(lake.batch_job_path(job["job_id"]))["progress"]["done"] == 2
    # the customers are free again
    again = client.post("/api/pipeline/clean", json={"customer_id": "CUST_API_00001"}, headers=auth(tokens["analyst"]))
    assert again.status_code == 202
    app.extensions["jobs"].wait(again.get_json()["job_id"], timeout=120)
    assert any(a["action"] == "pipeline_batch" and a["customers"] == 3 for a in lake.read_audit())


@pytest.mark.parametrize("body, field", [
    ({}, "customer_ids"),
    ({"customer_ids": []}, "customer_ids"),
    ({"customer_ids": "CUST_API_00001"}, "customer_ids"),
    ({"customer_ids": ["CUST_API_00001", "../../etc"]}, "customer_ids[1]"),
    ({"customer_ids": ["CUST_API_00001", 7]}, "customer_ids[1]"),
    ({"customer_ids": ["CUST_API_00001"], "steps": ["clean", "explode"]}, "steps"),
    ({"customer_ids": ["CUST_API_00001"], "steps": "clean"}, "steps"),
    ({"customer_ids": ["CUST_API_00001"], "workers": 0}, "workers"),
    ({"customer_ids": ["CUST_API_00001"], "workers": True}, "workers"),
    ({"customer_ids": ["CUST_API_00001"], "workers": 99}, "workers"),
])
def test_a_bad_batch_request_is_a_400_naming_the_field(client, tokens, lake, body, field):
    response = client.post(BATCH, json=body, headers=auth(tokens["analyst"]))
    assert response.status_code == 400 and response.get_json()["field"] == field
    assert not (lake.root / "batches").exists() or not list((lake.root / "batches").iterdir())


def test_only_analysts_start_batches_and_only_under_live_consents(client, tokens, lake):
    officer = client.post(BATCH, json={"customer_ids": ["CUST_API_00001"]}, headers=auth(tokens["officer"]))
    assert officer.status_code == 403
    consent = client.get("/api/consents?customer_id=CUST_API_00002", headers=auth(tokens["admin"])).get_json()
    client.post(f"/api/consents/{consent['consents'][0]['consentId']}/revoke", headers=auth(tokens["admin"]))
    refused = client.post(BATCH, json={"customer_ids": ["CUST_API_00001", "CUST_API_00002"]},
                          headers=auth(tokens["analyst"]))
    assert refused.status_code == 403 and "CUST_API_00002" in refused.get_json()["message"]
