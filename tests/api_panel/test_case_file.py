"""The engine's decision, the borrower's identity, the case list and the credit memo, through the real app.

The memo is a real PDF: its text is extracted with pypdf and checked for what a loan file needs.
"""
import io
import re

import pytest
from pypdf import PdfReader

from pipeline.consents import ConsentRegistry
from tests.api_panel.conftest import auth
from tests.decision_fixture import ensure_decision

CID, FRAUD, UNDECIDED = "CUST_API_00001", "CUST_API_00002", "CUST_API_00003"
UDYAM = re.compile(r"^UDYAM-[A-Z]{2}-\d{2}-\d{7}$")


@pytest.fixture()
def decided(lake):
    """Engine decisions for CID (an approval with an offer) and FRAUD (what the engine says of it)."""
    return {CID: ensure_decision(lake, CID, decision="APPROVE"), FRAUD: ensure_decision(lake, FRAUD)}


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_decision_is_served_alone_and_in_the_bundle(client, tokens, decided):
    response = client.get(f"/api/decision?customer_id={CID}", headers=auth(tokens["officer"]))
    assert response.status_code == 200 and response.get_json() == decided[CID]
    bundle = client.get(f"/api/analytics?customer_id={CID}&names=decision,credit_score",
                        headers=auth(tokens["officer"])).get_json()
    assert bundle["decision"]["decision"] == decided[CID]["decision"] and bundle["missing"] == []
    everything = client.get(f"/api/analytics?customer_id={UNDECIDED}", headers=auth(tokens["officer"])).get_json()
    assert "decision" in everything["missing"]
    missing = client.get(f"/api/decision?customer_id={UNDECIDED}", headers=auth(tokens["officer"]))
    assert missing.status_code == 404 and "run the models step" in missing.get_json()["message"]


def test_identity_carries_pan_gstin_and_udyam_and_never_the_profile(client, tokens, lake):
    meta = lake.read_json(lake.customer_meta_path(CID))
    identity = client.get(f"/api/customer-identity?customer_id={CID}", headers=auth(tokens["officer"])).get_json()
    assert identity["pan"] == meta["pan"] and identity["gstin"] == meta["gstin"]
    assert identity["udyam_number"] == meta["udyam"] and UDYAM.fullmatch(identity["udyam_number"])
    assert "profile" not in identity
    profile = client.get(f"/api/customer-profile?customer_id={CID}", headers=auth(tokens["officer"])).get_json()
    customer = profile["overview"]["customer"]
    assert customer["udyam_number"] == meta["udyam"] and customer["pan"] == meta["pan"]
    assert "profile" not in customer and "profile" not in (profile["overview"]["overall"]["customer"])
    assert meta["profile"] not in str(profile["overview"]["customer"])
    summary = lake.read_json(lake.analytics_path(CID, "transaction_summary"))
    assert profile["transactions"]["bounces"] == summary["bounces"]  # each with its lender and attribution
    listed = client.get("/api/customers", headers=auth(tokens["officer"])).get_json()["customers"]
    assert all("profile" not in row for row in listed)
    assert client.get(f"/api/customer-identity?customer_id={CID}").status_code == 401


def test_the_case_list_shows_decisions_pd_and_officer_decisions_only(client, tokens, lake, decided):
    override = client.post("/api/officer-decisions", headers=auth(tokens["officer"]),
                           json={"customer_id": CID, "decision": "DECLINE", "reason": "Stock not found on site"})
    assert override.status_code == 201
    response = client.get("/api/cases", headers=auth(tokens["officer"]))
    assert response.status_code == 200
    cases = {row["customer_id"]: row for row in response.get_json()["cases"]}
    assert set(cases) >= {CID, FRAUD, UNDECIDED} and response.get_json()["count"] == len(cases)
    row = cases[CID]
    pd_value = decided[CID]["risk_grade"]["probability_of_default"]["value"]
    assert row["decision"] == decided[CID]["decision"] and row["probability_of_default"] == pd_value
    assert row["band"] == decided[CID]["risk_grade"]["band"] and row["pd_source"] == "decision"
    assert row["policy_version"] == decided[CID]["policy"]["version"]
    assert row["last_run"]["status"] == "done" and row["name"] == lake.read_json(lake.customer_meta_path(CID))["business_name"]
    assert row["officer"]["decision"] == "DECLINE" and row["officer"]["differs"] is True
    assert cases[FRAUD]["officer"] is None and cases[FRAUD]["decision"] == decided[FRAUD]["decision"]
    assert cases[UNDECIDED]["decision"] is None
    meta = lake.read_json(lake.customer_meta_path(CID))
    text = response.get_data(as_text=True)
    for personal in (meta["pan"], meta["gstin"], meta["owner_name"], meta["udyam"], meta["profile"]):
        assert personal not in text
    assert not [k for k in row if "profile" in k]
    reads = [e for e in lake.read_audit(CID) if e.get("what") == "case_list"]
    assert reads and reads[-1]["who"] == "test-officer"


def test_a_customer_without_a_lending_consent_is_listed_without_figures(client, tokens, lake, decided):
    registry = ConsentRegistry(lake)
    for consent in registry.list(FRAUD):
        registry.set_status(FRAUD, consent["consentId"], "REVOKED")
    cases = {r["customer_id"]: r for r in client.get("/api/cases", headers=auth(tokens["officer"])).get_json()["cases"]}
    row = cases[FRAUD]
    assert row["restricted"] and "REVOKED" in row["restricted"]
    assert row["decision"] is None and row["probability_of_default"] is None and row["officer"] is None
    assert cases[CID]["restricted"] is None and cases[CID]["decision"]


def test_the_credit_memo_is_a_pdf_with_the_loan_file(client, tokens, lake, decided):
    reason = "Owner's related firm pays 30% of credits"
    client.post("/api/officer-decisions", headers=auth(tokens["officer"]),
                json={"customer_id": CID, "decision": "REFER", "reason": reason, "note": "Ask for the ledger"})
    response = client.get(f"/api/credit-memo?customer_id={CID}", headers=auth(tokens["officer"]))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"] == f"attachment; filename=credit-memo-{CID}.pdf"
    text = pdf_text(response.data)
    flat = " ".join(text.split())
    meta = lake.read_json(lake.customer_meta_path(CID))
    decision = decided[CID]
    pd_text = f"PD {decision['risk_grade']['probability_of_default']['value'] * 100:.1f}%"
    for expected in (meta["business_name"], meta["pan"], meta["gstin"], meta["udyam"], CID,
                     decision["policy"]["version"], pd_text, decision["risk_grade"]["band"],
                     "Approve" if decision["decision"] == "APPROVE" else "Approve with conditions",
                     "Officer decision", "Refer", reason, "Rate build-up", "Benchmark", "Capital charge",
                     "GST turnover vs bank business credits", "Monthly credits, debits and ABB"):
        assert expected in flat, expected
    assert meta["profile"] not in flat.lower().split()
    amount = decision["offer"]["amount"]["value"]
    lakh = f"₹{amount / 1e5:.2f} lakh" if amount < 1e7 else f"₹{amount / 1e7:.2f} crore"
    assert lakh in flat
    assert "log-odds" not in flat and "undefined" not in flat and "NaN" not in flat
    read = [e for e in lake.read_audit(CID) if e.get("what") == "credit_memo"]
    assert read and read[-1]["endpoint"] == "/api/credit-memo"


def test_the_memo_says_what_to_run_when_a_document_is_missing(client, tokens, lake, decided):
    missing = client.get(f"/api/credit-memo?customer_id={UNDECIDED}", headers=auth(tokens["officer"]))
    assert missing.status_code == 404 and missing.mimetype == "application/json"
    assert "decision" in missing.get_json()["message"] and "--steps models" in missing.get_json()["message"]
    lake.analytics_path(CID, "overall_summary").unlink()
    no_summary = client.get(f"/api/credit-memo?customer_id={CID}", headers=auth(tokens["officer"]))
    assert no_summary.status_code == 404 and "--steps analyze" in no_summary.get_json()["message"]


def test_the_memo_needs_a_token_a_valid_id_and_a_consent(client, tokens, lake, decided):
    assert client.get(f"/api/credit-memo?customer_id={CID}").status_code == 401
    bad = client.get("/api/credit-memo?customer_id=../../etc", headers=auth(tokens["officer"]))
    assert bad.status_code == 400 and bad.get_json()["field"] == "customer_id"
    registry = ConsentRegistry(lake)
    for consent in registry.list(CID):
        registry.set_status(CID, consent["consentId"], "PAUSED")
    refused = client.get(f"/api/credit-memo?customer_id={CID}", headers=auth(tokens["officer"]))
    assert refused.status_code == 403 and refused.mimetype == "application/json"


def test_the_officer_decision_body_is_declared_once(client):
    from api_panel.casefile.decisions import OFFICER_DECISION_SCHEMA

    spec = client.get("/api/openapi.json").get_json()
    post = spec["paths"]["/api/officer-decisions"]["post"]
    ref = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert spec["components"]["schemas"][ref.rsplit("/", 1)[1]] == OFFICER_DECISION_SCHEMA
    assert "201" in post["responses"]
    memo = spec["paths"]["/api/credit-memo"]["get"]["responses"]["200"]["content"]
    assert "application/pdf" in memo
    for path in ("/api/decision", "/api/case-history", "/api/cases", "/api/customer-identity"):
        assert "get" in spec["paths"][path]


def test_the_engines_own_decision_drives_the_case_file(lake, tokens, small_risk_model):
    """The real models step (analytics/decision) writes decision.json; the case file reads it as it is."""
    from api_panel import create_app
    from api_panel.insights import InsightSettings
    from pipeline.config import load_config
    from pipeline.runner import run_steps

    small_risk_model(lake)
    outcome = run_steps(lake, FRAUD, ["score", "models"], load_config(), lambda *_: None)
    assert outcome["status"] == "done", outcome
    engine = lake.read_json(lake.analytics_path(FRAUD, "decision"))
    assert "fixture" not in engine and engine["policy"]["version"]
    client = create_app({"TESTING": True, "LAKE_ROOT": str(lake.root), "INSIGHT_SETTINGS": InsightSettings()}).test_client()
    headers = auth(tokens["officer"])
    assert client.get(f"/api/decision?customer_id={FRAUD}", headers=headers).get_json() == engine
    other = next(d for d in ("APPROVE", "REFER", "DECLINE") if d != engine["decision"])
    body = {"customer_id": FRAUD, "decision": other}
    if other == "APPROVE":
        body["amount"] = 500000
    refused = client.post("/api/officer-decisions", json=body, headers=headers)
    assert refused.status_code == 400 and refused.get_json()["field"] == "reason"
    recorded = client.post("/api/officer-decisions", json={**body, "reason": "Second look by the credit manager"},
                           headers=headers)
    assert recorded.status_code == 201
    assert recorded.get_json()["engine"]["policy_version"] == engine["policy"]["version"]
    row = next(r for r in client.get("/api/cases", headers=headers).get_json()["cases"] if r["customer_id"] == FRAUD)
    assert row["decision"] == engine["decision"] and row["officer"]["differs"] is True
    memo = client.get(f"/api/credit-memo?customer_id={FRAUD}", headers=headers)
    text = " ".join(pdf_text(memo.data).split())
    pd_value = engine["risk_grade"]["probability_of_default"]["value"]
    for expected in (engine["policy"]["version"], f"PD {pd_value * 100:.1f}%", "Second look by the credit manager",
                     engine["reasons_against"][0]["text"][:40]):
        assert expected in text, expected
