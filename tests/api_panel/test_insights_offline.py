"""The parts of AI insights that need no network: facts, prompt trimming, the offline note, settings, validation."""
from __future__ import annotations

import copy
import json

import pytest

from api_panel.insights import (
    InsightSettings,
    MalformedNarrativeError,
    build_prompt,
    generate_insights,
    parse_narrative,
    settings_from_env,
)
from api_panel.insights.facts import assemble, collect_facts, safe_text
from pipeline.indian import inr, inr_both, inr_words
from api_panel.insights.offline import offline_narrative

FRAUD, BASELINE = "CUST_MSM_00006", "CUST_MSM_00001"
NAMES = ("overall_summary", "credit_score", "transaction_summary", "gst_summary", "credit_summary",
         "anomalies_report", "smart_collect")
OFFLINE_ONLY = InsightSettings(openai_api_key=None, gemini_api_key=None)


def documents_of(lake, customer_id: str) -> dict:
    return {name: lake.read_json(lake.analytics_path(customer_id, name)) for name in NAMES}


@pytest.fixture(scope="module")
def fraud(demo_lake):
    return documents_of(demo_lake, FRAUD)


@pytest.fixture(scope="module")
def baseline(demo_lake):
    return documents_of(demo_lake, BASELINE)


def test_indian_number_formatting():
    assert inr(1234567.4) == "₹12,34,567"
    assert inr(999) == "₹999" and inr(100000) == "₹1,00,000" and inr(-339107.91) == "-₹3,39,108"
    assert inr(1234567890) == "₹1,23,45,67,890"
    assert inr_words(1234567) == "₹12.35 lakh" and inr_words(25182524) == "₹2.52 crore"
    assert inr_words(85000) == "₹85,000"
    assert inr_both(924404) == "₹9,24,404 (₹9.24 lakh)"


def test_offline_narrative_is_deterministic_and_flags_fraud(fraud):
    first = generate_insights(fraud, OFFLINE_ONLY)
    second = generate_insights(copy.deepcopy(fraud), OFFLINE_ONLY)
    assert first["provider"] == "offline"
    assert first["narrative"] == second["narrative"]
    note = first["narrative"]
    score = fraud["credit_score"]["score"]["value"]
    assert note["summary"].startswith(f"Credit score {score} (band E")
    assert "Fraud alert: GST fraud indicators of HIGH severity" in note["summary"]
    assert note["risks"][0].startswith("Fraud alert")
    assert note["recommendation"].startswith("Decline")
    assert any("GSTR-2B" in c for c in note["suggested_conditions"])
    credits = fraud["transaction_summary"]["metrics"]["avg_monthly_business_credits"]["value"]
    assert inr_both(credits) in note["summary"]
    foir = fraud["transaction_summary"]["metrics"]["foir"]["value"]
    assert f"FOIR {foir * 100:.1f}%" in note["summary"]


def test_offline_narrative_follows_the_numbers(fraud, baseline):
    fraud_note = offline_narrative(assemble(collect_facts(fraud)))
    base_note = offline_narrative(assemble(collect_facts(baseline)))
    assert "Fraud alert" not in json.dumps(base_note)
    decision = baseline["overall_summary"]["recommendation"]["decision"]
    assert f"policy decision: {decision}" in base_note["summary"]
    for condition in baseline["overall_summary"]["recommendation"]["conditions"]:
        assert condition in base_note["suggested_conditions"]
    assert fraud_note["summary"] != base_note["summary"]
    # Change one figure: the words change with it.
    changed = copy.deepcopy(baseline)
    changed["transaction_summary"]["metrics"]["foir"]["value"] = 0.72
    changed_note = offline_narrative(assemble(collect_facts(changed)))
    assert "FOIR 72.0%" in changed_note["summary"]
    assert any("above the 50% policy line" in r or "FOIR 72%" in r for r in changed_note["risks"])


def test_missing_documents_still_give_a_note():
    result = generate_insights({}, OFFLINE_ONLY)
    assert result["provider"] == "offline"
    assert result["narrative"]["summary"].startswith("No credit score could be computed")
    assert result["narrative"]["recommendation"].startswith("Refer")
    only_overall = generate_insights({"overall_summary": {"recommendation": {"decision": "REFER", "conditions": []}}},
                                     OFFLINE_ONLY)
    assert "policy decision: REFER" in only_overall["narrative"]["summary"]


def test_tiny_token_limit_drops_low_priority_facts_and_keeps_the_score(fraud):
    full = build_prompt(fraud)
    assert full["dropped_facts"] == []
    assert "industry" in full["facts"]["business"]
    tiny = build_prompt(fraud, max_prompt_tokens=50)
    assert tiny["facts"]["credit_score"]["score"] == fraud["credit_score"]["score"]["value"]
    assert tiny["facts"]["decision"]["decision"] == "DECLINE"
    assert tiny["facts"]["fraud"]["severity"] == "HIGH"
    assert "business" not in tiny["facts"] and "bureau" not in tiny["facts"]
    assert "business.industry" in tiny["dropped_facts"] and "bureau.enquiries_12m" in tiny["dropped_facts"]
    middle_limit = (full["estimated_tokens"] + tiny["estimated_tokens"]) // 2
    middle = build_prompt(fraud, max_prompt_tokens=middle_limit)
    assert middle["estimated_tokens"] <= middle_limit
    assert 0 < len(middle["dropped_facts"]) < len(tiny["dropped_facts"])
    assert "cash_flow" in middle["facts"] and "foir_pct" in middle["facts"]["cash_flow"]
    assert json.dumps(middle["facts"], ensure_ascii=False, separators=(",", ":")) in middle["user"]


def test_token_limit_from_the_environment_reaches_the_prompt(fraud):
    settings = settings_from_env({"AI_MAX_PROMPT_TOKENS": "50"})
    result = generate_insights(fraud, settings)
    assert "bureau" not in result["prompt_facts"]
    assert result["prompt_facts"]["credit_score"]["score"] == fraud["credit_score"]["score"]["value"]
    # the offline note still uses every fact, not only the trimmed prompt
    assert "DSCR" in result["narrative"]["summary"]


def test_free_text_with_identifiers_never_becomes_a_fact(fraud):
    planted = copy.deepcopy(fraud)
    name = planted["overall_summary"]["customer"]["name"]
    planted["overall_summary"]["recommendation"]["conditions"] = [
        f"Call {name} first", "Write to owner@example.com", "PAN ABCDE1234F on file", "Account XXXXXXXX6125",
        "Mobile 9830967261", "FOIR is 62%: restructure existing EMIs"]
    planted["overall_summary"]["customer"]["industry"] = "Traders 9830967261"
    prompt = build_prompt(planted)
    assert prompt["facts"]["decision"]["policy_conditions"] == ["FOIR is 62%: restructure existing EMIs"]
    for token in (name, "owner@example.com", "ABCDE1234F", "6125", "9830967261"):
        assert token not in prompt["user"]
    assert safe_text("29ABCDE1234F1Z5 buyer") is None and safe_text("txn C45828454") is None
    assert safe_text("GSTR-3B filed late (on time 46%)") == "GSTR-3B filed late (on time 46%)"


def test_optional_documents_give_numbers_only(fraud):
    extended = copy.deepcopy(fraud)
    extended["risk_model"] = {"metrics": {
        "probability_of_default": {"value": 0.1834, "unit": "probability"},
        "expected_loss": {"value": 123456.7, "unit": "INR"},
        "top_borrower_name": {"value": "Apex Electricals", "unit": "text"},
        "Bad Key!": {"value": 1, "unit": "count"}},
        "customer": {"name": "Apex Electricals"}}
    facts = build_prompt(extended)["facts"]
    assert facts["risk_model"] == {"probability_of_default": 0.1834, "expected_loss_inr": 123457}


def test_settings_from_env_defaults_and_fallbacks():
    default = settings_from_env({})
    assert (default.openai_base_url, default.openai_model) == ("https://api.deepseek.com", "deepseek-chat")
    assert default.gemini_model == "gemini-2.5-flash" and default.gemini_base_url is None
    assert (default.timeout_s, default.total_budget_s) == (8.0, 20.0)
    assert default.openai_api_key is None and default.gemini_api_key is None
    env = {"DEEPSEEK_API_KEY": "ds-secret-1", "GOOGLE_API_KEY": "g-secret-2", "OPENAI_BASE_URL": "http://llm.bank.local/v1/",
           "AI_TIMEOUT_S": "3.5", "AI_TOTAL_BUDGET_S": "oops", "AI_MAX_PROMPT_TOKENS": "900",
           "AI_MAX_RESPONSE_TOKENS": "500", "GEMINI_THINKING_BUDGET": "0"}
    settings = settings_from_env(env)
    assert settings.openai_api_key == "ds-secret-1" and settings.gemini_api_key == "g-secret-2"
    assert settings.openai_base_url == "http://llm.bank.local/v1"
    assert settings.timeout_s == 3.5 and settings.total_budget_s == 20.0
    assert (settings.max_prompt_tokens, settings.max_response_tokens, settings.gemini_thinking_budget) == (900, 500, 0)
    assert settings_from_env({"OPENAI_API_KEY": "first", "DEEPSEEK_API_KEY": "second"}).openai_api_key == "first"
    assert "ds-secret-1" not in repr(settings) and "g-secret-2" not in repr(settings)


def test_settings_read_os_environ_by_default(monkeypatch):
    monkeypatch.setenv("GEMINI_MODEL", "gemini-test-model")
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)
    monkeypatch.delenv("GOOGLE_API_KEY", raising=False)
    settings = settings_from_env()
    assert settings.gemini_model == "gemini-test-model" and settings.gemini_api_key is None


GOOD = {"summary": "A clear summary of the case.", "strengths": ["a"], "risks": [], "recommendation": "Approve.",
        "suggested_conditions": ["NACH mandate"]}


@pytest.mark.parametrize("reply, reason", [
    ("not json at all", "not valid JSON"),
    ("[1, 2]", "not a JSON object"),
    (json.dumps({k: v for k, v in GOOD.items() if k != "risks"}), "missing keys: risks"),
    (json.dumps({**GOOD, "strengths": "one string"}), "strengths"),
    (json.dumps({**GOOD, "risks": ["", "x"]}), "risks"),
    (json.dumps({**GOOD, "summary": "x" * 5000}), "summary"),
    (json.dumps({**GOOD, "recommendation": 5}), "recommendation"),
    ("", "empty"),
])
def test_malformed_replies_are_rejected(reply, reason):
    with pytest.raises(MalformedNarrativeError, match=reason):
        parse_narrative(reply)


def test_valid_reply_is_accepted_even_in_a_code_fence():
    assert parse_narrative(json.dumps(GOOD)) == GOOD
    assert parse_narrative("```json\n" + json.dumps({**GOOD, "extra": 1}) + "\n```") == GOOD


def test_the_offline_note_says_the_engines_decision_and_offer(demo_models_lake):
    docs = {name: demo_models_lake.read_json(demo_models_lake.analytics_path(BASELINE, name))
            for name in (*NAMES, "decision", "recommendations", "risk_model")}
    decision = docs["decision"]
    note = offline_narrative(assemble(collect_facts(docs)))["recommendation"]
    pd_pct = decision["risk_grade"]["probability_of_default"]["value"] * 100
    assert f"probability of default {pd_pct:.1f}%, {decision['risk_grade']['band']} risk grade" in note
    assert f"under credit policy {decision['policy']['version']}" in note
    assert "50% policy line" not in note   # no second capacity rule beside the engine's
    if decision["offer"]:
        assert f"Offer: {decision['offer']['name']} of {inr_words(decision['offer']['amount']['value'])}" in note
    room = decision["capacity"]["metrics"]["max_new_emi"]["value"]
    assert ("leaves room for " + inr_both(round(room))) in note or room <= 0
