"""`python -m pipeline aa-consent` and `aa-fetch` against the local AA over HTTP, into a real lake."""
import datetime as dt
import threading

import httpx
import pytest
from werkzeug.serving import make_server

from generators.aa_server import create_aa_app
from pipeline.aa.journey import aa_settings, signing_key
from pipeline.cli import main
from pipeline.lake import Lake

CUSTOMER = "CUST_AAJ_00001"


@pytest.fixture()
def local_aa(tmp_path, monkeypatch, config):
    key_file = tmp_path / "keys" / "fiu.pem"
    monkeypatch.setenv("AA_FIU_SIGNING_KEY_FILE", str(key_file))
    signing_key(aa_settings({}))   # creates the FIU key pair outside the lake
    public = (key_file.parent / "fiu.pub.pem").read_text()
    app = create_aa_app({"FIU-MSME-LAKE": public}, config, dt.date(2026, 11, 1))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    monkeypatch.setenv("AA_BASE_URL", base)
    yield base
    server.shutdown()


def _consent(base, lake_dir, capsys):
    assert main(["aa-consent", "--customer-id", CUSTOMER, "--lake", str(lake_dir), "--purpose", "104"]) == 0
    out = capsys.readouterr().out
    handle = out.split("consent handle ")[1].split()[0]
    url = out.split("approves at ")[1].split()[0]
    assert url == f"{base}/approve/{handle}"
    return handle, url


def test_consent_then_fetch_lands_in_raw_and_clean(local_aa, tmp_path, capsys):
    lake_dir = tmp_path / "lake"
    handle, url = _consent(local_aa, lake_dir, capsys)
    assert main(["aa-fetch", "--customer-id", CUSTOMER, "--lake", str(lake_dir)]) == 1   # not approved yet
    assert "PENDING" in capsys.readouterr().err
    assert httpx.post(url, data={"decision": "approve"}).json()["status"] == "ACTIVE"
    assert main(["aa-fetch", "--customer-id", CUSTOMER, "--lake", str(lake_dir)]) == 0
    lake = Lake(lake_dir)
    raw = lake.read_ndjson(lake.raw_path(CUSTOMER, "transactions"))
    clean = lake.read_clean(CUSTOMER, "transactions")
    assert raw and len(clean) > 0.9 * len(raw)
    from pipeline.aa.records import read_record
    record = read_record(lake, CUSTOMER)
    assert record["status"] == "ACTIVE" and record["consent_id"] and record["consent_handle"] == handle
    actions = [e["action"] for e in lake.read_audit()]
    assert actions.count("aa_consent_requested") == 1 and "aa_fetch" in actions and "aa_fetch_refused" in actions
    everything = "".join(p.read_text(errors="ignore") for p in lake_dir.rglob("*") if p.is_file())
    assert "PRIVATE KEY" not in everything


@pytest.mark.parametrize("fault, cause", [
    ("tampered_ciphertext", "tampered_ciphertext"), ("bad_signature", "bad_signature"), ("expired_key", "expired_key"),
    ("timeout", "aa_timeout"), ("revoked", "aa_error"), ("paused", "aa_error")])
def test_each_fault_is_refused_with_its_cause_and_writes_nothing(local_aa, tmp_path, capsys, monkeypatch, fault, cause):
    lake_dir = tmp_path / "lake"
    _, url = _consent(local_aa, lake_dir, capsys)
    httpx.post(url, data={"decision": "approve"})
    if fault == "timeout":   # the local AA answers after 3 s under this fault
        monkeypatch.setenv("AA_TIMEOUT_S", "1")
    httpx.post(f"{local_aa}/admin/faults", json={"faults": [fault]})
    assert main(["aa-fetch", "--customer-id", CUSTOMER, "--lake", str(lake_dir)]) == 1
    err = capsys.readouterr().err
    assert f"({cause})" in err and "nothing was written" in err
    if fault in ("revoked", "paused"):
        assert "ConsentNotActive" in err
    lake = Lake(lake_dir)
    assert not lake.customer_dir("raw", CUSTOMER).exists() and not lake.customer_dir("clean", CUSTOMER).exists()
    assert [e for e in lake.read_audit() if e["action"] == "aa_fetch_refused"][-1]["cause"] == cause
    everything = "".join(p.read_text(errors="ignore") for p in lake_dir.rglob("*") if p.is_file())
    assert "PRIVATE KEY" not in everything
