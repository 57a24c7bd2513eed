"""Eligibility rules: one evaluator per eligibility key of a product (see ``product_catalogue.RULE_KEYS``).

Every evaluator returns ``{id, rule, status, value, threshold, text}`` where
``status`` is ``pass``, ``fail`` or ``unknown`` and ``text`` says in words,
with the numbers, why. ``unknown`` means the data to judge the rule is
missing: the product is then *not assessed*, never eligible by default. Two
rules apply to every product whatever its configuration: ``cashflow_capacity``
(the forecast, or the fallback surplus, leaves room for a new instalment) and
``min_amount`` (the amount the data supports reaches the product's minimum).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from analytics.recommendations.catalogue import RULE_KEYS, Product, band_rank
from analytics.recommendations.facts import inr
from analytics.recommendations.offer import CAP_LABELS

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"


ALWAYS = {"cashflow_capacity": "the year's repayment capacity leaves room for a new instalment (above zero)",
          "price_ceiling": "the risk-based annual rate is within the policy ceiling (credit_policy.pricing.ceiling)",
          "min_amount": "the amount the data supports reaches the product's min_amount"}


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _out(key: str, status: str, value: Any, threshold: Any, text: str) -> dict[str, Any]:
    return {"id": key, "rule": RULE_KEYS.get(key) or ALWAYS[key], "status": status, "value": value,
            "threshold": threshold,
            "text": text}


def _unknown(key: str, threshold: Any, m: dict | None, what: str) -> dict[str, Any]:
    why = (m or {}).get("reason") or (m or {}).get("explanation") or "not available"
    return _out(key, UNKNOWN, None, threshold, f"Not assessed: {what} is not available ({why})")


def _min(key: str, m: dict, threshold: float, what: str, show: Callable[[Any], str]) -> dict[str, Any]:
    v = m.get("value")
    if v is None:
        return _unknown(key, threshold, m, what)
    ok = v >= threshold
    return _out(key, PASS if ok else FAIL, v, threshold,
                f"{_cap(what)} {show(v)} {'meets' if ok else 'is below'} the minimum {show(threshold)}")


def _max(key: str, m: dict, threshold: float, what: str, show: Callable[[Any], str]) -> dict[str, Any]:
    v = m.get("value")
    if v is None:
        return _unknown(key, threshold, m, what)
    ok = v <= threshold
    return _out(key, PASS if ok else FAIL, v, threshold,
                f"{_cap(what)} {show(v)} {'is within' if ok else 'exceeds'} the maximum {show(threshold)}")


def _months(v: Any) -> str:
    return f"{v:g} months"


def _pct(v: Any) -> str:
    return f"{v:.0%}"


def _fraud(key, threshold, f, s, z):
    m = f["fraud_severity"]
    if m["value"] is None:
        return _unknown(key, threshold, m, "the GST fraud-indicator severity")
    if m["value"] in threshold:
        found = ", ".join(m["inputs"].get("indicators") or []) or "see gst_summary.fraud_indicators"
        return _out(key, FAIL, m["value"], threshold,
                    f"{m['value']}-severity GST fraud indicators ({found}): no credit until fraud control has "
                    f"cleared them")
    return _out(key, PASS, m["value"], threshold, f"GST fraud-indicator severity {m['value']} is acceptable")


def _adverse(key, threshold, f, s, z):
    m = f["bureau_adverse"]
    if m["value"] is None:
        return _unknown(key, threshold, m, "the bureau report")
    if threshold and m["value"]:
        flags = ", ".join(k for k, v in m["inputs"].items() if v)
        return _out(key, FAIL, True, False, f"The bureau shows an account {flags.replace('_', '-')}")
    return _out(key, PASS, m["value"], False, "No written-off, settled or suit-filed account in the bureau")


def _band(key, threshold, f, s, z):
    m = f["risk_band"]
    if m["value"] is None:
        return _unknown(key, threshold, m, "the risk band")
    ok = band_rank(m["value"]) <= band_rank(threshold)
    return _out(key, PASS if ok else FAIL, m["value"], threshold,
                f"Risk band {m['value']} ({m.get('source', 'risk')}) is {'within' if ok else 'worse than'} the "
                f"product's limit {threshold}")


def _foir(key, threshold, f, s, z):
    bc, existing = f["monthly_business_credits"]["value"], f["existing_emis"]["value"]
    if bc is None or existing is None or bc <= 0:
        m = f["monthly_business_credits"] if bc is None else f["existing_emis"]
        return _unknown(key, threshold, m, "monthly business credits or existing EMIs")
    room = threshold * bc - existing
    if room <= 0:
        return _out(key, FAIL, existing / bc, threshold,
                    f"Existing EMIs {inr(existing)} are already {existing / bc:.1%} of monthly business credits "
                    f"{inr(bc)}, at or above the {threshold:.0%} FOIR cap: no room for a new instalment")
    after = z.get("foir_after", {}).get("value")
    if after is None:
        return _out(key, PASS, existing / bc, threshold, f"FOIR {existing / bc:.1%} leaves {inr(room)} a month "
                                                          f"under the {threshold:.0%} cap")
    ok = after <= threshold + 1e-9
    return _out(key, PASS if ok else FAIL, after, threshold,
                f"FOIR after the new instalment {after:.1%} {'is within' if ok else 'exceeds'} the {threshold:.0%} cap")


def _dscr(key, threshold, f, s, z):
    keys = ("monthly_business_credits", "monthly_operating_debits", "existing_emis")
    bc, op, existing = (f[k]["value"] for k in keys)
    if bc is None or op is None or existing is None:
        m = next(f[k] for k in keys if f[k]["value"] is None)
        return _unknown(key, threshold, m, "cash available for debt service")
    cash = bc - op
    if cash / threshold - existing <= 0:
        cover = f"covers existing EMIs {inr(existing)} only {cash / existing:.2f}x" if existing else "is not positive"
        return _out(key, FAIL, cash / existing if existing else None, threshold,
                    f"Cash before debt service {inr(cash)} a month {cover}; the {threshold:g}x DSCR floor leaves no "
                    f"room for a new instalment")
    after = z.get("dscr_after", {}).get("value")
    if after is None:
        return _out(key, PASS, None, threshold, f"Cash before debt service {inr(cash)} leaves room above the "
                                                f"{threshold:g}x DSCR floor")
    ok = after >= threshold - 1e-9
    return _out(key, PASS if ok else FAIL, after, threshold,
                f"DSCR after the new instalment {after:.2f}x {'meets' if ok else 'is below'} the {threshold:g}x floor")


def _growth_or_capex(key, threshold, f, s, z):
    growth, capex, floor = s["growth_rate"]["value"], s["capex_history"]["value"], z["growth_min"]
    if growth is not None and growth >= floor:
        return _out(key, PASS, growth, floor, f"Turnover growth {growth:.0%} meets the {floor:.0%} growth signal")
    if capex:
        return _out(key, PASS, True, True, "Capex signal: the business has financed equipment or vehicles before ("
                    + ", ".join(s["capex_history"]["inputs"]["tradelines"]) + ")")
    if growth is None or capex is None:
        return _unknown(key, threshold, s["growth_rate"] if growth is None else s["capex_history"],
                        "a growth or capex signal")
    return _out(key, FAIL, growth, floor, f"No growth or capex signal: turnover growth {growth:.0%} is below "
                                          f"{floor:.0%} and the bureau shows no equipment or vehicle finance")


def _relationship(key, threshold, f, s, z):
    m = s["business_facilities"]
    if m["value"] is None:
        return _unknown(key, threshold, m, "the bureau's list of facilities")
    if m["value"] >= 1:
        return _out(key, PASS, m["value"], 1, f"{m['value']} active business credit facilit"
                    f"{'y' if m['value'] == 1 else 'ies'} (an existing relationship)")
    return _out(key, FAIL, 0, 1, "No active business credit facility in the bureau: emergency credit tops up an "
                                 "existing relationship")


def _dip(key, threshold, f, s, z):
    m = s["temporary_dip"]
    if m["value"] is None:
        return _unknown(key, threshold, m, "a comparison of recent inflows with last year")
    i = m["inputs"]
    if m["value"]:
        return _out(key, PASS, i["dip_ratio"], i["dip_threshold"],
                    f"Temporary dip: last 3 months' business credits at {i['dip_ratio']:.0%} of the same months last "
                    f"year, after a year at {i['pre_dip_ratio']:.0%} of the one before")
    why = (f"last 3 months' business credits are {i['dip_ratio']:.0%} of the same months last year (a dip needs "
           f"{i['dip_threshold']:.0%} or less)" if i["dip_ratio"] > i["dip_threshold"] else
           f"the year before the dip was already at {i['pre_dip_ratio']:.0%} of the one before (a decline, not a "
           f"temporary dip; needs {i['pre_dip_min_ratio']:.0%})")
    return _out(key, FAIL, i["dip_ratio"], i["dip_threshold"], f"No temporary dip: {why}")


def _simple(kind: str, fact: str, what: str, show: Callable[[Any], str], source: str = "facts"):
    def rule(key, threshold, f, s, z):
        m = (f if source == "facts" else s)[fact]
        return (_min if kind == "min" else _max)(key, m, threshold, what, show)
    return rule


RULES: dict[str, Callable] = {
    "blocked_fraud_severities": _fraud,
    "block_written_off_or_suit_filed": _adverse,
    "min_vintage_months": _simple("min", "vintage_months", "business vintage", _months),
    "min_statement_months": _simple("min", "statement_months", "bank statement length", _months),
    "min_credit_score": _simple("min", "credit_score", "credit score", lambda v: f"{v:g}"),
    "max_risk_band": _band,
    "min_annual_turnover": _simple("min", "annual_turnover", "verified annual turnover", inr),
    "max_dpd_12m": _simple("max", "worst_dpd_12m", "worst DPD in 12 months", lambda v: f"{v:g} days"),
    "max_foir": _foir,
    "min_dscr": _dscr,
    "min_turnover_growth": _simple("min", "growth_rate", "turnover growth", _pct, "signals"),
    "requires_growth_or_capex": _growth_or_capex,
    "min_invoice_pool": _simple("min", "invoice_pool", "B2B invoice pool on filed GSTR-1", inr, "signals"),
    "min_b2b_months_12m": _simple("min", "b2b_months_12m", "months with B2B invoices (of 12)", lambda v: f"{v:g}",
                                  "signals"),
    "min_abb": _simple("min", "abb_recent", "12-month average bank balance", inr, "signals"),
    "max_abb_cv": _simple("max", "abb_cv", "variation (CV) of monthly ABB", lambda v: f"{v:.2f}", "signals"),
    "min_positive_abb_months": _simple("min", "positive_abb_months", "months with a positive ABB",
                                       lambda v: f"{v:g}", "signals"),
    "requires_relationship": _relationship,
    "requires_temporary_dip": _dip,
}
if set(RULES) != set(RULE_KEYS):  # a documented key without an evaluator would silently never apply
    raise RuntimeError(f"eligibility keys without an evaluator: {sorted(set(RULE_KEYS) ^ set(RULES))}")


def _capacity_rule(f: dict) -> dict[str, Any]:
    m = f["cashflow_emi_capacity"]
    if m["value"] is None:
        return _unknown("cashflow_capacity", 0, m, "a cash-flow EMI capacity")
    ok = m["value"] > 0
    binding = (m.get("inputs") or {}).get("binding", "the policy limits")
    return _out("cashflow_capacity", PASS if ok else FAIL, m["value"], 0,
                f"Repayment capacity from a year of cash flow is {inr(m['value'])} a month"
                + ("" if ok else f": no room for a new instalment (bound by {binding.replace('_', ' ')})"))


def _price_rule(sizing: dict) -> dict[str, Any]:
    m = sizing["annual_rate"]
    ceiling = (m.get("inputs") or {}).get("ceiling")
    if m["value"] is None:
        return _unknown("price_ceiling", ceiling, m, "a risk-based price")
    ok = bool(m.get("within_ceiling"))
    return _out("price_ceiling", PASS if ok else FAIL, m["value"], ceiling,
                f"The risk-based rate {m['value']:.2%} is {'within' if ok else 'above'} the policy ceiling "
                f"{ceiling:.2%}" + ("" if ok else ": not offered (the price that covers the expected loss may not "
                                                  "be charged)"))


def _amount_rule(product: Product, sizing: dict) -> dict[str, Any]:
    m = sizing["sized_amount"]
    if m["value"] is None:
        return _unknown("min_amount", product.min_amount, m, "the amount the data supports")
    ok = m["value"] >= product.min_amount
    binding = CAP_LABELS.get(sizing.get("binding_constraint"), "its caps")
    return _out("min_amount", PASS if ok else FAIL, m["value"], product.min_amount,
                f"The amount the data supports, {inr(m['value'])} (bound by {binding}), "
                f"{'meets' if ok else 'is below'} the product minimum {inr(product.min_amount)}")


def evaluate(product: Product, facts: dict, signals: dict, sizing: dict, config: dict) -> list[dict[str, Any]]:
    """Every rule of ``product`` on this customer's facts, signals and sized offer, in configured order."""
    context = {**sizing, "growth_min": config["recommendations"]["signals"]["growth_min"]}
    out = [RULES[key](key, threshold, facts, signals, context) for key, threshold in product.eligibility.items()]
    return out + [_capacity_rule(facts), _price_rule(sizing), _amount_rule(product, sizing)]


def decide(rules: list[dict[str, Any]]) -> tuple[str, list[str]]:
    """``(status, reasons)``: NOT_ELIGIBLE with every failed rule, else NOT_ASSESSED with what is missing,
    else ELIGIBLE. A rule that fails on the data present outweighs one that cannot be judged."""
    failed = [r["text"] for r in rules if r["status"] == FAIL]
    if failed:
        return "NOT_ELIGIBLE", failed
    unknown = [r["text"] for r in rules if r["status"] == UNKNOWN]
    if unknown:
        return "NOT_ASSESSED", unknown
    return "ELIGIBLE", []
