"""The loan book, the behavioural features and the behavioural model, on a few rows each."""
import os
from datetime import date

import pytest

from monitoring.features import FEATURE_NAMES, LoanState, loan_to_value
from monitoring.loans import build_loan_book, load_loans, loan_from_ocen
from monitoring.model import MODEL_NAME, BehaviourScorer, load_behaviour_model
from monitoring.schedules import add_months, amortise, annuity_emi

APP = {"loanApplicationId": "LA-TEST-1", "status": "DISBURSED", "productType": "TERM_LOAN",
       "lender": {"id": "x.ocen.in", "name": "X FINANCE"}, "sanctionedAmount": 600000.0, "disbursedAmount": 590000.0,
       "interestRate": 18.0, "tenureMonths": 12, "disbursedAt": "2026-01-20T11:00:00+05:30",
       "loanAccountNumber": "OC000000000001", "repaymentMandate": "ENACH"}


def test_an_annuity_schedule_repays_the_principal_exactly():
    emi = annuity_emi(600000, 18.0, 12)
    assert emi == round(600000 * 0.015 / (1 - 1.015 ** -12), 2) == pytest.approx(55008.0, abs=0.01)
    dues = [add_months(date(2026, 1, 20), k, 31) for k in range(1, 13)]
    assert dues[0] == date(2026, 2, 28) and dues[1] == date(2026, 3, 31)
    rows = amortise(600000, 18.0, emi, dues)
    assert rows[-1]["balance"] == 0 and sum(r["principal"] for r in rows) == pytest.approx(600000, abs=0.05)
    assert rows[0]["interest"] == 9000.0 and all(r["amount"] == emi for r in rows[:-1])
    assert abs(rows[-1]["amount"] - emi) < 1


def test_an_ocen_loan_takes_its_emi_day_from_the_bank_statement_and_a_lien_secures_it():
    bank_emi = [{"amount": 55007.0, "day_of_month": 7, "last_date": "2026-10-07"}]
    loan = loan_from_ocen({**APP, "emiAmount": 55007.0}, "CUST_TST_00001", bank_emi, [], {})
    assert (loan["loan_id"], loan["emi"], loan["emi_day"], loan["emi_day_source"]) == \
        ("OC000000000001", 55007.0, 7, "bank_statement")
    assert loan["schedule"][0]["due_date"] == "2026-02-07" and len(loan["schedule"]) == 12
    assert loan["secured"] is False and loan["collateral_value"] is None and loan["status"] == "ACTIVE"
    plain = loan_from_ocen(APP, "CUST_TST_00001", [], [], {})
    assert plain["emi_source"] == "annuity formula" and plain["emi_day_source"] == "disbursal_day"
    holdings = [{"recordType": "HOLDING", "lienUnits": 100.0, "nav": 250.0},
                {"recordType": "HOLDING", "lienUnits": 0.0, "nav": 99.0}]
    secured = loan_from_ocen({**APP, "repaymentMandate": "ELIEN"}, "CUST_TST_00001", [], holdings, {})
    assert secured["secured"] is True and secured["collateral_value"] == 25000.0
    assert loan_to_value(secured, None) == 24.0 and loan_to_value(loan, "2026-06-30") is None
    halfway = loan_to_value(secured, secured["schedule"][5]["due_date"], arrears=1000.0)
    assert halfway == pytest.approx((secured["schedule"][5]["balance"] + 1000) / 25000)


def test_the_book_holds_disbursed_and_closed_ocen_loans_and_follows_its_sources(monitoring_lake, config):
    cid = "CUST_MSM_00007"
    apps = [a for a in monitoring_lake.read_clean(cid, "ocen_applications") if a["status"] in ("DISBURSED", "CLOSED")]
    loans = build_loan_book(monitoring_lake, cid, config)
    assert sorted(x["application_id"] for x in loans) == sorted(a["loanApplicationId"] for a in apps)
    for loan in loans:
        assert loan["schedule"][-1]["balance"] == 0 and loan["emi_day_source"] == "bank_statement"
    document = monitoring_lake.read_json(monitoring_lake.loan_book_path(cid))
    assert "accepted recommendation" in document["note"] and document["loans"] == loans
    source = monitoring_lake.clean_path(cid, "ocen_applications")
    stat = source.stat()
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # a refresh delivered new data
    assert load_loans(monitoring_lake, cid, config) == loans
    assert monitoring_lake.read_json(monitoring_lake.loan_book_path(cid))["built_at"] >= document["built_at"]
    assert monitoring_lake.read_json(monitoring_lake.loan_book_path(cid))["sources"] != document["sources"]


def _loan() -> dict:
    return loan_from_ocen(APP, "CUST_TST_00001", [], [], {})


def _event(loan, k, status, paid_day=None, amount=None, n=0):
    row = loan["schedule"][k]
    ts = f"{paid_day or row['due_date']}T10:00:00+05:30"
    return {"event_id": f"E{k}-{n}", "loan_id": loan["loan_id"], "customer_id": "CUST_TST_00001",
            "due_date": row["due_date"], "amount_due": row["amount"], "status": status, "channel": "ENACH", "ts": ts,
            "paid_at": None if status == "BOUNCED" else ts,
            "amount_paid": 0.0 if status == "BOUNCED" else (amount if amount is not None else row["amount"])}


def test_features_follow_the_events_and_an_event_applies_once():
    loan = _loan()
    state = LoanState(loan)
    due = [r["due_date"] for r in loan["schedule"]]
    assert state.apply(_event(loan, 0, "PAID"))
    assert not state.apply(_event(loan, 0, "PAID"))
    state.apply(_event(loan, 1, "BOUNCED"))
    facts = state.behaviour()
    assert facts["dpd_now"] == 1 and facts["bounced_count_long"] == 1 and facts["arrears"] > 0
    state.apply(_event(loan, 2, "PARTIAL", paid_day=due[2], amount=1000.0))
    days = (date.fromisoformat(due[2]) - date.fromisoformat(due[1])).days
    facts = state.behaviour()
    assert facts["dpd_now"] == days and facts["partial_count_long"] == 1 and state.clock == due[2]
    rest = loan["schedule"][2]["amount"] - 1000.0
    state.apply({**_event(loan, 2, "PARTIAL", paid_day=due[3], amount=rest), "event_id": "E2-1"})
    state.apply({**_event(loan, 1, "LATE", paid_day=due[3]), "event_id": "E1-1"})
    facts = state.behaviour()
    assert facts["dpd_now"] == 0 and facts["arrears"] == 0
    assert facts["worst_delay_short"] == (date.fromisoformat(due[3]) - date.fromisoformat(due[1])).days
    later = state.behaviour(clock=add_months(date.fromisoformat(due[3]), 7).isoformat())
    assert later["worst_delay_short"] == 0 and later["worst_delay_long"] == 0 and later["bounced_count_long"] == 0
    row = state.features({"foir": 0.4, "income_cv": None, "revolving_utilisation": 0.2, "underwriting_pd": 0.03})
    assert set(row) == set(FEATURE_NAMES) and row["ltv"] is None and row["income_cv"] is None


def test_the_behavioural_model_has_its_own_card_and_respects_the_documented_directions(monitoring_lake, config):
    bundle = load_behaviour_model(monitoring_lake)
    card = monitoring_lake.read_json(monitoring_lake.model_path(MODEL_NAME, "json"))
    assert card["model"] == MODEL_NAME and card["training_data"]["source"] == "synthetic_repayments"
    assert "proves the machinery only" in card["latent_function"]["note"]
    assert card["latent_function"]["coefficients"] == config["monitoring"]["model"]["latent"]
    assert {f["name"]: f["monotone"] for f in card["features"]} == {name: 1 for name in FEATURE_NAMES}
    assert "underwriting PD" in card["combination"] and 0.5 < card["metrics"]["roc_auc"]["mean"] <= 1
    scorer = BehaviourScorer(bundle, config)
    base = {"dpd_now": 0, "worst_delay_short": 0, "worst_delay_long": 0, "partial_count_long": 0,
            "bounced_count_long": 0, "foir": 0.3, "revolving_utilisation": 0.4, "income_cv": 0.3, "ltv": None,
            "underwriting_pd": 0.05}
    for name, values in {"dpd_now": [0, 5, 30, 60, 120], "bounced_count_long": [0, 1, 2, 4],
                         "underwriting_pd": [0.01, 0.05, 0.2, 0.6]}.items():
        pds = [p for p, _ in scorer.score([{**base, name: v} for v in values])]
        assert pds == sorted(pds), (name, pds)
    unscored = scorer.score([{**base, "underwriting_pd": None}])[0]
    assert 0 < unscored[0] < 1 and unscored[1] in {b["band"] for b in config["monitoring"]["bands"]}
