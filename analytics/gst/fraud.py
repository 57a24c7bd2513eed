"""GST fraud indicators: four independent red flags and one documented way to combine them.

Indicator kinds (thresholds in ``config["analytics"]["gst_fraud"]``), each from different evidence:

* ``itc_ratio_high`` (the input side of GSTR-3B) — a month whose net ITC exceeds ``itc_ratio_threshold``
  (0.95) x output tax: the business pays almost no GST in cash, the classic footprint of purchases booked
  on fake invoices (ITC claimed without real supplies).
* ``turnover_vs_bank`` (GST output against the bank) — a month whose GSTR-3B turnover including tax
  exceeds ``gst_to_bank_ratio_threshold`` (1.5) x bank business credits of that month *and* of each of the
  next ``collection_lag_months`` (1) months present in the table, i.e. more than 1.5x the largest of them.
  Both sides include tax (the basis of ``gst_summary.gst_to_bank_ratio``). Sales collected a month late
  (seasonal peaks, credit terms) therefore do not flag; turnover that never reaches the bank does.
  Assessed only when bank business credits were given.
* ``itc_excess`` (GSTR-3B against the suppliers' side, GSTR-2B) — a month whose ITC claimed exceeds the ITC
  GSTR-2B makes available by more than the ``gst_itc`` thresholds (``gst_summary.itc_check``,
  :mod:`analytics.gst.itc`): credit taken on invoices no supplier reported. Assessed only when a GSTR-2B was
  delivered. Severity by count from ``severity_rules.itc_excess`` (default 6/3/1, as the other monthly kinds).
* ``circular_flows`` (the bank statement alone) — money received from a party and sent back to it within
  days, as found by the bank analysis; months are the months of the credit dates, the count the number of
  flows.

Late filing is *not* a kind: it is a compliance signal (:mod:`analytics.gst.compliance`). A business that
files late is struggling or careless, not thereby dishonest.

Per-kind severity, from ``severity_rules[kind]``: count >= HIGH -> HIGH, >= MEDIUM -> MEDIUM, >= LOW -> LOW;
a kind with count 0 did not fire and is not listed.

Overall severity (``overall``): a fraud finding needs corroboration by independent evidence.

* No kind fired: NONE.
* One kind alone: one level below its own severity, at least LOW, so at most MEDIUM (a HIGH kind alone is
  MEDIUM, a MEDIUM or LOW kind alone is LOW): a lead to check, not a finding.
* Two or more kinds: HIGH when at least ``overall.high_min_kinds`` (2) of them are MEDIUM or worse,
  MEDIUM otherwise.

When no kind could be assessed at all (no GST, bank or circular-flow data), severity is ``None``, never a
reassuring NONE.
"""
from __future__ import annotations

from typing import Any

from analytics.metric import metric, missing

LEVELS = ("HIGH", "MEDIUM", "LOW")
RANK = {"HIGH": 3, "MEDIUM": 2, "LOW": 1, "NONE": 0}
TITLES = {
    "itc_ratio_high": "Input tax credit close to output tax",
    "turnover_vs_bank": "GST turnover well above bank business credits",
    "itc_excess": "ITC claimed above ITC available in GSTR-2B",
    "circular_flows": "Circular flows with the same party",
}
DEFAULT_SEVERITY = {"itc_excess": {"HIGH": 6, "MEDIUM": 3, "LOW": 1}}
KINDS = tuple(TITLES)
HIGH_MIN_KINDS = 2


def overall_rules(high_min_kinds: int = HIGH_MIN_KINDS) -> tuple[str, ...]:
    """The overall rule as text, so ``gst_summary.json`` carries its own policy."""
    return (f"Overall HIGH: at least {high_min_kinds} independent indicator kinds are MEDIUM or worse.",
            "Overall MEDIUM: two or more kinds fired but fewer are MEDIUM or worse, or one HIGH kind alone.",
            "Overall LOW: one MEDIUM or LOW kind alone (one kind alone is never more than MEDIUM).",
            "Overall NONE: no indicator fired.",
            "Overall null: no indicator kind could be assessed (no data), which is not the same as NONE.",
            "Late GSTR-3B filing is a compliance signal (gst_summary.compliance), never a fraud indicator.")


def grade(count: int, thresholds: dict[str, int]) -> str:
    """Severity of one indicator kind from how often it fired (``severity_rules`` of that kind)."""
    for level in LEVELS:
        if count >= thresholds[level]:
            return level
    return "NONE"


def overall_severity(severities: list[str], high_min_kinds: int = HIGH_MIN_KINDS) -> str:
    """Combine per-kind severities by the documented rule (module docstring): HIGH needs corroboration."""
    fired = [s for s in severities if RANK[s] >= RANK["LOW"]]
    if not fired:
        return "NONE"
    if len(fired) == 1:
        return "MEDIUM" if fired[0] == "HIGH" else "LOW"
    medium_or_worse = sum(1 for s in fired if RANK[s] >= RANK["MEDIUM"])
    return "HIGH" if medium_or_worse >= max(2, high_min_kinds) else "MEDIUM"


def _itc(rows: list[dict], cfg: dict) -> tuple[str, Any]:
    t = cfg["itc_ratio_threshold"]
    rule = f"a month where net ITC / output tax on outward taxable supplies > {t}"
    rated = [r for r in rows if r.get("itc_ratio") is not None]
    if not rated:
        return rule, "no filed GSTR-3B with output tax"
    hits = [r for r in rated if r["itc_ratio"] > t]
    return rule, metric(len(hits), "months", f"count of months with itc / output_tax > {t}",
                        {"months": [r["month"] for r in hits], "itc_ratio": [r["itc_ratio"] for r in hits],
                         "months_assessed": len(rated)},
                        f"{len(hits)} of {len(rated)} months pay almost no output tax in cash.")


def _bank(rows: list[dict], cfg: dict) -> tuple[str, Any]:
    t, lag = cfg["gst_to_bank_ratio_threshold"], cfg.get("collection_lag_months", 1)
    rule = (f"a month where GSTR-3B turnover incl. tax > {t} x bank business credits of that month and of each of the "
            f"next {lag} month(s) in the table")
    if not any("bank_business_credits" in r for r in rows):
        return rule, "no bank business credits given"
    bank = {r["month"]: r.get("bank_business_credits") for r in rows}
    order = [r["month"] for r in rows]
    hits, assessed = [], 0
    for i, r in enumerate(rows):
        if r.get("turnover_incl_tax") is None or bank.get(r["month"]) is None:
            continue
        assessed += 1
        window = [bank[m] for m in order[i:i + 1 + lag] if bank.get(m) is not None]
        best = max(window)
        if r["turnover_incl_tax"] > t * best:
            hits.append((r["month"], r["turnover_incl_tax"], best))
    if not assessed:
        return rule, "no month with both GST turnover and bank business credits"
    return rule, metric(len(hits), "months", f"count of months with turnover_incl_tax > {t} x max(bank credits, "
                                              f"month .. month+{lag})",
                        {"months": [h[0] for h in hits], "turnover_incl_tax": [h[1] for h in hits],
                         "bank_credits_compared": [h[2] for h in hits], "months_assessed": assessed},
                        f"{len(hits)} of {assessed} months declare far more sales than reached the bank.")


def _itc_excess(check: dict | None) -> tuple[str, Any]:
    rule = "a month where ITC claimed in GSTR-3B exceeds ITC available in GSTR-2B (gst_summary.itc_check)"
    if check is None:
        return rule, "no GSTR-2B check given"
    if check.get("value") is None:
        return rule, check.get("reason") or "ITC check could not be computed"
    return rule, check


def _circular(flows: list[dict] | None, cfg: dict) -> tuple[str, Any]:
    rule = "money from a party returned to the same party within days (bank statement analysis)"
    if flows is None:
        return rule, "no circular-flow analysis given"
    return rule, metric(len(flows), "flows", "count of circular flows found in the bank statement",
                        {"credit_txn_ids": [f.get("credit_txn_id") for f in flows],
                         "debit_txn_ids": [f.get("debit_txn_id") for f in flows],
                         "counterparties": [f.get("counterparty") for f in flows]},
                        f"{len(flows)} round-trips of money with the same counterparty.")


def assess_gst_fraud(monthly_rows: list[dict], circular_flows: list[dict] | None, config: dict,
                     itc_check: dict | None = None) -> dict:
    """Evaluate the four independent GST fraud indicators and their overall severity, with the rules as text.

    Why: a lender must see not only that a customer looks risky but which rule fired, in which months,
    and on what numbers; ``rules`` carries the policy itself so the output is self-explaining, and
    ``kinds_fired`` says how many independent kinds corroborate each other. ``itc_check`` is
    ``gst_summary.itc_check`` (:func:`analytics.gst.itc.check_itc`); without it ``itc_excess`` is not assessed.
    """
    cfg = config["analytics"]["gst_fraud"]
    sev_rules = {**DEFAULT_SEVERITY, **cfg["severity_rules"]}
    high_min_kinds = int((cfg.get("overall") or {}).get("high_min_kinds", HIGH_MIN_KINDS))
    checks = {"itc_ratio_high": _itc(monthly_rows, cfg), "turnover_vs_bank": _bank(monthly_rows, cfg),
              "itc_excess": _itc_excess(itc_check), "circular_flows": _circular(circular_flows, cfg)}
    indicators, not_assessed, rules = [], [], []
    for code, (rule, evidence) in checks.items():
        th = sev_rules[code]
        rules.append(f"{code}: {rule}; severity by count: >= {th['HIGH']} HIGH, >= {th['MEDIUM']} MEDIUM, "
                     f">= {th['LOW']} LOW.")
        if isinstance(evidence, str):
            not_assessed.append({"code": code, "title": TITLES[code], "reason": evidence,
                                 "evidence": missing("count", rule, evidence)})
            continue
        count = evidence["value"]
        if count == 0:
            continue
        if code == "circular_flows":
            months = sorted({str(f.get("credit_date"))[:7] for f in circular_flows or [] if f.get("credit_date")})
        else:
            months = list(evidence["inputs"]["months"])
        indicators.append({"code": code, "title": TITLES[code], "severity": grade(count, th), "months": months,
                           "count": count, "evidence": evidence, "rule": rule})
    rules.extend(overall_rules(high_min_kinds))
    assessed = [code for code in checks if code not in {n["code"] for n in not_assessed}]
    severity = overall_severity([i["severity"] for i in indicators], high_min_kinds) if assessed else None
    fired = [i["code"] for i in indicators]
    kinds = (metric(len(fired), "kinds", "count of independent fraud indicator kinds that fired",
                    {"kinds": fired, "severities": [i["severity"] for i in indicators], "assessed": assessed},
                    f"{len(fired)} of {len(assessed)} assessed kinds fired; HIGH overall needs at least "
                    f"{high_min_kinds} corroborating kinds at MEDIUM or worse.")
             if assessed else missing("kinds", "count of independent fraud indicator kinds that fired",
                                      "no fraud indicator kind could be assessed"))
    return {"severity": severity, "indicators": indicators, "assessed": assessed, "not_assessed": not_assessed,
            "rules": rules, "kinds_fired": kinds}
