"""Pipeline jobs over the real app and the real Socket.IO test client."""
from tests.api_panel.conftest import auth

CID = "CUST_API_00001"


def events_of(received, name):
    return [e["args"][0] for e in received if e["name"] == name]


def test_a_step_streams_its_logs_and_final_status(client, socket_client, tokens, app):
    sock = socket_client("analyst")
    assert sock.is_connected()
    ack = sock.emit("join", {"customer_id": CID}, callback=True)
    assert ack["ok"] is True
    response = client.post("/api/pipeline/clean", json={"customer_id": CID}, headers=auth(tokens["analyst"]))
    assert response.status_code == 202
    body = response.get_json()
    assert body["status"] == "pending" and body["job_id"].startswith("job_")
    assert app.extensions["jobs"].wait(body["job_id"], timeout=60)
    received = sock.get_received()
    logs = events_of(received, "pipeline_log")
    statuses = events_of(received, "pipeline_status")
    assert logs and all(set(l) == {"job_id", "customer_id", "step", "level", "message", "ts"} for l in logs)
    assert {l["level"] for l in logs} <= {"info", "success", "warning", "error"}
    assert any("transactions: read" in l["message"] for l in logs)
    assert statuses[-1]["status"] == "done" and statuses[-1]["job_id"] == body["job_id"]
    state = client.get(f"/api/jobs/{body['job_id']}", headers=auth(tokens["analyst"])).get_json()
    assert state["status"] == "done" and state["log"][-1]["message"] == logs[-1]["message"]


def test_a_second_job_for_the_same_customer_gets_409(client, tokens, app):
    first = client.post("/api/pipeline/analyze", json={"customer_id": CID}, headers=auth(tokens["analyst"]))
    second = client.post("/api/pipeline/clean", json={"customer_id": CID}, headers=auth(tokens["analyst"]))
    assert first.status_code == 202
    assert second.status_code == 409 and second.get_json()["error"] == "job_running"
    app.extensions["jobs"].wait(first.get_json()["job_id"], timeout=60)
    third = client.post("/api/pipeline/clean", json={"customer_id": CID}, headers=auth(tokens["analyst"]))
    assert third.status_code == 202
    app.extensions["jobs"].wait(third.get_json()["job_id"], timeout=60)


def test_a_failed_step_keeps_the_previous_outputs(client, tokens, app, lake):
    before = lake.analytics_path(CID, "credit_score").read_bytes()
    lake.clear_layer("clean", CID)  # analyze now has nothing to read and must fail
    response = client.post("/api/pipeline/analyze", json={"customer_id": CID}, headers=auth(tokens["analyst"]))
    job_id = response.get_json()["job_id"]
    app.extensions["jobs"].wait(job_id, timeout=60)
    state = client.get(f"/api/jobs/{job_id}", headers=auth(tokens["analyst"])).get_json()
    assert state["status"] == "error" and "run clean first" in state["message"]
    assert lake.analytics_path(CID, "credit_score").read_bytes() == before


def test_sockets_need_a_token_and_the_right_role(app, client, socket_client, tokens):
    from api_panel.extensions import socketio
    anonymous = socketio.test_client(app, flask_test_client=client, auth={"token": "nope"})
    assert not anonymous.is_connected()
    officer = socket_client("officer")
    assert officer.is_connected()
    ack = officer.emit("join", {"customer_id": CID}, callback=True)
    assert ack["ok"] is False and ack["error"] == "forbidden"
    bad = socket_client("analyst").emit("join", {"customer_id": "../etc"}, callback=True)
    assert bad["ok"] is False and bad["error"] == "invalid_customer_id"


def test_clients_only_receive_their_customers_logs(client, socket_client, tokens, app):
    other = socket_client("analyst")
    other.emit("join", {"customer_id": "CUST_API_00002"}, callback=True)
    response = client.post("/api/pipeline/clean", json={"customer_id": CID}, headers=auth(tokens["analyst"]))
    app.extensions["jobs"].wait(response.get_json()["job_id"], timeout=60)
    assert events_of(other.get_received(), "pipeline_log") == []


def test_generate_for_a_new_customer_runs_the_consent_journey(client, tokens, app, lake):
    new = "CUST_NEW_00001"
    response = client.post("/api/pipeline/generate", json={"customer_id": new}, headers=auth(tokens["analyst"]))
    assert response.status_code == 202
    app.extensions["jobs"].wait(response.get_json()["job_id"], timeout=60)
    consents = client.get(f"/api/consents?customer_id={new}", headers=auth(tokens["admin"])).get_json()["consents"]
    assert [c["effectiveStatus"] for c in consents] == ["ACTIVE"]
    assert lake.raw_path(new, "transactions").exists()
