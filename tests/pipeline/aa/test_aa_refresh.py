"""PERIODIC AA consents in ``refresh``: re-fetched over HTTP when Frequency allows, not before; an EXPIRED
notification erases the customer's data as revocation does."""
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
from pipeline.aa.notifications import receive_consent_notification
from pipeline.aa.records import read_record
from pipeline.aa.timestamps import iso_z
from pipeline.cli import main
from pipeline.consents import IST, ConsentRegistry
from pipeline.lake import Lake
from pipeline.refresh import run_refresh

CUSTOMER = "CUST_AAR_00001"


@pytest.fixture()
def approved(tmp_path, monkeypatch, config, capsys, small_risk_model):
    key_file = tmp_path / "keys" / "fiu.pem"
    monkeypatch.setenv("AA_FIU_SIGNING_KEY_FILE", str(key_file))
    signing_key(aa_settings({}))
    app = create_aa_app({"FIU-MSME-LAKE": (key_file.parent / "fiu.pub.pem").read_text()}, config,
                        dt.date.today().replace(day=1))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("AA_BASE_URL", f"http://127.0.0.1:{server.server_port}")
    lake = small_risk_model(Lake(tmp_path / "lake"))   # scoring does not train the 300-customer demo model
    assert main(["aa-consent", "--customer-id", CUSTOMER, "--lake", str(lake.root), "--purpose", "104"]) == 0
    url = capsys.readouterr().out.split("approves at ")[1].split()[0]
    assert httpx.post(url, data={"decision": "approve"}).json()["status"] == "ACTIVE"
    assert main(["aa-fetch", "--customer-id", CUSTOMER, "--lake", str(lake.root)]) == 0
    yield lake, app.extensions["local_aa"]
    server.shutdown()


def test_a_periodic_consent_is_refetched_from_the_aa_when_frequency_allows(approved, config):
    lake, _ = approved
    first = read_record(lake, CUSTOMER)["fetched_at"]
    consent = ConsentRegistry(lake).active(CUSTOMER)[-1]
    assert consent["source"] == "aa" and consent["fetchType"] == "PERIODIC"
    assert consent["Frequency"] == {"unit": "MONTH", "value": 3}   # at most three fetches a month
    now = dt.datetime.now(IST)
    early = run_refresh(lake, config, now=now + dt.timedelta(days=2))
    assert early["customers"][0]["outcome"] == "unchanged" and "allows the next fetch" in early["customers"][0]["reason"]
    assert read_record(lake, CUSTOMER)["fetched_at"] == first
    due = run_refresh(lake, config, now=now + dt.timedelta(days=11))
    row = due["customers"][0]
    assert row["outcome"] == "refreshed", row
    assert "aa_fetch" in row["steps"] and "AA fetch" in row["reason"]
    assert read_record(lake, CUSTOMER)["fetched_at"] > first
    assert [e["action"] for e in lake.read_audit(CUSTOMER)].count("aa_fetch") == 2
    assert lake.analytics_path(CUSTOMER, "credit_score").exists()


def test_an_expired_consent_erases_the_data(approved):
    lake, aa_state = approved
    record = read_record(lake, CUSTOMER)
    assert lake.has_customer(CUSTOMER)
    body = orjson.dumps({"ver": "2.0.0", "timestamp": iso_z(), "txnid": str(uuid.uuid4()),
                         "ConsentStatusNotification": {"consentId": record["consent_id"],
                                                       "consentHandle": record["consent_handle"],
                                                       "consentStatus": "EXPIRED"}})
    outcome = receive_consent_notification(lake, ConsentRegistry(lake), body, jws.sign(body, aa_state["private"]),
                                           aa_state["public"])
    assert outcome["status"] == "EXPIRED" and "raw" in outcome["erased_layers"]
    assert not lake.has_customer(CUSTOMER)
    assert ConsentRegistry(lake).get(CUSTOMER, record["consent_id"])["effectiveStatus"] == "EXPIRED"
    erase = [e for e in lake.read_audit(CUSTOMER) if e["action"] == "erase"][-1]
    assert "EXPIRED" in erase["reason"] and erase["actor"] == "aa"
