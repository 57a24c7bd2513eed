"""Rule-based anomaly detection on the bank statement, beside the GST fraud indicators.

Each rule is documented here and in its output with its threshold and the
transactions it flagged, so a credit officer can check every flag by hand.
Rules (thresholds in ``config["analytics"]["anomalies"]``):

* ``amount_outlier`` — an amount more than ``robust_z`` robust standard
  deviations above the customer's own typical amount for the same direction
  and category, on the log scale (median and 1.4826 x MAD; groups of at least
  ``min_group`` transactions).
* ``round_cash_deposit`` — a cash deposit of at least ``round_cash_min`` that
  is an exact multiple of ``round_cash_multiple``.
* ``circular_flow`` — the same counterparty paid in and out within days
  (found by the bank-statement analysis).
* ``holiday_credit`` — a branch cash deposit or cheque credit dated on a bank
  holiday (Sunday, second/fourth Saturday, 26 Jan, 15 Aug, 2 Oct, 25 Dec).
  UPI, IMPS, NEFT and RTGS run 24x7 and are not flagged.
* ``late_night_burst`` — ``night_burst_min`` or more transactions between
  00:00 and 04:59 in one night.
* ``weekend_burst`` — a weekend day with at least ``weekend_burst_factor`` x
  the median weekday count of transactions (and at least
  ``weekend_burst_min``).
* ``duplicate_txn_id`` — one transaction id used by records that differ.
* ``balance_tally_break`` — a running balance that does not follow from the
  previous balance and the amount.
* ``gst_fraud_indicator`` — each GST fraud indicator that fired.
"""
from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from analytics.metric import metric

DEFAULTS = {"robust_z": 3.0, "min_group": 20, "round_cash_min": 50_000, "round_cash_multiple": 10_000,
            "night_burst_min": 3, "weekend_burst_factor": 3.0, "weekend_burst_min": 10, "max_listed": 100}
NATIONAL_HOLIDAYS = {(1, 26), (8, 15), (10, 2), (12, 25)}
BRANCH_CREDIT_CATEGORIES = {"cash_deposit", "cheque_deposit"}
SEVERITY_ORDER = {"NONE": 0, "LOW": 1, "MEDIUM": 2, "HIGH": 3}


def is_bank_holiday(day: date) -> bool:
    """Whether branches are shut: Sundays, 2nd and 4th Saturdays, and the national holidays."""
    if day.weekday() == 6 or (day.month, day.day) in NATIONAL_HOLIDAYS:
        return True
    return day.weekday() == 5 and (day.day - 1) // 7 in (1, 3)


def _listed(frame: pd.DataFrame, detail: pd.Series | None = None, limit: int = 100) -> list[dict]:
    rows = []
    for i, (_, row) in enumerate(frame.head(limit).iterrows()):
        item = {"txnId": row["txnId"], "date": str(row["date"])[:10], "type": row["type"],
                "amount": round(float(row["amount"]), 2), "counterparty": row.get("counterparty"),
                "category": row.get("category")}
        if detail is not None:
            item["detail"] = detail.iloc[i]
        rows.append(item)
    return rows


def _rule(rule_id: str, title: str, description: str, threshold: str, severity: str, flagged: list[dict],
          total: int | None = None) -> dict[str, Any]:
    count = len(flagged) if total is None else total
    ids = [f.get("txnId") or f.get("code") for f in flagged]
    return {"id": rule_id, "title": title, "description": description, "threshold": threshold,
            "severity": severity if count else "NONE",
            "count": metric(count, "count", f"number of items flagged by rule {rule_id}", {"flagged": ids},
                            description),
            "flagged": flagged}


def _amount_outliers(txns: pd.DataFrame, p: dict) -> tuple[list[dict], int]:
    logs = np.log(txns["amount"].clip(lower=1.0))
    groups = txns.groupby(["type", "category"], sort=False)["amount"]
    size = groups.transform("size")
    median = logs.groupby([txns["type"], txns["category"]], sort=False).transform("median")
    mad = (logs - median).abs().groupby([txns["type"], txns["category"]], sort=False).transform("median") * 1.4826
    z = (logs - median) / mad.replace(0, np.nan)
    mask = (size >= p["min_group"]) & (z > p["robust_z"])
    flagged = txns[mask].assign(z=z[mask]).sort_values("z", ascending=False)
    detail = flagged.apply(lambda r: f"robust z = {r['z']:.1f} against the {r['type'].lower()} {r['category']} history",
                           axis=1) if len(flagged) else None
    return _listed(flagged, detail, p["max_listed"]), int(mask.sum())


def detect_rule_anomalies(txns: pd.DataFrame, bank: dict, gst: dict, config: dict) -> dict[str, Any]:
    """The body of ``anomalies_report.json``: every rule with its threshold and what it flagged."""
    p = {**DEFAULTS, **config.get("analytics", {}).get("anomalies", {})}
    rules = []
    if len(txns):
        flagged, total = _amount_outliers(txns, p)
        rules.append(_rule("amount_outlier", "Unusual amount",
                           "Amount far above the customer's own history for that kind of transaction",
                           f"log-amount robust z > {p['robust_z']} within type x category groups of >= {p['min_group']}",
                           "MEDIUM", flagged, total))
        cash = txns[(txns["category"] == "cash_deposit") & (txns["amount"] >= p["round_cash_min"])
                    & ((txns["amount"] % p["round_cash_multiple"]) == 0)]
        rules.append(_rule("round_cash_deposit", "Round-figure cash deposits",
                           "Large cash deposits in exact round figures, a structuring / accommodation-entry marker",
                           f"cash deposit >= {p['round_cash_min']:,} and a multiple of {p['round_cash_multiple']:,}",
                           "MEDIUM", _listed(cash, limit=p["max_listed"]), len(cash)))
        holiday = txns[txns["category"].isin(BRANCH_CREDIT_CATEGORIES) & (txns["type"] == "CREDIT")]
        holiday = holiday[holiday["date"].map(lambda d: is_bank_holiday(pd.Timestamp(d).date()))]
        rules.append(_rule("holiday_credit", "Branch credits on bank holidays",
                           "Cash or cheque credits dated on a day branches and clearing are shut",
                           "Sundays, 2nd/4th Saturdays, 26 Jan, 15 Aug, 2 Oct, 25 Dec", "MEDIUM",
                           _listed(holiday, limit=p["max_listed"]), len(holiday)))
        rules.append(_night_bursts(txns, p))
        rules.append(_weekend_bursts(txns, p))
        dup = txns[txns.duplicated("txnId", keep=False)].sort_values(["txnId", "ts"])
        rules.append(_rule("duplicate_txn_id", "Duplicate transaction ids",
                           "One transaction id carried by different records (tampered or re-keyed statement)",
                           "txnId seen more than once with different content", "HIGH",
                           _listed(dup, limit=p["max_listed"]), len(dup)))
    circular = bank.get("circular_flows") or []
    rules.append(_rule("circular_flow", "Circular flows",
                       "Money received from a party and sent back to it within days (round-tripping)",
                       "same counterparty, both directions, within the configured window and tolerance",
                       "HIGH", [{"txnId": c.get("credit_txn_id"), "debit_txn_id": c.get("debit_txn_id"),
                                 "counterparty": c.get("counterparty"), "date": c.get("credit_date"),
                                 "amount": c.get("credit_amount"), "days_apart": c.get("days_apart")}
                                for c in circular[: p["max_listed"]]], len(circular)))
    breaks = bank.get("tally_breaks") or []
    rules.append(_rule("balance_tally_break", "Balance does not tally",
                       "Running balance that does not follow from the previous balance and the amount",
                       "|expected - reported balance| > 0.01", "HIGH", list(breaks[: p["max_listed"]]), len(breaks)))
    indicators = (gst.get("fraud_indicators") or {}).get("indicators", [])
    rules.append(_rule("gst_fraud_indicator", "GST fraud indicators",
                       "GST red flags computed in the GST summary (ITC ratio, turnover vs bank, circular flows)",
                       "see gst_summary.fraud_indicators.rules", (gst.get("fraud_indicators") or {}).get("severity", "NONE"),
                       [{"code": i.get("code"), "title": i.get("title"), "severity": i.get("severity"),
                         "months": i.get("months")} for i in indicators]))
    flagged_total = sum(r["count"]["value"] for r in rules)
    worst = max((r["severity"] for r in rules), key=lambda s: SEVERITY_ORDER.get(s, 0), default="NONE")
    return {
        "metrics": {
            "total_flags": metric(flagged_total, "count", "sum of items flagged over all rules",
                                  {r["id"]: r["count"]["value"] for r in rules},
                                  "Every item flagged by a rule; one transaction can be flagged by several rules."),
            "rules_triggered": metric(sum(1 for r in rules if r["count"]["value"]), "count",
                                      "rules with at least one flag", {"rules": [r["id"] for r in rules if r["count"]["value"]]},
                                      "How many different rules fired."),
        },
        "severity": worst,
        "rules": rules,
    }


def _night_bursts(txns: pd.DataFrame, p: dict) -> dict:
    hours = txns["ts"].dt.hour
    night = txns[hours < 5]
    counts = night.groupby(night["ts"].dt.date)["txnId"].transform("size")
    burst = night[counts >= p["night_burst_min"]]
    return _rule("late_night_burst", "Late-night bursts",
                 "Several transactions between midnight and 5 am in one night",
                 f">= {p['night_burst_min']} transactions between 00:00 and 04:59", "LOW",
                 _listed(burst, limit=p["max_listed"]), len(burst))


def _weekend_bursts(txns: pd.DataFrame, p: dict) -> dict:
    per_day = txns.groupby(txns["ts"].dt.date).size()
    if per_day.empty:
        return _rule("weekend_burst", "Weekend bursts", "", "", "LOW", [])
    weekday_mask = np.array([d.weekday() < 5 for d in per_day.index])
    baseline = float(np.median(per_day[weekday_mask])) if weekday_mask.any() else 0.0
    limit = max(p["weekend_burst_min"], p["weekend_burst_factor"] * baseline)
    days = [d for d, n in per_day.items() if d.weekday() >= 5 and n >= limit]
    flagged = [{"txnId": None, "date": d.isoformat(), "count": int(per_day[d]), "code": f"weekend:{d.isoformat()}",
                "detail": f"{int(per_day[d])} transactions against a weekday median of {baseline:g}"} for d in days]
    return _rule("weekend_burst", "Weekend bursts", "A weekend day far busier than a typical weekday",
                 f"weekend day count >= max({p['weekend_burst_min']}, {p['weekend_burst_factor']} x weekday median)",
                 "LOW", flagged)
