"""The aggregated figures a narrative may use, picked from the analytics by an explicit allow-list.

Nothing is copied wholesale from a document: every fact is named here, with the document and metric it
comes from, how it is rounded, and a priority (1 = must keep .. 5 = first to drop when the prompt is too
long). Identifiers never reach a fact: no names, PAN, GSTIN, account numbers, phone numbers, e-mails,
narrations, counterparties or transaction ids. Free text is only taken from fixed catalogues (reason-code
templates, rule titles) or policy templates, and each string must pass :func:`safe_text` as well.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from analytics.gst.fraud import TITLES as FRAUD_TITLES
from analytics.score.tables import BANDS, COMPONENTS

SEVERITIES = ("HIGH", "MEDIUM", "LOW", "NONE")
DECISIONS = ("APPROVE", "APPROVE_WITH_CONDITIONS", "REFER", "DECLINE")
BAND_LABELS = {b["code"]: b["label"] for b in BANDS}
FACTORS = {f.key: f for c in COMPONENTS for f in c.factors}
OPTIONAL_DOCUMENTS = ("risk_model", "cashflow_forecast", "recommendations", "reconciliation", "enhanced_anomalies")
MAX_OPTIONAL_METRICS = 12
MAX_TEXT = 240
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,47}$")
_TOKEN = re.compile(r"^[A-Za-z0-9_\-]{1,40}$")
# Shapes of identifiers that must never leave the lake: e-mails, long digit runs (phones, accounts),
# PAN, GSTIN, masked account numbers, transaction-id-like codes, URLs.
_UNSAFE = re.compile(
    r"@|\d{6,}|\b[A-Z]{5}\d{4}[A-Z]\b|\b\d{2}[A-Z]{5}\d{4}[A-Z][0-9A-Z]Z[0-9A-Z]\b|[Xx*]{3,}\d"
    r"|\b[A-Z]{1,6}\d{5,}\b|https?://|www\.")


@dataclass(frozen=True)
class Fact:
    """One allowed figure: where it goes in the prompt and how important it is."""

    priority: int
    section: str
    key: str
    value: Any


@dataclass(frozen=True)
class MetricSpec:
    """A metric copied from ``documents[document]["metrics"][metric]`` after rounding by ``kind``."""

    priority: int
    section: str
    key: str
    document: str
    metric: str
    kind: str  # inr | pct | ratio | num | int | flag


METRICS: tuple[MetricSpec, ...] = (
    MetricSpec(2, "cash_flow", "avg_monthly_business_credits_inr", "transaction_summary", "avg_monthly_business_credits", "inr"),
    MetricSpec(2, "cash_flow", "foir_pct", "transaction_summary", "foir", "pct"),
    MetricSpec(2, "cash_flow", "dscr", "transaction_summary", "dscr", "num"),
    MetricSpec(2, "cash_flow", "avg_monthly_surplus_inr", "transaction_summary", "avg_monthly_surplus", "inr"),
    MetricSpec(2, "cash_flow", "surplus_ratio_pct", "transaction_summary", "surplus_ratio", "pct"),
    MetricSpec(2, "conduct", "inward_bounces", "transaction_summary", "inward_bounces", "int"),
    MetricSpec(2, "bureau", "bureau_score", "credit_summary", "bureau_score", "int"),
    MetricSpec(3, "cash_flow", "emi_monthly_total_inr", "transaction_summary", "emi_monthly_total", "inr"),
    MetricSpec(3, "cash_flow", "abb_inr", "transaction_summary", "abb", "inr"),
    MetricSpec(3, "cash_flow", "income_cv", "transaction_summary", "income_cv", "num"),
    MetricSpec(3, "cash_flow", "months_covered", "transaction_summary", "months_covered", "int"),
    MetricSpec(3, "conduct", "outward_bounces", "transaction_summary", "outward_bounces", "int"),
    MetricSpec(3, "conduct", "negative_balance_days", "transaction_summary", "negative_balance_days", "int"),
    MetricSpec(3, "gst", "avg_monthly_turnover_inr", "gst_summary", "avg_monthly_turnover", "inr"),
    MetricSpec(3, "gst", "yoy_growth_pct", "gst_summary", "yoy_growth", "pct"),
    MetricSpec(3, "gst", "filing_punctuality_pct", "gst_summary", "filing_punctuality", "pct"),
    MetricSpec(3, "gst", "avg_itc_ratio", "gst_summary", "avg_itc_ratio", "ratio"),
    MetricSpec(3, "gst", "gst_to_bank_ratio", "gst_summary", "gst_to_bank_ratio", "num"),
    MetricSpec(3, "bureau", "worst_dpd_12m_days", "credit_summary", "worst_dpd_12m", "int"),
    MetricSpec(3, "bureau", "dpd_30_plus_events_24m", "credit_summary", "dpd_30_plus_count", "int"),
    MetricSpec(3, "bureau", "written_off", "credit_summary", "written_off", "flag"),
    MetricSpec(3, "bureau", "suit_filed", "credit_summary", "suit_filed", "flag"),
    MetricSpec(4, "cash_flow", "avg_monthly_debits_inr", "transaction_summary", "avg_monthly_debits", "inr"),
    MetricSpec(4, "cash_flow", "cash_deposit_share_pct", "transaction_summary", "cash_deposit_share", "pct"),
    MetricSpec(4, "cash_flow", "od_cc_utilisation_pct", "transaction_summary", "od_cc_utilisation", "pct"),
    MetricSpec(4, "cash_flow", "top_counterparty_share_pct", "transaction_summary", "top_counterparty_share", "pct"),
    MetricSpec(4, "conduct", "bounce_charges_total_inr", "transaction_summary", "bounce_charges_total", "inr"),
    MetricSpec(4, "conduct", "balance_tally_breaks", "transaction_summary", "balance_tally_breaks", "int"),
    MetricSpec(4, "gst", "turnover_12m_inr", "gst_summary", "turnover_12m", "inr"),
    MetricSpec(4, "gst", "late_filings", "gst_summary", "late_filings", "int"),
    MetricSpec(4, "gst", "returns_filed", "gst_summary", "returns_filed", "int"),
    MetricSpec(4, "bureau", "enquiries_3m", "credit_summary", "enquiries_3m", "int"),
    MetricSpec(4, "bureau", "total_emi_burden_inr", "credit_summary", "total_emi_burden", "inr"),
    MetricSpec(4, "bureau", "total_outstanding_inr", "credit_summary", "total_outstanding", "inr"),
    MetricSpec(4, "bureau", "total_overdue_inr", "credit_summary", "total_overdue", "inr"),
    MetricSpec(4, "bureau", "revolving_utilisation_pct", "credit_summary", "revolving_utilisation", "pct"),
    MetricSpec(4, "collections", "at_risk_collections", "smart_collect", "at_risk_collections", "int"),
    MetricSpec(5, "collections", "avg_success_probability", "smart_collect", "avg_success_probability", "ratio"),
    MetricSpec(5, "collections", "monthly_obligation_total_inr", "smart_collect", "monthly_obligation_total", "inr"),
    MetricSpec(5, "gst", "max_days_late", "gst_summary", "max_days_late", "int"),
    MetricSpec(5, "bureau", "active_tradelines", "credit_summary", "active_tradelines", "int"),
    MetricSpec(5, "bureau", "enquiries_12m", "credit_summary", "enquiries_12m", "int"),
)


def safe_text(text: Any, forbidden: tuple[str, ...] = ()) -> str | None:
    """``text`` if it is a short string with no identifier-like token and none of ``forbidden``; else None."""
    if not isinstance(text, str):
        return None
    text = " ".join(text.split())
    if not text or len(text) > MAX_TEXT or _UNSAFE.search(text):
        return None
    lowered = text.lower()
    if any(word and word.lower() in lowered for word in forbidden):
        return None
    return text


def convert(value: Any, kind: str) -> Any:
    """Round a metric value for the prompt: rupees to whole rupees, ratios to percentages, ..."""
    if isinstance(value, bool):
        return value if kind == "flag" else None
    if kind == "flag":
        return None
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    if kind == "inr" or kind == "int":
        return round(value)
    if kind == "pct":
        return round(value * 100, 1)
    if kind == "ratio":
        return round(value, 4)
    return round(value, 2)


def _metric(documents: dict, document: str, key: str) -> Any:
    found = ((documents.get(document) or {}).get("metrics") or {}).get(key)
    return found.get("value") if isinstance(found, dict) else None


def _score_facts(documents: dict, forbidden: tuple[str, ...]) -> list[Fact]:
    score_doc = documents.get("credit_score") or {}
    overall = documents.get("overall_summary") or {}
    score = convert(_metric(documents, "credit_score", "score"), "int")
    if score is None:
        score = convert(((overall.get("credit_score") or {}).get("score") or {}).get("value"), "int")
    band = ((score_doc.get("band") or (overall.get("credit_score") or {}).get("band")) or {}).get("code")
    facts = [Fact(1, "credit_score", "score", score)]
    if band in BAND_LABELS:
        facts += [Fact(1, "credit_score", "band", band), Fact(1, "credit_score", "band_label", BAND_LABELS[band])]
    sufficiency = score_doc.get("data_sufficiency") or {}
    if "sufficient" in sufficiency:
        facts.append(Fact(1, "credit_score", "data_sufficient", bool(sufficiency["sufficient"])))
        reasons = [t for t in (safe_text(r, forbidden) for r in sufficiency.get("reasons") or []) if t]
        if reasons:
            facts.append(Fact(2, "credit_score", "insufficiency_reasons", reasons[:4]))
    overlays = [{"id": o["id"], "cap": convert(o.get("cap"), "int")} for o in score_doc.get("overlays") or []
                if isinstance(o, dict) and _TOKEN.match(str(o.get("id", "")))]
    if overlays:
        facts.append(Fact(2, "credit_score", "overlays", overlays))
    missing = [m for m in score_doc.get("missing_components") or [] if isinstance(m, str) and _KEY.match(m)]
    if missing:
        facts.append(Fact(3, "credit_score", "missing_components", missing))
    for direction, priority in (("lowered", 2), ("raised", 3)):
        rows = []
        for reason in ((score_doc.get("reasons") or {}).get(direction) or [])[:3]:
            factor = FACTORS.get(reason.get("factor"))
            value = reason.get("value")
            if factor is None or (isinstance(value, str) and value not in SEVERITIES):
                continue
            if not isinstance(value, str):
                value = convert(value, "ratio")
                if value is None:
                    continue
            rows.append({"code": factor.code, "factor": factor.title, "value": value,
                         "impact_points": convert(reason.get("impact"), "num"),
                         "text": factor.sentence(value, reason.get("points") or 0)})
        if rows:
            facts.append(Fact(priority, "score_reasons", direction, rows))
    return facts


def _decision_facts(documents: dict, forbidden: tuple[str, ...]) -> list[Fact]:
    recommendation = (documents.get("overall_summary") or {}).get("recommendation") or {}
    facts = []
    if recommendation.get("decision") in DECISIONS:
        facts.append(Fact(1, "decision", "decision", recommendation["decision"]))
    conditions = [t for t in (safe_text(c, forbidden) for c in recommendation.get("conditions") or []) if t]
    facts.append(Fact(1, "decision", "policy_conditions", conditions[:6]))
    decision = documents.get("decision") or {}
    grade = decision.get("risk_grade") or {}
    pd_value = convert(((grade.get("probability_of_default") or {}).get("value")), "pct")
    if pd_value is not None and grade.get("band") in ("LOW", "MODERATE", "ELEVATED", "HIGH"):
        facts += [Fact(1, "decision", "pd_pct", pd_value), Fact(1, "decision", "risk_grade", grade["band"])]
    version = safe_text((decision.get("policy") or {}).get("version"), forbidden)
    if version and _TOKEN.match(version.replace(".", "_")):
        facts.append(Fact(2, "decision", "policy_version", version))
    if decision.get("decided_by") in ("knockout", "pd_cutoff", "capacity"):
        facts.append(Fact(2, "decision", "decided_by", decision["decided_by"]))
    room = convert((((decision.get("capacity") or {}).get("metrics") or {}).get("max_new_emi") or {}).get("value"),
                   "inr")
    if room is not None:
        facts.append(Fact(2, "decision", "max_new_emi_inr", room))
    offer = decision.get("offer") or {}
    name = safe_text(offer.get("name"), forbidden)
    amount = convert((offer.get("amount") or {}).get("value"), "inr")
    rate = convert((offer.get("annual_rate") or {}).get("value"), "pct")
    if name and amount is not None and rate is not None:
        facts.append(Fact(1, "decision", "offer", {"product": name, "amount_inr": amount, "annual_rate_pct": rate}))
    return facts


def _fraud_facts(documents: dict) -> list[Fact]:
    fraud = (documents.get("gst_summary") or {}).get("fraud_indicators") or {}
    severity = fraud.get("severity")
    facts = [Fact(1, "fraud", "severity", severity if severity in SEVERITIES else None)]
    indicators = []
    for item in fraud.get("indicators") or []:
        code = item.get("code")
        if code in FRAUD_TITLES and item.get("severity") in SEVERITIES:
            indicators.append({"code": code, "title": FRAUD_TITLES[code], "severity": item["severity"],
                               "count": convert(item.get("count"), "int"),
                               "months_flagged": len(item.get("months") or [])})
    if indicators:
        facts.append(Fact(1, "fraud", "indicators", indicators))
    return facts


def _growth_facts(documents: dict, forbidden: tuple[str, ...]) -> list[Fact]:
    facts = []
    for component in (documents.get("credit_score") or {}).get("components") or []:
        for factor in component.get("factors") or []:
            if factor.get("key") == "business_credit_growth":
                value = convert(factor.get("value"), "pct")
                if value is not None:
                    facts.append(Fact(3, "growth", "bank_credit_growth_yoy_pct", value))
            if factor.get("key") == "vintage_months":
                value = convert(factor.get("value"), "int")
                if value is not None:
                    facts.append(Fact(4, "business", "vintage_months", value))
    trend = (documents.get("gst_summary") or {}).get("trend_direction")
    if isinstance(trend, str) and _KEY.match(trend):
        facts.append(Fact(3, "growth", "gst_trend_direction", trend))
    customer = (documents.get("overall_summary") or {}).get("customer") or {}
    for key in ("industry", "constitution"):
        text = safe_text(customer.get(key), forbidden)
        if text and len(text) <= 60 and not any(ch.isdigit() for ch in text):
            facts.append(Fact(5, "business", key, text))
    return facts


def _anomaly_facts(documents: dict, forbidden: tuple[str, ...]) -> list[Fact]:
    report = documents.get("anomalies_report") or {}
    facts = []
    if report.get("severity") in SEVERITIES:
        facts.append(Fact(3, "anomalies", "severity", report["severity"]))
    fired = []
    for rule in report.get("rules") or []:
        count = convert((rule.get("count") or {}).get("value"), "int")
        title = safe_text(rule.get("title"), forbidden)
        if count and title and _KEY.match(str(rule.get("id", ""))) and rule.get("severity") in SEVERITIES:
            fired.append({"id": rule["id"], "title": title, "severity": rule["severity"], "count": count})
    if fired:
        order = {s: i for i, s in enumerate(SEVERITIES)}
        fired.sort(key=lambda r: (order[r["severity"]], -r["count"], r["id"]))
        facts.append(Fact(4, "anomalies", "rules_fired", fired[:8]))
    return facts


def _unit_kind(unit: Any) -> str:
    unit = str(unit or "").lower()
    if unit.startswith("inr"):
        return "inr"
    if unit in ("%", "pct", "percent"):
        return "num"
    if unit in ("count", "days", "months", "flows"):
        return "int"
    return "ratio"


def _optional_facts(documents: dict) -> list[Fact]:
    """Numeric metrics only (never strings or lists) of the documents other modules add later."""
    facts = []
    for name in OPTIONAL_DOCUMENTS:
        metrics = (documents.get(name) or {}).get("metrics")
        if not isinstance(metrics, dict):
            continue
        taken = 0
        for key in sorted(metrics):
            found = metrics[key]
            if taken >= MAX_OPTIONAL_METRICS or not _KEY.match(key) or not isinstance(found, dict):
                continue
            value = found.get("value")
            if isinstance(value, bool):
                kind = "flag"
            else:
                kind = _unit_kind(found.get("unit"))
            value = convert(value, kind)
            if value is None:
                continue
            suffix = "_inr" if kind == "inr" and not key.endswith("_inr") else ""
            facts.append(Fact(5, name, key + suffix, value))
            taken += 1
    return facts


def collect_facts(documents: dict[str, dict]) -> list[Fact]:
    """Every allowed fact of one customer's analytics, in priority-then-definition order.

    Why: the prompt, the offline narrative and the API response all ground on this one list, so what the
    model saw is exactly what the officer can see beside it.
    """
    documents = documents or {}
    business_name = ((documents.get("overall_summary") or {}).get("customer") or {}).get("name")
    forbidden = (business_name,) if isinstance(business_name, str) and business_name.strip() else ()
    facts = _score_facts(documents, forbidden) + _decision_facts(documents, forbidden) + _fraud_facts(documents)
    for spec in METRICS:
        value = convert(_metric(documents, spec.document, spec.metric), spec.kind)
        if value is not None:
            facts.append(Fact(spec.priority, spec.section, spec.key, value))
    facts += _growth_facts(documents, forbidden) + _anomaly_facts(documents, forbidden) + _optional_facts(documents)
    return sorted(facts, key=lambda f: f.priority)  # stable: definition order within a priority


def assemble(facts: list[Fact]) -> dict[str, dict[str, Any]]:
    """Facts as nested ``{section: {key: value}}``, sections in first-seen order."""
    out: dict[str, dict[str, Any]] = {}
    for fact in facts:
        out.setdefault(fact.section, {})[fact.key] = fact.value
    return out
