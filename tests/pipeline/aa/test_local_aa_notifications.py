"""The local AA tells the FIU what changed (signed notifications over real HTTP), misbehaves on request, limits
fetches to what the consent allows, and shows the customer an escaped approval page with the right buttons.

The FIU here is a tiny receiver on a real werkzeug server: it verifies each notification's detached JWS with the
AA's published key, records it and answers ``"response": "OK"``; the recorded bodies are then fed to
:func:`pipeline.aa.lifecycle.apply_notification`, the FIU's own state machine.
"""
import datetime as dt
import threading

import httpx
import orjson
import pytest
from flask import Flask, request
from werkzeug.serving import make_server

from generators.aa_server import create_aa_app
from generators.aa_server.fetch_limits import check_fetch_limit
from pipeline.aa import jws
from pipeline.aa.client import FIUClient
from pipeline.aa.consent_request import consent_request
from pipeline.aa.crypto import new_ephemeral_key
from pipeline.aa.errors import AAError
from pipeline.aa.journey import handle_for
from pipeline.aa.lifecycle import ConsentState, apply_notification
from pipeline.aa.timestamps import iso_z

CUSTOMER = "CUST_MSM_00005"
FIU, QUIET_FIU = "FIU-MSME-LAKE", "FIU-QUIET"


class Receiver:
    """The FIU's notification endpoints: verify with the AA's key, record, answer OK (401 when unsigned)."""

    def __init__(self):
        self.aa_key = None
        self.received: list[dict] = []
        self.app = Flask("fiu_receiver")
        for path in ("/Consent/Notification", "/FI/Notification"):
            self.app.add_url_rule(path, path, self.receive, methods=["POST"])

    def receive(self):
        data = request.get_data()
        body = orjson.loads(data)
        try:
            jws.verify(data, request.headers.get("x-jws-signature"), self.aa_key)
            verified = True
        except AAError:
            verified = False
        self.received.append({"path": request.path, "body": body, "verified": verified, "raw": data})
        reply = {"ver": "2.0.0", "timestamp": iso_z(), "txnid": body.get("txnid")}
        if not verified:
            return {**reply, "errorCode": "SignatureDoesNotMatch", "errorMsg": "bad x-jws-signature"}, 401
        return {**reply, "response": "OK"}

    def consent_notes(self, handle: str) -> list[dict]:
        """What arrived at /Consent/Notification about one consent, in order."""
        return [r for r in self.received if r["path"] == "/Consent/Notification"
                and r["body"]["ConsentStatusNotification"]["consentHandle"] == handle]


def _serve(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


@pytest.fixture(scope="module")
def aa(config):
    receiver = Receiver()
    fiu_server, fiu_base = _serve(receiver.app)
    private, public = jws.new_signing_key()
    app = create_aa_app({FIU: public, QUIET_FIU: public}, config, dt.date(2026, 11, 1), fiu_urls={FIU: fiu_base})
    aa_server, base = _serve(app)
    receiver.aa_key = httpx.get(f"{base}/keys").json()["keys"][0]["pem"]
    state = app.extensions["local_aa"]
    yield {"base": base, "receiver": receiver, "state": state, "private": private,
           "client": FIUClient(base, FIU, private, receiver.aa_key, timeout=5.0)}
    aa_server.shutdown()
    fiu_server.shutdown()


@pytest.fixture()
def local(aa):
    """The module's AA with no faults, before and after each test."""
    def reset():
        assert httpx.post(f"{aa['base']}/admin/faults", json={"faults": []}).status_code == 200
    reset()
    yield aa
    reset()


def _settled(aa):
    assert aa["state"]["outbox"].wait(10), "the AA's notifications were not all attempted in time"


def _consent(aa, client_id=FIU, **kwargs) -> str:
    body = consent_request(client_id, handle_for(CUSTOMER), ["DEPOSIT"], months_of_data=36, **kwargs)
    return FIUClient(aa["base"], client_id, aa["private"], aa["receiver"].aa_key).request_consent(body)


def _decide(aa, handle, decision, status=None):
    resp = httpx.post(f"{aa['base']}/approve/{handle}", data={"decision": decision})
    if status:
        assert resp.status_code == 200 and resp.json()["status"] == status, resp.text
    return resp


def _fi_request(aa, consent_id, rng) -> httpx.Response:
    """A signed ``POST /FI/request`` with its raw response, so the status code can be checked."""
    body = {"ver": "2.0.0", "timestamp": iso_z(), "txnid": "t-fi", "FIDataRange": rng, "Consent": {"id": consent_id},
            "KeyMaterial": new_ephemeral_key().key_material}
    data = orjson.dumps(body)
    return httpx.post(f"{aa['base']}/FI/request", content=data, timeout=5,
                      headers={"content-type": "application/json", "client-id": FIU,
                               "x-jws-signature": jws.sign(data, aa["private"])})


def _active(aa, **kwargs):
    handle = _consent(aa, **kwargs)
    consent_id = _decide(aa, handle, "approve", "ACTIVE").json()["consentId"]
    rng = aa["state"]["consents"][handle]["detail"]["FIDataRange"]
    return handle, consent_id, rng


def test_each_customer_action_is_notified_signed_and_applied_in_order(local):
    handle = _consent(local)
    steps = (("approve", "ACTIVE"), ("pause", "PAUSED"), ("resume", "ACTIVE"), ("revoke", "REVOKED"))
    for decision, status in steps:
        _decide(local, handle, decision, status)
    _settled(local)
    notes = local["receiver"].consent_notes(handle)
    assert [n["body"]["ConsentStatusNotification"]["consentStatus"] for n in notes] == [s for _, s in steps]
    assert all(n["verified"] for n in notes)
    first = notes[0]["body"]
    assert first["ver"] == "2.0.0" and first["Notifier"] == {"type": "AA", "id": "LOCAL-AA"}
    assert first["timestamp"].endswith("Z") and len({n["body"]["txnid"] for n in notes}) == 4
    fiu = ConsentState(handle)
    for note in notes:
        fiu = apply_notification(fiu, note["body"])
    consent_id = local["state"]["consents"][handle]["consent_id"]
    assert fiu.status == "REVOKED" and fiu.consent_id == consent_id and len(fiu.applied_txnids) == 4
    with pytest.raises(AAError) as err:
        apply_notification(fiu, first)
    assert err.value.code == "replayed_notification"
    log = [e for e in httpx.get(f"{local['base']}/admin/notifications").json()["notifications"]
           if e["body"].get("ConsentStatusNotification", {}).get("consentHandle") == handle]
    assert [e["status_code"] for e in log] == [200] * 4
    assert all(e["url"].endswith("/Consent/Notification") for e in log)


def test_a_client_without_a_url_is_not_notified(local):
    handle = _consent(local, client_id=QUIET_FIU)
    _decide(local, handle, "approve", "ACTIVE")
    _settled(local)
    assert not local["receiver"].consent_notes(handle)
    assert not [e for e in local["state"]["notifications"] if handle in str(e["body"])]


def test_the_admin_hook_expires_a_consent_and_refuses_what_it_cannot_do(local):
    handle, consent_id, rng = _active(local)
    admin = f"{local['base']}/admin/consents"
    resp = httpx.post(f"{admin}/{handle}", json={"status": "EXPIRED"})
    assert resp.status_code == 200 and resp.json() == {"ConsentHandle": handle, "status": "EXPIRED",
                                                       "consentId": consent_id}
    assert httpx.post(f"{admin}/{handle}", json={"status": "ACTIVE"}).json()["error"] == "invalid_transition"
    assert httpx.post(f"{admin}/{handle}", json={"status": "ACTIVE"}).status_code == 409
    assert httpx.post(f"{admin}/{handle}", json={"status": "SUSPENDED"}).status_code == 400
    assert httpx.post(f"{admin}/no-such-handle", json={"status": "EXPIRED"}).status_code == 404
    _settled(local)
    fiu = ConsentState(handle)
    for note in local["receiver"].consent_notes(handle):
        fiu = apply_notification(fiu, note["body"])
    assert fiu.status == "EXPIRED"
    refused = _fi_request(local, consent_id, rng)
    assert refused.status_code == 403 and refused.json()["errorCode"] == "ConsentNotActive"


def _approved_under(aa, fault):
    """A consent approved while ``fault`` is in force, and what the FIU received about it."""
    handle = _consent(aa)
    httpx.post(f"{aa['base']}/admin/faults", json={"faults": [fault]})
    _decide(aa, handle, "approve", "ACTIVE")
    _settled(aa)
    return handle, aa["receiver"].consent_notes(handle)


def test_duplicate_notification_sends_the_same_body_and_txnid_twice(local):
    handle, notes = _approved_under(local, "duplicate_notification")
    assert len(notes) == 2 and notes[0]["raw"] == notes[1]["raw"] and all(n["verified"] for n in notes)
    fiu = apply_notification(ConsentState(handle), notes[0]["body"])
    with pytest.raises(AAError) as err:
        apply_notification(fiu, notes[1]["body"])
    assert err.value.code == "replayed_notification" and fiu.status == "ACTIVE"


def test_bad_signature_makes_notifications_fail_verification(local):
    handle, notes = _approved_under(local, "bad_signature")
    assert len(notes) == 1 and notes[0]["verified"] is False
    entry = [e for e in local["state"]["notifications"] if handle in str(e["body"])]
    assert [e["status_code"] for e in entry] == [401]


@pytest.mark.parametrize("fault, status", [("paused", "PAUSED"), ("revoked", "REVOKED")])
def test_the_customer_acting_before_the_fi_request_is_notified_and_refuses_it(local, fault, status):
    handle, consent_id, rng = _active(local)
    httpx.post(f"{local['base']}/admin/faults", json={"faults": [fault]})
    refused = _fi_request(local, consent_id, rng)
    assert refused.status_code == 403 and refused.json()["errorCode"] == "ConsentNotActive"
    assert local["client"].consent_status(handle)["status"] == status
    _settled(local)
    notes = local["receiver"].consent_notes(handle)
    assert [n["body"]["ConsentStatusNotification"]["consentStatus"] for n in notes] == ["ACTIVE", status]


def test_the_fiu_is_told_when_the_fi_data_is_ready(local):
    _, consent_id, rng = _active(local)
    resp = _fi_request(local, consent_id, rng)
    assert resp.status_code == 200
    session = resp.json()["sessionId"]
    _settled(local)
    fi = [r for r in local["receiver"].received if r["path"] == "/FI/Notification"
          and r["body"]["FIStatusNotification"]["sessionId"] == session]
    assert len(fi) == 1 and fi[0]["verified"]
    body = fi[0]["body"]
    assert body["Notifier"] == {"type": "AA", "id": "LOCAL-AA"} and body["ver"] == "2.0.0"
    assert body["FIStatusNotification"] == {"sessionId": session, "sessionStatus": "COMPLETED", "FIStatusResponse": [
        {"fipID": "LOCAL-FIP", "Accounts": [{"linkRefNumber": "L1", "FIStatus": "READY", "description": ""}]}]}


def test_a_onetime_consent_is_fetched_once(local):
    _, consent_id, rng = _active(local, fetch_type="ONETIME")
    assert _fi_request(local, consent_id, rng).status_code == 200
    again = _fi_request(local, consent_id, rng)
    assert again.status_code == 429 and again.json()["errorCode"] == "FetchLimitExceeded"


def test_a_periodic_consent_is_fetched_no_more_often_than_its_frequency(local):
    _, consent_id, rng = _active(local, frequency=("DAY", 2))
    state = local["state"]
    real_now = state["now"]
    start = real_now()
    try:
        state["now"] = lambda: start
        assert [_fi_request(local, consent_id, rng).status_code for _ in range(3)] == [200, 200, 429]
        state["now"] = lambda: start + dt.timedelta(hours=23)
        assert _fi_request(local, consent_id, rng).json()["errorCode"] == "FetchLimitExceeded"
        state["now"] = lambda: start + dt.timedelta(hours=25)
        assert _fi_request(local, consent_id, rng).status_code == 200
    finally:
        state["now"] = real_now


NOW = dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("detail, ago_hours, allowed", [
    ({"fetchType": "ONETIME"}, [], True),
    ({"fetchType": "ONETIME"}, [24 * 400], False),
    ({"fetchType": "PERIODIC", "Frequency": {"unit": "HOUR", "value": 1}}, [2], True),
    ({"fetchType": "PERIODIC", "Frequency": {"unit": "HOUR", "value": 1}}, [0.5], False),
    ({"fetchType": "PERIODIC", "Frequency": {"unit": "MONTH", "value": 3}}, [1, 24 * 10, 24 * 29], False),
    ({"fetchType": "PERIODIC", "Frequency": {"unit": "MONTH", "value": 3}}, [1, 24 * 10, 24 * 31], True),
    ({"fetchType": "PERIODIC", "Frequency": {"unit": "YEAR", "value": 1}}, [24 * 364], False),
    ({"fetchType": "PERIODIC", "Frequency": {"unit": "INF", "value": 1}}, [0, 0, 0], True),
])
def test_fetch_limits_by_fetch_type_and_frequency(detail, ago_hours, allowed):
    fetched = [NOW - dt.timedelta(hours=h) for h in ago_hours]
    if allowed:
        check_fetch_limit(detail, fetched, NOW)
    else:
        with pytest.raises(AAError) as err:
            check_fetch_limit(detail, fetched, NOW)
        assert err.value.code == "FetchLimitExceeded"


def _buttons(page: str) -> list[str]:
    return [d for d in ("approve", "reject", "pause", "resume", "revoke") if f'value="{d}"' in page]


def test_the_approval_page_escapes_the_request_and_offers_what_the_status_allows(local):
    body = consent_request(FIU, handle_for(CUSTOMER), ["DEPOSIT"], months_of_data=36, frequency=("MONTH", 1))
    body["ConsentDetail"]["DataConsumer"]["id"] = '<script>alert("x")</script>'
    body["ConsentDetail"]["Purpose"]["text"] = "<b>monitoring</b> & more"
    handle = local["client"].request_consent(body)
    page_url = f"{local['base']}/approve/{handle}"
    page = httpx.get(page_url).text
    assert "<script>alert" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;b&gt;monitoring&lt;/b&gt; &amp; more" in page
    detail = body["ConsentDetail"]
    for shown in ("DEPOSIT", detail["FIDataRange"]["from"], "6 MONTH", "PERIODIC, 1 per MONTH", "PENDING"):
        assert shown in page
    assert _buttons(page) == ["approve", "reject"]
    for decision, status, buttons in (("approve", "ACTIVE", ["pause", "revoke"]),
                                      ("pause", "PAUSED", ["resume", "revoke"]), ("revoke", "REVOKED", [])):
        _decide(local, handle, decision, status)
        page = httpx.get(page_url).text
        assert _buttons(page) == buttons and status in page
    assert "final" in page
    refused = _decide(local, handle, "approve")
    assert refused.status_code == 409 and refused.json()["error"] == "invalid_transition"
    assert _decide(local, handle, "explode").status_code == 400


def test_a_browser_deciding_on_the_page_is_sent_back_to_it(local):
    handle = _consent(local)
    resp = httpx.post(f"{local['base']}/approve/{handle}", data={"decision": "reject"},
                      headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert resp.status_code == 303 and resp.headers["location"].endswith(f"/approve/{handle}")
    assert "REJECTED" in httpx.get(f"{local['base']}/approve/{handle}").text


def test_health(local):
    assert httpx.get(f"{local['base']}/health").json() == {"status": "ok"}
