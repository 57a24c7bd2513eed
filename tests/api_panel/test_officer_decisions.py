"""The officer's own decision and the case history, through the real app on a real lake.

The engine's ``decision.json`` is the real one where the models step wrote it, else the contract-shaped
fixture of ``tests/decision_fixture.py`` (the credit decision is built in parallel).
"""
import json

import pytest

from pipeline.consents import ConsentRegistry
from tests.api_panel.conftest import auth
from tests.decision_fixture import ensure_decision

CID = "CUST_API_00001"  # the engine approves, with an offer
NO_DECISION = "CUST_API_00003"  # analysed, never decided by the engine
URL = "/api/officer-decisions"


@pytest.fixture()
def engine(lake):
    """The engine's decision on CID: an approval with an offer."""
    doc = ensure_decision(lake, CID, decision="APPROVE")
    assert doc["decision"] in ("APPROVE", "APPROVE_WITH_CONDITIONS") and doc["offer"]["amount"]["value"] > 0
    return doc


def post(client, token, body):
    return client.post(URL, json=body, headers=auth(token))


def stored(lake, customer_id=CID):
    path = lake.officer_decisions_path(customer_id)
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_agreeing_with_the_engine_is_recorded_with_who_when_and_against_what(client, tokens, lake, engine):
    response = post(client, tokens["officer"], {"customer_id": CID, "decision": engine["decision"],
                                                "conditions": ["Stock statement every quarter"],
                                                "note": "Met the owner at the shop"})
    assert response.status_code == 201, response.get_json()
    record = response.get_json()
    assert record["by"] == "test-officer" and record["role"] == "officer" and record["ts"]
    assert record["decision"] == engine["decision"] and record["differs"] is False and record["differences"] == []
    assert record["engine"]["decision"] == engine["decision"]
    assert record["engine"]["policy_version"] == engine["policy"]["version"]
    assert record["amount"] == engine["offer"]["amount"]["value"] and record["amount_entered"] is False
    assert stored(lake) == [record]
    assert lake.officer_decisions_path(CID) == lake.customer_dir("logs", CID) / "officer_decisions.ndjson"


def test_an_override_without_a_reason_is_refused_and_nothing_is_stored(client, tokens, lake, engine):
    response = post(client, tokens["officer"], {"customer_id": CID, "decision": "DECLINE", "reason": "   "})
    assert response.status_code == 400
    body = response.get_json()
    assert body["field"] == "reason" and body["error"] == "reason_required" and engine["decision"] in body["message"]
    assert stored(lake) == []
    assert not [e for e in lake.read_audit(CID) if e["action"] == "officer_decision"]


def test_an_override_with_a_reason_is_stored_and_audited_without_amounts_or_notes(client, tokens, lake, engine):
    body = {"customer_id": CID, "decision": "DECLINE", "reason": "Premises shut on the site visit",
            "note": "Neighbours say the unit moved out in October"}
    response = post(client, tokens["analyst"], body)
    assert response.status_code == 201
    record = response.get_json()
    assert record["differs"] is True and record["differences"] == ["decision"] and record["amount"] is None
    assert record["reason"] == body["reason"] and record["by"] == "test-analyst"
    entry = [e for e in lake.read_audit(CID) if e["action"] == "officer_decision"][-1]
    assert entry["decision_id"] == record["decision_id"] and entry["who"] == "test-analyst"
    assert entry["decision"] == "DECLINE" and entry["engine_decision"] == engine["decision"]
    assert entry["policy_version"] == engine["policy"]["version"] and entry["differs"] is True
    text = json.dumps(entry)
    assert "Premises" not in text and "Neighbours" not in text and "amount" not in text


def test_another_amount_needs_a_reason_the_same_amount_does_not(client, tokens, lake, engine):
    offered = engine["offer"]["amount"]["value"]
    refused = post(client, tokens["officer"], {"customer_id": CID, "decision": engine["decision"],
                                               "amount": offered / 2, "conditions": ["c"]})
    assert refused.status_code == 400 and refused.get_json()["field"] == "reason"
    assert "amount" in refused.get_json()["message"]
    same = post(client, tokens["officer"], {"customer_id": CID, "decision": engine["decision"], "amount": offered,
                                            "conditions": ["c"]})
    assert same.status_code == 201 and same.get_json()["differs"] is False
    smaller = post(client, tokens["officer"], {"customer_id": CID, "decision": engine["decision"],
                                               "amount": offered / 2, "conditions": ["c"],
                                               "reason": "Half now, the rest after six months of conduct"})
    assert smaller.status_code == 201 and smaller.get_json()["differences"] == ["amount"]
    assert [r["amount"] for r in stored(lake)] == [offered, offered / 2]


BAD_BODIES = [
    ({"decision": "APPROVE"}, "customer_id"),
    ({"customer_id": "CUST_API_1", "decision": "APPROVE"}, "customer_id"),
    ({"customer_id": ["CUST_API_00001"], "decision": "APPROVE"}, "customer_id"),
    ({"customer_id": CID}, "decision"),
    ({"customer_id": CID, "decision": "approve"}, "decision"),
    ({"customer_id": CID, "decision": "MAYBE"}, "decision"),
    ({"customer_id": CID, "decision": 1}, "decision"),
    ({"customer_id": CID, "decision": "APPROVE", "amount": 0}, "amount"),
    ({"customer_id": CID, "decision": "APPROVE", "amount": -5000}, "amount"),
    ({"customer_id": CID, "decision": "APPROVE", "amount": "500000"}, "amount"),
    ({"customer_id": CID, "decision": "APPROVE", "amount": True}, "amount"),
    ({"customer_id": CID, "decision": "APPROVE", "amount": 1e13}, "amount"),
    ({"customer_id": CID, "decision": "DECLINE", "amount": 500000, "reason": "r"}, "amount"),
    ({"customer_id": CID, "decision": "APPROVE", "conditions": "collateral"}, "conditions"),
    ({"customer_id": CID, "decision": "APPROVE", "conditions": [12]}, "conditions[0]"),
    ({"customer_id": CID, "decision": "APPROVE", "conditions": ["ok", "   "]}, "conditions[1]"),
    ({"customer_id": CID, "decision": "APPROVE", "conditions": ["x" * 301]}, "conditions[0]"),
    ({"customer_id": CID, "decision": "APPROVE", "conditions": ["c"] * 21}, "conditions"),
    ({"customer_id": CID, "decision": "APPROVE_WITH_CONDITIONS", "conditions": []}, "conditions"),
    ({"customer_id": CID, "decision": "APPROVE", "note": 5}, "note"),
    ({"customer_id": CID, "decision": "APPROVE", "note": "n" * 2001}, "note"),
    ({"customer_id": CID, "decision": "DECLINE", "reason": ["no"]}, "reason"),
    ({"customer_id": CID, "decision": "DECLINE", "reason": "r" * 2001}, "reason"),
    ({"customer_id": CID, "decision": "APPROVE", "amout": 5}, "amout"),
]


@pytest.mark.parametrize("body, field", BAD_BODIES)
def test_bad_input_names_the_field_and_stores_nothing(client, tokens, lake, engine, body, field):
    response = post(client, tokens["officer"], body)
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["field"] == field and response.get_json()["message"]
    assert stored(lake) == []


def test_not_a_number_is_refused(client, tokens, lake, engine):
    response = client.post(URL, data='{"customer_id": "%s", "decision": "APPROVE", "amount": NaN}' % CID,
                           content_type="application/json", headers=auth(tokens["officer"]))
    assert response.status_code == 400 and response.get_json()["field"] == "amount"
    assert stored(lake) == []


def test_tokens_unknown_customers_and_a_missing_engine_decision(client, tokens, lake, engine):
    body = {"customer_id": CID, "decision": "APPROVE"}
    assert client.post(URL, json=body).status_code == 401
    assert client.post(URL, json=body, headers=auth("not-a-token")).status_code == 401
    unknown = post(client, tokens["officer"], {"customer_id": "CUST_ZZZ_99999", "decision": "APPROVE"})
    assert unknown.status_code == 404 and unknown.get_json()["error"] == "customer_not_found"
    undecided = post(client, tokens["officer"], {"customer_id": NO_DECISION, "decision": "REFER"})
    assert undecided.status_code == 404 and "models" in undecided.get_json()["message"]
    assert stored(lake, NO_DECISION) == [] and stored(lake) == []


def test_without_an_active_lending_consent_nothing_is_recorded_or_shown(client, tokens, lake, engine):
    registry = ConsentRegistry(lake)
    for consent in registry.list(CID):
        registry.set_status(CID, consent["consentId"], "PAUSED")
    response = post(client, tokens["officer"], {"customer_id": CID, "decision": engine["decision"]})
    assert response.status_code == 403 and "PAUSED" in response.get_json()["message"]
    assert stored(lake) == []
    history = client.get(f"/api/case-history?customer_id={CID}", headers=auth(tokens["officer"]))
    assert history.status_code == 403


def test_the_case_history_lists_engine_runs_and_officers_newest_first(client, tokens, lake, engine):
    first = post(client, tokens["officer"], {"customer_id": CID, "decision": engine["decision"],
                                             "conditions": ["c"]}).get_json()
    second = post(client, tokens["analyst"], {"customer_id": CID, "decision": "REFER",
                                              "reason": "Refer to the credit manager: related-party credits"}).get_json()
    response = client.get(f"/api/case-history?customer_id={CID}", headers=auth(tokens["officer"]))
    assert response.status_code == 200
    history = response.get_json()
    assert history["engine"]["decision"] == engine["decision"]
    assert history["latest_officer"]["decision_id"] == second["decision_id"]
    kinds = [e["kind"] for e in history["entries"]]
    assert kinds[:2] == ["officer", "officer"] and "engine" in kinds and history["count"] == len(kinds)
    assert [e["decision_id"] for e in history["entries"][:2]] == [second["decision_id"], first["decision_id"]]
    assert history["entries"][0]["reason"].startswith("Refer to") and history["entries"][0]["differs"] is True
    engine_entry = next(e for e in history["entries"] if e["kind"] == "engine")
    assert engine_entry["current"] is True and engine_entry["policy_version"] == engine["policy"]["version"]
    stamps = [e["ts"] for e in history["entries"]]
    assert stamps == sorted(stamps, reverse=True)


def test_an_earlier_engine_decision_stays_in_the_history_after_a_new_run(client, tokens, lake, engine):
    post(client, tokens["officer"], {"customer_id": CID, "decision": engine["decision"], "conditions": ["c"]})
    redone = {**engine, "decision": "REFER", "offer": None, "offers": [], "generated_at": "2099-01-01T00:00:00+00:00"}
    lake.write_json(lake.analytics_path(CID, "decision"), redone)
    history = client.get(f"/api/case-history?customer_id={CID}", headers=auth(tokens["officer"])).get_json()
    engines = [e for e in history["entries"] if e["kind"] == "engine"]
    assert [(e["decision"], e["current"]) for e in engines] == [("REFER", True), (engine["decision"], False)]
    cases = client.get("/api/cases", headers=auth(tokens["officer"])).get_json()["cases"]
    row = next(c for c in cases if c["customer_id"] == CID)
    assert row["officer"]["stale"] is True and row["officer"]["differs"] is True  # the engine now says REFER


def test_erasing_the_customer_erases_the_officer_decisions(client, tokens, lake, engine):
    assert post(client, tokens["officer"], {"customer_id": CID, "decision": engine["decision"],
                                            "conditions": ["c"]}).status_code == 201
    assert lake.officer_decisions_path(CID).exists()
    consent = next(c for c in ConsentRegistry(lake).list(CID) if c["effectiveStatus"] == "ACTIVE")
    revoked = client.post(f"/api/consents/{consent['consentId']}/revoke", headers=auth(tokens["admin"]))
    assert revoked.status_code == 200 and "logs" in revoked.get_json()["erased_layers"]
    assert not lake.officer_decisions_path(CID).exists()
    assert "officer_decision" in [e["action"] for e in lake.read_audit(CID)]  # the audit keeps what was done
