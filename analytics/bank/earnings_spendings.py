"""Where the money comes from and where it goes: the earnings and spendings view of the statement.

:func:`summarize_earnings_spendings` returns the body of ``earnings_spendings.json``.
Earnings are split by source category (business and non-business credits shown
apart, so an officer sees how much of the inflow is real turnover); spendings by
category. Headline totals are metric objects; tables are plain rows.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from analytics.bank.statement import lines_before, month_range
from analytics.metric import metric, missing, ratio_metric

INR, RATIO = "INR", "ratio"
TOP_N = 10
METRIC_UNITS = {"total_earnings": INR, "business_earnings": INR, "business_share_of_earnings": RATIO,
                "total_spendings": INR, "avg_monthly_earnings": INR, "avg_monthly_spendings": INR,
                "top_payer_share": RATIO, "top_payee_share": RATIO, "largest_credit": INR, "largest_debit": INR}


def _by_category(rows: pd.DataFrame, total: float) -> list[dict[str, Any]]:
    g = rows.groupby("category")["amount"].agg(["sum", "size"]).sort_values("sum", ascending=False)
    business = rows.groupby("category")["is_business_credit"].any()
    return [{"category": cat, "total": round(float(r["sum"]), 2), "count": int(r["size"]),
             "share": round(float(r["sum"]) / total, 4) if total else None, "business": bool(business.get(cat, False))}
            for cat, r in g.iterrows()]


def _top_parties(rows: pd.DataFrame, total: float) -> list[dict[str, Any]]:
    named = rows[rows["counterparty"].notna()]
    g = named.groupby("counterparty")["amount"].agg(["sum", "size"]).sort_values(["sum", "size"], ascending=False)
    return [{"counterparty": name, "total": round(float(r["sum"]), 2), "count": int(r["size"]),
             "share": round(float(r["sum"]) / total, 4) if total else None} for name, r in g.head(TOP_N).iterrows()]


def _monthly_table(df: pd.DataFrame, months: list[str]) -> tuple[list[dict], list[str], list[str]]:
    # one sum per (month, type, category) that occurs, as a pivot table would hold them, read from a dict
    sums = df.groupby(["month", "type", "category"])["amount"].sum()
    cells = dict(zip(sums.index, sums.to_numpy().tolist()))
    inflow_cats = sorted({c for _, t, c in cells if t == "CREDIT"})
    outflow_cats = sorted({c for _, t, c in cells if t == "DEBIT"})
    rows = []
    for month in months:
        inflow = {c: round(cells.get((month, "CREDIT", c), 0.0), 2) for c in inflow_cats}
        outflow = {c: round(cells.get((month, "DEBIT", c), 0.0), 2) for c in outflow_cats}
        rows.append({"month": month, "inflow_total": round(sum(inflow.values()), 2),
                     "outflow_total": round(sum(outflow.values()), 2), "inflow": inflow, "outflow": outflow})
    return rows, inflow_cats, outflow_cats


def _largest(rows: pd.DataFrame, side: str) -> dict:
    formula = f"max({side} amount)"
    if rows.empty:
        return missing(INR, formula, f"no {side}s in the statement")
    top = rows.loc[rows["amount"].idxmax()]
    return metric(float(top["amount"]), INR, formula,
                  {"txn_id": top["txnId"], "date": top["date"].date().isoformat(), "category": top["category"],
                   "counterparty": top["counterparty"]},
                  f"The single largest {side}; one-off large lines distort averages and deserve a look.")


def summarize_earnings_spendings(df: pd.DataFrame, as_of: dt.date, config: dict[str, Any]) -> dict[str, Any]:
    """Body of ``earnings_spendings.json``: monthly inflow/outflow by category, earnings by source and
    spendings by category with shares, top payers and payees, averages and the largest lines.

    Earnings for averages are business credits; spendings exclude transfers to
    the owner's own accounts (own money moved, not spent). Lines on or after
    ``as_of`` are ignored.
    """
    df = lines_before(df, as_of)
    if df.empty:
        reason = "no transactions before the as-of date"
        return {"metrics": {k: missing(u, "not computed", reason) for k, u in METRIC_UNITS.items()},
                "monthly": [], "categories": {"inflow": [], "outflow": []}, "earnings_by_category": [],
                "spendings_by_category": [], "top_received_from": [], "top_paid_to": [],
                "reason": reason}
    months = month_range(df["month"].min(), df["month"].max())
    n = len(months)
    credits, debits = df[df["type"] == "CREDIT"], df[df["type"] == "DEBIT"]
    business = credits[credits["is_business_credit"]]
    spend = debits[debits["category"] != "self_transfer_out"]
    total_in, total_out = float(credits["amount"].sum()), float(debits["amount"].sum())
    biz_total, spend_total = float(business["amount"].sum()), float(spend["amount"].sum())
    monthly, inflow_cats, outflow_cats = _monthly_table(df, months)
    received = _top_parties(business, biz_total)
    paid = _top_parties(spend, spend_total)
    metrics = {
        "total_earnings": metric(total_in, INR, "sum(all credits)", {"credit_count": len(credits)},
                                 "Every rupee that came in, business or not."),
        "business_earnings": metric(biz_total, INR, "sum(business credits)",
                                    {"credit_count": len(business), "total_earnings": total_in},
                                    "Credits that are turnover: excludes self-transfers, loans, reversals, refunds, "
                                    "interest and returned cheques."),
        "business_share_of_earnings": ratio_metric(biz_total, total_in, "business_earnings / total_earnings",
                                             ("business_earnings", "total_earnings"),
                                             "How much of the inflow is real business; a low share means the "
                                             "account is fed by loans or own transfers."),
        "total_spendings": metric(spend_total, INR, "sum(debits) - self-transfers out",
                                  {"debit_count": len(spend), "self_transfers_out": total_out - spend_total},
                                  "Money spent by the business (own-account transfers are not spending)."),
        "avg_monthly_earnings": metric(biz_total / n, INR, "business_earnings / months",
                                       {"business_earnings": biz_total, "months": n},
                                       "Average monthly business income over every month of the statement."),
        "avg_monthly_spendings": metric(spend_total / n, INR, "total_spendings / months",
                                        {"total_spendings": spend_total, "months": n},
                                        "Average monthly spending over every month of the statement."),
        "top_payer_share": ratio_metric(received[0]["total"] if received else 0.0, biz_total,
                                  "largest payer / business_earnings", ("top_payer_total", "business_earnings"),
                                  "Dependence on the largest customer.",
                                  {"counterparty": received[0]["counterparty"] if received else None}),
        "top_payee_share": ratio_metric(paid[0]["total"] if paid else 0.0, spend_total,
                                  "largest payee / total_spendings", ("top_payee_total", "total_spendings"),
                                  "Dependence on the largest supplier or payee.",
                                  {"counterparty": paid[0]["counterparty"] if paid else None}),
        "largest_credit": _largest(credits, "credit"),
        "largest_debit": _largest(debits, "debit"),
    }
    return {
        "metrics": metrics,
        "monthly": monthly,
        "categories": {"inflow": inflow_cats, "outflow": outflow_cats},
        "earnings_by_category": _by_category(credits, total_in),
        "spendings_by_category": _by_category(debits, total_out),
        "top_received_from": received,
        "top_paid_to": paid,
    }
