"""The ten demo customers through the whole pipeline: one decision that never contradicts itself.

Run with the small test risk model (tests/conftest.py); the shipped demo model's table is in docs/decision.md
(``python -m bench decisions`` prints it).
"""
from collections import defaultdict

import pytest

from analytics.decision.decide import decide
from analytics.decision.policy import load_policy

DOCS = ("decision", "recommendations", "risk_model", "overall_summary", "smart_collect", "credit_score",
        "gst_summary", "credit_summary", "transaction_summary")


@pytest.fixture(scope="module")
def cases(demo_models_lake, config):
    lake = demo_models_lake
    out = {}
    for customer_id, profile in config["demo_customers"].items():
        docs = {n: lake.read_json(lake.analytics_path(customer_id, n)) for n in DOCS}
        out[customer_id] = {"profile": profile, "docs": docs}
    return out


def test_every_approval_carries_an_offer_and_every_screen_agrees(cases):
    for customer_id, case in cases.items():
        docs = case["docs"]
        decision = docs["decision"]
        assert decision["policy"]["version"] and decision["decision"] in ("APPROVE", "APPROVE_WITH_CONDITIONS",
                                                                          "REFER", "DECLINE")
        if decision["decision"] in ("APPROVE", "APPROVE_WITH_CONDITIONS"):
            offer = decision["offer"]
            assert offer and offer["amount"]["value"] > 0, customer_id
            assert offer["product_id"] == docs["recommendations"]["summary"]["top_recommendation"]
            assert offer["annual_rate"]["value"] <= offer["annual_rate"]["inputs"]["ceiling"]
            assert set(offer["conditions"]) <= set(decision["conditions"])
            assert decision["reasons_for"], customer_id   # an approval says why, not only what is against it
        else:
            assert decision["offer"] is None and decision["reasons_against"], customer_id
        recommendation = docs["overall_summary"]["recommendation"]
        assert recommendation["decision"] == decision["decision"] and recommendation["stage"] == "final"
        assert recommendation["conditions"] == decision["conditions"]
        assert decision["risk_grade"]["band"] == docs["risk_model"]["metrics"]["risk_band"]["value"]
        pd_value = docs["risk_model"]["metrics"]["probability_of_default"]["value"]
        assert decision["risk_grade"]["probability_of_default"]["value"] == pd_value
        texts = [r["text"] for r in decision["reasons_for"] + decision["reasons_against"]]
        assert not any("log-odds" in t or "log10" in t for t in texts)


def test_the_risky_profiles_are_declined_for_their_own_reasons(cases):
    by_profile = {case["profile"]: case["docs"]["decision"] for case in cases.values()}
    fraud = by_profile["fraud"]
    assert fraud["decision"] == "DECLINE" and "knockout_fraud" in fraud["rules_fired"]
    assert fraud["reasons_against"][0]["text"].startswith("HIGH-severity fraud indicators")
    for profile in ("high_debt", "declining"):
        decision = by_profile[profile]
        assert decision["decision"] == "DECLINE", (profile, decision["rules_fired"])
        assert "knockout_fraud" not in decision["rules_fired"]


def test_rates_rise_with_pd_for_the_same_product_and_security(cases):
    offers = defaultdict(list)
    for case in cases.values():
        pd_value = case["docs"]["risk_model"]["metrics"]["probability_of_default"]["value"]
        for product in case["docs"]["recommendations"]["products"]:
            rate = product["sizing"]["annual_rate"]
            if rate["value"] is not None:
                key = (product["id"], rate["inputs"].get("security"), "cgtmse_cover" in rate["inputs"])
                offers[key].append((pd_value, rate["value"]))
    assert offers
    for key, pairs in offers.items():
        rates = [rate for _, rate in sorted(pairs)]
        assert rates == sorted(rates), key
    assert any(len({r for _, r in pairs}) > 1 for pairs in offers.values())  # prices really differ by PD


def test_smart_collect_never_presents_after_the_due_date(cases):
    seen = 0
    for case in cases.values():
        for obligation in case["docs"]["smart_collect"].get("obligations") or []:
            seen += 1
            assert obligation["recommended_presentation_day"] <= obligation["day_of_month"], obligation["lender"]
            for signal in case["docs"]["smart_collect"].get("risk_signals") or []:
                assert "Move presentation to day" not in signal["action"]
        collection = case["docs"]["decision"]["collection"]
        if collection and collection.get("due_day"):
            assert collection["presentation_day"] <= collection["due_day"]
    assert seen >= 5


def test_the_fraud_customer_is_declined_by_its_pd_even_with_the_fraud_knockout_off(cases, config):
    case = next(c for c in cases.values() if c["profile"] == "fraud")
    policy_off = dict(config["credit_policy"])
    policy_off["knockouts"] = {**policy_off["knockouts"], "fraud_severities": []}
    policy = load_policy({**config, "credit_policy": policy_off})
    docs = case["docs"]
    body = decide(docs, docs["risk_model"], docs["recommendations"],
                  {"status": "ACTIVE", "Purpose": {"code": "103"}}, policy)
    assert not [k for k in body["knockouts"] if k["fired"]]
    assert body["decision"] == "DECLINE" and body["risk_grade"]["band"] == "HIGH", body["risk_grade"]
