"""The AA journey through the API: consent request and fetch as 202 jobs against a local AA over real HTTP,
and the FIU's notification endpoints (signed by the AA's key; replays, bad signatures and revocation)."""
import datetime as dt
import threading
import uuid

import httpx
import orjson
import pytest
from werkzeug.serving import make_server

from generators.aa_server import create_aa_app
from pipeline.aa import jws
from pipeline.aa.journey import aa_settings, signing_key
from pipeline.aa.timestamps import iso_z
from tests.api_panel.conftest import auth

CID = "CUST_AAA_00001"


@pytest.fixture()
def local_aa(tmp_path, monkeypatch):
    from pipeline.config import load_config

    key_file = tmp_path / "keys" / "fiu.pem"
    monkeypatch.setenv("AA_FIU_SIGNING_KEY_FILE", str(key_file))   # the job processes inherit it
    signing_key(aa_settings({}))
    app = create_aa_app({"FIU-MSME-LAKE": (key_file.parent / "fiu.pub.pem").read_text()}, load_config(),
                        dt.date.today().replace(day=1))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    monkeypatch.setenv("AA_BASE_URL", base)
    yield base, app.extensions["local_aa"]
    server.shutdown()


def _job(client, app, tokens, path, body):
    response = client.post(path, json=body, headers=auth(tokens["analyst"]))
    assert response.status_code == 202, response.get_json()
    job_id = response.get_json()["job_id"]
    assert app.extensions["jobs"].wait(job_id, timeout=120)
    return client.get(f"/api/jobs/{job_id}", headers=auth(tokens["analyst"])).get_json()


def _notify(client, aa_state, handle, status, consent_id, txnid=None, key=None, when=None):
    body = orjson.dumps({"ver": "2.0.0", "timestamp": iso_z(when), "txnid": txnid or str(uuid.uuid4()),
                         "Notifier": {"type": "AA", "id": "LOCAL-AA"},
                         "ConsentStatusNotification": {"consentId": consent_id, "consentHandle": handle,
                                                       "consentStatus": status}})
    signature = jws.sign(body, key or aa_state["private"], kid="local-aa")
    return client.post("/Consent/Notification", data=body, content_type="application/json",
                       headers={"x-jws-signature": signature})


def test_the_journey_through_the_api(local_aa, client, app, tokens, lake, socket_client):
    base, aa_state = local_aa
    sock = socket_client("analyst")
    assert sock.emit("join", {"customer_id": CID}, callback=True)["ok"] is True
    empty = client.get("/api/aa/consents", query_string={"customer_id": CID}, headers=auth(tokens["analyst"]))
    assert empty.status_code == 200 and empty.get_json()["journey"] is None
    assert empty.get_json()["aa"]["base_url"] == base

    job = _job(client, app, tokens, "/api/aa/consents", {"customer_id": CID, "fi_types": ["DEPOSIT"]})
    assert job["status"] == "done" and job["step"] == "aa_consent", job
    assert any("approves at" in line["message"] for line in job["log"])
    journey = client.get("/api/aa/consents", query_string={"customer_id": CID},
                         headers=auth(tokens["analyst"])).get_json()["journey"]
    handle = journey["consent_handle"]
    assert journey["status"] == "PENDING" and journey["approval_url"] == f"{base}/approve/{handle}"
    assert "applied_txnids" not in journey and "@" not in orjson.dumps(journey).decode().replace(base, "")

    fetch_early = _job(client, app, tokens, "/api/aa/fetch", {"customer_id": CID})
    assert fetch_early["status"] == "error" and "PENDING" in fetch_early["message"]
    assert not lake.raw_path(CID, "transactions").exists()

    approved = httpx.post(journey["approval_url"], data={"decision": "approve"}).json()
    consent_id = approved["consentId"]
    response = _notify(client, aa_state, handle, "ACTIVE", consent_id)
    assert response.status_code == 200 and response.get_json()["response"] == "OK"
    pushed = [e["args"][0] for e in sock.get_received() if e["name"] == "aa_consent_status"]
    assert pushed[-1]["status"] == "ACTIVE" and pushed[-1]["consent_id"] == consent_id
    consents = client.get("/api/consents", query_string={"customer_id": CID}, headers=auth(tokens["admin"]))
    joined = [c for c in consents.get_json()["consents"] if c["consentId"] == consent_id]
    assert joined and joined[0]["effectiveStatus"] == "ACTIVE" and joined[0]["aa"]["artefact"] == "signed"
    assert joined[0]["Purpose"]["code"] == "104" and joined[0]["fiTypes"] == ["DEPOSIT"]

    fetched = _job(client, app, tokens, "/api/aa/fetch", {"customer_id": CID})
    assert fetched["status"] == "done" and "transaction(s)" in fetched["message"], fetched
    levels = {line["level"] for line in fetched["log"]}   # the clean step's levels survive into the live log
    assert any(l["level"] == "success" and l["message"].startswith("fetched") for l in fetched["log"])
    assert "success" in levels and "info" in levels
    assert lake.read_clean(CID, "transactions")
    assert lake.read_json(lake.consent_path(CID))["consentId"] == consent_id

    revoked = _notify(client, aa_state, handle, "REVOKED", consent_id)
    assert revoked.status_code == 200
    assert not lake.has_customer(CID)
    actions = [e["action"] for e in lake.read_audit(CID)]
    assert {"aa_consent_requested", "aa_fetch_refused", "aa_fetch", "aa_consent_notification", "erase"} <= set(actions)
    after = client.get("/api/aa/consents", query_string={"customer_id": CID},
                       headers=auth(tokens["analyst"])).get_json()["journey"]
    assert after["status"] == "REVOKED" and [h["status"] for h in after["history"]][-1] == "REVOKED"


def test_notifications_that_cannot_be_trusted_are_refused_and_audited(local_aa, client, app, tokens, lake):
    base, aa_state = local_aa
    _job(client, app, tokens, "/api/aa/consents", {"customer_id": CID})
    handle = client.get("/api/aa/consents", query_string={"customer_id": CID},
                        headers=auth(tokens["analyst"])).get_json()["journey"]["consent_handle"]
    forged = _notify(client, aa_state, handle, "ACTIVE", "c-1", key=jws.new_signing_key()[0])
    assert forged.status_code == 401 and forged.get_json()["errorCode"] == "bad_signature"
    unknown = _notify(client, aa_state, str(uuid.uuid4()), "ACTIVE", "c-1")
    assert unknown.status_code == 404 and unknown.get_json()["errorCode"] == "unknown_consent"
    traversal = _notify(client, aa_state, "../../etc/passwd", "ACTIVE", "c-1")
    assert traversal.status_code == 400
    now = dt.datetime.now(dt.timezone.utc)
    assert _notify(client, aa_state, handle, "ACTIVE", "c-1", txnid="t-1", when=now).status_code == 200
    replay = _notify(client, aa_state, handle, "ACTIVE", "c-1", txnid="t-1", when=now)
    assert replay.status_code == 409 and replay.get_json()["errorCode"] == "replayed_notification"
    stale = _notify(client, aa_state, handle, "PAUSED", "c-1", when=now - dt.timedelta(minutes=5))
    assert stale.status_code == 409 and stale.get_json()["errorCode"] == "out_of_order_notification"
    illegal = _notify(client, aa_state, handle, "REJECTED", "c-1")   # only a PENDING consent can be rejected
    assert illegal.status_code == 409 and illegal.get_json()["errorCode"] == "invalid_transition"
    assert _notify(client, aa_state, handle, "REVOKED", "c-1").status_code == 200
    after_erasure = _notify(client, aa_state, handle, "ACTIVE", "c-1")   # the handle was forgotten with the data
    assert after_erasure.status_code == 404 and after_erasure.get_json()["errorCode"] == "unknown_consent"
    causes = [e["cause"] for e in lake.read_audit(CID) if e["action"] == "aa_notification_refused"]
    assert causes == ["replayed_notification", "out_of_order_notification", "invalid_transition"]
    garbage = client.post("/Consent/Notification", data=b"not json", content_type="application/json",
                          headers={"x-jws-signature": jws.sign(b"not json", aa_state["private"])})
    assert garbage.status_code == 400 and garbage.get_json()["errorCode"] == "bad_notification"


def test_bad_requests_name_the_field(client, tokens):
    headers = auth(tokens["analyst"])
    bad_type = client.post("/api/aa/consents", json={"customer_id": CID, "fi_types": ["CASH"]}, headers=headers)
    assert bad_type.status_code == 400 and bad_type.get_json()["field"] == "fi_types"
    bad_purpose = client.post("/api/aa/consents", json={"customer_id": CID, "purpose": "999"}, headers=headers)
    assert bad_purpose.status_code == 400 and bad_purpose.get_json()["field"] == "purpose"
    no_consent = client.post("/api/aa/fetch", json={"customer_id": CID}, headers=headers)
    assert no_consent.status_code == 404 and no_consent.get_json()["error"] == "no_aa_consent"
    officer = client.post("/api/aa/fetch", json={"customer_id": CID}, headers=auth(tokens["officer"]))
    assert officer.status_code == 403
