"""The risk model's inputs: forty-two numbers read from a customer's analytics documents.

:func:`customer_features` reads only what the analyzers already published
(``docs[name]["metrics"][key]["value"]``) plus the customer's incorporation
date, so every model input can be traced back to a metric with its formula.
A figure the analytics could not compute stays missing (``None`` here, NaN in
a training table); it is never replaced by 0, because "no bureau file" and
"a clean bureau file" are different facts and the model learns them apart.

*Not applicable* is not *missing*. A metric published with ``applicable:
false`` is encoded at the favourable end of its scale, as documented per
feature: DSCR without any debt service is :data:`DSCR_CEILING` (5.0, the
value every DSCR is capped at: beyond 5x coverage more cover says nothing
more); without an OD/CC facility, utilisation (average and peak) and months
of unserviced interest are 0 (nothing drawn, no interest to service).
Why: no debt is not risk, and a model that saw "no DSCR" or "no facility" as
a data gap charged risk for it.

:data:`FEATURES` lists the inputs in order with a plain description and the
direction risk is expected to move in (``monotone``: +1 risk rises with the
value, -1 risk falls, 0 no constraint). The gradient-boosted model is forced
to respect these directions, so a worse DPD can never lower a probability of
default.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Feature:
    """One model input: its name, what it means in words, and the documented direction of risk."""

    name: str
    description: str
    monotone: int  # +1 risk rises with the value, -1 risk falls, 0 unconstrained
    source: str    # the analytics document (and metric) it is read from


FEATURES: tuple[Feature, ...] = (
    Feature("surplus_ratio", "Monthly surplus as a share of business credits", -1,
            "transaction_summary.surplus_ratio"),
    Feature("income_cv", "Variability of monthly business credits (coefficient of variation)", +1,
            "transaction_summary.income_cv"),
    Feature("foir", "Fixed obligations (EMIs) as a share of income (FOIR)", +1, "transaction_summary.foir"),
    Feature("dscr", "Debt service coverage ratio, capped at 5 (no debt service = 5: not applicable, not missing)", -1,
            "transaction_summary.dscr"),
    Feature("abb_log", "Average bank balance on fixed days (signed log10 of rupees)", -1, "transaction_summary.abb"),
    Feature("abb_to_monthly_debits", "Months of spending the average bank balance covers", -1,
            "transaction_summary.abb / avg_monthly_debits"),
    Feature("inward_bounces", "Own cheques and EMI mandates returned unpaid", +1,
            "transaction_summary.inward_bounces"),
    Feature("outward_bounces", "Deposited cheques and mandates returned unpaid", +1,
            "transaction_summary.outward_bounces"),
    Feature("negative_balance_days", "Days overdrawn (below zero without a facility, beyond the OD/CC limit or "
            "drawing power)", +1, "transaction_summary.negative_balance_days"),
    Feature("cash_deposit_share", "Cash deposits as a share of credits", 0, "transaction_summary.cash_deposit_share"),
    Feature("business_credits_log", "Average monthly business credits (log10 of rupees)", -1,
            "transaction_summary.avg_monthly_business_credits"),
    Feature("od_cc_utilisation", "Utilisation of the overdraft / cash-credit limit (0 without a facility)", +1,
            "transaction_summary.od_cc_utilisation"),
    Feature("od_cc_peak_utilisation", "Peak daily utilisation of the overdraft / cash-credit limit (0 without one)",
            +1,
            "transaction_summary.od_cc_peak_utilisation"),
    Feature("months_interest_unserviced", "Months the OD/CC interest was not covered by credits (0 without a "
            "facility)", +1, "transaction_summary.months_interest_unserviced"),
    Feature("gst_yoy_growth", "Year-on-year growth of GST turnover", -1, "gst_summary.yoy_growth"),
    Feature("gst_late_filings", "GSTR-3B returns filed late (compliance)", +1, "gst_summary.late_filings"),
    Feature("gst_avg_days_late", "Average days a GSTR-3B return was late (compliance)", +1,
            "gst_summary.avg_days_late"),
    Feature("gst_itc_ratio", "Input tax credit as a share of output tax", +1, "gst_summary.avg_itc_ratio"),
    Feature("gst_itc_excess_share", "Share of months with ITC above the fraud threshold of output tax", +1,
            "gst_summary.itc_ratio_above_threshold_months / months assessed"),
    Feature("gst_to_bank_ratio", "GST turnover incl. tax / bank business credits", 0, "gst_summary.gst_to_bank_ratio"),
    Feature("gst_to_bank_excess", "GST turnover incl. tax above bank business credits: max(0, ratio - 1)", +1,
            "gst_summary.gst_to_bank_ratio"),
    Feature("bureau_score", "Bureau score (300-900)", -1, "credit_summary.bureau_score"),
    Feature("worst_dpd_12m", "Worst days past due in the last 12 months", +1, "credit_summary.worst_dpd_12m"),
    Feature("worst_dpd_24m", "Worst days past due in the last 24 months", +1, "credit_summary.worst_dpd_24m"),
    Feature("dpd_30_plus_count", "Months with 30+ days past due on any account", +1,
            "credit_summary.dpd_30_plus_count"),
    Feature("enquiries_3m", "Bureau enquiries in the last 3 months", +1, "credit_summary.enquiries_3m"),
    Feature("enquiries_12m", "Bureau enquiries in the last 12 months", +1, "credit_summary.enquiries_12m"),
    Feature("revolving_utilisation", "Utilisation of revolving credit (cards, OD/CC) in the bureau", +1,
            "credit_summary.revolving_utilisation"),
    Feature("emi_burden_to_credits", "Bureau EMI burden / average monthly business credits", +1,
            "credit_summary.total_emi_burden / transaction_summary.avg_monthly_business_credits"),
    Feature("written_off_or_suit", "Any written-off, settled or suit-filed account (1 = yes)", +1,
            "credit_summary.written_off / settled / suit_filed"),
    Feature("vintage_months", "Business vintage in months", -1,
            "customer.incorporation_date, else credit_summary.oldest_tradeline_months"),
    Feature("top_counterparty_share", "Largest payer's share of business credits", +1,
            "transaction_summary.top_counterparty_share"),
    Feature("anomaly_flags", "Items flagged by the rule-based anomaly checks", +1, "anomalies_report.total_flags"),
    Feature("circular_flows", "Circular flows: money returned to the payer within days", +1,
            "transaction_summary.circular_flows"),
    Feature("gst_fraud_severity", "GST fraud indicator severity (0 none, 1 low, 2 medium, 3 high)", +1,
            "gst_summary.fraud_indicators.severity"),
    Feature("gst_fraud_kinds", "Independent GST fraud indicator kinds that fired (0-4)", +1,
            "gst_summary.fraud_indicators.kinds_fired"),
    Feature("months_covered", "Months of bank statement available", 0, "transaction_summary.months_covered"),
    Feature("ocen_rejections", "Loan applications rejected on OCEN", +1, "ocen_summary.rejections"),
    Feature("ondc_cancellation_rate", "Share of ONDC orders cancelled", +1, "ondc_summary.cancellation_rate"),
    Feature("lapsed_policies", "Insurance policies that lapsed", +1, "insurance_summary.lapsed_policies"),
    Feature("loan_stacking", "Loan stacking: 3+ lenders' new loans within 90 days in the last year (1 = yes)", +1,
            "signals.loan_stacking"),
    Feature("round_tripping", "Round-tripped or related-party money counted as sales (1 = yes)", +1,
            "signals.round_tripping"),
)
FEATURE_NAMES: tuple[str, ...] = tuple(f.name for f in FEATURES)
MONOTONE: dict[str, int] = {f.name: f.monotone for f in FEATURES}
DESCRIPTIONS: dict[str, str] = {f.name: f.description for f in FEATURES}
SEVERITY_LEVELS = {"NONE": 0.0, "LOW": 1.0, "MEDIUM": 2.0, "HIGH": 3.0}
DSCR_CEILING = 5.0
# What the fraud inputs read for a borrower on whom no GST fraud indicator fires (ITC and GST-to-bank at the
# portfolio's honest medians): the counterfactual that measures how much of a PD is the fraud evidence.
CLEAN_FRAUD_VALUES = {"gst_fraud_severity": 0.0, "gst_fraud_kinds": 0.0, "gst_itc_excess_share": 0.0,
                      "gst_to_bank_excess": 0.0, "circular_flows": 0.0, "gst_itc_ratio": 0.72,
                      "gst_to_bank_ratio": 0.95}


def _value(docs: dict[str, dict], document: str, key: str) -> float | None:
    """A metric's value as a float, or None when the document, the metric or its value is missing."""
    found = (docs.get(document) or {}).get("metrics", {}).get(key)
    value = found.get("value") if isinstance(found, dict) else None
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)) and math.isfinite(value):
        return float(value)
    return None


def _applicable(docs: dict[str, dict], document: str, key: str) -> bool:
    """False only when the metric says so (``applicable: false``): a missing metric is not "not applicable"."""
    found = (docs.get(document) or {}).get("metrics", {}).get(key)
    return not (isinstance(found, dict) and found.get("applicable") is False)


def _dscr(docs: dict[str, dict]) -> float | None:
    """DSCR capped at :data:`DSCR_CEILING`; no debt service (not applicable) is the ceiling, missing stays None."""
    if not _applicable(docs, "transaction_summary", "dscr"):
        return DSCR_CEILING
    value = _value(docs, "transaction_summary", "dscr")
    return None if value is None else min(value, DSCR_CEILING)


def _facility_value(docs: dict[str, dict], key: str) -> float | None:
    """An OD/CC conduct figure; 0 without a facility (nothing drawn, no interest to service), None if missing."""
    if not _applicable(docs, "transaction_summary", key):
        return 0.0
    return _value(docs, "transaction_summary", key)


def _signed_log10(value: float | None) -> float | None:
    """log10 of a rupee amount keeping its sign (an overdrawn ABB is negative), 0 near zero."""
    if value is None:
        return None
    return math.copysign(math.log10(1.0 + abs(value)), value)


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return numerator / denominator


def _vintage_months(docs: dict[str, dict], customer: dict, as_of: date) -> float | None:
    started = (customer or {}).get("incorporation_date")
    if started:
        try:
            d0 = date.fromisoformat(str(started)[:10])
        except ValueError:
            d0 = None
        if d0 is not None:
            return float((as_of.year - d0.year) * 12 + as_of.month - d0.month)
    return _value(docs, "credit_summary", "oldest_tradeline_months")


def _bureau_flags(docs: dict[str, dict]) -> float | None:
    flags = [_value(docs, "credit_summary", k) for k in ("written_off", "settled", "suit_filed")]
    known = [f for f in flags if f is not None]
    return max(known) if known else None


def _flag(value: Any) -> float | None:
    """A yes/no signal as 1.0 / 0.0; None when the signal was not computed."""
    return None if value is None else float(bool(value))


def _has_statement(docs: dict[str, dict]) -> bool:
    return _value(docs, "transaction_summary", "months_covered") is not None


def _circular_flows(docs: dict[str, dict]) -> float | None:
    if not _has_statement(docs):
        return None
    return float(len(docs.get("transaction_summary", {}).get("circular_flows") or []))


def _anomaly_flags(docs: dict[str, dict]) -> float | None:
    if not _has_statement(docs) and not (docs.get("gst_summary") or {}).get("monthly"):
        return None  # nothing was checked, so "0 flags" would be a made-up clean bill
    return _value(docs, "anomalies_report", "total_flags")


def _fraud_severity(docs: dict[str, dict]) -> float | None:
    gst = docs.get("gst_summary") or {}
    if not gst.get("monthly"):  # no returns: severity from bank-only checks is not a GST finding
        return None
    return SEVERITY_LEVELS.get(str((gst.get("fraud_indicators") or {}).get("severity")))


def _fraud_kinds(docs: dict[str, dict]) -> float | None:
    gst = docs.get("gst_summary") or {}
    if not gst.get("monthly"):
        return None
    found = (gst.get("fraud_indicators") or {}).get("kinds_fired")
    if isinstance(found, dict) and isinstance(found.get("value"), (int, float)):
        return float(found["value"])
    return None


def _itc_excess_share(docs: dict[str, dict]) -> float | None:
    found = ((docs.get("gst_summary") or {}).get("metrics") or {}).get("itc_ratio_above_threshold_months")
    months = _value(docs, "gst_summary", "itc_ratio_above_threshold_months")
    assessed = (found or {}).get("inputs", {}).get("months_assessed") if isinstance(found, dict) else None
    return _ratio(months, assessed)


def _excess(value: float | None) -> float | None:
    return None if value is None else max(0.0, value - 1.0)


def customer_features(docs: dict[str, dict], customer: dict, as_of: date) -> dict[str, float | None]:
    """The model's inputs for one customer, in :data:`FEATURE_NAMES` order; missing figures are None.

    ``docs`` maps analytics document names to their bodies (as written to the
    lake); ``customer`` is the customer record (its ``incorporation_date`` gives
    the vintage). Nothing here reads the clean or raw layers.
    """
    v = lambda document, key: _value(docs, document, key)  # noqa: E731 - local shorthand
    credits = v("transaction_summary", "avg_monthly_business_credits")
    values: dict[str, float | None] = {
        "surplus_ratio": v("transaction_summary", "surplus_ratio"),
        "income_cv": v("transaction_summary", "income_cv"),
        "foir": v("transaction_summary", "foir"),
        "dscr": _dscr(docs),
        "abb_log": _signed_log10(v("transaction_summary", "abb")),
        "abb_to_monthly_debits": _ratio(v("transaction_summary", "abb"), v("transaction_summary", "avg_monthly_debits")),
        "inward_bounces": v("transaction_summary", "inward_bounces"),
        "outward_bounces": v("transaction_summary", "outward_bounces"),
        "negative_balance_days": v("transaction_summary", "negative_balance_days"),
        "cash_deposit_share": v("transaction_summary", "cash_deposit_share"),
        "business_credits_log": _signed_log10(credits),
        "od_cc_utilisation": _facility_value(docs, "od_cc_utilisation"),
        "od_cc_peak_utilisation": _facility_value(docs, "od_cc_peak_utilisation"),
        "months_interest_unserviced": _facility_value(docs, "months_interest_unserviced"),
        "gst_yoy_growth": v("gst_summary", "yoy_growth"),
        "gst_late_filings": v("gst_summary", "late_filings"),
        "gst_avg_days_late": v("gst_summary", "avg_days_late"),
        "gst_itc_ratio": v("gst_summary", "avg_itc_ratio"),
        "gst_itc_excess_share": _itc_excess_share(docs),
        "gst_to_bank_ratio": v("gst_summary", "gst_to_bank_ratio"),
        "gst_to_bank_excess": _excess(v("gst_summary", "gst_to_bank_ratio")),
        "bureau_score": v("credit_summary", "bureau_score"),
        "worst_dpd_12m": v("credit_summary", "worst_dpd_12m"),
        "worst_dpd_24m": v("credit_summary", "worst_dpd_24m"),
        "dpd_30_plus_count": v("credit_summary", "dpd_30_plus_count"),
        "enquiries_3m": v("credit_summary", "enquiries_3m"),
        "enquiries_12m": v("credit_summary", "enquiries_12m"),
        "revolving_utilisation": v("credit_summary", "revolving_utilisation"),
        "emi_burden_to_credits": _ratio(v("credit_summary", "total_emi_burden"), credits),
        "written_off_or_suit": _bureau_flags(docs),
        "vintage_months": _vintage_months(docs, customer, as_of),
        "top_counterparty_share": v("transaction_summary", "top_counterparty_share"),
        "anomaly_flags": _anomaly_flags(docs),
        "circular_flows": _circular_flows(docs),
        "gst_fraud_severity": _fraud_severity(docs),
        "gst_fraud_kinds": _fraud_kinds(docs),
        "months_covered": v("transaction_summary", "months_covered"),
        "ocen_rejections": v("ocen_summary", "rejections"),
        "ondc_cancellation_rate": v("ondc_summary", "cancellation_rate"),
        "lapsed_policies": v("insurance_summary", "lapsed_policies"),
        "loan_stacking": _flag(v("signals", "loan_stacking")),
        "round_tripping": _flag(v("signals", "round_tripping")) if _has_statement(docs) else None,
    }
    return {name: values[name] for name in FEATURE_NAMES}


def describe(name: str) -> str:
    """The plain description of a feature, or the column name itself for a lender's own columns."""
    return DESCRIPTIONS.get(name, name.replace("_", " "))


LOG_RUPEES = ("abb_log", "business_credits_log")


def _rupees(amount: float) -> str:
    sign, amount = ("-" if amount < 0 else ""), abs(amount)
    if amount >= 1e7:
        return f"{sign}₹{amount / 1e7:.2f} crore"
    if amount >= 1e5:
        return f"{sign}₹{amount / 1e5:.2f} lakh"
    return f"{sign}₹{amount:,.0f}"


def format_value(value: Any, name: str | None = None) -> str:
    """A feature value as a person reads it in a reason text (log-rupee inputs shown back in rupees)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not available"
    if name in LOG_RUPEES and isinstance(value, (int, float)):
        return _rupees(math.copysign(10 ** abs(value) - 1.0, value))
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e9:
            return f"{int(value)}"
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)
