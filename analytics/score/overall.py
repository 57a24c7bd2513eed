"""The one-page view a loan officer reads first: key metrics, score, alerts and the decision.

The recommendation is the credit decision of :mod:`analytics.decision` — never a second policy. After the
``analyze`` step it is *preliminary*: the knock-outs are applied (a fraud or a 90+ DPD customer is declined at
once), and otherwise it is REFER until the risk model (``score`` step) and the offers (``models`` step) are in;
the ``models`` step then rewrites it with the final decision of ``decision.json``. Every figure here is copied
from the analyzer that computed it, with its calculation metadata.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from analytics.decision.decide import as_recommendation, decide
from analytics.decision.policy import load_policy
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


def _get(bodies: dict, document: str, key: str) -> dict | None:
    found = bodies.get(document, {}).get("metrics", {}).get(key)
    return found if isinstance(found, dict) else None


def summarize_overall(bodies: dict[str, dict], customer: dict, consent: dict | None, as_of: date,
                      config: dict) -> dict[str, Any]:
    """The body of ``overall_summary.json`` (its recommendation preliminary: see the module docstring)."""
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
        "recommendation": as_recommendation(decide(bodies, None, None, consent, load_policy(config)), "preliminary"),
        "data_coverage": coverage,
        "metrics": {
            "alerts": metric(len(alerts), "count", "fraud alerts + HIGH/MEDIUM anomaly rules that fired",
                             {"alerts": [a.get("rule", a["kind"]) for a in alerts]}, "Alerts a credit officer must see."),
            "sources_with_data": metric(sum(coverage.values()), "count", "analytics documents with at least one computed metric",
                                        {"sources": [k for k, v in coverage.items() if v]},
                                        "How much of the footprint was delivered and analysed."),
        },
    }
