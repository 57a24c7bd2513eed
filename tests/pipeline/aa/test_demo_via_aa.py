"""``prepare-demo`` fetches the demo customers' bank accounts and GST returns through the local AA over HTTP
(signed, encrypted), generates the rest, and runs every step; a second preparation reuses the consent in force;
a preparation whose inputs have not changed reuses the customers; revoking the AA consent erases what it
brought."""
import copy

import pytest

from pipeline.aa import demo as aa_demo
from pipeline.aa.notifications import sync_registry
from pipeline.aa.records import read_record, update_record
from pipeline.consents import ConsentRegistry
from pipeline.demo import prepare_demo
from pipeline.warehouse.build import warehouse_manifest
from pipeline.lake import Lake

DEMO = {"CUST_MSM_00002": "high_seasonality", "CUST_MSM_00006": "fraud"}   # 00002 has a disbursed loan to book


@pytest.fixture()
def small_demo(tmp_path, monkeypatch, config, small_risk_model):
    monkeypatch.setenv("AA_FIU_SIGNING_KEY_FILE", str(tmp_path / "keys" / "fiu.pem"))
    monkeypatch.setattr(aa_demo, "LOCAL_AA_STATE", tmp_path / "aa_state")
    settings = copy.deepcopy(config)
    settings["demo_customers"] = DEMO
    model = settings["monitoring"]["model"]
    settings["monitoring"]["model"] = {**model, "training_rows": 1500,
                                       "trainer": {**model.get("trainer", {}), "cv_folds": 3}}
    return small_risk_model(Lake(tmp_path / "lake")), settings


def test_the_demo_arrives_through_the_local_aa(small_demo):
    lake, config = small_demo
    said = []
    assert prepare_demo(lake, config, None, said.append, lambda level, message: said.append(message)) == []
    assert any(line.startswith("local Account Aggregator at http://127.0.0.1:") for line in said)
    for customer_id, profile in DEMO.items():
        journey = read_record(lake, customer_id)
        assert journey["status"] == "ACTIVE" and journey["fetched_at"] and journey["purpose"] == "104"
        aa, other = sorted(ConsentRegistry(lake).active(customer_id), key=lambda c: c.get("source") != "aa")
        assert aa["source"] == "aa" and aa["fiTypes"] == ["DEPOSIT", "GSTR1_3B"] and aa["Purpose"]["code"] == "104"
        assert not {"DEPOSIT", "GSTR1_3B"} & set(other["fiTypes"])   # the bureau, OCEN, ONDC... consent
        assert lake.read_json(lake.customer_meta_path(customer_id))["profile"] == profile
        injected = lake.read_json(lake.log_path(customer_id, "injected"))
        assert {s: injected["sources"][s].get("delivered_by") for s in aa_demo.AA_SOURCES} == \
            dict.fromkeys(aa_demo.AA_SOURCES, "aa")
        assert lake.read_clean(customer_id, "transactions") and lake.read_clean(customer_id, "gst_returns")
        assert lake.analytics_path(customer_id, "decision").exists()
        fetches = [e for e in lake.read_audit(customer_id) if e["action"] == "aa_fetch"]
        assert len(fetches) == 1 and fetches[0]["consent_id"] == journey["consent_id"]

    manifest = warehouse_manifest(lake)   # the Portfolio view's SQL views have their warehouse from the start
    assert manifest["customers"] == len(DEMO) and manifest["rows"]["transactions"] > 0
    assert any(line.startswith("warehouse built: ") for line in said)

    said.clear()   # nothing changed: every customer is reused as it is, consents and all
    raw = {c: lake.raw_path(c, "credit_bureau").stat().st_mtime_ns for c in DEMO}
    assert prepare_demo(lake, config, None, said.append, lambda level, message: None) == []
    assert [line for line in said if line.startswith("==")] == [
        f"== {c} ({p}): reused (inputs unchanged, AA consent in force)" for c, p in DEMO.items()]
    assert said[-1].startswith("every demo customer reused")
    assert raw == {c: lake.raw_path(c, "credit_bureau").stat().st_mtime_ns for c in DEMO}
    assert all([e["action"] for e in lake.read_audit(c)].count("aa_fetch") == 1 for c in DEMO)

    config = {**config, "version": config["version"] + "-changed"}   # an input changed: rebuilt
    assert prepare_demo(lake, config, None, said.append, lambda level, message: None) == []
    for customer_id in DEMO:   # the consent in force is used again: no new request
        actions = [e["action"] for e in lake.read_audit(customer_id)]
        assert actions.count("aa_consent_requested") == 1 and actions.count("aa_fetch") == 2
        assert len(ConsentRegistry(lake).list(customer_id)) == 2

    # revoking the AA consent erases what it brought (and what was derived from it), not the other sources
    customer_id = "CUST_MSM_00006"
    record = update_record(lake, customer_id, lambda old: {**old, "status": "REVOKED"})
    erased = sync_registry(lake, ConsentRegistry(lake), customer_id, record)
    assert {"raw/transactions", "clean/transactions", "raw/gst_returns", "analytics"} <= set(erased)
    assert not lake.raw_path(customer_id, "accounts").exists()
    assert lake.raw_path(customer_id, "credit_bureau").exists()   # still under its own consent
    entry = [e for e in lake.read_audit(customer_id) if e["action"] == "erase"][-1]
    assert "DEPOSIT" in entry["reason"] and "REVOKED" in entry["reason"]
