"""The bank-statement analysis a credit officer reads: balances, flows, obligations, conduct, stability.

:func:`summarize_transactions` returns the body of ``transaction_summary.json``.
Every headline number is a metric object (value, unit, formula, inputs,
explanation); tables (monthly rows, the daily balance series, lists of EMIs,
bounces and pairs) are plain rows a reader can check those metrics against.
The statement window is the first to the last transaction before ``as_of``;
months are calendar months in that window, months without a line included,
and every metric says so in its ``window``. Overdrawn days, OD/CC utilisation
and interest servicing are facility-aware (:mod:`analytics.bank.facility`): a
negative balance inside a sanctioned limit is use, not a penalty. DSCR of a
borrower with no debt service is *not applicable* (``applicable: false``),
never missing data.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from analytics.bank.circular import find_circular_flows
from analytics.bank.obligations import detect_bounces, detect_emis, regular_inflows
from analytics.bank.statement import balance_tally_breaks, eod_by_account, lines_before, month_range, opening_balances
from analytics.bank.facility import facility_metrics
from analytics.bank.window_dressing import KINDS as DRESSING_KINDS, detect_window_dressing
from analytics.metric import metric, missing, month_window, not_applicable, ratio_metric, with_window

INR, COUNT, RATIO = "INR", "count", "ratio"
# debits that are not operating costs when judging cash available for debt service
NON_OPERATING_DEBITS = ("emi", "self_transfer_out", "sip")
METRIC_UNITS = {**{k: INR for k in (
    "abb avg_eod_balance min_eod_balance max_eod_balance total_credits total_debits business_credits_total "
    "avg_monthly_business_credits avg_monthly_debits atm_withdrawal_total emi_monthly_total bounce_charges_total "
    "avg_monthly_surplus").split()},
    **{k: COUNT for k in ("negative_balance_days near_zero_balance_days atm_withdrawal_count inward_bounces "
                          "outward_bounces months_covered gap_months balance_tally_breaks days_over_limit "
                          "days_over_drawing_power months_interest_unserviced").split()},
    **{k: RATIO for k in ("od_cc_utilisation od_cc_peak_utilisation cash_deposit_share top_counterparty_share "
                          "surplus_ratio foir dscr income_cv regular_inflow_confidence regular_inflow_share").split()},
    "od_cc_interest_monthly_avg": INR}


MONTHLY_COLUMNS = {
    "credit_count": "count(CREDIT transactions in the month)", "credit_value": "sum(CREDIT amounts)",
    "debit_count": "count(DEBIT transactions)", "debit_value": "sum(DEBIT amounts)",
    "net_flow": "credit_value - debit_value",
    "business_credits": "credits - self-transfers - loan disbursals - reversals - refunds - interest - returned cheques",
    "emi_debits": "sum(debits of detected EMIs)", "surplus": "business_credits - debits except self-transfers out",
    "avg_eod_balance": "mean(end-of-day balance over the month's days)",
    "min_eod_balance": "min(end-of-day balance)", "abb": "mean(EOD balance on the configured ABB days)",
}

def business_credits_by_month(df: pd.DataFrame) -> dict[str, float]:
    """Business credits per calendar month (every month of the window, zero when none), for the GST
    turnover cross-check: credits minus self-transfers, loan disbursals, reversals, refunds, interest
    and returned cheques."""
    if df.empty:
        return {}
    months = month_range(df["month"].min(), df["month"].max())
    sums = df.loc[df["is_business_credit"]].groupby("month")["amount"].sum()
    return {m: round(float(sums.get(m, 0.0)), 2) for m in months}


def _abb_dates(months: list[str], days: list, start: pd.Timestamp, end: pd.Timestamp) -> list[pd.Timestamp]:
    out = []
    for m in months:
        period = pd.Period(m, freq="M")
        for d in days:
            day = period.days_in_month if str(d).lower() == "last" else min(int(d), period.days_in_month)
            ts = pd.Timestamp(period.year, period.month, day)
            if start <= ts <= end:
                out.append(ts)
    return out


def _monthly(df: pd.DataFrame, months: list[str], eod: pd.Series, abb_dates: list[pd.Timestamp]) -> pd.DataFrame:
    credit = df["type"] == "CREDIT"
    surplus_debit = ~credit & (df["category"] != "self_transfer_out") & ~df["returned"]
    operating = ~credit & ~df["category"].isin(NON_OPERATING_DEBITS) & ~df["returned"]
    g = pd.DataFrame({
        "month": df["month"],
        "credit_count": credit.astype(int), "credit_value": df["amount"].where(credit, 0.0),
        "debit_count": (~credit).astype(int), "debit_value": df["amount"].where(~credit, 0.0),
        "business_credits": df["amount"].where(df["is_business_credit"], 0.0),
        "emi_debits": df["amount"].where(~credit & (df["category"] == "emi"), 0.0),
        "surplus_debits": df["amount"].where(surplus_debit, 0.0),
        "operating_debits": df["amount"].where(operating, 0.0),
    }).groupby("month").sum().reindex(months, fill_value=0)
    g["net_flow"] = g["credit_value"] - g["debit_value"]
    g["surplus"] = g["business_credits"] - g["surplus_debits"]
    labels = eod.index.strftime("%Y-%m")
    g["avg_eod_balance"] = eod.groupby(labels).mean().reindex(months)
    g["min_eod_balance"] = eod.groupby(labels).min().reindex(months)
    abb = eod.loc[abb_dates]
    g["abb"] = abb.groupby(abb.index.strftime("%Y-%m")).mean().reindex(months)
    return g


def _balance_metrics(eod: pd.Series, abb_dates, cfg) -> dict:
    days = [str(d) for d in cfg.get("abb_days", [5, 15, 25])]
    threshold = float(cfg.get("near_zero_balance", 1000))
    abb_values = eod.loc[abb_dates]
    iso = lambda idx: [d.date().isoformat() for d in idx]  # noqa: E731
    abb_formula = f"mean(EOD balance on days {', '.join(days)} of every month)"
    near = eod[(eod >= 0) & (eod < threshold)]
    m = {
        "abb": metric(float(abb_values.mean()), INR, abb_formula,
                      {"dates": iso(abb_values.index), "balances": abb_values.round(2).tolist()},
                      "Average bank balance: the end-of-day balance on the lender's fixed days, averaged over "
                      "every month of the statement, all accounts summed.") if len(abb_values) else
        missing(INR, abb_formula, "the statement covers none of the ABB days"),
        "avg_eod_balance": metric(float(eod.mean()), INR, "sum(EOD balance of each day) / days",
                                  {"days": len(eod), "sum_of_eod_balances": float(eod.sum()),
                                   "first_day": iso(eod.index[:1])[0], "last_day": iso(eod.index[-1:])[0]},
                                  "Average end-of-day balance over every calendar day, carried over days "
                                  "without transactions."),
        "min_eod_balance": metric(float(eod.min()), INR, "min(EOD balance)", {"date": iso([eod.idxmin()])[0]},
                                  "Lowest end-of-day balance in the statement."),
        "max_eod_balance": metric(float(eod.max()), INR, "max(EOD balance)", {"date": iso([eod.idxmax()])[0]},
                                  "Highest end-of-day balance in the statement."),
        "near_zero_balance_days": metric(len(near), COUNT, f"count(days with 0 <= EOD balance < {threshold:g})",
                                         {"dates": iso(near.index), "threshold": threshold},
                                         "Days the account ended nearly empty: little buffer for cheques and EMIs."),
    }
    return m


def _series_inputs(monthly: pd.DataFrame, column: str) -> dict[str, Any]:
    return {"months": monthly.index.tolist(), column: monthly[column].round(2).tolist()}


def _top_counterparties(df: pd.DataFrame, n: int) -> list[dict[str, Any]]:
    business = df[df["is_business_credit"]]
    total = float(business["amount"].sum())
    g = business[business["counterparty"].notna()].groupby("counterparty")["amount"].agg(["sum", "size"])
    g = g.sort_values(["sum", "size"], ascending=False).head(n)
    return [{"counterparty": name, "business_credits": round(float(r["sum"]), 2), "count": int(r["size"]),
             "share": round(float(r["sum"]) / total, 4) if total else None} for name, r in g.iterrows()]


def _flow_metrics(df: pd.DataFrame, monthly: pd.DataFrame, top: list[dict[str, Any]]) -> dict[str, dict]:
    """Turnover, cash and concentration metrics; ``top`` is the largest payer (:func:`_top_counterparties`)."""
    n = len(monthly)
    credit = df["type"] == "CREDIT"
    bc_total = float(monthly["business_credits"].sum())
    cash = df[df["is_business_credit"] & (df["category"] == "cash_deposit")]
    atm = df[~credit & (df["category"] == "atm_withdrawal")]
    non_business = df[credit & ~df["is_business_credit"]].groupby("category")["amount"].sum().round(2)
    return {
        "total_credits": metric(float(monthly["credit_value"].sum()), INR, "sum(credit amounts)",
                                _series_inputs(monthly, "credit_value"), "Every credit, before exclusions."),
        "total_debits": metric(float(monthly["debit_value"].sum()), INR, "sum(debit amounts)",
                               _series_inputs(monthly, "debit_value"), "Every debit."),
        "business_credits_total": metric(bc_total, INR, "sum(credits) - self-transfers - loan disbursals - "
                                         "reversals - refunds - interest - returned cheques",
                                         {**_series_inputs(monthly, "business_credits"),
                                          "excluded_by_category": non_business.to_dict()},
                                         "Credits that are business turnover; excluded credits would inflate it."),
        "avg_monthly_business_credits": metric(bc_total / n, INR, "business_credits_total / months",
                                               {"business_credits_total": bc_total, "months": n},
                                               "Average monthly business income, months without credits included."),
        "avg_monthly_debits": metric(float(monthly["debit_value"].sum()) / n, INR, "total_debits / months",
                                     {"total_debits": float(monthly["debit_value"].sum()), "months": n},
                                     "Average monthly outflow of every kind."),
        "cash_deposit_share": ratio_metric(float(cash["amount"].sum()), bc_total,
                                            "cash deposits / business credits",
                                            ("cash_deposits", "business_credits_total"),
                                            "Share of turnover deposited in cash; a high share is harder to verify."),
        "atm_withdrawal_total": metric(float(atm["amount"].sum()), INR, "sum(ATM / cash withdrawals)",
                                       {"txn_ids": atm["txnId"].tolist()}, "Cash taken out of the account."),
        "atm_withdrawal_count": metric(len(atm), COUNT, "count(ATM / cash withdrawals)",
                                       {"txn_ids": atm["txnId"].tolist()}, "Number of cash withdrawals."),
        "top_counterparty_share": ratio_metric(top[0]["business_credits"] if top else 0.0, bc_total,
                                                "largest payer's business credits / business credits",
                                                ("top_counterparty_credits", "business_credits_total"),
                                                "Customer concentration: how much turnover depends on one payer.",
                                                {"counterparty": top[0]["counterparty"] if top else None}),
    }


def _obligation_metrics(df: pd.DataFrame, monthly: pd.DataFrame, emis: list, bounces: list,
                        bureau_emi: float | None) -> dict[str, dict]:
    n = len(monthly)
    active = [e for e in emis if e["still_active"]]
    emi_total = float(sum(e["amount"] for e in active))
    avg_bc = float(monthly["business_credits"].sum()) / n
    avg_op = float(monthly["operating_debits"].sum()) / n
    inward = [b for b in bounces if b["direction"] == "inward"]
    outward = [b for b in bounces if b["direction"] == "outward"]
    charges = df[(df["category"] == "bounce_charge") & (df["type"] == "DEBIT")]
    surplus_total = float(monthly["surplus"].sum())
    out = {
        "emi_monthly_total": metric(emi_total, INR, "sum(amount of EMIs still active)",
                                    {"lenders": [e["lender"] for e in active], "amounts": [e["amount"] for e in active]},
                                    "Monthly EMIs the statement shows being debited now (recurring mandate debits "
                                    "seen in the last two months)."),
        "inward_bounces": metric(len(inward), COUNT, "count(own cheques/EMI mandates returned unpaid)",
                                 {"txn_ids": [t for b in inward for t in b["txn_ids"]]},
                                 "The borrower's own payments dishonoured: the strongest conduct signal."),
        "outward_bounces": metric(len(outward), COUNT, "count(deposited cheques/mandates returned)",
                                  {"txn_ids": [t for b in outward for t in b["txn_ids"]]},
                                  "Buyers' cheques that came back unpaid."),
        "bounce_charges_total": metric(float(charges["amount"].sum()), INR, "sum(return charge debits)",
                                       {"txn_ids": charges["txnId"].tolist(), "amounts": charges["amount"].tolist()},
                                       "Penal charges the bank levied for returned instruments."),
        "avg_monthly_surplus": metric(surplus_total / n, INR,
                                      "mean over months(business credits - debits except self-transfers out)",
                                      _series_inputs(monthly, "surplus"),
                                      "What the business keeps each month after paying everything but the owner."),
        "surplus_ratio": ratio_metric(surplus_total, float(monthly["business_credits"].sum()),
                                       "total surplus / business credits", ("surplus_total", "business_credits_total"),
                                       "Share of turnover left over after all outflows."),
        "foir": ratio_metric(emi_total, avg_bc, "emi_monthly_total / avg_monthly_business_credits",
                              ("emi_monthly_total", "avg_monthly_business_credits"),
                              "Fixed obligations to income: share of monthly business income already committed "
                              "to EMIs."),
    }
    out["dscr"] = _dscr(avg_bc, avg_op, emi_total, bureau_emi)
    if emi_total <= 0:
        out["foir"]["explanation"] += " No EMI is debited in the statement, so FOIR is 0."
    return out


def _dscr(avg_bc: float, avg_op: float, emi_total: float, bureau_emi: float | None) -> dict:
    """DSCR from the statement; *not applicable* with no debt service at all, *missing* when the bureau shows
    EMIs this statement does not carry (debt exists, its service is paid from elsewhere)."""
    formula = "(avg monthly business credits - avg monthly operating debits) / emi_monthly_total"
    inputs = {"avg_monthly_business_credits": avg_bc, "avg_monthly_operating_debits": avg_op,
              "emi_monthly_total": emi_total, "bureau_emi_burden": bureau_emi}
    if emi_total > 0:
        out = metric((avg_bc - avg_op) / emi_total, RATIO, formula, inputs,
                     "Cash the business generates before EMIs, per rupee of EMI (operating debits exclude "
                     "EMIs, self-transfers out, SIPs and returned cheques). Below 1 means EMIs are not "
                     "covered by operations.")
        out["applicable"] = True
        return out
    if bureau_emi:
        return missing(RATIO, formula, f"the bureau shows EMIs of INR {bureau_emi:,.0f} a month that this "
                                       "statement does not debit: their service cannot be measured here", inputs)
    checked = "no bureau EMI burden" if bureau_emi is not None else "no bureau report to check"
    return not_applicable(RATIO, formula, "not applicable: no debt service", {**inputs, "bureau_checked": checked},
                          explanation=f"No EMI is debited in the statement ({checked}): with no debt to service, "
                          "coverage has no meaning. It is not missing data and is not a risk.")


def _stability_metrics(monthly: pd.DataFrame, months: list[str], breaks: pd.DataFrame, inflows: list) -> dict:
    bc = monthly["business_credits"]
    gaps = monthly.index[(monthly["credit_count"] + monthly["debit_count"]) == 0].tolist()
    cv_formula = "population std(monthly business credits) / mean(monthly business credits)"
    if len(bc) < 2 or bc.mean() == 0:
        income_cv = missing(RATIO, cv_formula, "needs at least two months with business credits",
                            _series_inputs(monthly, "business_credits"))
    else:
        income_cv = metric(float(bc.std(ddof=0) / bc.mean()), RATIO, cv_formula,
                           _series_inputs(monthly, "business_credits"),
                           "How much monthly income swings; above ~0.5 income is volatile or seasonal.")
    weights = np.array([r["typical_amount"] for r in inflows], dtype=float)
    conf = np.array([r["confidence"] for r in inflows], dtype=float)
    strong = weights[conf >= 0.5].sum()
    avg_bc = float(bc.mean())
    return {
        "income_cv": income_cv,
        "months_covered": metric(len(months), COUNT, "calendar months from first to last transaction",
                                 {"first_month": months[0], "last_month": months[-1]},
                                 "Length of the statement; lenders want 6-12 months or more."),
        "gap_months": metric(len(gaps), COUNT, "count(months in the window with no transaction)", {"months": gaps},
                             "Months with no activity: a missing statement or a dormant business."),
        "balance_tally_breaks": metric(len(breaks), COUNT,
                                       "count(|currentBalance - (previous balance + signed amount)| > 0.01)",
                                       {"txn_ids": breaks["txnId"].tolist()},
                                       "Lines whose running balance does not follow from the previous line: "
                                       "edited statements or missing lines."),
        "regular_inflow_confidence": metric(float((weights * conf).sum() / weights.sum()) if len(inflows) else 0.0,
                                            RATIO, "sum(typical_amount * confidence) / sum(typical_amount)",
                                            {"counterparties": [r["counterparty"] for r in inflows],
                                             "confidences": conf.tolist(), "typical_amounts": weights.tolist()},
                                            "How regular the recurring payers are (1 = same amount every month); "
                                            "0 when no payer pays a similar amount monthly."),
        "regular_inflow_share": ratio_metric(float(strong), avg_bc,
                                              "sum(typical monthly amount of regular inflows with confidence >= 0.5)"
                                              " / avg monthly business credits",
                                              ("regular_inflows_monthly", "avg_monthly_business_credits"),
                                              "Share of monthly income that arrives predictably."),
    }


def _accounts(df: pd.DataFrame, accounts: list[dict]) -> list[dict]:
    opening = opening_balances(df)
    by_ref = {a.get("linkedAccRef"): a for a in accounts}
    out = []
    for ref, g in df.groupby("linkedAccRef", sort=True):
        s = (by_ref.get(ref) or {}).get("summary") or {}
        closing = float(g["balance"].iloc[-1])
        reported = s.get("currentBalance")
        out.append({"linkedAccRef": ref, "maskedAccNumber": (by_ref.get(ref) or {}).get("maskedAccNumber"),
                    "account_type": s.get("type"), "facility": s.get("facility"), "od_limit": s.get("currentODLimit"),
                    "drawing_limit": s.get("drawingLimit"), "opening_balance": round(float(opening[ref]), 2),
                    "closing_balance": closing, "summary_balance": reported,
                    "closing_matches_summary": None if reported is None else abs(float(reported) - closing) <= 0.01,
                    "txn_count": len(g), "first_date": g["date"].iloc[0].date().isoformat(),
                    "last_date": g["date"].iloc[-1].date().isoformat()})
    return out


def statement_window(start: pd.Timestamp, end: pd.Timestamp) -> dict[str, Any]:
    """The ``window`` of every statement metric: the calendar months from the first to the last line."""
    first, last = start.strftime("%Y-%m"), end.strftime("%Y-%m")
    window = month_window(first, last)
    window["label"] = (f"bank statement {start.date().isoformat()} to {end.date().isoformat()} "
                       f"({window['months']} calendar months)")
    return window


def summarize_transactions(df: pd.DataFrame, accounts: list[dict[str, Any]], as_of: dt.date,
                           config: dict[str, Any], bureau_emi: float | None = None) -> dict[str, Any]:
    """Body of ``transaction_summary.json``: metrics, monthly rows, daily balances and the evidence lists.

    Lines dated on or after ``as_of`` are ignored so an as-of analysis never
    sees the future. See the module docstring and docs for each metric.
    ``bureau_emi`` (the bureau's monthly EMI burden, None without a bureau
    report) tells a borrower with no debt service at all (DSCR not applicable)
    from one whose EMIs are paid from another account (DSCR missing).
    Every metric carries the statement's ``window``; ``window_dressing`` holds the four metrics of
    :func:`analytics.bank.window_dressing.detect_window_dressing`.
    """
    cfg = config.get("analytics", {})
    df = lines_before(df, as_of)
    if df.empty:
        reason = "no transactions before the as-of date"
        return {"metrics": {k: missing(u, "not computed", reason) for k, u in METRIC_UNITS.items()},
                "monthly": [], "eod_balance": [], "top_counterparties": [], "emis": [],
                "bounces": [], "regular_inflows": [], "tally_breaks": [], "circular_flows": [], "accounts": [],
                "od_cc": {"accounts": [], "interest_months": []}, "reason": "no transactions before the as-of date",
                "window_dressing": {k: missing(COUNT, "not computed", reason) for k in (*DRESSING_KINDS, "summary")}}
    start, end = df["date"].min(), df["date"].max()
    months = month_range(df["month"].min(), df["month"].max())
    wide = eod_by_account(df, start, end)
    eod = wide.sum(axis=1)
    abb_dates = _abb_dates(months, cfg.get("abb_days", [5, 15, 25]), start, end)
    monthly = _monthly(df, months, eod, abb_dates)
    emis = detect_emis(df, config, as_of)
    bounces = detect_bounces(df)
    breaks = balance_tally_breaks(df)
    inflows = regular_inflows(df, months, cfg)
    metrics = _balance_metrics(eod, abb_dates, cfg)
    conduct, od_cc = facility_metrics(df, wide, accounts, months)
    metrics.update(conduct)
    n_top = int(cfg.get("top_counterparties", 10))
    party = _top_counterparties(df, max(n_top, 1))   # the largest payer first, as the concentration metric reads
    metrics.update(_flow_metrics(df, monthly, party[:1]))
    metrics.update(_obligation_metrics(df, monthly, emis, bounces, bureau_emi))
    metrics.update(_stability_metrics(monthly, months, breaks, inflows))
    with_window(metrics, statement_window(start, end))
    dressing = with_window(detect_window_dressing(df, as_of, config, accounts), statement_window(start, end))
    party = party[:n_top] if n_top >= 1 else _top_counterparties(df, n_top)
    rows = monthly.drop(columns=["surplus_debits", "operating_debits"]).round(2).reset_index()
    return {
        "metrics": metrics,
        "monthly": rows.astype(object).where(rows.notna(), None).to_dict("records"),
        "monthly_columns": MONTHLY_COLUMNS,
        "eod_balance": [{"date": d.date().isoformat(), "balance": round(float(b), 2)} for d, b in eod.items()],
        "top_counterparties": party,
        "emis": emis,
        "bounces": bounces,
        "regular_inflows": inflows,
        "tally_breaks": [{**r, "date": r["date"].date().isoformat()} for r in breaks.to_dict("records")],
        "circular_flows": find_circular_flows(df, config),
        "accounts": _accounts(df, accounts),
        "od_cc": od_cc,
        "window_dressing": dressing,
    }

