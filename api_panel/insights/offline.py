"""A deterministic credit note written from the facts alone: always available, same facts, same words.

It is the last provider of the chain and the one a bank without any model uses. Every sentence is a
template filled with a computed figure (score and band, policy decision and conditions, FOIR, DSCR,
surplus, GST fraud severity and its indicators, bounces, growth, reason codes), so nothing in it is
invented; amounts use Indian grouping and lakh/crore.
"""
from __future__ import annotations

from typing import Any

from pipeline.indian import inr, inr_both, inr_words

MAX_STRENGTHS, MAX_RISKS, MAX_CONDITIONS = 6, 8, 6
DECISION_WORDS = {"APPROVE": "approve", "APPROVE_WITH_CONDITIONS": "approve with conditions",
                  "REFER": "refer to the credit committee", "DECLINE": "decline"}
FRAUD_FOLLOW_UP = {
    "itc_ratio_high": "Obtain GSTR-2B and purchase invoices for the months where input tax credit is close to output tax",
    "turnover_vs_bank": "Reconcile declared GST turnover with bank credits: statements of every bank account the business uses",
    "circular_flows": "Get an explanation, with documents, of money returned to the same parties within days",
    "late_filing": "Bring GSTR-3B filing up to date and keep it on time for the next six months",
}


def _get(facts: dict, section: str, key: str) -> Any:
    return (facts.get(section) or {}).get(key)


def _reason_codes(facts: dict, direction: str) -> list[dict]:
    return list(_get(facts, "score_reasons", direction) or [])


def _fraud_sentence(facts: dict) -> str | None:
    severity = _get(facts, "fraud", "severity")
    if severity not in ("HIGH", "MEDIUM"):
        return None
    parts = []
    for item in _get(facts, "fraud", "indicators") or []:
        unit = "flows" if item["code"] == "circular_flows" else "months"
        parts.append(f"{item['title']} ({item['count']} {unit}, {item['severity']})")
    listed = f" \u2014 {'; '.join(parts)}" if parts else ""
    if severity == "HIGH":
        return f"Fraud alert: GST fraud indicators of HIGH severity{listed}"
    # One indicator kind alone is at most MEDIUM (analytics.gst.fraud): a red flag to review, not a fraud finding.
    return f"GST red flags of MEDIUM severity for review{listed}"


def _cash_flow_sentence(facts: dict) -> str | None:
    credits = _get(facts, "cash_flow", "avg_monthly_business_credits_inr")
    if credits is None:
        return None
    text = f"Average monthly business credits are {inr_both(credits)}"
    emi = _get(facts, "cash_flow", "emi_monthly_total_inr")
    if emi:
        text += f" against EMIs of {inr(emi)} a month"
    ratios = []
    if _get(facts, "cash_flow", "foir_pct") is not None:
        ratios.append(f"FOIR {_get(facts, 'cash_flow', 'foir_pct'):.1f}%")
    if _get(facts, "cash_flow", "dscr") is not None:
        ratios.append(f"DSCR {_get(facts, 'cash_flow', 'dscr'):.2f}")
    surplus = _get(facts, "cash_flow", "avg_monthly_surplus_inr")
    if surplus is not None:
        share = _get(facts, "cash_flow", "surplus_ratio_pct")
        ratios.append(f"average monthly {'surplus' if surplus >= 0 else 'deficit'} {inr_both(abs(surplus))}"
                      + (f", {abs(share):.1f}% of inflows" if share is not None else ""))
    return text + (": " + ", ".join(ratios) if ratios else "") + "."


def _growth_sentence(facts: dict) -> str | None:
    parts = []
    gst = _get(facts, "gst", "yoy_growth_pct")
    if gst is not None:
        turnover = _get(facts, "gst", "turnover_12m_inr")
        parts.append(f"GST turnover {'grew' if gst >= 0 else 'fell'} {abs(gst):.1f}% year on year"
                     + (f" ({inr_words(turnover)} in the last 12 months)" if turnover else ""))
    bank = _get(facts, "growth", "bank_credit_growth_yoy_pct")
    if bank is not None:
        parts.append(f"bank business credits {'grew' if bank >= 0 else 'fell'} {abs(bank):.1f}%")
    if not parts:
        return None
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def _summary(facts: dict) -> str:
    score, band = _get(facts, "credit_score", "score"), _get(facts, "credit_score", "band")
    decision = _get(facts, "decision", "decision")
    if score is None:
        opening = "No credit score could be computed from the data delivered"
    else:
        label = _get(facts, "credit_score", "band_label")
        opening = f"Credit score {score}" + (f" (band {band}, {label})" if band else "")
    opening += f"; policy decision: {decision or 'not available'}."
    sentences = [opening]
    fraud = _fraud_sentence(facts)
    if fraud:
        sentences.append(fraud + ".")
    if _get(facts, "credit_score", "data_sufficient") is False:
        sentences.append("The data is too thin for the score to decide on its own.")
    sentences += [s for s in (_cash_flow_sentence(facts), _growth_sentence(facts)) if s]
    return " ".join(sentences)


def _strengths(facts: dict) -> list[str]:
    rows = _reason_codes(facts, "raised")
    out = [r["text"] for r in rows]
    covered = {r["code"] for r in rows}
    foir, dscr = _get(facts, "cash_flow", "foir_pct"), _get(facts, "cash_flow", "dscr")
    surplus, share = _get(facts, "cash_flow", "avg_monthly_surplus_inr"), _get(facts, "cash_flow", "surplus_ratio_pct")
    checks = [
        ("R09", foir is not None and foir <= 40, lambda: f"FOIR of {foir:.1f}%: existing EMIs take a small share of business credits"),
        ("R10", dscr is not None and dscr >= 1.25, lambda: f"DSCR of {dscr:.2f}: cash flow covers debt service"),
        ("R08", surplus is not None and surplus > 0 and (share or 0) >= 10,
         lambda: f"Average monthly surplus of {inr_both(surplus)}"),
        ("R04", _get(facts, "conduct", "inward_bounces") == 0, lambda: "No inward cheque or NACH bounces"),
        ("R03", (_get(facts, "bureau", "bureau_score") or 0) >= 700,
         lambda: f"Bureau score {_get(facts, 'bureau', 'bureau_score')}"),
        ("R14", (_get(facts, "gst", "yoy_growth_pct") or 0) >= 5,
         lambda: f"GST turnover up {_get(facts, 'gst', 'yoy_growth_pct'):.1f}% year on year"),
        ("R17", (_get(facts, "growth", "bank_credit_growth_yoy_pct") or 0) >= 5,
         lambda: f"Bank business credits up {_get(facts, 'growth', 'bank_credit_growth_yoy_pct'):.1f}% year on year"),
    ]
    out += [say() for code, holds, say in checks if holds and code not in covered]
    return out[:MAX_STRENGTHS]


def _risks(facts: dict) -> list[str]:
    out = []
    fraud = _fraud_sentence(facts)
    if fraud:
        out.append(fraud)
    for overlay in _get(facts, "credit_score", "overlays") or []:
        out.append(f"Score capped at {overlay['cap']} by policy overlay {overlay['id']}")
    out += [f"Thin file: {reason}" for reason in _get(facts, "credit_score", "insufficiency_reasons") or []]
    rows = _reason_codes(facts, "lowered")
    out += [r["text"] for r in rows]
    covered = {r["code"] for r in rows}
    foir, dscr = _get(facts, "cash_flow", "foir_pct"), _get(facts, "cash_flow", "dscr")
    bounces, surplus = _get(facts, "conduct", "inward_bounces"), _get(facts, "cash_flow", "avg_monthly_surplus_inr")
    checks = [
        ("R09", foir is not None and foir > 50, lambda: f"FOIR of {foir:.1f}% is above the 50% policy line"),
        ("R10", dscr is not None and dscr < 1.25, lambda: f"DSCR of {dscr:.2f} is below 1.25"),
        ("R04", bool(bounces), lambda: f"{bounces} inward payment bounce(s)"),
        ("R08", surplus is not None and surplus < 0, lambda: f"Average monthly deficit of {inr_both(-surplus)}"),
        ("R14", (_get(facts, "gst", "yoy_growth_pct") or 0) <= -10,
         lambda: f"GST turnover down {abs(_get(facts, 'gst', 'yoy_growth_pct')):.1f}% year on year"),
        ("R17", (_get(facts, "growth", "bank_credit_growth_yoy_pct") or 0) <= -10,
         lambda: f"Bank business credits down {abs(_get(facts, 'growth', 'bank_credit_growth_yoy_pct')):.1f}% year on year"),
        ("O2", _get(facts, "bureau", "written_off") is True, lambda: "A written-off account in the bureau"),
        ("O3", _get(facts, "bureau", "suit_filed") is True, lambda: "A suit-filed account in the bureau"),
    ]
    out += [say() for code, holds, say in checks if holds and code not in covered]
    high = [r for r in _get(facts, "anomalies", "rules_fired") or []
            if r["severity"] == "HIGH" and not (fraud and r["id"] == "gst_fraud_indicator")]
    if high:
        out.append("Transaction anomalies: " + ", ".join(f"{r['title']} ({r['count']})" for r in high))
    at_risk = _get(facts, "collections", "at_risk_collections")
    if at_risk:
        out.append(f"{at_risk} existing EMI collection(s) at risk of failing")
    return out[:MAX_RISKS]


def _engine_recommendation(facts: dict, decision: str, pd_pct: float, grade: str, fraud: str | None) -> str:
    """The credit engine's decision in words: its grade and policy, its offer sized on the year's cash flow."""
    score = _get(facts, "credit_score", "score")
    policy = _get(facts, "decision", "policy_version")
    why = [f"probability of default {pd_pct:.1f}%, {grade} risk grade"
           + (f" under credit policy {policy}" if policy else "")]
    if _get(facts, "decision", "decided_by") == "knockout":
        why.insert(0, "a policy knock-out rule decided before the risk grade")
    if fraud == "HIGH":
        why.insert(0, "HIGH-severity GST fraud indicators must go to fraud control before any credit decision")
    if score is not None:
        why.append(f"the scorecard ({score}) explains the drivers")
    text = DECISION_WORDS.get(decision, decision).capitalize() + ": " + "; ".join(why) + "."
    offer, room = _get(facts, "decision", "offer"), _get(facts, "decision", "max_new_emi_inr")
    if offer and decision in ("APPROVE", "APPROVE_WITH_CONDITIONS"):
        text += (f" Offer: {offer['product']} of {inr_words(offer['amount_inr'])} at {offer['annual_rate_pct']:.2f}% a "
                 "year.")
    if room is not None:
        text += (f" The year's cash flow leaves room for {inr_both(room)} a month of new EMI." if room > 0 else
                 " The year's cash flow leaves no room for a new EMI.")
    return text


def _recommendation(facts: dict) -> str:
    decision = _get(facts, "decision", "decision")
    score, band = _get(facts, "credit_score", "score"), _get(facts, "credit_score", "band")
    fraud = _get(facts, "fraud", "severity")
    if decision is None:
        return "Refer: the analytics carry no policy decision, so a credit officer must assess the case."
    why = []
    if fraud == "HIGH":
        why.append("HIGH-severity GST fraud indicators must go to fraud control before any credit decision")
    if score is not None and band:
        why.append(f"the credit score of {score} is in band {band} ({_get(facts, 'credit_score', 'band_label')})")
    if _get(facts, "credit_score", "data_sufficient") is False:
        why.append("there is too little data for the score to decide on its own")
    if fraud == "MEDIUM":
        why.append("MEDIUM-severity GST red flags need a credit officer's review")
    pd_pct, grade = _get(facts, "decision", "pd_pct"), _get(facts, "decision", "risk_grade")
    if pd_pct is not None and grade:  # the engine's decision: the PD decides, the scorecard explains
        return _engine_recommendation(facts, decision, pd_pct, grade, fraud)
    text = DECISION_WORDS.get(decision, decision).capitalize() + (": " + "; ".join(why) if why else "") + "."
    credits, emi = _get(facts, "cash_flow", "avg_monthly_business_credits_inr"), _get(facts, "cash_flow", "emi_monthly_total_inr")
    if decision != "DECLINE" and credits:
        headroom = 0.5 * credits - (emi or 0)
        if headroom > 0:
            text += (f" FOIR headroom: at the 50% policy line, existing EMIs leave room for about {inr_both(headroom)} "
                     "a month of new EMI; DSCR must also stay at or above 1.25.")
        else:
            text += " Existing EMIs already take half of business credits: no FOIR headroom for a new EMI."
    return text


def _conditions(facts: dict) -> list[str]:
    out = list(_get(facts, "decision", "policy_conditions") or [])
    prefix = "Before any reconsideration: " if _get(facts, "decision", "decision") == "DECLINE" else ""
    if _get(facts, "fraud", "severity") in ("HIGH", "MEDIUM"):
        for item in _get(facts, "fraud", "indicators") or []:
            follow_up = FRAUD_FOLLOW_UP.get(item["code"])
            if follow_up and item["severity"] in ("HIGH", "MEDIUM"):
                out.append(prefix + (follow_up[0].lower() + follow_up[1:] if prefix else follow_up))
    months = _get(facts, "cash_flow", "months_covered")
    if _get(facts, "credit_score", "data_sufficient") is False or (months is not None and months < 6):
        out.append("Fetch at least 6 months of bank statement (and GST returns) through the Account Aggregator")
    if (_get(facts, "conduct", "negative_balance_days") or 0) > 20 and _get(facts, "decision", "decision") != "DECLINE":
        out.append("Monitor the account monthly under a periodic AA consent (purpose 104) after disbursal")
    return out[:MAX_CONDITIONS]


def offline_narrative(facts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The five-part narrative written from ``facts`` (see :func:`api_panel.insights.facts.assemble`).

    Why: a lender must always get a note, even with no model configured or every provider down, and the
    same analytics must always give the same words.
    """
    return {"summary": _summary(facts), "strengths": _strengths(facts), "risks": _risks(facts),
            "recommendation": _recommendation(facts), "suggested_conditions": _conditions(facts)}
