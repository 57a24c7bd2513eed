"""Reasons for and against a decision, in the words and units a loan officer uses.

The risk model's drivers (SHAP attributions) decide the order: they are what moved this customer's PD, and the PD
is the decision. Each becomes a sentence with the input's value in its natural unit (percent, days, rupees in
lakh/crore) and the direction it pushed the risk; the log-odds stay in the model's own document. The scorecard's
reason codes, already in plain words, fill in facts the model's top drivers do not cover.
"""
from __future__ import annotations

import math
import re
from typing import Any

from analytics.risk.features import LOG_RUPEES, describe
from pipeline.indian import inr_words

PERCENT = {"surplus_ratio", "foir", "od_cc_utilisation", "od_cc_peak_utilisation", "gst_yoy_growth",
           "gst_itc_ratio", "revolving_utilisation", "emi_burden_to_credits", "top_counterparty_share",
           "cash_deposit_share", "ondc_cancellation_rate", "gst_to_bank_ratio"}
DAYS = {"negative_balance_days", "worst_dpd_12m", "worst_dpd_24m", "gst_avg_days_late", "days_over_limit",
        "days_over_drawing_power"}
MONTHS = {"vintage_months", "months_covered"}
TIMES = {"dscr", "abb_to_monthly_debits"}
FLAGS = {"written_off_or_suit"}
SEVERITY = {0.0: "none", 1.0: "low", 2.0: "medium", 3.0: "high"}
# scorecard factor -> the model input that states the same fact (the model's sentence wins)
SAME_FACT = {"worst_dpd_12m": "worst_dpd_12m", "dpd_30_plus_count": "dpd_30_plus_count",
             "bureau_score": "bureau_score", "inward_bounces": "inward_bounces",
             "negative_balance_days": "negative_balance_days", "abb_to_monthly_debits": "abb_to_monthly_debits",
             "income_cv": "income_cv", "surplus_ratio": "surplus_ratio", "foir": "foir", "dscr": "dscr",
             "revolving_utilisation": "revolving_utilisation", "enquiries_3m": "enquiries_3m",
             "yoy_growth": "gst_yoy_growth", "gst_fraud_severity": "gst_fraud_severity",
             "vintage_months": "vintage_months"}


def plain_value(feature: str, value: Any) -> str:
    """A model input's value as an officer reads it: 38%, 12 days, ₹4.2 lakh, 1.6x, 27 months, high."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not available"
    if not isinstance(value, (int, float)):
        return str(value)
    v = float(value)
    if feature in LOG_RUPEES:
        return inr_words(math.copysign(10 ** abs(v) - 1.0, v))
    if feature in PERCENT:
        return f"{v:.0%}" if abs(v) >= 0.1 else f"{v:.1%}"
    if feature in DAYS:
        return f"{v:.0f} day{'s' if round(v) != 1 else ''}"
    if feature in MONTHS:
        return f"{v:.0f} months"
    if feature in TIMES:
        return f"{v:.2f}x"
    if feature in FLAGS:
        return "yes" if v >= 0.5 else "no"
    if feature == "gst_fraud_severity":
        return SEVERITY.get(v, f"{v:g}")
    return f"{v:,.0f}" if v.is_integer() or abs(v) >= 100 else f"{v:.2f}"


_MODEL_UNITS = re.compile(r"\s*\((?:signed )?log10 of rupees\)|\s*\(coefficient of variation\)")


def plain_description(feature: str) -> str:
    """The input's description without the model's own units (the value is shown in rupees or percent)."""
    return _MODEL_UNITS.sub("", describe(feature))


def driver_sentence(driver: dict) -> str:
    """``Bureau score (300-900): 742 — lowered the risk`` (no log-odds, the value in its unit)."""
    name = driver.get("feature", "")
    effect = "raised the risk" if float(driver.get("shap_value") or 0) > 0 else "lowered the risk"
    return f"{plain_description(name)}: {plain_value(name, driver.get('value'))} — {effect}"


def rank_reasons(risk: dict | None, score: dict | None, limit: int = 3) -> tuple[list[dict], list[dict]]:
    """``(reasons_for, reasons_against)``, each at most ``limit`` ``{text, source}``: model drivers by weight,
    then scorecard reason codes for facts the drivers did not state."""
    drivers = sorted((d for d in (risk or {}).get("drivers") or [] if d.get("shap_value")),
                     key=lambda d: -abs(float(d["shap_value"])))
    against = [{"text": driver_sentence(d), "source": f"risk_model.drivers.{d['feature']}"}
               for d in drivers if d["shap_value"] > 0]
    for_ = [{"text": driver_sentence(d), "source": f"risk_model.drivers.{d['feature']}"}
            for d in drivers if d["shap_value"] < 0]
    said = {d["feature"] for d in drivers}
    codes = (score or {}).get("reasons") or {}
    for side, key in ((for_, "raised"), (against, "lowered")):
        for reason in codes.get(key) or []:
            if SAME_FACT.get(reason.get("factor")) in said:
                continue
            side.append({"text": reason["text"], "source": f"credit_score.reasons.{reason.get('code')}"})
    return for_[:limit], against[:limit]
