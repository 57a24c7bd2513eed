"""Consent, DPDP erasure, roles and the audit trail, through the real app."""
import pytest

from api_panel.auth import TokenStore
from pipeline.consents import ConsentRegistry
from tests.api_panel.conftest import auth

CID = "CUST_API_00002"
READS = ["/api/analytics", "/api/customer-profile", "/api/credit-score", "/api/smart-collect", "/api/anomalies",
         "/api/transactions"]


def active_consent(client, tokens, customer_id=CID):
    consents = client.get(f"/api/consents?customer_id={customer_id}", headers=auth(tokens["admin"])).get_json()
    return next(c for c in consents["consents"] if c["effectiveStatus"] == "ACTIVE")


def test_revocation_erases_every_layer_and_refuses_reads(client, tokens, lake):
    consent = active_consent(client, tokens)
    assert client.get(f"/api/analytics?customer_id={CID}", headers=auth(tokens["officer"])).status_code == 200
    response = client.post(f"/api/consents/{consent['consentId']}/revoke", headers=auth(tokens["admin"]))
    assert response.status_code == 200
    assert set(response.get_json()["erased_layers"]) >= {"raw", "clean", "analytics"}
    for layer in ("raw", "clean", "quarantine", "analytics", "logs"):
        assert not lake.customer_dir(layer, CID).exists(), layer
    refused = client.get(f"/api/analytics?customer_id={CID}", headers=auth(tokens["officer"]))
    assert refused.status_code in (403, 404)
    generate = client.post("/api/pipeline/generate", json={"customer_id": CID}, headers=auth(tokens["analyst"]))
    assert generate.status_code == 403 and "REVOKED" in generate.get_json()["message"]
    actions = [e["action"] for e in lake.read_audit(CID)]
    assert "consent_revoked" in actions and "erase" in actions


def test_a_paused_consent_is_refused_with_the_reason(client, tokens, lake):
    consent = active_consent(client, tokens)
    ConsentRegistry(lake).set_status(CID, consent["consentId"], "PAUSED")
    response = client.get(f"/api/credit-score?customer_id={CID}", headers=auth(tokens["officer"]))
    assert response.status_code == 403 and "PAUSED" in response.get_json()["message"]
    assert lake.customer_dir("raw", CID).exists()  # paused is not revoked: data stays


def test_a_consent_without_lending_purpose_or_fitypes_is_refused(client, tokens, lake):
    registry = ConsentRegistry(lake)
    consent = active_consent(client, tokens)
    registry.set_status(CID, consent["consentId"], "REVOKED")
    created = client.post("/api/consents", json={"customer_id": CID, "purpose": "101"}, headers=auth(tokens["admin"]))
    assert created.status_code == 201
    response = client.get(f"/api/analytics?customer_id={CID}", headers=auth(tokens["officer"]))
    assert response.status_code == 403 and "purpose" in response.get_json()["message"]
    client.post("/api/consents", json={"customer_id": CID, "purpose": "103", "fiTypes": ["GSTR1_3B"]},
                headers=auth(tokens["admin"]))
    response = client.get(f"/api/analytics?customer_id={CID}", headers=auth(tokens["officer"]))
    assert response.status_code == 403 and "DEPOSIT" in response.get_json()["message"]


def test_an_expired_data_life_erases_on_next_access(client, tokens, lake):
    registry = ConsentRegistry(lake)
    artefacts = registry.list(CID)
    for a in artefacts:
        a["consentStart"] = "2020-01-01T10:00:00+05:30"
        a["DataLife"] = {"unit": "MONTH", "value": 6}
    registry._save(CID, artefacts)
    response = client.get(f"/api/analytics?customer_id={CID}", headers=auth(tokens["officer"]))
    assert response.status_code == 403 and "erased" in response.get_json()["message"]
    assert not lake.customer_dir("raw", CID).exists()


def test_every_read_is_audited_with_who_role_purpose_endpoint(client, tokens, lake):
    client.get(f"/api/credit-score?customer_id={CID}", headers=auth(tokens["officer"]))
    entry = [e for e in lake.read_audit(CID) if e["action"] == "read"][-1]
    assert entry["who"] == "test-officer" and entry["role"] == "officer"
    assert entry["purpose"] == "104" and entry["endpoint"] == "/api/credit-score" and entry["ts"]
    audit = client.get(f"/api/audit?customer_id={CID}", headers=auth(tokens["admin"])).get_json()
    assert audit["entries"][0]["endpoint"] == "/api/credit-score"


ROLE_MATRIX = [
    # (method, path, body, minimum role)
    ("get", "/api/customers", None, "officer"),
    ("get", f"/api/analytics?customer_id={CID}", None, "officer"),
    ("get", f"/api/customer-profile?customer_id={CID}", None, "officer"),
    ("get", f"/api/credit-score?customer_id={CID}", None, "officer"),
    ("get", f"/api/smart-collect?customer_id={CID}", None, "officer"),
    ("get", f"/api/anomalies?customer_id={CID}", None, "officer"),
    ("get", f"/api/analytics/transaction_summary?customer_id={CID}", None, "officer"),
    ("get", f"/api/analytics/transaction_summary/eod_balance?customer_id={CID}", None, "officer"),
    ("get", f"/api/transactions?customer_id={CID}", None, "officer"),
    ("get", "/api/methodology", None, "officer"),
    ("get", f"/api/decision?customer_id={CID}", None, "officer"),
    ("get", f"/api/case-history?customer_id={CID}", None, "officer"),
    ("get", "/api/cases", None, "officer"),
    ("get", f"/api/credit-memo?customer_id={CID}", None, "officer"),
    ("get", f"/api/customer-identity?customer_id={CID}", None, "officer"),
    ("post", "/api/officer-decisions", {"customer_id": CID, "decision": "DECLINE"}, "officer"),
    ("get", "/api/whoami", None, "officer"),
    ("post", "/api/ai-insights", {"customer_id": CID}, "officer"),
    ("get", f"/api/datasets/clean/transactions?customer_id={CID}", None, "analyst"),
    ("get", "/api/jobs/job_doesnotexist00", None, "analyst"),
    ("post", "/api/pipeline/bogus", {"customer_id": CID}, "analyst"),
    ("get", f"/api/consents?customer_id={CID}", None, "admin"),
    ("post", "/api/consents", {"customer_id": CID, "purpose": "103"}, "admin"),
    ("get", f"/api/audit?customer_id={CID}", None, "admin"),
    ("post", "/api/consents/00000000-0000-0000-0000-000000000000/revoke", None, "admin"),
]
RANK = {"officer": 0, "analyst": 1, "admin": 2}


@pytest.mark.parametrize("method, path, body, minimum", ROLE_MATRIX)
def test_every_role_against_every_endpoint(client, tokens, method, path, body, minimum):
    call = getattr(client, method)
    kwargs = {"json": body} if body is not None else ({"json": {}} if method == "post" else {})
    assert call(path, **kwargs).status_code == 401
    assert call(path, headers=auth("wrong-token"), **kwargs).status_code == 401
    for role, token in tokens.items():
        status = call(path, headers=auth(token), **kwargs).status_code
        if RANK[role] < RANK[minimum]:
            assert status == 403, (role, path, status)
        else:
            assert status not in (401, 403) and status < 500, (role, path, status)


def test_tokens_are_stored_hashed(lake, tokens):
    text = lake.token_store_path.read_text()
    assert all(token not in text for token in tokens.values())
    assert TokenStore(lake).resolve(tokens["admin"]).role == "admin"


def test_environment_tokens(lake):
    from api_panel import create_app
    app = create_app({"TESTING": True, "LAKE_ROOT": str(lake.root), "API_TOKENS": "admin:env-secret-1"})
    response = app.test_client().get("/api/customers", headers=auth("env-secret-1"))
    assert response.status_code == 200
    assert {c["customer_id"] for c in response.get_json()["customers"]} >= {"CUST_API_00001", "CUST_API_00002"}
    assert set(response.get_json()["customers"][0]) == {"customer_id", "name", "consent_status", "last_run",
                                                         "has_data"}
