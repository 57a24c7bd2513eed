"""Loan stacking: several lenders lending within weeks of each other, seen in the bureau and in the bank.

A borrower who takes three or more new loans from different lenders inside 90 days is stacking: each
lender sized its loan without the others on the report yet. Enquiries alone only show credit hunger; the
signal a credit analyst trusts links each **new tradeline** to the **enquiry** that preceded it (same lender,
at most 30 days before it opened) and to the **disbursal** credited in the bank (a loan-disbursal credit
within 10 days of the opening, 80-100% of the sanctioned amount, since fees are deducted).
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd

from analytics.bank.categorise.parties import lender_key
from analytics.metric import metric

WINDOW_DAYS = 90
MIN_LENDERS = 3
ENQUIRY_LEAD_DAYS = 30
DISBURSAL_DAYS = 10
DISBURSAL_SHARE = (0.80, 1.0)
LOOKBACK_DAYS = 365


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(str(text)[:10])
    except ValueError:
        return None


def _link(trade: dict, enquiries: list[dict], disbursals: pd.DataFrame) -> dict[str, Any]:
    opened = _day(trade.get("dateOpened"))
    key = lender_key(trade.get("lender"))
    enquiry = next((e for e in enquiries if lender_key(e.get("lender")) == key and (d := _day(e.get("enquiryDate")))
                    and opened - timedelta(days=ENQUIRY_LEAD_DAYS) <= d <= opened), None)
    sanctioned = float(trade.get("sanctionedAmount") or 0)
    disbursal = None
    if sanctioned > 0 and len(disbursals):
        gap = (disbursals["date"] - pd.Timestamp(opened)).dt.days.abs()
        share = disbursals["amount"] / sanctioned
        hits = disbursals[(gap <= DISBURSAL_DAYS) & (share >= DISBURSAL_SHARE[0]) & (share <= DISBURSAL_SHARE[1])]
        disbursal = None if hits.empty else str(hits.iloc[0]["txnId"])
    return {"lender": trade.get("lender"), "accountNumber": trade.get("accountNumber"),
            "accountType": trade.get("accountType"), "dateOpened": opened.isoformat(), "sanctionedAmount": sanctioned,
            "enquiry_date": enquiry.get("enquiryDate") if enquiry else None, "disbursal_txn_id": disbursal}


def detect_loan_stacking(tradelines: list[dict], enquiries: list[dict], txns: pd.DataFrame, as_of: date) -> dict:
    """The ``loan_stacking`` metric: the busiest 90-day window of new loans from distinct lenders in the last
    year, each new loan with its enquiry and bank disbursal; ``value`` is True when it holds three lenders."""
    since = as_of - timedelta(days=LOOKBACK_DAYS)
    new = sorted((t for t in tradelines if (d := _day(t.get("dateOpened"))) and since <= d < as_of),
                 key=lambda t: t["dateOpened"])
    disbursals = txns[(txns["category"] == "loan_disbursal") & (txns["type"] == "CREDIT")] if len(txns) else txns
    linked = [_link(t, enquiries, disbursals) for t in new]
    best: list[dict] = []
    for i, first in enumerate(linked):
        end = date.fromisoformat(first["dateOpened"]) + timedelta(days=WINDOW_DAYS)
        group = [t for t in linked[i:] if date.fromisoformat(t["dateOpened"]) <= end]
        if len({lender_key(t["lender"]) for t in group}) > len({lender_key(t["lender"]) for t in best}):
            best = group
    lenders = sorted({t["lender"] for t in best})
    stacked = len({lender_key(name) for name in lenders}) >= MIN_LENDERS
    ids = [t["accountNumber"] for t in best] + [t["disbursal_txn_id"] for t in best if t["disbursal_txn_id"]]
    out = metric(stacked, "flag",
                 f"distinct lenders of tradelines opened within any {WINDOW_DAYS} days of the last "
                 f"{LOOKBACK_DAYS} days >= {MIN_LENDERS}; each linked to its enquiry (same lender, <= "
                 f"{ENQUIRY_LEAD_DAYS} days before) and bank disbursal (loan-disbursal credit within "
                 f"{DISBURSAL_DAYS} days, {DISBURSAL_SHARE[0]:.0%}-{DISBURSAL_SHARE[1]:.0%} of sanctioned)",
                 {"lenders": lenders, "new_tradelines_12m": len(new)},
                 "Several lenders lending within weeks: each sized its loan without seeing the others.")
    out["items"] = best
    out["record_ids"] = ids
    return out
