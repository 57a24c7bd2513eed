"""What the credit memo says, gathered from the case's documents into plain texts and series (no layout here).

Every figure comes from the customer's own documents: the engine's ``decision.json``, the overall, bank
statement and GST summaries, the officers' decisions and the consent that allowed reading them. Amounts are
printed the Indian way (``pipeline/indian.py``): ``₹12,34,567`` in tables, lakh/crore in sentences.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

from pipeline.indian import inr, inr_both, inr_words, pct

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DECIDED_BY = {"knockout": "a knock-out rule", "pd_cutoff": "the PD cut-offs", "capacity": "repayment capacity"}
DECISION_WORDS = {"APPROVE": "Approve", "APPROVE_WITH_CONDITIONS": "Approve with conditions", "REFER": "Refer",
                  "DECLINE": "Decline"}
BUILD_UP = (("benchmark", "Benchmark"), ("cost_of_funds", "Cost of funds"), ("operating_cost", "Operating cost"),
            ("expected_loss", "Expected loss (PD x LGD)"), ("capital_charge", "Capital charge"),
            ("guarantee_fee", "CGTMSE guarantee fee"))
ROUNDING = 0.00005  # the policy rounds the rate up to the next 0.05%
KEY_METRICS = ("abb", "avg_monthly_business_credits", "avg_monthly_turnover", "yoy_growth", "foir", "dscr",
               "surplus_ratio", "income_cv", "worst_dpd_12m", "bureau_score", "turnover_trend")
CAPACITY_METRICS = (("gross_monthly_income", "Gross monthly income"), ("existing_obligations", "Existing EMIs"),
                    ("foir_gross", "FOIR on gross income"), ("foir_net", "FOIR on cash after operating costs"),
                    ("dscr", "DSCR on existing EMIs"), ("max_new_emi", "Room for a new EMI"))
SHARES = {"foir", "foir_gross", "foir_net", "yoy_growth", "surplus_ratio"}
MULTIPLES = {"dscr"}
TOP_REASONS = 5
CHART_MONTHS = 12
IST = timezone(timedelta(hours=5, minutes=30))
_LOG_ODDS = re.compile(r"\s*\([^()]*log-odds[^()]*\)")


def plain(text: Any) -> str:
    """A reason as a person reads it: a parenthesis about log-odds (a model's internal scale) is dropped."""
    return _LOG_ODDS.sub("", str(text or "")).strip()


def decision_words(code: Any) -> str:
    """``APPROVE_WITH_CONDITIONS`` -> ``Approve with conditions`` (unknown codes as they are, missing as —)."""
    return DECISION_WORDS.get(code, str(code) if code else "—")


def month_label(month: Any) -> str:
    """``2026-11`` -> ``Nov 2026``."""
    match = re.match(r"^(\d{4})-(\d{2})", str(month or ""))
    return f"{MONTHS[int(match.group(2)) - 1]} {match.group(1)}" if match and 1 <= int(match.group(2)) <= 12 \
        else str(month or "—")


def ist(ts: Any) -> str:
    """An ISO timestamp as ``03 Dec 2026, 13:32 IST`` (as written when it cannot be read)."""
    try:
        moment = datetime.fromisoformat(str(ts))
    except ValueError:
        return str(ts or "—")
    if moment.tzinfo is None:
        return f"{moment:%d %b %Y, %H:%M}"
    return f"{moment.astimezone(IST):%d %b %Y, %H:%M} IST"


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def value_of(metric: Any) -> Any:
    """The value of a metric object, or the bare value."""
    return metric.get("value") if isinstance(metric, dict) else metric


def metric_text(metric: Any, key: str = "") -> str:
    """A metric's value by its unit: rupees Indian-grouped, probabilities and shares as percentages, cover ratios
    as multiples, days, scores; — when missing."""
    value = value_of(metric)
    unit_raw = str(metric.get("unit") or "") if isinstance(metric, dict) else ""
    unit = unit_raw.lower()
    number = _num(value)
    if number is None:
        return str(value) if isinstance(value, str) and value else "—"
    if key in SHARES:
        return pct(number)
    if key in MULTIPLES or unit == "x":
        return f"{number:.2f}x"
    if unit == "inr":
        return inr(number)
    if unit.startswith("inr/month"):
        return f"{inr(number)}/month"
    if unit == "probability":
        return pct(number)
    if unit.startswith("ratio (annual)"):
        return pct(number, 2)
    if unit == "days":
        return f"{number:g} days"
    if unit == "months":
        return f"{number:g} months"
    if unit.startswith("score"):
        return f"{number:.0f}"
    if unit.startswith("%"):
        return f"{number:.2f}{unit_raw}"
    return f"{number:.2f}" if unit in ("ratio", "") else f"{number:g} {unit_raw}"


def metric_window(metric: Any) -> str:
    """The period a metric covers: its ``window.label`` where the analysis states one; otherwise the first and
    last of the months (or dates) among its inputs; ``not stated`` when neither says."""
    if not isinstance(metric, dict):
        return "not stated"
    window = metric.get("window")
    if isinstance(window, dict) and window.get("label"):
        return str(window["label"])
    inputs = metric.get("inputs") if isinstance(metric.get("inputs"), dict) else {}
    for key in ("months", "dates"):
        seq = inputs.get(key)
        if isinstance(seq, list) and seq and all(isinstance(m, str) for m in seq):
            months = sorted({m[:7] for m in seq})
            span = f"{month_label(months[0])} – {month_label(months[-1])}" if len(months) > 1 else month_label(months[0])
            return f"{span} ({len(months)} months)"
    return "not stated"


def _metric_row(label: str, metric: Any, key: str) -> dict[str, str]:
    return {"label": label, "value": metric_text(metric, key), "window": metric_window(metric),
            "source": str((metric or {}).get("source", "")) if isinstance(metric, dict) else ""}


def key_metrics(overall: dict | None, decision: dict) -> list[dict[str, str]]:
    """The memo's key metrics: the overall summary's (bank, GST, bureau) then the repayment capacity."""
    rows = []
    metrics = (overall or {}).get("key_metrics") or {}
    for key in KEY_METRICS:
        if isinstance(metrics.get(key), dict):
            rows.append(_metric_row(metrics[key].get("label") or key, metrics[key], key))
    capacity = ((decision.get("capacity") or {}).get("metrics") or {})
    for key, label in CAPACITY_METRICS:
        if isinstance(capacity.get(key), dict) and capacity[key].get("value") is not None:
            rows.append(_metric_row(label, capacity[key], key))
    return rows


def _reasons(items: Any) -> list[str]:
    texts = []
    for item in items if isinstance(items, list) else []:
        text = plain(item.get("text") if isinstance(item, dict) else item)
        if text:
            texts.append(text)
    return texts[:TOP_REASONS]


def offer_rows(decision: dict) -> list[dict[str, Any]]:
    """Every offer (the headline one first) with its terms, the rate's build-up and its basis."""
    offers = decision.get("offers") if isinstance(decision.get("offers"), list) else []
    offers = [o for o in offers if isinstance(o, dict)] or ([decision["offer"]] if isinstance(decision.get("offer"), dict) else [])
    rows = []
    for offer in offers:
        amount = _num(value_of(offer.get("amount")))
        rate = offer.get("annual_rate") if isinstance(offer.get("annual_rate"), dict) else {}
        build = ((rate.get("inputs") or {}).get("build_up") or {}) if isinstance(rate.get("inputs"), dict) else {}
        parts = [_num(build.get(key)) for key, _ in BUILD_UP if _num(build.get(key)) is not None]
        charged = _num(value_of(rate))
        tenure = _num(value_of(offer.get("tenure_months")))
        emi = _num(value_of(offer.get("emi")))
        rows.append({
            "name": offer.get("name") or offer.get("product_id") or "Offer",
            "structure": str(offer.get("structure") or "").replace("_", " "),
            "amount": inr(amount) if amount is not None else "—",
            "amount_words": inr_words(amount) if amount is not None else "—",
            "tenure": f"{tenure:g} months" if tenure is not None else "—",
            "emi": f"{inr(emi)}/month" if emi is not None else "—",
            "rate": pct(_num(value_of(rate)), 2) if _num(value_of(rate)) is not None else "—",
            "build_up": [(label, pct(_num(build[key]), 2)) for key, label in BUILD_UP if _num(build.get(key)) is not None],
            "build_up_sum": pct(sum(parts), 2) if parts else "—",
            "rounded": bool(parts) and charged is not None and abs(charged - sum(parts)) > ROUNDING,
            "basis": str(offer.get("basis") or ""),
            "conditions": [str(c) for c in offer.get("conditions") or [] if c],
        })
    return rows


def _series(monthly: Any, fields: dict[str, str]) -> list[dict[str, Any]]:
    rows = [m for m in monthly if isinstance(m, dict) and m.get("month")] if isinstance(monthly, list) else []
    rows = sorted(rows, key=lambda m: m["month"])[-CHART_MONTHS:]
    return [{"month": m["month"], **{name: _num(m.get(source)) for name, source in fields.items()}} for m in rows]


def officer_summary(records: list[dict]) -> dict[str, Any] | None:
    """The latest officer decision in words, with how many there were."""
    if not records:
        return None
    latest = records[-1]
    engine = latest.get("engine") or {}
    amount = _num(latest.get("amount"))
    return {"decision": decision_words(latest.get("decision")), "code": latest.get("decision"),
            "by": latest.get("by") or "—", "when": ist(latest.get("ts")),
            "amount": inr_both(amount) if amount is not None else "—",
            "conditions": [str(c) for c in latest.get("conditions") or []],
            "reason": latest.get("reason") or "", "note": latest.get("note") or "",
            "differs": bool(latest.get("differs")), "differences": latest.get("differences") or [],
            "engine_decision": decision_words(engine.get("decision")),
            "policy_version": engine.get("policy_version") or "—", "count": len(records)}


def _model(decision: dict) -> dict[str, str]:
    model = decision.get("model") if isinstance(decision.get("model"), dict) else {}

    def stat(name):
        value = model.get(name)
        value = value.get("mean") if isinstance(value, dict) else value
        return f"{value:.3f}" if _num(value) is not None else "—"
    return {"version": str(model.get("version") or "—"), "auc": stat("roc_auc"), "ks": stat("ks"),
            "gini": stat("gini"), "brier": stat("brier")}


def build_memo(customer_id: str, identity: dict, docs: dict[str, dict | None], officer_records: list[dict],
               consent: dict[str, str] | None = None) -> dict[str, Any]:
    """The memo's content: identity, decision, risk grade, reasons, key metrics with windows, chart series,
    offers with their rate build-up, conditions, the latest officer decision, the model and the consent."""
    decision = docs.get("decision") or {}
    grade = decision.get("risk_grade") if isinstance(decision.get("risk_grade"), dict) else {}
    policy = decision.get("policy") if isinstance(decision.get("policy"), dict) else {}
    pd_value = _num(value_of(grade.get("probability_of_default")))
    score = _num(value_of(grade.get("scorecard")))
    bank = docs.get("transaction_summary") or {}
    gst = docs.get("gst_summary") or {}
    collection = decision.get("collection") if isinstance(decision.get("collection"), dict) else {}
    return {
        "customer_id": customer_id,
        "identity": identity,
        "as_of": decision.get("as_of"),
        "prepared_at": ist(datetime.now(timezone.utc).isoformat(timespec="seconds")),
        "decided_at": ist(decision.get("generated_at")),
        "decision": {"code": decision.get("decision"), "words": decision_words(decision.get("decision")),
                     "decided_by": DECIDED_BY.get(decision.get("decided_by"),
                                                  str(decision.get("decided_by") or "").replace("_", " ")),
                     "policy_version": str(policy.get("version") or "—"),
                     "policy_effective_from": str(policy.get("effective_from") or "—")},
        "risk_grade": {"band": str(grade.get("band") or "—"), "pd": pct(pd_value) if pd_value is not None else "—",
                       "scorecard": f"{score:.0f}" if score is not None else "—"},
        "reasons_for": _reasons(decision.get("reasons_for")),
        "reasons_against": _reasons(decision.get("reasons_against")),
        "conditions": [str(c) for c in decision.get("conditions") or [] if c],
        "metrics": key_metrics(docs.get("overall_summary"), decision),
        "flows": _series(bank.get("monthly"), {"credits": "credit_value", "debits": "debit_value", "abb": "abb"}),
        "gst": _series(gst.get("monthly"), {"turnover": "turnover_3b", "bank": "bank_business_credits"}),
        "offers": offer_rows(decision),
        "collection": {k: str(collection.get(k)) for k in ("method", "presentation_day", "due_day", "why")
                       if collection.get(k) is not None},
        "officer": officer_summary(officer_records),
        "model": _model(decision),
        "consent": consent,
    }
