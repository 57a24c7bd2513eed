"""The one-page view a loan officer reads first: key metrics, score, alerts and a recommendation.

The recommendation is a documented policy on the computed figures, not a
model: fraud indicators of HIGH severity decline; otherwise the score band
decides (A/B approve, C approve with conditions, D refer to a credit
committee, E decline), and conditions are added for FOIR above 50%, DSCR
below 1.25 and recent bounces. Every figure here is copied from the analyzer
that computed it, with its calculation metadata.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from analytics.metric import metric

KEY_METRICS = (
    ("transaction_summary", "abb", "ABB"),
    ("transaction_summary", "avg_monthly_business_credits", "Monthly business credits"),
    ("transaction_summary", "surplus_ratio", "Surplus ratio"),
    ("transaction_summary", "foir", "FOIR"),
    ("transaction_summary", "dscr", "DSCR"),
    ("transaction_summary", "income_cv", "Income CV"),
    ("gst_summary", "avg_monthly_turnover", "GST monthly turnover"),
    ("gst_summary", "yoy_growth", "GST turnover growth (YoY)"),
    ("gst_summary", "turnover_trend", "GST turnover trend"),
    ("credit_summary", "bureau_score", "Bureau score"),
    ("credit_summary", "worst_dpd_12m", "Worst DPD (12 months)"),
)
DECISIONS = {"A": "APPROVE", "B": "APPROVE", "C": "APPROVE_WITH_CONDITIONS", "D": "REFER", "E": "DECLINE"}


def _get(bodies: dict, document: str, key: str) -> dict | None:
    found = bodies.get(document, {}).get("metrics", {}).get(key)
    return found if isinstance(found, dict) else None


def _value(bodies: dict, document: str, key: str) -> Any:
    found = _get(bodies, document, key)
    return None if found is None else found.get("value")


def _recommendation(bodies: dict) -> dict[str, Any]:
    score = bodies.get("credit_score", {})
    band = (score.get("band") or {}).get("code")
    fraud = (bodies.get("gst_summary", {}).get("fraud_indicators") or {}).get("severity", "NONE")
    reasons, conditions = [], []
    if fraud == "HIGH":
        decision = "DECLINE"
        reasons.append("HIGH-severity GST fraud indicators: refer to fraud control before any credit decision")
    elif band is None:
        decision = "REFER"
        reasons.append("No credit score could be computed from the data delivered")
    elif not (score.get("data_sufficiency") or {}).get("sufficient", True):
        decision = "REFER"
        reasons.append(f"Credit score {score['score']['value']} is not decisive: "
                       + "; ".join(score["data_sufficiency"]["reasons"]))
    else:
        decision = DECISIONS[band]
        reasons.append(f"Credit score {score['score']['value']} in band {band} ({score['band']['label']})")
        if fraud == "MEDIUM":
            decision = "REFER" if decision == "APPROVE" else decision
            reasons.append("MEDIUM-severity GST red flags need a credit officer's review")
    foir, dscr = _value(bodies, "transaction_summary", "foir"), _value(bodies, "transaction_summary", "dscr")
    bounces = _value(bodies, "transaction_summary", "inward_bounces") or 0
    if foir is not None and foir > 0.5:
        conditions.append(f"FOIR is {foir:.0%}: restructure or consolidate existing EMIs before new exposure")
    if dscr is not None and dscr < 1.25:
        conditions.append(f"DSCR is {dscr:.2f}: size the new EMI so that DSCR stays at or above 1.25")
    if bounces:
        conditions.append(f"{bounces} payment bounce(s): collect through NACH with a 3-month repayment track")
    for reason in (score.get("reasons") or {}).get("lowered", [])[:3]:
        reasons.append(reason["text"])
    return {"decision": decision, "reasons": reasons, "conditions": conditions,
            "policy": "fraud HIGH -> DECLINE; too little data -> REFER; band A/B APPROVE, C APPROVE_WITH_CONDITIONS, D REFER, E DECLINE; "
                      "MEDIUM fraud turns APPROVE into REFER"}


def summarize_overall(bodies: dict[str, dict], customer: dict, consent: dict | None, as_of: date) -> dict[str, Any]:
    """The body of ``overall_summary.json``."""
    key_metrics = {}
    for document, key, label in KEY_METRICS:
        found = _get(bodies, document, key)
        if found is not None:
            key_metrics[key] = {**found, "label": label, "source": f"{document}.metrics.{key}"}
    alerts = []
    fraud = bodies.get("gst_summary", {}).get("fraud_indicators") or {}
    if fraud.get("severity") in ("HIGH", "MEDIUM"):
        alerts.append({"kind": "fraud", "severity": fraud["severity"],
                       "message": f"GST fraud indicators of {fraud['severity']} severity: "
                                  + ", ".join(i["title"] for i in fraud.get("indicators", [])),
                       "source": "gst_summary.fraud_indicators"})
    compliance = bodies.get("gst_summary", {}).get("compliance") or {}
    if compliance.get("grade") == "POOR":  # late filing is a compliance finding, never a fraud alert
        alerts.append({"kind": "compliance", "severity": "MEDIUM",
                       "message": "GST compliance POOR: " + "; ".join(compliance.get("reasons") or []),
                       "source": "gst_summary.compliance"})
    for rule in bodies.get("anomalies_report", {}).get("rules", []):
        if rule["count"]["value"] and rule["severity"] in ("HIGH", "MEDIUM") and rule["id"] != "gst_fraud_indicator":
            alerts.append({"kind": "anomaly", "severity": rule["severity"], "rule": rule["id"],
                           "message": f"{rule['title']}: {rule['count']['value']} flagged",
                           "source": f"anomalies_report.rules.{rule['id']}"})
    score = bodies.get("credit_score", {})
    coverage = {name: bool(bodies.get(name, {}).get("metrics")) and any(
        isinstance(m, dict) and m.get("value") is not None for m in bodies[name]["metrics"].values())
        for name in ("transaction_summary", "gst_summary", "credit_summary", "mutual_funds_summary",
                     "insurance_summary", "ocen_summary", "ondc_summary")}
    return {
        "customer": {"name": customer.get("business_name"), "profile": customer.get("profile"),
                     "industry": customer.get("industry"), "constitution": customer.get("constitution")},
        "consent": None if consent is None else {"consentId": consent.get("consentId"), "status": consent.get("status"),
                                                 "purpose": (consent.get("Purpose") or {}).get("code"),
                                                 "fiTypes": consent.get("fiTypes")},
        "credit_score": {"score": score.get("score"), "band": score.get("band")},
        "key_metrics": key_metrics,
        "alerts": sorted(alerts, key=lambda a: {"HIGH": 0, "MEDIUM": 1}.get(a["severity"], 2)),
        "recommendation": _recommendation(bodies),
        "data_coverage": coverage,
        "metrics": {
            "alerts": metric(len(alerts), "count",
                             "fraud and GST-compliance alerts + HIGH/MEDIUM anomaly rules that fired",
                             {"alerts": [a.get("rule", a["kind"]) for a in alerts]}, "Alerts a credit officer must see."),
            "sources_with_data": metric(sum(coverage.values()), "count", "analytics documents with at least one computed metric",
                                        {"sources": [k for k, v in coverage.items() if v]},
                                        "How much of the footprint was delivered and analysed."),
        },
    }
