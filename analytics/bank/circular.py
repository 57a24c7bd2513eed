"""Circular flows: money that comes in from a party and goes back to the same party within days.

Round-tripping inflates turnover (a borrower "sells" to a friendly firm and
pays it back), so a lender discounts such credits. A pair is one credit and one
debit with the same normalised counterparty, at most ``circular_window_days``
apart (either order) and with amounts within ``circular_amount_tolerance`` of
the credit. Each transaction is used in at most one pair; the closest pairs in
time, then in amount, are taken first.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

# debits that are never a round-trip leg: obligations to the state, banks and lenders, cash, own money
NOT_CIRCULAR_DEBITS = ("emi", "bounce", "bounce_charge", "bank_charges", "interest_paid", "tax", "gst_payment",
                       "atm_withdrawal", "self_transfer_out", "reversal", "insurance_premium", "sip", "card_payment",
                       "utilities", "salary")


def find_circular_flows(df: pd.DataFrame, config: dict[str, Any]) -> list[dict[str, Any]]:
    """Pairs of a business credit from X and a debit to X close in time and amount, oldest first.

    Each pair: counterparty, credit_txn_id, debit_txn_id, credit_date,
    debit_date, credit_amount, debit_amount, days_apart (absolute), month (of
    the credit). Why only business credits: a refund or reversal from X after
    paying X is a correction, not round-tripping.
    """
    cfg = config.get("analytics", config)
    window = int(cfg.get("circular_window_days", 3))
    tolerance = float(cfg.get("circular_amount_tolerance", 0.1))
    named = df["counterparty"].notna()
    credits = df.loc[named & df["is_business_credit"], ["txnId", "counterparty", "date", "amount", "month"]]
    debits = df.loc[named & (df["type"] == "DEBIT") & ~df["category"].isin(NOT_CIRCULAR_DEBITS),
                    ["txnId", "counterparty", "date", "amount"]]
    common = set(credits["counterparty"].unique()) & set(debits["counterparty"].unique())
    if not common:
        return []
    credits = credits[credits["counterparty"].isin(common)].reset_index(names="ci")
    debits = debits[debits["counterparty"].isin(common)].reset_index(names="di")
    pairs = credits.merge(debits, on="counterparty", suffixes=("_c", "_d"))
    pairs["days_apart"] = (pairs["date_d"] - pairs["date_c"]).dt.days.abs()
    pairs["gap"] = (pairs["amount_d"] - pairs["amount_c"]).abs() / pairs["amount_c"]
    pairs = pairs[(pairs["days_apart"] <= window) & (pairs["gap"] <= tolerance)]
    pairs = pairs.sort_values(["days_apart", "gap", "ci", "di"], kind="mergesort")
    used_c: set = set()
    used_d: set = set()
    out = []
    for row in pairs.itertuples(index=False):
        if row.ci in used_c or row.di in used_d:
            continue
        used_c.add(row.ci)
        used_d.add(row.di)
        out.append({
            "counterparty": row.counterparty,
            "credit_txn_id": row.txnId_c,
            "debit_txn_id": row.txnId_d,
            "credit_date": row.date_c.date().isoformat(),
            "debit_date": row.date_d.date().isoformat(),
            "credit_amount": float(row.amount_c),
            "debit_amount": float(row.amount_d),
            "days_apart": int(row.days_apart),
            "month": row.month,
        })
    out.sort(key=lambda p: (p["credit_date"], p["credit_txn_id"]))
    return out
