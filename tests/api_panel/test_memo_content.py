"""The credit memo from sparse or odd documents: every section still renders, missing figures read "—" or say
what is missing, windows come from the metric or its inputs, and amounts are written the Indian way."""
import io
import re

from pypdf import PdfReader

from api_panel.casefile.memo import build_memo, render_credit_memo
from api_panel.casefile.memo.content import metric_text, metric_window, plain

IDENTITY = {"customer_id": "CUST_MEM_00001", "business_name": "Sharma & Sons Traders", "pan": "ABCPS1234K",
            "gstin": "07ABCPS1234K1Z2", "udyam_number": "UDYAM-DL-03-0001234"}


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_a_bare_decision_still_makes_a_memo_that_says_what_is_missing():
    memo = build_memo("CUST_MEM_00001", IDENTITY, {"decision": {"decision": "REFER"}}, [])
    text = text_of(render_credit_memo(memo))
    for expected in ("Sharma & Sons Traders", "ABCPS1234K", "UDYAM-DL-03-0001234", "Refer",
                     "No offer: the engine did not approve a loan.", "No officer decision recorded yet.",
                     "No bank statement analysed.", "No GST returns analysed.", "No key metrics computed."):
        assert expected in text, expected
    assert not re.search(r"\bNone\b(?! stated)|\bnan\b|\bundefined\b", text, re.IGNORECASE), text


def test_odd_values_read_as_dashes_not_errors():
    decision = {"decision": "APPROVE", "risk_grade": {"probability_of_default": {"value": "high"}, "band": None,
                                                      "scorecard": {"value": None}},
                "offer": {"name": "Term loan", "amount": {"value": "lots"}, "annual_rate": {"value": None,
                                                                                            "inputs": "x"}},
                "reasons_for": ["Plain reason", {"text": "Balance is low (-0.4 on the log-odds scale)"}, 7],
                "model": {"roc_auc": {"mean": 0.8123}, "ks": "n/a"}}
    memo = build_memo("CUST_MEM_00001", IDENTITY, {"decision": decision}, [])
    assert memo["risk_grade"] == {"band": "—", "pd": "—", "scorecard": "—"}
    assert memo["offers"][0]["amount"] == "—" and memo["offers"][0]["rate"] == "—"
    assert memo["reasons_for"] == ["Plain reason", "Balance is low", "7"]
    assert memo["model"]["auc"] == "0.812" and memo["model"]["ks"] == "—"
    assert render_credit_memo(memo).startswith(b"%PDF")


def test_windows_amounts_and_the_officer_in_words():
    assert metric_window({"window": {"label": "Dec 2025 – Nov 2026 (12 months)"}}) == "Dec 2025 – Nov 2026 (12 months)"
    assert metric_window({"inputs": {"months": ["2026-03", "2025-12", "2026-01"]}}) == "Dec 2025 – Mar 2026 (3 months)"
    assert metric_window({"inputs": {"months": 36}}) == "not stated"
    assert metric_text({"value": 1234567.4, "unit": "INR"}) == "₹12,34,567"
    assert metric_text({"value": 0.0715, "unit": "ratio"}, "foir") == "7.1%"
    assert metric_text({"value": 2.4668, "unit": "ratio"}, "dscr") == "2.47x"
    assert metric_text({"value": None, "unit": "INR"}) == "—"
    assert plain("x (+2.03 on the log-odds scale) y") == "x y"
    record = {"decision": "APPROVE", "amount": 12500000, "by": "officer-1", "ts": "2026-12-02T10:00:00+00:00",
              "reason": "", "differs": False, "engine": {"decision": "APPROVE", "policy_version": "2026.12.1"}}
    memo = build_memo("CUST_MEM_00001", IDENTITY, {"decision": {"decision": "APPROVE"}}, [record])
    assert memo["officer"]["amount"] == "₹1,25,00,000 (₹1.25 crore)"
    assert memo["officer"]["when"] == "02 Dec 2026, 15:30 IST"
    text = text_of(render_credit_memo(memo))
    assert "Agrees with the engine (Approve, policy 2026.12.1)" in text and "₹1.25 crore" in text
