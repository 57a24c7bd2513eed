"""Accepting a recommended product: the rules on their own, the booked loan, the API, ingestion, erasure, the demo.

The lake is the monitoring template (four scored demo customers with OCEN loans) after the real models step
for three of them, so every acceptance is checked against a recommendations.json the pipeline computed:
CUST_MSM_00002 (high seasonality, monitored under purpose 104) has eligible offers, CUST_MSM_00007
(declining) has none, CUST_MSM_00009 has offers but a purpose-103 consent only, and CUST_MSM_00003 has no
recommendations at all.
"""
import shutil
from datetime import UTC, date, datetime, timedelta

import pytest

from monitoring.__main__ import main as monitoring_cli
from monitoring.acceptances import (
    IST,
    AcceptanceError,
    AmountAboveEligibilityError,
    DuplicateAcceptanceError,
    OfferAlreadyAcceptedError,
    ProductNotEligibleError,
    UnknownProductError,
    decide_acceptance,
    parse_terms,
    read_acceptances,
    replayed,
)
from monitoring.booking import accept_demo_recommendations, accept_recommendation
from monitoring.loans import load_loans
from monitoring.schedules import annuity_emi
from pipeline.lake import Lake
from pipeline.runner import run_steps
from tests.monitoring.conftest import AS_OF, NOT_MONITORED
from tests.monitoring.factory import auth, on_time

CID = "CUST_MSM_00002"          # monitored (purpose 104), eligible offers
NOTHING_ELIGIBLE = "CUST_MSM_00007"
NO_RECOMMENDATIONS = "CUST_MSM_00003"
LOANS = "/api/loans"
NOW = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)   # 01:30 IST on 21 November


@pytest.fixture(scope="module")
def accepting_template(monitoring_template, tmp_path_factory, config):
    """The monitoring template after the models step (recommendations) for three of its customers."""
    lake = Lake(tmp_path_factory.mktemp("accepting") / "lake")
    shutil.copytree(monitoring_template.root, lake.root)
    for customer_id in (CID, NOTHING_ELIGIBLE, NOT_MONITORED):
        outcome = run_steps(lake, customer_id, ["models"], config, lambda level, message: None)
        assert outcome["status"] == "done", outcome
    return lake


@pytest.fixture()
def monitoring_lake(accepting_template, tmp_path):
    """A private copy of the template (overrides conftest's, so app, client and tokens use it)."""
    shutil.copytree(accepting_template.root, tmp_path / "lake")
    return Lake(tmp_path / "lake")


@pytest.fixture()
def recs(monitoring_lake):
    """CUST_MSM_00002's recommendations as the models step wrote them."""
    return monitoring_lake.read_json(monitoring_lake.analytics_path(CID, "recommendations"))


def offer(recs: dict, product_id: str) -> dict:
    return next(p for p in recs["products"] if p["id"] == product_id)


def top_annuity(recs: dict) -> dict:
    return next(p for p in recs["products"] if p["eligible"] and p["repayment"]["kind"] == "annuity")


def decide(recs, terms, existing=(), now=NOW, min_amounts=None):
    return decide_acceptance(recs, parse_terms(terms), list(existing), customer_id=CID, accepted_by="tester",
                             accepted_at=now, min_amounts=min_amounts or {})


# ---- the rules, pure ---------------------------------------------------------------------------------
@pytest.mark.parametrize("request_, field", [
    ({}, "product_id"), ({"product_id": "  "}, "product_id"), ({"product_id": 7}, "product_id"),
    ({"product_id": "x", "amount": -5}, "amount"), ({"product_id": "x", "amount": "100000"}, "amount"),
    ({"product_id": "x", "amount": True}, "amount"), ({"product_id": "x", "amount": float("nan")}, "amount"),
    ({"product_id": "x", "tenure_months": 2.5}, "tenure_months"),
    ({"product_id": "x", "tenure_months": 0}, "tenure_months"),
    ({"product_id": "x", "disbursed_on": "2026-13-01"}, "disbursed_on"),
    ({"product_id": "x", "collateral_value": 0}, "collateral_value"),
    ({"product_id": "x", "acceptance_id": "../etc"}, "acceptance_id"),
    ({"product_id": "x", "tenure": 12}, "tenure"),
])
def test_a_malformed_request_is_refused_naming_the_field(request_, field):
    with pytest.raises(AcceptanceError) as caught:
        parse_terms(request_)
    assert isinstance(caught.value, ValueError) and caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")


def test_terms_are_normalised_and_only_the_given_ones_kept():
    terms = parse_terms({"customer_id": CID, "product_id": " overdraft ", "amount": 100000.004, "tenure_months": 6.0,
                         "disbursed_on": "2026-12-05", "acceptance_id": "A-1", "collateral_value": None})
    assert terms == {"product_id": "overdraft", "amount": 100000.0, "tenure_months": 6, "disbursed_on": "2026-12-05",
                     "acceptance_id": "A-1"}


def test_the_defaults_are_the_offer_and_the_acceptance_date_in_india(recs):
    wc = top_annuity(recs)
    acceptance = decide(recs, {"product_id": wc["id"]})
    assert acceptance["amount"] == wc["amount"]["value"] and acceptance["tenure_months"] == wc["tenure_months"]["value"]
    assert acceptance["annual_rate"] == wc["annual_rate"]["value"]
    assert acceptance["rate"] == pytest.approx(wc["annual_rate"]["value"] * 100)
    assert acceptance["disbursed_on"] == "2026-11-21" and acceptance["accepted_at"] == "2026-11-20T20:00:00+00:00"
    assert (acceptance["acceptance_id"], acceptance["loan_id"]) == (f"ACC-{CID}-1", f"REC-{CID}-1")
    assert acceptance["offer"]["generated_at"] == recs["generated_at"] and acceptance["requested"] == {
        "product_id": wc["id"]}
    assert acceptance["collateral_value"] is None and acceptance["accepted_by"] == "tester"


def test_what_the_recommendations_do_not_allow_is_refused(recs):
    wc = top_annuity(recs)
    ineligible = next(p for p in recs["products"] if not p["eligible"])
    offered = wc["amount"]["value"]
    cases = [
        ({"product_id": "gold_loan"}, UnknownProductError, "product_id"),
        ({"product_id": ineligible["id"]}, ProductNotEligibleError, "product_id"),
        ({"product_id": wc["id"], "amount": offered + 1}, AmountAboveEligibilityError, "amount"),
        ({"product_id": wc["id"], "amount": 1000}, AcceptanceError, "amount"),
        ({"product_id": wc["id"], "tenure_months": wc["tenure_months"]["value"] + 1}, AcceptanceError, "tenure_months"),
        ({"product_id": wc["id"], "tenure_months": 3}, AcceptanceError, "tenure_months"),  # EMI above the capacity
        ({"product_id": wc["id"], "disbursed_on": "2026-11-20"}, AcceptanceError, "disbursed_on"),
    ]
    for terms, error, field in cases:
        with pytest.raises(error) as caught:
            decide(recs, terms, min_amounts={wc["id"]: 100000.0})
        assert caught.value.field == field, (terms, caught.value)
    first = decide(recs, {"product_id": wc["id"]})
    with pytest.raises(OfferAlreadyAcceptedError) as caught:  # the offers are alternatives on one EMI capacity
        decide(recs, {"product_id": next(p["id"] for p in recs["products"] if p["eligible"] and p is not wc)},
               existing=[first])
    assert caught.value.field == "product_id" and first["acceptance_id"] in str(caught.value)


def test_a_shorter_tenure_is_taken_while_its_emi_fits_the_capacity(recs):
    wc = top_annuity(recs)
    capacity = wc["sizing"]["emi_capacity"]["value"]
    rate = wc["annual_rate"]["value"] * 100
    months = wc["tenure_months"]["value"] - 3
    amount = float(int(capacity * 0.9 * (1 - (1 + rate / 1200) ** -months) / (rate / 1200) / 1000) * 1000)
    acceptance = decide(recs, {"product_id": wc["id"], "amount": amount, "tenure_months": months})
    assert annuity_emi(amount, rate, months) <= capacity and acceptance["tenure_months"] == months


def test_an_acceptance_id_replays_with_the_same_terms_and_refuses_other_terms(recs):
    wc = top_annuity(recs)
    recorded = decide(recs, {"product_id": wc["id"], "acceptance_id": "A-1"})
    assert replayed([recorded], parse_terms({"product_id": wc["id"], "acceptance_id": "A-1"})) is recorded
    same = {"product_id": wc["id"], "acceptance_id": "A-1", "amount": recorded["amount"]}
    assert replayed([recorded], parse_terms(same)) is recorded
    with pytest.raises(DuplicateAcceptanceError) as caught:
        replayed([recorded], parse_terms({**same, "amount": recorded["amount"] - 1000}))
    assert caught.value.field == "acceptance_id" and "amount" in str(caught.value)
    assert replayed([recorded], parse_terms({"product_id": wc["id"], "acceptance_id": "A-2"})) is None


# ---- the booked loan -----------------------------------------------------------------------------------
def test_an_accepted_annuity_is_booked_with_a_schedule_that_repays_it(monitoring_lake, config, recs):
    wc = top_annuity(recs)
    before = load_loans(monitoring_lake, CID, config)
    assert before and all(x["source"] == "ocen" for x in before)
    terms = {"product_id": wc["id"], "amount": wc["amount"]["value"] - 2000, "disbursed_on": "2026-12-31"}
    result = accept_recommendation(monitoring_lake, CID, terms, "tester", config, now=NOW)
    loan = result.loan
    assert result.created and loan["source"] == "recommendation" and loan["loan_id"] == f"REC-{CID}-1"
    assert loan["principal"] == wc["amount"]["value"] - 2000 and loan["lender_id"] == "MSME-LAKE-FIU"
    assert loan["emi"] == annuity_emi(loan["principal"], loan["rate"], loan["tenure_months"])
    schedule = loan["schedule"]
    assert len(schedule) == loan["tenure_months"] and schedule[-1]["balance"] == 0
    assert sum(r["principal"] for r in schedule) == pytest.approx(loan["principal"], abs=0.05)
    assert schedule[-1]["amount"] == pytest.approx(schedule[-2]["balance"] + schedule[-1]["interest"], abs=0.01)
    assert [r["due_date"] for r in schedule[:3]] == ["2027-01-31", "2027-02-28", "2027-03-31"]
    balance = loan["principal"]
    for row in schedule:
        assert row["interest"] == round(balance * loan["rate"] / 1200, 2)
        balance = row["balance"]
    assert loan["secured"] is False and loan["collateral_value"] is None and loan["status"] == "ACTIVE"
    after = load_loans(monitoring_lake, CID, config)
    assert [x["loan_id"] for x in after] == [x["loan_id"] for x in before] + [loan["loan_id"]]
    book = monitoring_lake.read_json(monitoring_lake.loan_book_path(CID))
    assert book["sources"]["acceptances"] is not None and "OCEN" in book["note"]
    assert "accepted recommendation" in book["note"] and book["not_booked"] == []
    assert read_acceptances(monitoring_lake, CID) == [result.acceptance]


def test_a_bullet_product_pays_interest_then_the_principal_and_collateral_secures_it(monitoring_lake, config, recs):
    bullet = next(p for p in recs["products"] if p["eligible"] and p["repayment"]["kind"] == "bullet")
    loan = accept_recommendation(monitoring_lake, CID, {"product_id": bullet["id"], "collateral_value": 900000},
                                 "tester", config, now=NOW).loan
    interest = round(loan["principal"] * loan["rate"] / 1200, 2)
    assert loan["emi"] == interest and loan["repayment_kind"] == "bullet"
    assert [r["principal"] for r in loan["schedule"][:-1]] == [0.0] * (loan["tenure_months"] - 1)
    assert loan["schedule"][-1]["principal"] == loan["principal"] and loan["schedule"][-1]["balance"] == 0
    assert loan["schedule"][-1]["amount"] == round(loan["principal"] + interest, 2)
    assert loan["secured"] is True and loan["collateral_value"] == 900000.0
    assert loan["collateral_basis"] == "collateral_value of the acceptance"


def test_erasing_the_customer_removes_the_acceptances_even_without_a_book(monitoring_lake, config, recs):
    accept_recommendation(monitoring_lake, CID, {"product_id": top_annuity(recs)["id"]}, "tester", config, now=NOW)
    monitoring_lake.loan_book_path(CID).unlink()  # a book not rebuilt yet must not keep the acceptances alive
    assert "monitoring" in monitoring_lake.erase(CID)
    assert not monitoring_lake.acceptances_path(CID).exists() and load_loans(monitoring_lake, CID, config) == []


def test_the_acceptances_path_checks_the_customer_id(monitoring_lake):
    assert monitoring_lake.acceptances_path(CID) == monitoring_lake.root / "monitoring" / "acceptances" / f"{CID}.json"
    with pytest.raises(ValueError):
        monitoring_lake.acceptances_path("../etc")


# ---- the API -------------------------------------------------------------------------------------------
def test_an_accepted_loan_is_listed_monitored_and_scored_through_the_api(client, tokens, monitoring_lake, recs):
    wc = top_annuity(recs)
    created = client.post(LOANS, json={"customer_id": CID, "product_id": wc["id"], "acceptance_id": "WEB-1"},
                          headers=auth(tokens["analyst"]))
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    loan = body["loan"]
    assert body["created"] is True and body["acceptance"]["acceptance_id"] == "WEB-1"
    assert loan["principal"] == wc["amount"]["value"] and len(loan["schedule"]) == wc["tenure_months"]["value"]
    assert loan["disbursed_at"][:10] == datetime.now(IST).date().isoformat()
    assert body["acceptance"]["accepted_by"] == "test-analyst"
    listed = client.get(LOANS, query_string={"customer_id": CID}, headers=auth(tokens["officer"])).get_json()
    mine = next(x for x in listed["loans"] if x["loan_id"] == loan["loan_id"])
    assert mine["schedule"] == loan["schedule"] and mine["pd_source"] == "booking" and 0 < mine["pd"] < 1
    portfolio = client.get("/api/portfolio", headers=auth(tokens["analyst"])).get_json()
    assert loan["loan_id"] in {r["loan_id"] for r in portfolio["loans"]}
    events = client.post("/api/events/repayments", json=on_time(loan, range(2)), headers=auth(tokens["analyst"]))
    assert events.status_code == 200 and (events.get_json()["accepted"], events.get_json()["updated_loans"]) == (2, 1)
    history = monitoring_lake.read_ndjson(monitoring_lake.risk_history_path(loan["loan_id"]))
    assert [h["kind"] for h in history] == ["baseline", "event"] and history[-1]["features"]["dpd_now"] == 0
    row = next(r for r in client.get("/api/portfolio", headers=auth(tokens["analyst"])).get_json()["loans"]
               if r["loan_id"] == loan["loan_id"])
    assert row["pd_source"] == "monitoring" and row["last_event"]["event_id"] == on_time(loan, [1])[0]["event_id"]
    replay = client.post(LOANS, json={"customer_id": CID, "product_id": wc["id"], "acceptance_id": "WEB-1"},
                         headers=auth(tokens["analyst"]))
    assert replay.status_code == 200 and replay.get_json()["created"] is False
    assert replay.get_json()["loan"]["loan_id"] == loan["loan_id"] and len(read_acceptances(monitoring_lake, CID)) == 1
    audit = [a for a in monitoring_lake.read_audit(CID) if a["action"].startswith("loan_accept")]
    assert [(a["action"], a["acceptance_id"], a["loan_id"]) for a in audit] == [
        ("loan_accepted", "WEB-1", loan["loan_id"]), ("loan_acceptance_replayed", "WEB-1", loan["loan_id"])]
    assert "amount" not in audit[0] and audit[0]["who"] == "test-analyst"
    conflict = client.post(LOANS, json={"customer_id": CID, "product_id": wc["id"], "acceptance_id": "WEB-1",
                                        "amount": wc["amount"]["value"] - 1000}, headers=auth(tokens["analyst"]))
    assert conflict.status_code == 409 and conflict.get_json()["field"] == "acceptance_id"
    second = client.post(LOANS, json={"customer_id": CID, "product_id": wc["id"]}, headers=auth(tokens["analyst"]))
    assert second.status_code == 409 and second.get_json()["error"] == "offer_already_accepted"


@pytest.mark.parametrize("body, status, field, error", [
    ({"customer_id": CID}, 400, "product_id", "missing_field"),
    ({"customer_id": CID, "product_id": "gold_loan"}, 400, "product_id", "unknown_product"),
    ({"customer_id": CID, "product_id": "msme_emergency_credit"}, 400, "product_id", "product_not_eligible"),
    ({"customer_id": NOTHING_ELIGIBLE, "product_id": "working_capital_loan"}, 400, "product_id",
     "product_not_eligible"),
    ({"customer_id": CID, "product_id": "working_capital_loan", "amount": 10 ** 9}, 400, "amount",
     "amount_above_eligibility"),
    ({"customer_id": CID, "product_id": "working_capital_loan", "amount": "lots"}, 400, "amount", "invalid_acceptance"),
    ({"customer_id": CID, "product_id": "working_capital_loan", "tenure_months": 99}, 400, "tenure_months",
     "invalid_acceptance"),
    ({"customer_id": CID, "product_id": "working_capital_loan", "disbursed_on": "soon"}, 400, "disbursed_on",
     "invalid_acceptance"),
    ({"customer_id": CID, "product_id": "working_capital_loan", "rate": 0.01}, 400, "rate", "invalid_acceptance"),
    ({"customer_id": "../etc", "product_id": "working_capital_loan"}, 400, "customer_id", "invalid_customer_id"),
    ({"customer_id": "CUST_ZZZ_99999", "product_id": "working_capital_loan"}, 404, None, "customer_not_found"),
    ({"customer_id": NO_RECOMMENDATIONS, "product_id": "working_capital_loan"}, 404, "customer_id",
     "recommendations_not_found"),
])
def test_bad_acceptances_are_4xx_json_naming_the_field(client, tokens, recs, body, status, field, error):
    if body.get("product_id") == "msme_emergency_credit":
        assert offer(recs, "msme_emergency_credit")["eligible"] is False
    response = client.post(LOANS, json=body, headers=auth(tokens["analyst"]))
    assert response.status_code == status, response.get_json()
    assert response.get_json()["error"] == error and response.get_json().get("field") == field
    assert response.get_json()["message"]


def test_the_route_needs_an_analyst_json_and_a_lending_consent(client, tokens, monitoring_lake, recs):
    wc = top_annuity(recs)
    body = {"customer_id": CID, "product_id": wc["id"]}
    officer = client.post(LOANS, json=body, headers=auth(tokens["officer"]))
    assert officer.status_code == 403 and "analyst" in officer.get_json()["message"]
    assert client.post(LOANS, json=body).status_code == 401
    text = client.post(LOANS, data="customer_id=x", content_type="text/plain", headers=auth(tokens["analyst"]))
    assert text.status_code == 415
    lending_only = client.post(LOANS, json={"customer_id": NOT_MONITORED, "product_id": "business_expansion_loan"},
                               headers=auth(tokens["analyst"]))
    assert lending_only.status_code == 201  # purpose 103 allows lending; the portfolio still leaves it out
    portfolio = client.get("/api/portfolio", headers=auth(tokens["analyst"])).get_json()
    assert lending_only.get_json()["loan"]["loan_id"] not in {r["loan_id"] for r in portfolio["loans"]}
    loan = client.post(LOANS, json=body, headers=auth(tokens["analyst"])).get_json()["loan"]
    client.post("/api/events/repayments", json=on_time(loan, range(1)), headers=auth(tokens["analyst"]))
    assert monitoring_lake.risk_history_path(loan["loan_id"]).exists()
    consents = client.get("/api/consents", query_string={"customer_id": CID}, headers=auth(tokens["admin"])).get_json()
    for consent in consents["consents"]:
        revoked = client.post(f"/api/consents/{consent['consentId']}/revoke", json={}, headers=auth(tokens["admin"]))
        assert revoked.status_code == 200
    assert not monitoring_lake.acceptances_path(CID).exists() and not monitoring_lake.loan_book_path(CID).exists()
    assert not monitoring_lake.risk_history_path(loan["loan_id"]).exists()
    refused = client.post(LOANS, json=body, headers=auth(tokens["analyst"]))
    assert refused.status_code == 403 and refused.get_json()["error"] == "consent_required"


# ---- the command line and the demo ----------------------------------------------------------------------
def test_the_cli_books_an_acceptance_and_reports_a_refusal_in_one_line(monitoring_lake, recs, capsys):
    wc = top_annuity(recs)
    root = str(monitoring_lake.root)
    assert monitoring_cli(["--lake", root, "accept", "--customer-id", CID, "--product-id", wc["id"],
                           "--amount", str(wc["amount"]["value"] + 1000)]) == 1
    assert capsys.readouterr().err.startswith("error: amount: ")
    assert monitoring_cli(["--lake", root, "accept", "--customer-id", CID, "--product-id", wc["id"],
                           "--acceptance-id", "OPS-1", "--accepted-by", "ops desk"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"booked REC-{CID}-1 ({wc['id']})") and "acceptance OPS-1" in out
    entry = next(a for a in monitoring_lake.read_audit(CID) if a["action"] == "loan_accepted")
    assert entry["who"] == "ops desk" and entry["consent_id"] and entry["loan_id"] == f"REC-{CID}-1"
    assert monitoring_cli(["--lake", root, "accept", "--customer-id", CID, "--product-id", wc["id"],
                           "--acceptance-id", "OPS-1"]) == 0
    assert capsys.readouterr().out.startswith(f"already booked REC-{CID}-1")


def test_the_demo_accepts_the_top_eligible_offer_on_fixed_dates(monitoring_lake, config, recs):
    shipped = config["monitoring"]["acceptances"]["demo_customers"]
    assert 4 <= len(shipped) <= 6 and "CUST_MSM_00006" not in shipped and set(shipped) <= set(config["demo_customers"])
    demo = {**config, "monitoring": {**config["monitoring"], "acceptances": {
        **config["monitoring"]["acceptances"], "demo_customers": [CID, NOTHING_ELIGIBLE, NO_RECOMMENDATIONS]}}}
    outcomes = accept_demo_recommendations(monitoring_lake, demo)
    assert [(o["customer_id"], o["status"]) for o in outcomes] == [
        (CID, "accepted"), (NOTHING_ELIGIBLE, "skipped"), (NO_RECOMMENDATIONS, "skipped")]
    assert outcomes[0]["product_id"] == recs["summary"]["top_recommendation"]
    acceptance = read_acceptances(monitoring_lake, CID)[0]
    assert acceptance["acceptance_id"] == f"DEMO-{CID}" and acceptance["disbursed_on"] == AS_OF.isoformat()
    assert acceptance["accepted_at"] == f"{AS_OF.isoformat()}T10:00:00+05:30"
    assert read_acceptances(monitoring_lake, NOTHING_ELIGIBLE) == []
    again = accept_demo_recommendations(monitoring_lake, demo)
    assert again[0]["status"] == "kept" and len(read_acceptances(monitoring_lake, CID)) == 1


def test_the_fraud_profile_never_gets_a_demo_loan(tmp_path, config, small_risk_model):
    lake = small_risk_model(Lake(tmp_path / "lake"))
    fraud = "CUST_MSM_00006"
    assert config["demo_customers"][fraud] == "fraud"
    outcome = run_steps(lake, fraud, ["generate", "clean", "analyze", "score", "models"], config,
                        lambda level, message: None, {"generate": {"profile": "fraud", "as_of": AS_OF}})
    assert outcome["status"] == "done", outcome
    demo = {**config, "monitoring": {**config["monitoring"], "acceptances": {"demo_customers": [fraud]}}}
    assert accept_demo_recommendations(lake, demo)[0]["status"] == "skipped"
    assert read_acceptances(lake, fraud) == [] and not lake.acceptances_path(fraud).exists()
    recommendations = lake.read_json(lake.analytics_path(fraud, "recommendations"))
    with pytest.raises(ProductNotEligibleError):
        accept_recommendation(lake, fraud, {"product_id": recommendations["ranking"][0]}, "tester", config,
                              now=datetime.combine(AS_OF, datetime.min.time(), IST) + timedelta(hours=10))
    assert date.fromisoformat(recommendations["as_of"][:10]) == AS_OF
