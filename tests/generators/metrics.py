"""Figures the profile tests compute from the generated records (never from the plan)."""
from __future__ import annotations

import statistics
from collections import defaultdict

NON_BUSINESS = {"self_transfer_in", "loan_disbursal", "reversal", "refund", "self_upi_credit"}
REVOLVING = {"CREDIT_CARD", "OVERDRAFT", "CASH_CREDIT"}
TAX = ("iamt", "camt", "samt", "csamt")


def month_key(ts: str) -> str:
    """``YYYY-MM`` of a timestamp or date."""
    return ts[:7]


def business_credits(g) -> dict[str, float]:
    """Monthly credits minus self-transfers, loan disbursals, reversals and refunds."""
    out: dict[str, float] = defaultdict(float)
    for t in g.records["transactions"]:
        if t["type"] == "CREDIT" and g.txn_categories[t["txnId"]] not in NON_BUSINESS:
            out[month_key(t["transactionTimestamp"])] += t["amount"]
    return dict(out)


def monthly_debits(g, category: str) -> dict[str, float]:
    """Monthly total of debits of one category."""
    out: dict[str, float] = defaultdict(float)
    for t in g.records["transactions"]:
        if t["type"] == "DEBIT" and g.txn_categories[t["txnId"]] == category:
            out[month_key(t["transactionTimestamp"])] += t["amount"]
    return dict(out)


def gstr3b(g) -> list[dict]:
    """GSTR-3B returns in period order."""
    rows = [r for r in g.records["gst_returns"] if r["return_type"] == "GSTR3B"]
    return sorted(rows, key=lambda r: (r["ret_prd"][2:], r["ret_prd"][:2]))


def turnover(r: dict) -> float:
    """Taxable outward supplies of a GSTR-3B."""
    return r["sup_details"]["osup_det"]["txval"]


def period_month(r: dict) -> str:
    """``YYYY-MM`` of a return period ``MMYYYY``."""
    return f"{r['ret_prd'][2:]}-{r['ret_prd'][:2]}"


def cv(values: list[float]) -> float:
    """Coefficient of variation with the population standard deviation."""
    return statistics.pstdev(values) / statistics.mean(values)


def counterparty(narration: str) -> str:
    """The party a narration names, read as the categoriser reads it (every bank's layout, docs/bank_formats.md),
    else the narration itself."""
    from analytics.bank.categorise.engine import categorise   # noqa: PLC0415 - only the metrics need it
    return categorise(narration, "CREDIT").counterparty or narration


def revolving_utilisation(g) -> float:
    """Sum of balances over sum of limits of the bureau's revolving tradelines."""
    lines = [r for r in g.records["credit_bureau"] if r["segment"] == "TRADELINE" and r["accountType"] in REVOLVING]
    return sum(r["currentBalance"] for r in lines) / sum(r["creditLimit"] for r in lines)
