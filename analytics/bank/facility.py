"""OD/CC conduct: what a negative balance means depends on the account's sanctioned limit.

A negative balance inside a sanctioned overdraft (OD) or cash-credit (CC) limit is the facility being used,
not a red flag. What a lender watches on such an account is:

* **utilisation** of the sanctioned limit, on an average day and at its peak;
* days the account is **overdrawn**: below −drawing power (the share of the limit the borrower may draw
  now; for a CC it follows the stock statement) or below −sanctioned limit;
* **interest servicing**: the bank debits interest on the debit balance every month; when the credits into
  the account in that month do not cover it, the interest is only being added to the debt. Interest left
  unserviced for 90 days makes the account a non-performing asset (RBI's "out of order" test).

Definitions used throughout (repeated in each metric's formula):

* ``limit`` = ``summary.currentODLimit`` (else ``drawingLimit``); ``drawing power`` = ``summary.drawingLimit``
  (else the limit). An account is a facility when ``summary.facility`` is OD or CC and its limit is above 0.
* An account is **overdrawn** on a day when its end-of-day balance is below zero (no facility) or below
  −min(limit, drawing power) (a facility). ``negative_balance_days`` counts the calendar days on which at
  least one account is overdrawn, so the key keeps its place in every contract with this meaning.
* Interest debits are statement lines the classifier calls ``interest_paid`` on a facility account; the
  month's credits are every credit into that account in the month except cheques later returned unpaid.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from analytics.metric import metric, not_applicable

COUNT, RATIO, INR = "count", "ratio", "INR"
EPSILON = 0.005          # half a paisa: a balance exactly at the limit is inside it
FACILITIES = ("OD", "CC")
NO_FACILITY = "no account has an OD/CC facility with a limit (summary.facility, currentODLimit/drawingLimit)"


def _num(value: Any) -> float:
    try:
        return float(value or 0.0)
    except (TypeError, ValueError):
        return 0.0


def facility_terms(account: dict) -> dict[str, Any] | None:
    """``{facility, limit, drawing_power, threshold}`` of an OD/CC account, or None for any other account.

    ``threshold`` is the balance below which the account is overdrawn: −min(limit, drawing power).
    """
    s = account.get("summary") or {}
    limit = _num(s.get("currentODLimit")) or _num(s.get("drawingLimit"))
    if s.get("facility") not in FACILITIES or limit <= 0:
        return None
    dp = _num(s.get("drawingLimit")) or limit
    return {"facility": s["facility"], "limit": limit, "drawing_power": dp, "threshold": -min(limit, dp)}


def facilities(wide: pd.DataFrame, accounts: list[dict]) -> dict[str, dict]:
    """``linkedAccRef -> facility_terms`` for the OD/CC accounts that appear in the daily balance table."""
    out = {}
    for acc in accounts or []:
        terms = facility_terms(acc)
        if terms is not None and acc.get("linkedAccRef") in wide.columns:
            out[acc["linkedAccRef"]] = terms
    return out


def _iso(index) -> list[str]:
    return [d.date().isoformat() for d in index]


def overdrawn_days(wide: pd.DataFrame, lines: dict[str, dict]) -> pd.Series:
    """Boolean per day: at least one account ended the day overdrawn (see the module docstring)."""
    if wide.shape[1] == 0:
        return pd.Series(False, index=wide.index)
    thresholds = pd.Series({ref: lines[ref]["threshold"] if ref in lines else 0.0 for ref in wide.columns})
    return wide.lt(thresholds - EPSILON, axis=1).any(axis=1)


def _days_below(wide: pd.DataFrame, lines: dict[str, dict], key: str) -> pd.Series:
    refs = list(lines)
    bounds = pd.Series({ref: -lines[ref][key] for ref in refs})
    return wide[refs].lt(bounds - EPSILON, axis=1).any(axis=1)


def _interest_months(df: pd.DataFrame, lines: dict[str, dict], months: list[str]) -> list[dict[str, Any]]:
    on_line = df["linkedAccRef"].isin(list(lines))
    interest = df[on_line & (df["type"] == "DEBIT") & (df["category"] == "interest_paid")]
    credits = df[on_line & (df["type"] == "CREDIT") & ~df["returned"]]
    debited = interest.groupby("month")["amount"].sum()
    paid_in = credits.groupby("month")["amount"].sum()
    rows = []
    for month in months:
        owed = round(float(debited.get(month, 0.0)), 2)
        if owed <= 0:
            continue
        came = round(float(paid_in.get(month, 0.0)), 2)
        rows.append({"month": month, "interest_debited": owed, "credits": came, "serviced": came >= owed})
    return rows


def _month_number(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7])


def _longest_run(rows: list[dict]) -> int:
    """The most consecutive calendar months with interest unserviced (3 is RBI's 90-day test)."""
    best = run = 0
    previous = None
    for r in rows:
        if r["serviced"]:
            run = 0
        else:
            follows = previous is not None and _month_number(r["month"]) - _month_number(previous) == 1
            run = run + 1 if follows and run else 1
            best = max(best, run)
        previous = r["month"]
    return best


def facility_metrics(df: pd.DataFrame, wide: pd.DataFrame, accounts: list[dict],
                     months: list[str]) -> tuple[dict[str, dict], dict[str, Any]]:
    """The facility-aware conduct metrics and the ``od_cc`` table of ``transaction_summary.json``.

    Returns ``(metrics, table)``: metrics ``negative_balance_days``, ``days_over_limit``,
    ``days_over_drawing_power``, ``od_cc_utilisation``, ``od_cc_peak_utilisation``,
    ``od_cc_interest_monthly_avg`` and ``months_interest_unserviced``; the table lists each facility and each
    month's interest against the month's credits, so every metric can be checked by hand. Without a facility,
    the OD/CC metrics are *not applicable* (``applicable: false``), not missing.
    """
    lines = facilities(wide, accounts)
    over = overdrawn_days(wide, lines)
    dates = over.index[over.to_numpy()]
    out = {"negative_balance_days": metric(
        int(over.sum()), COUNT,
        "count(days on which an account's EOD balance < 0 without a facility, or < -min(limit, drawing power) on "
        "an OD/CC account)",
        {"dates": _iso(dates), "thresholds": {ref: lines[ref]["threshold"] if ref in lines else 0.0
                                              for ref in wide.columns}},
        "Days an account ended overdrawn: below zero on an account without a facility, beyond the sanctioned "
        "limit or drawing power on an OD/CC account. A negative balance inside an OD/CC limit is the facility "
        "being used and is not counted.")}
    if not lines:
        for key, unit in (("days_over_limit", COUNT), ("days_over_drawing_power", COUNT),
                          ("od_cc_utilisation", RATIO), ("od_cc_peak_utilisation", RATIO),
                          ("od_cc_interest_monthly_avg", INR), ("months_interest_unserviced", COUNT)):
            out[key] = not_applicable(unit, "OD/CC accounts only", f"not applicable: {NO_FACILITY}")
        return out, {"accounts": [], "interest_months": []}
    refs = list(lines)
    limit = sum(lines[r]["limit"] for r in refs)
    drawn = (-wide[refs]).clip(lower=0).sum(axis=1)
    use = drawn / limit
    over_limit = _days_below(wide, lines, "limit")
    over_dp = _days_below(wide, lines, "drawing_power")
    terms = {r: {k: lines[r][k] for k in ("facility", "limit", "drawing_power")} for r in refs}
    out["days_over_limit"] = metric(int(over_limit.sum()), COUNT, "count(days with EOD balance < -sanctioned limit "
                                    "on an OD/CC account)", {"dates": _iso(over_limit.index[over_limit.to_numpy()]),
                                                              "facilities": terms},
                                    "Days the facility was drawn beyond its sanctioned limit: overdrawn.")
    out["days_over_drawing_power"] = metric(
        int(over_dp.sum()), COUNT, "count(days with EOD balance < -drawing power on an OD/CC account)",
        {"dates": _iso(over_dp.index[over_dp.to_numpy()]), "facilities": terms},
        "Days the facility was drawn beyond the drawing power the bank allows now (for a cash credit, what the "
        "stock and receivables support): irregular even when inside the sanctioned limit.")
    out["od_cc_utilisation"] = metric(float(use.mean()), RATIO,
                                      "mean over days(sum(max(0, -EOD balance)) / sum(sanctioned OD/CC limits))",
                                      {"accounts": refs, "limit": limit, "avg_drawn": float(drawn.mean()),
                                       "days": len(drawn), "peak_drawn": float(drawn.max())},
                                      "How much of the OD/CC limit the business uses on an average day (sanctioned "
                                      "limit, or the drawing limit when no sanction is given). Near 1 means the "
                                      "line is maxed out.")
    peak_day = use.idxmax()
    out["od_cc_peak_utilisation"] = metric(float(use.max()), RATIO,
                                           "max over days(sum(max(0, -EOD balance)) / sum(sanctioned OD/CC limits))",
                                           {"date": peak_day.date().isoformat(), "drawn": float(drawn.max()),
                                            "limit": limit},
                                           "The most of the limit drawn on any day; above 1 the account was "
                                           "overdrawn.")
    rows = _interest_months(df, lines, months)
    unserviced = [r for r in rows if not r["serviced"]]
    total = sum(r["interest_debited"] for r in rows)
    out["od_cc_interest_monthly_avg"] = metric(total / len(months) if months else 0.0, INR,
                                               "sum(interest debits on OD/CC accounts) / months",
                                               {"interest_total": total, "months": len(months),
                                                "months_charged": len(rows)},
                                               "Interest the bank charges on the facility in an average month.")
    out["months_interest_unserviced"] = metric(
        len(unserviced), COUNT, "count(months with interest debited on an OD/CC account > credits into it in the "
        "month, cheques returned unpaid excluded)",
        {"months": [r["month"] for r in unserviced], "interest_debited": [r["interest_debited"] for r in unserviced],
         "credits": [r["credits"] for r in unserviced], "months_charged": len(rows),
         "longest_run_months": _longest_run(rows)},
        "Months in which the money paid into the facility did not even cover its interest, so the debt grew by "
        "the interest. Three such months in a row is RBI's 90-day 'out of order' test for an NPA.")
    accounts_out = []
    for ref in refs:
        own = (-wide[ref]).clip(lower=0) / lines[ref]["limit"]
        accounts_out.append({"linkedAccRef": ref, **terms[ref], "overdrawn_below": lines[ref]["threshold"],
                             "days_over_limit": int((wide[ref] < -lines[ref]["limit"] - EPSILON).sum()),
                             "days_over_drawing_power": int((wide[ref] < -lines[ref]["drawing_power"] - EPSILON).sum()),
                             "days_drawn": int((wide[ref] < -EPSILON).sum()),
                             "avg_utilisation": round(float(own.mean()), 4),
                             "peak_utilisation": round(float(own.max()), 4)})
    return out, {"accounts": accounts_out, "interest_months": rows}
