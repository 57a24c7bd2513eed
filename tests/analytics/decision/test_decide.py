"""The decision on hand-built documents: knock-outs first, then the PD grade, then an offer or a referral."""
import copy

import pytest

from analytics.decision.decide import as_recommendation, decide, evaluate_knockouts
from analytics.decision.policy import load_policy
from analytics.decision.reasons import plain_value, rank_reasons
from analytics.recommendations.recommend import recommend_products
from tests.analytics.recommendations.test_recommend import FORECAST, customer, m, risk

CONSENT = {"consentId": "c-1", "status": "ACTIVE", "Purpose": {"code": "103"}}


def decided(config, docs=None, scored=None, consent=CONSENT, policy=None):
    docs = docs or customer()
    scored = risk() if scored is None else scored
    recs = recommend_products(docs, scored or None, FORECAST, config)
    return decide(docs, scored or None, recs, consent, policy or load_policy(config)), recs


def test_a_low_pd_customer_is_approved_with_the_top_offer_and_its_conditions(config):
    body, recs = decided(config)
    assert body["decision"] == "APPROVE" and body["decided_by"] == "pd_cutoff"
    assert body["offer"]["product_id"] == recs["summary"]["top_recommendation"]
    assert body["offer"]["annual_rate"]["inputs"]["build_up"]["expected_loss"] == pytest.approx(0.02 * (
        body["offer"]["annual_rate"]["inputs"]["lgd_used"]))
    assert set(body["offer"]["conditions"]) <= set(body["conditions"]) and body["conditions"]
    assert [o["product_id"] for o in body["offers"]][0] == body["offer"]["product_id"]
    assert body["policy"]["version"] == config["credit_policy"]["version"] and len(body["policy"]["sha256"]) == 64
    assert body["risk_grade"]["band"] == "LOW" and body["risk_grade"]["label"] == "Low risk (PD 2.0%)"
    assert not any(k["fired"] for k in body["knockouts"]) and len(body["knockouts"]) == 5
    assert body["collection"]["presentation_day"] == body["collection"]["due_day"] or \
        body["collection"]["due_day"] is None


@pytest.mark.parametrize("pd_value, band, decision", [(0.03, "LOW", "APPROVE"),
                                                      (0.08, "MODERATE", "APPROVE_WITH_CONDITIONS"),
                                                      (0.2, "ELEVATED", "REFER"), (0.4, "HIGH", "DECLINE")])
def test_the_pd_grade_decides_after_the_knockouts(config, pd_value, band, decision):
    body, _ = decided(config, scored=risk(pd_value, band))
    assert body["decision"] == decision and body["risk_grade"]["band"] == band
    assert f"grade_{band.lower()}" in body["rules_fired"]
    if decision in ("APPROVE", "APPROVE_WITH_CONDITIONS"):
        assert body["offer"] is not None
    if band == "MODERATE":  # the grade's own conditions join the offer's
        assert any("NACH/e-mandate" in c for c in body["conditions"])


def test_knockouts_decide_before_the_pd(config):
    policy = load_policy(config)
    cases = {
        "fraud": customer(fraud="HIGH"),
        "bureau_adverse": copy.deepcopy(customer()),
        "dpd_90_plus": copy.deepcopy(customer()),
        "insufficient_data": copy.deepcopy(customer()),
    }
    cases["bureau_adverse"]["credit_summary"]["metrics"]["suit_filed"] = m(True)
    cases["dpd_90_plus"]["credit_summary"]["metrics"]["worst_dpd_12m"] = m(120)
    cases["insufficient_data"]["credit_score"]["data_sufficiency"] = {"sufficient": False,
                                                                     "reasons": ["only 3 months of statement"]}
    for kid, docs in cases.items():
        body, _ = decided(config, docs=docs, policy=policy)
        fired = [k["id"] for k in body["knockouts"] if k["fired"]]
        assert fired == [kid], kid
        assert body["decided_by"] == "knockout" and body["offer"] is None
        assert body["decision"] == policy.knockout_decisions[kid]
        assert body["reasons_against"][0]["source"] == f"policy.knockouts.{kid}"
    body, _ = decided(config, consent={**CONSENT, "status": "REVOKED"})
    assert body["decision"] == "REFER" and "no_lending_consent" in [k["id"] for k in body["knockouts"] if k["fired"]]
    body, _ = decided(config, consent={**CONSENT, "Purpose": {"code": "101"}})
    assert "knockout_no_lending_consent" in body["rules_fired"]


def test_no_capacity_turns_an_approval_into_a_referral_with_that_reason(config):
    # existing EMIs 6,00,000 on 10,00,000: no room under the 50% FOIR cap
    body, recs = decided(config, docs=customer(existing=600_000, surplus=100_000))
    assert recs["metrics"]["eligible_products"]["value"] == 0
    assert body["decision"] == "REFER" and body["decided_by"] == "capacity" and body["offer"] is None
    assert "no_repayment_capacity" in body["rules_fired"]
    assert body["reasons_against"][0]["text"].startswith("No repayment capacity")


def test_medium_fraud_flags_are_a_condition_not_a_silent_approval(config):
    docs = customer()
    docs["gst_summary"]["fraud_indicators"]["severity"] = "MEDIUM"
    body, _ = decided(config, docs=docs)
    assert body["decision"] == "APPROVE_WITH_CONDITIONS" and "fraud_flags_to_clear" in body["rules_fired"]
    assert any("MEDIUM-severity GST red flags" in c for c in body["conditions"])


def test_without_a_pd_the_case_is_referred(config):
    body, _ = decided(config, scored={})
    assert body["decision"] == "REFER" and body["risk_grade"]["band"] is None
    assert "no_probability_of_default" in body["rules_fired"]


def test_reasons_are_plain_words_both_ways(config):
    scored = risk()
    scored["drivers"] = [{"feature": "business_credits_log", "value": 6.0, "shap_value": 0.3},
                         {"feature": "foir", "value": 0.38, "shap_value": 0.2},
                         {"feature": "worst_dpd_24m", "value": 0.0, "shap_value": -0.5},
                         {"feature": "dscr", "value": 2.4, "shap_value": -0.1}]
    score = {"reasons": {"raised": [{"code": "R03", "factor": "bureau_score", "text": "Strong bureau score (780)"}],
                         "lowered": [{"code": "R09", "factor": "foir", "text": "High fixed obligations"}]}}
    for_, against = rank_reasons(scored, score)
    texts = [r["text"] for r in for_ + against]
    assert against[0]["text"] == "Average monthly business credits: ₹10.00 lakh — raised the risk"
    assert against[1]["text"].endswith(": 38% — raised the risk")
    assert for_[0]["text"].endswith(": 0 days — lowered the risk") and "2.40x" in for_[1]["text"]
    assert "Strong bureau score (780)" in texts and "High fixed obligations" not in texts  # FOIR said once
    assert not any("log" in t for t in texts)
    assert plain_value("gst_fraud_severity", 3.0) == "high" and plain_value("abb_log", -5.0) == "-₹99,999"


def test_the_first_page_carries_the_same_decision(config):
    body, _ = decided(config)
    rec = as_recommendation(body, "final")
    assert rec["decision"] == body["decision"] and rec["conditions"] == body["conditions"]
    assert rec["policy_version"] == body["policy"]["version"] and rec["stage"] == "final"
    preliminary = as_recommendation(decide(customer(), None, None, CONSENT, load_policy(config)), "preliminary")
    assert preliminary["decision"] == "REFER" and preliminary["stage"] == "preliminary"


def test_every_knockout_is_listed_even_when_none_fires(config):
    rows = evaluate_knockouts(customer(), CONSENT, load_policy(config))
    assert [r["id"] for r in rows] == ["fraud", "bureau_adverse", "dpd_90_plus", "insufficient_data",
                                       "no_lending_consent"]
    assert all(r["assessed"] for r in rows[:3]) and not any(r["fired"] for r in rows)
