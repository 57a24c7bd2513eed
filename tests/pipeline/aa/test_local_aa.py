"""The FIU against the local AA over real HTTP: the consent journey, the encrypted fetch, and every fault."""
import datetime as dt
import threading

import httpx
import pytest
from werkzeug.serving import make_server

from generators.aa_server import create_aa_app
from pipeline.aa.journey import handle_for
from pipeline.aa import jws
from pipeline.aa.client import FIUClient, fetch_fi
from pipeline.aa.consent_request import consent_request
from pipeline.aa.crypto import AAError

CUSTOMER = "CUST_MSM_00005"
AS_OF = dt.date(2026, 11, 1)


@pytest.fixture(scope="module")
def local_aa(config):
    private, public = jws.new_signing_key()
    app = create_aa_app({"FIU-MSME-LAKE": public}, config, AS_OF)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    aa_key = httpx.get(f"{base}/keys").json()["keys"][0]["pem"]
    client = FIUClient(base, "FIU-MSME-LAKE", private, aa_key, timeout=2.0)
    yield base, client, app.extensions["local_aa"]
    server.shutdown()


def _faults(base, names):
    assert httpx.post(f"{base}/admin/faults", json={"faults": names}).status_code == 200


def _approved_consent(base, client):
    body = consent_request("FIU-MSME-LAKE", handle_for(CUSTOMER), ["DEPOSIT"], months_of_data=36)
    handle = client.request_consent(body)
    assert client.consent_status(handle)["status"] == "PENDING"
    page = httpx.get(f"{base}/approve/{handle}")
    assert page.status_code == 200 and "DEPOSIT" in page.text and "Approve" in page.text
    assert httpx.post(f"{base}/approve/{handle}", data={"decision": "approve"}).json()["status"] == "ACTIVE"
    status = client.consent_status(handle)
    assert status["status"] == "ACTIVE" and status["id"]
    return status["id"], body["ConsentDetail"]["FIDataRange"]


def test_the_whole_journey_over_http(local_aa, config):
    base, client, _ = local_aa
    _faults(base, [])
    consent_id, rng = _approved_consent(base, client)
    result = fetch_fi(client, consent_id, ["DEPOSIT"], rng["from"], rng["to"])
    from generators.aa_fip import fip_records
    from generators.registry import generate_customer
    expected = generate_customer(CUSTOMER, None, AS_OF, config).records["transactions"]
    held, account = fip_records(CUSTOMER, "transactions", AS_OF, config)   # re-sent duplicates included
    assert len(result.accounts) == 1 and len(result.transactions) == len(held) == account["lines"]
    assert {t["txnId"] for t in result.transactions} == {t["txnId"] for t in expected}


@pytest.mark.parametrize("fault, code", [("bad_signature", "bad_signature"), ("tampered_ciphertext", "tampered_ciphertext"),
                                         ("expired_key", "expired_key"), ("timeout", "aa_timeout"),
                                         ("revoked", "aa_error")])
def test_each_fault_is_refused_with_its_cause(local_aa, fault, code):
    base, client, state = local_aa
    _faults(base, [])
    consent_id, rng = _approved_consent(base, client)
    _faults(base, [fault])
    try:
        with pytest.raises(AAError) as err:
            fetch_fi(client, consent_id, ["DEPOSIT"], rng["from"], rng["to"])
        assert err.value.code == code
        assert "PRIVATE KEY" not in str(err.value)
    finally:
        _faults(base, [])


def test_unsigned_or_unknown_clients_are_refused(local_aa):
    base, client, _ = local_aa
    _faults(base, [])
    stranger = FIUClient(base, "FIU-OTHER", jws.new_signing_key()[0], client.aa_public_key)
    with pytest.raises(AAError) as err:
        stranger.request_consent(consent_request("FIU-OTHER", handle_for(CUSTOMER), ["DEPOSIT"]))
    assert err.value.code == "aa_error" and "client_id" in str(err.value)
    forger = FIUClient(base, "FIU-MSME-LAKE", jws.new_signing_key()[0], client.aa_public_key)
    with pytest.raises(AAError) as err:
        forger.request_consent(consent_request("FIU-MSME-LAKE", handle_for(CUSTOMER), ["DEPOSIT"]))
    assert err.value.code == "aa_error" and "SignatureDoesNotMatch" in str(err.value)


def test_a_fetch_outside_the_consent_never_reaches_the_fip(local_aa):
    base, client, state = local_aa
    _faults(base, [])
    consent_id, rng = _approved_consent(base, client)
    sessions = len(state["sessions"])
    with pytest.raises(AAError) as err:
        fetch_fi(client, consent_id, ["GSTR1_3B"], rng["from"], rng["to"])
    assert err.value.code == "consent_scope" and len(state["sessions"]) == sessions
