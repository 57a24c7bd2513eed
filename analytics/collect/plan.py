"""Smart Collect: when and how to collect each obligation, from the customer's own balance pattern.

For every active obligation (EMIs detected in the statement, plus bureau
instalment loans not seen in it) this plans the next three collections:

* **predicted balance** on each due date = the median end-of-day available
  balance (balance + OD/CC limit) on that day of the month over the last
  ``lookback_months`` complete months;
* **optimal window** = the ``window_days`` consecutive days of the month
  with the highest median available balance;
* **success probability** = (months whose available balance the day before
  the due day covered the instalment + 1) / (months observed + 2), a
  Laplace-smoothed share, so a short history is not over-trusted;
* **presentation day**: the due day when it lies in the optimal window; otherwise the day, from
  ``max_advance_days`` before the due day up to the due day itself, with the highest median available balance
  (the latest such day on a tie). Never after the due date: presenting a mandate late makes the instalment
  overdue (DPD) whatever the balance, and the customer was told the due date;
* **method**: UPI Autopay when the instalment is within the ₹1 lakh autopay
  limit and most business credits arrive by UPI; e-mandate when the account
  has bounced a mandate before (re-registration with pre-debit notice and a
  presentation date moved into the window); NACH otherwise;
* **history**: the last 12 months reconstructed from the statement (paid on
  time within ``on_time_days`` of the due day, late, bounced, missed; months
  before the first instalment are ``not_started``), or from the bureau DPD
  grid for obligations the statement does not show.
"""
from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from analytics.metric import metric, missing

DEFAULTS = {"lookback_months": 6, "window_days": 3, "on_time_days": 2, "history_months": 12,
            "upi_autopay_limit": 100_000, "horizon_dues": 3, "max_advance_days": 5}


def _due_on(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _next_dues(as_of: date, day: int, count: int) -> list[date]:
    dues, year, month = [], as_of.year, as_of.month
    while len(dues) < count:
        due = _due_on(year, month, day)
        if due >= as_of:
            dues.append(due)
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return dues


def _available_series(bank: dict, limit_total: float) -> pd.Series:
    rows = bank.get("eod_balance") or []
    if not rows:
        return pd.Series(dtype=float)
    series = pd.Series([r["balance"] for r in rows], index=pd.to_datetime([r["date"] for r in rows]))
    return series + limit_total


def _balance_by_day(available: pd.Series, as_of: date, months: int) -> pd.Series:
    start = (pd.Timestamp(as_of) - pd.DateOffset(months=months)).normalize()
    recent = available[(available.index >= start) & (available.index < pd.Timestamp(as_of))]
    return recent.groupby(recent.index.day).median()


def active_obligations(bank: dict, credit: dict) -> list[dict]:
    """Every obligation due now: EMIs still debited in the statement, plus ACTIVE bureau instalment loans the
    statement does not show (paid from another account: still owed). Matched by amount (2%) or lender name."""
    found = [{"source": "bank_statement", "lender": e["lender"], "amount": e["amount"], "day_of_month": e["day_of_month"],
              "mandate": e.get("mandate"), "months_seen": e.get("months_seen"), "txn_ids": e.get("txn_ids", [])}
             for e in bank.get("emis") or [] if e.get("still_active")]
    for line in credit.get("tradelines") or []:
        emi = line.get("emiAmount") or 0
        if line.get("status") != "ACTIVE" or emi <= 0:
            continue
        seen = any(abs(o["amount"] - emi) <= 0.02 * emi or _same_lender(o["lender"], line.get("lender", ""))
                   for o in found if o["source"] == "bank_statement")
        if not seen and line.get("dateOpened"):
            found.append({"source": "bureau", "lender": line.get("lender"), "amount": emi,
                          "day_of_month": int(line["dateOpened"][8:10]), "mandate": None, "months_seen": None,
                          "txn_ids": [], "dpd_grid": line.get("dpd_grid", []),
                          "assumption": "due day taken as the day of month the loan was opened (not in the statement)"})
    return found


def presentation_day(due_day: int, optimal: dict, profile: pd.Series, max_advance_days: int) -> dict[str, Any]:
    """The day to present a mandate due on ``due_day``: on or before it, never after (see the module docstring)."""
    if optimal["start_day"] <= due_day <= optimal["end_day"]:
        return {"day": due_day, "rule": "the due day lies in the optimal window: present on the due date"}
    candidates = [d for d in range(max(1, due_day - max_advance_days), due_day + 1) if d in profile.index]
    if not candidates:
        return {"day": due_day, "rule": "no balance history before the due day: present on the due date"}
    best = max(candidates, key=lambda d: (float(profile[d]), d))
    return {"day": best, "rule": f"the day with the highest median balance from {max_advance_days} days before the "
                                 f"due day up to it (never after the due date)",
            "median_available_balance": round(float(profile[best]), 2)}


def _same_lender(a: str, b: str) -> bool:
    words = lambda s: {w for w in (s or "").upper().replace(".", " ").split() if len(w) > 3 and w not in ("LIMITED", "FINANCE")}
    return bool(words(a) & words(b))


def _history(obligation: dict, txns: pd.DataFrame, bounces: list[dict], as_of: date, p: dict) -> list[dict]:
    months = pd.period_range(end=pd.Period(as_of, "M") - 1, periods=p["history_months"], freq="M")
    if obligation["source"] == "bureau":
        grid = {g["month"]: g for g in obligation.get("dpd_grid", [])}
        out = []
        for period in months:
            g = grid.get(str(period))
            if g is None or g.get("dpd") is None:
                out.append({"month": str(period), "status": "not_reported", "basis": "bureau"})
            else:
                out.append({"month": str(period), "status": "paid_on_time" if g["dpd"] == 0 else "late",
                            "dpd": g["dpd"], "basis": "bureau"})
        return out
    ids = set(obligation["txn_ids"])
    paid = txns[txns["txnId"].isin(ids)]
    by_month = {m: grp for m, grp in paid.groupby("month")}
    lender_bounces = {}
    for b in bounces:
        if b.get("direction") == "inward" and (_same_lender(b.get("counterparty", ""), obligation["lender"])
                                               or abs((b.get("amount") or 0) - obligation["amount"]) < 1):
            lender_bounces.setdefault(b["date"][:7], []).append(b)
    first_month = min(by_month) if by_month else None
    out = []
    for period in months:
        key = str(period)
        due = _due_on(period.year, period.month, obligation["day_of_month"])
        row = {"month": key, "due_date": due.isoformat(), "basis": "bank_statement"}
        debit = by_month.get(key)
        if first_month is not None and key < first_month and key not in lender_bounces:
            row.update(status="not_started")  # before the first instalment: nothing was due yet
        elif key in lender_bounces:
            row.update(status="bounced", bounce_date=lender_bounces[key][0]["date"],
                       txn_ids=[t for b in lender_bounces[key] for t in b.get("txn_ids", [])])
            if debit is not None:
                row["recovered_on"] = str(debit["date"].iloc[-1])[:10]
        elif debit is None:
            row.update(status="missed")
        else:
            paid_on = debit["date"].iloc[0].date()
            row.update(status="paid_on_time" if (paid_on - due).days <= p["on_time_days"] else "late",
                       paid_on=paid_on.isoformat(), days_after_due=(paid_on - due).days,
                       txn_ids=debit["txnId"].tolist())
        out.append(row)
    return out


def _success(obligation: dict, available: pd.Series, as_of: date, p: dict) -> dict:
    checks = []
    for period in pd.period_range(end=pd.Period(as_of, "M") - 1, periods=p["history_months"], freq="M"):
        due = _due_on(period.year, period.month, obligation["day_of_month"])
        day_before = pd.Timestamp(due - timedelta(days=1))
        if day_before in available.index:
            checks.append({"month": str(period), "available": round(float(available[day_before]), 2)})
    if not checks:
        return missing("probability", "(covered months + 1) / (months observed + 2)", "no balance history before due dates")
    covered = sum(c["available"] >= obligation["amount"] for c in checks)
    prob = (covered + 1) / (len(checks) + 2)
    return metric(prob, "probability", "(months where available balance the day before due >= instalment + 1) / (months + 2)",
                  {"instalment": obligation["amount"], "covered_months": covered, "months_observed": len(checks),
                   "balances": [c["available"] for c in checks]},
                  f"Funds covered the instalment on the eve of the due day in {covered} of {len(checks)} months "
                  "(Laplace-smoothed).")


def _method(obligation: dict, upi_share: float | None, bounced: bool, p: dict) -> dict:
    if bounced:
        return {"method": "e-mandate", "why": "The account has bounced a mandate: re-register an e-mandate with a "
                "pre-debit notice and present it inside the optimal window."}
    if obligation["amount"] <= p["upi_autopay_limit"] and upi_share is not None and upi_share >= 0.5:
        return {"method": "UPI Autopay", "why": f"{upi_share:.0%} of business credits arrive by UPI and the instalment "
                f"is within the ₹{p['upi_autopay_limit']:,} UPI Autopay limit, so the customer can approve and retry in-app."}
    return {"method": "NACH", "why": "Regular balance above the instalment and no bounces: NACH debit on the due day "
            "is the cheapest reliable channel."}


def plan_collections(txns: pd.DataFrame, bank: dict, credit: dict, as_of: date, config: dict,
                     accounts: list[dict] | None = None) -> dict[str, Any]:
    """The body of ``smart_collect.json``: per obligation, the next dues, window, odds, method, history, signals."""
    p = {**DEFAULTS, **config.get("analytics", {}).get("smart_collect", {})}
    limit_total = sum(float((a.get("summary") or {}).get("currentODLimit") or 0) for a in accounts or []
                      if (a.get("summary") or {}).get("facility") in ("OD", "CC"))
    available = _available_series(bank, limit_total)
    profile = _balance_by_day(available, as_of, p["lookback_months"]) if len(available) else pd.Series(dtype=float)
    obligations = active_obligations(bank, credit)
    if profile.empty or not obligations:
        reason = "no daily balance history" if profile.empty else "no active obligations found"
        return {"metrics": {"obligations": metric(len(obligations), "count", "active obligations",
                                                  {"lenders": [o["lender"] for o in obligations]}, reason)},
                "obligations": [], "balance_by_day": [], "risk_signals": [], "reason": reason}
    window = p["window_days"]
    days = np.array(sorted(profile.index))
    window_avg = {int(d): float(profile.reindex(range(d, d + window)).dropna().mean()) for d in days if d <= 29 - window + 1}
    best_start = max(window_avg, key=window_avg.get)
    optimal = {"start_day": best_start, "end_day": best_start + window - 1,
               "median_available_balance": round(window_avg[best_start], 2)}
    credits = txns[txns["is_business_credit"]] if len(txns) else txns
    upi_share = (credits.loc[credits["mode"] == "UPI", "amount"].sum() / credits["amount"].sum()) if len(credits) else None
    inflow_days = (credits.groupby(credits["date"].dt.day)["amount"].sum().sort_values(ascending=False).head(5)
                   if len(credits) else pd.Series(dtype=float))
    bounces = bank.get("bounces") or []
    planned, signals = [], []
    for ob in obligations:
        history = _history(ob, txns, bounces, as_of, p)
        bounced = any(h["status"] == "bounced" for h in history)
        success = _success(ob, available, as_of, p)
        dues = []
        for due in _next_dues(as_of, ob["day_of_month"], p["horizon_dues"]):
            predicted = profile.get(due.day, profile.iloc[(np.abs(days - due.day)).argmin()])
            dues.append({"due_date": due.isoformat(), "amount": ob["amount"],
                         "predicted_balance": metric(float(predicted), "INR",
                                                     f"median available balance on day {due.day} over the last "
                                                     f"{p['lookback_months']} months",
                                                     {"day_of_month": due.day, "od_cc_limit_included": limit_total},
                                                     "What the account usually holds on that day of the month."),
                         "shortfall": round(max(0.0, ob["amount"] - float(predicted)), 2)})
        method = _method(ob, upi_share, bounced, p)
        in_window = optimal["start_day"] <= ob["day_of_month"] <= optimal["end_day"]
        present = presentation_day(ob["day_of_month"], optimal, profile, int(p["max_advance_days"]))
        row = {**{k: v for k, v in ob.items() if k not in ("txn_ids", "dpd_grid")}, "next_dues": dues,
               "optimal_window": optimal, "due_day_in_window": in_window, "success_probability": success,
               "recommended_method": method["method"], "method_reason": method["why"],
               "recommended_presentation_day": present["day"], "presentation_rule": present["rule"],
               "history": history}
        planned.append(row)
        signals.extend(_signals(row))
    probs = [o["success_probability"]["value"] for o in planned if o["success_probability"]["value"] is not None]
    return {
        "metrics": {
            "obligations": metric(len(planned), "count", "active obligations (statement EMIs + bureau-only loans)",
                                  {"lenders": [o["lender"] for o in planned]}, "Collections to plan."),
            "monthly_obligation_total": metric(sum(o["amount"] for o in planned), "INR", "sum of instalments",
                                               {o["lender"]: o["amount"] for o in planned}, "Monthly collections due."),
            "avg_success_probability": (metric(sum(probs) / len(probs), "probability", "mean of the obligations' success probabilities",
                                               {"probabilities": probs}, "Expected collection success.")
                                        if probs else missing("probability", "mean", "no obligation has a balance history")),
            "at_risk_collections": metric(sum(1 for o in planned for d in o["next_dues"] if d["shortfall"] > 0), "count",
                                          "upcoming dues whose predicted balance is below the instalment",
                                          {"dues": [d["due_date"] for o in planned for d in o["next_dues"] if d["shortfall"] > 0]},
                                          "Collections likely to fail unless moved or pre-funded."),
        },
        "optimal_window": optimal,
        "typical_inflow_days": [{"day": int(d), "business_credits": round(float(v), 2)} for d, v in inflow_days.items()],
        "balance_by_day": [{"day": int(d), "median_available_balance": round(float(v), 2)} for d, v in profile.items()],
        "obligations": planned,
        "risk_signals": signals,
    }


def _signals(row: dict) -> list[dict]:
    out = []
    lender = row["lender"]
    short = [d for d in row["next_dues"] if d["shortfall"] > 0]
    if short:
        out.append({"lender": lender, "signal": f"Predicted balance below the instalment on {len(short)} upcoming due date(s)",
                    "action": f"Present on day {row['recommended_presentation_day']} (on or before the due day "
                              f"{row['day_of_month']}) and send a pre-debit reminder",
                    "severity": "HIGH" if len(short) == len(row["next_dues"]) else "MEDIUM"})
    bounced = [h for h in row["history"] if h["status"] == "bounced"]
    if bounced:
        out.append({"lender": lender, "signal": f"{len(bounced)} bounce(s) in the last 12 months",
                    "action": "Switch to e-mandate with retry and call the customer 3 days before due", "severity": "HIGH"})
    late = [h for h in row["history"] if h["status"] in ("late", "missed")]
    if late:
        out.append({"lender": lender, "signal": f"{len(late)} late or missed instalment(s) in the last 12 months",
                    "action": "Early-engagement call before the next due date", "severity": "MEDIUM"})
    prob = row["success_probability"].get("value")
    if prob is not None and prob < 0.6:
        out.append({"lender": lender, "signal": f"Low collection success probability ({prob:.0%})",
                    "action": "Collect inside the optimal window or restructure the instalment", "severity": "HIGH"})
    return out
