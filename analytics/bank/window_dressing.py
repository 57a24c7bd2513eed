"""Window dressing: money put into the account to make it look better on the days a lender looks, then taken out.

:func:`detect_window_dressing` reads the prepared statement (:func:`analytics.bank.statement.prepare_transactions`)
and finds three patterns a credit analyst checks before trusting balances:

* ``large_credit_withdrawn``: a large credit (at least ``large_credit_multiple`` x the statement's median credit
  and ``large_credit_min`` rupees; loan disbursals, reversals, refunds and interest excluded) followed within
  ``withdraw_days`` by at most ``withdraw_max_debits`` debits taking out ``withdraw_share`` of it, to parties the
  business does not pay routinely (a payee seen in fewer than ``regular_payee_months`` months) or as cash. Fixed
  obligations (EMIs, salaries, rent, taxes, ...) and routine payees are ordinary spending, not a withdrawal.
* ``cash_before_emi``: a cash deposit or own-account transfer in on the ``emi_lookback_days`` days before an EMI
  debit when the available balance (balance plus the OD/CC drawing limit) just before the deposit was short of
  the EMI and, without the deposits, would still have been short just before the EMI (the EMI would have bounced),
  the deposits covering at least ``rescue_share`` of that shortfall (not mostly the business's own receipts).
* ``credits_bunched``: credits on the ``bunch_days_before_abb`` days before a balance-averaging day
  (``analytics.abb_days``) or in the month's last ``bunch_month_end_days`` days, compared with the same month's
  credit rate outside the window (credits from regular buyers, seen in ``regular_payee_months`` months or more,
  are trade and left out; cash and own money never are): flagged when the window's ratio is at least ``bunch_min_ratio`` and
  ``bunch_baseline_multiple`` x the customer's own median ratio for that window over every month (a business whose
  collections always land at month end is not flagged for it), the excess is at least ``bunch_min_share`` of the
  month's credits from at least ``bunch_min_credits`` credits, and debits other than fixed obligations take out
  ``bunch_leave_share`` of the excess within ``bunch_leave_days`` days after the window.

Every kind is one metric (value = number of cases) whose inputs list the credits' and related debits' txnIds and
whose ``items`` list each case; ``summary`` counts them all. A credit belongs to one case at most: an EMI rescue
first, then a bunched window, then a single large credit.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from analytics.metric import metric

DEFAULTS: dict[str, Any] = {
    "large_credit_multiple": 3.0, "large_credit_min": 50_000.0, "withdraw_days": 2, "withdraw_share": 0.8,
    "withdraw_max_debits": 3, "withdraw_max_part": 1.1, "regular_payee_months": 3, "cash_min_share": 0.2,
    "emi_lookback_days": 2, "rescue_share": 0.5,
    "bunch_days_before_abb": 2, "bunch_month_end_days": 3, "bunch_min_ratio": 4.0, "bunch_baseline_multiple": 3.0,
    "bunch_min_share": 0.2, "bunch_min_credits": 2, "bunch_min_amount": 50_000.0, "bunch_leave_days": 3,
    "bunch_leave_share": 0.5,
}
KINDS = ("large_credit_withdrawn", "cash_before_emi", "credits_bunched")
NOT_MONEY_IN = ("loan_disbursal", "reversal", "refund", "interest", "bounce")
OWN_MONEY_IN = ("cash_deposit", "self_transfer_in")
OBLIGATIONS = ("emi", "salary", "rent", "utilities", "gst_payment", "tax", "insurance_premium", "sip", "bank_charges",
               "bounce_charge", "interest_paid", "card_payment", "bounce", "reversal")
_FORMULAS = {
    "large_credit_withdrawn": "count(credits >= max(large_credit_min, large_credit_multiple x median credit) with "
                              "<= withdraw_max_debits non-routine debits within withdraw_days taking >= "
                              "withdraw_share of it)",
    "cash_before_emi": "count(EMI debits preceded within emi_lookback_days by cash/own deposits without which the "
                       "available balance was short of the EMI)",
    "credits_bunched": "count(pre-ABB / month-end windows with credits >= max(bunch_min_ratio, "
                       "bunch_baseline_multiple x own median ratio) x the month's rate, then withdrawn)",
}
_EXPLAIN = {
    "large_credit_withdrawn": "Large credits that left the account again within days to new parties or as cash: "
                              "the balance was inflated only briefly (pass-through or accommodation entries).",
    "cash_before_emi": "EMIs that would have bounced but for cash or the owner's money paid in just before: the "
                       "business is not generating the EMI from its own flows.",
    "credits_bunched": "Credits concentrated just before the balance-averaging days or at month end, far above "
                       "the customer's own usual rate, and taken out soon after: ABB is inflated.",
}


def _settings(config: dict) -> dict[str, Any]:
    cfg = (config or {}).get("analytics", {})
    return {**DEFAULTS, **(cfg.get("window_dressing") or {}), "abb_days": cfg.get("abb_days", [5, 15, 25])}


def _limits(accounts: list[dict] | None) -> dict[str, float]:
    """Drawing limit (else the sanctioned OD/CC limit) per linked account, 0 without a facility: what the bank
    lets an EMI draw on."""
    out = {}
    for acc in accounts or []:
        s = acc.get("summary") or {}
        facility = str(s.get("facility") or "NONE").upper()
        limit = float(s.get("drawingLimit") or s.get("currentODLimit") or 0.0)
        out[acc.get("linkedAccRef")] = limit if facility in ("OD", "CC") else 0.0
    return out


def _case(date: pd.Timestamp, amount: float, credits: pd.DataFrame, related: list[str], explanation: str) -> dict:
    return {"date": date.date().isoformat(), "amount": round(float(amount), 2),
            "credit_txn_id": credits["txnId"].iloc[0], "credit_txn_ids": credits["txnId"].tolist(),
            "related_txn_ids": related, "explanation": explanation}


def _routine(lines: pd.DataFrame, months: int) -> np.ndarray:
    """Whether each line's counterparty (its category when unnamed) appears in ``months`` or more calendar months
    of ``lines``: the business's regular buyers and payees, whose money is ordinary trade."""
    party = lines["counterparty"].fillna(lines["category"])
    return party.map(lines.groupby(party)["month"].nunique()).to_numpy() >= months


def _cash_before_emi(df: pd.DataFrame, s: dict, limits: dict[str, float], used: set) -> list[dict]:
    out: list[dict] = []
    lookback = pd.Timedelta(days=int(s["emi_lookback_days"]))
    for ref, g in df.groupby("linkedAccRef", sort=True):
        limit = limits.get(ref, 0.0)
        own = (g["type"] == "CREDIT") & g["category"].isin(OWN_MONEY_IN)
        for idx, emi in g[(g["type"] == "DEBIT") & (g["category"] == "emi") & ~g["returned"]].iterrows():
            prior = g.loc[: idx].iloc[:-1]
            cand = prior[own.loc[prior.index] & (prior["date"] >= emi["date"] - lookback) & ~prior.index.isin(used)]
            need = float(emi["amount"])
            # the deposits that rescued it: walking back, those paid in while the account was short of the EMI
            short = (cand["balance"] - cand["amount"] + limit < need).to_numpy()
            keep = len(short) - int(np.argmin(short[::-1])) if len(short) and not short.all() else 0
            cand = cand.iloc[keep:]
            if cand.empty:
                continue
            pre_emi = float(emi["balance"]) + need + limit
            first = cand.iloc[0]
            before_first = float(first["balance"]) - float(first["amount"]) + limit
            without = pre_emi - float(cand["amount"].sum())
            if pre_emi < need or without >= need \
                    or cand["amount"].sum() < float(s["rescue_share"]) * (need - before_first):
                continue  # paid anyway, not needed, or mostly carried by the business's own receipts
            used.update(cand.index)
            out.append(_case(emi["date"], cand["amount"].sum(), cand, [emi["txnId"]],
                             f"INR {need:,.0f} EMI on {emi['date'].date()}: INR {max(before_first, 0):,.0f} "
                             f"available before INR {cand['amount'].sum():,.0f} was paid in "
                             f"({', '.join(cand['category'].unique())}); without it only INR {max(without, 0):,.0f}."))
    return out


def _windows(start: pd.Timestamp, end: pd.Timestamp, s: dict) -> list[tuple[str, str, pd.Timestamp, pd.Timestamp,
                                                                        pd.Timestamp]]:
    """(kind, month, first day, last day, last day money may leave) of every window inside the statement."""
    out = []
    before, tail, leave = int(s["bunch_days_before_abb"]), int(s["bunch_month_end_days"]), int(s["bunch_leave_days"])
    for period in pd.period_range(start, end, freq="M"):
        days = period.days_in_month
        spans = [(f"before day {d}", int(d) - before, int(d) - 1, int(d) + leave)
                 for d in s["abb_days"] if str(d).isdigit() and int(d) - before >= 1]
        spans.append(("month end", days - tail + 1, days, days + leave))
        for kind, a, b, c in spans:
            first, last = pd.Timestamp(period.year, period.month, a), pd.Timestamp(period.year, period.month, b)
            if start <= first and last <= end:
                out.append((kind, str(period), first, last, first + pd.Timedelta(days=c - a)))
    return out


def _credits_bunched(df: pd.DataFrame, s: dict, used: set) -> list[dict]:
    if df.empty:
        return []
    start, end = df["date"].min(), df["date"].max()
    money_in = df[(df["type"] == "CREDIT") & ~df["category"].isin(NOT_MONEY_IN) & ~df["returned"]]
    month_total = money_in.groupby("month")["amount"].sum()
    # regular buyers' payments are trade, however they fall; cash and own money are never a buyer's
    money_in = money_in[~_routine(money_in, int(s["regular_payee_months"])) | money_in["category"].isin(OWN_MONEY_IN)]
    out_debits = df[(df["type"] == "DEBIT") & ~df["category"].isin(OBLIGATIONS)]
    daily = money_in.groupby("date")["amount"].sum()
    rows = []
    for kind, month, first, last, leave_by in _windows(start, end, s):
        m0 = max(start, pd.Timestamp(month + "-01"))
        m1 = min(end, pd.Period(month, freq="M").end_time.normalize())
        inside = float(daily[(daily.index >= first) & (daily.index <= last)].sum())
        outside = float(daily[(daily.index >= m0) & (daily.index <= m1)].sum()) - inside
        n_in, n_out = (last - first).days + 1, (m1 - m0).days + 1 - ((last - first).days + 1)
        expected = outside / n_out * n_in if n_out > 0 else 0.0
        ratio = inside / expected if expected > 0 else (np.inf if inside > 0 else 0.0)
        rows.append((kind, month, first, last, leave_by, inside, outside, expected, ratio,
                     float(month_total.get(month, 0.0))))
    if not rows:
        return []
    table = pd.DataFrame(rows, columns=["kind", "month", "first", "last", "leave_by", "inside", "outside", "expected",
                                        "ratio", "month_total"])
    finite = table["ratio"].replace(np.inf, np.nan)
    baseline = finite.groupby(table["kind"]).median().fillna(0.0)
    cases = []
    for r in table.itertuples(index=False):
        bar = max(float(s["bunch_min_ratio"]), float(s["bunch_baseline_multiple"]) * float(baseline[r.kind]))
        excess = r.inside - r.expected
        if r.ratio < bar or excess < float(s["bunch_min_amount"]) \
                or excess < float(s["bunch_min_share"]) * r.month_total:
            continue
        window = money_in[(money_in["date"] >= r.first) & (money_in["date"] <= r.last) & ~money_in.index.isin(used)]
        material = window[window["amount"] >= 0.1 * excess].sort_values(["ts", "txnId"], kind="mergesort")
        if len(material) < int(s["bunch_min_credits"]):
            continue
        leaving = out_debits[(out_debits["ts"] > window["ts"].max()) & (out_debits["date"] <= r.leave_by)]
        if float(leaving["amount"].sum()) < float(s["bunch_leave_share"]) * excess:
            continue
        used.update(material.index)
        used.update(leaving.index)
        cases.append(_case(r.first, material["amount"].sum(), material, leaving["txnId"].tolist(),
                           f"INR {r.inside:,.0f} credited {r.first.date()} to {r.last.date()} ({r.kind}: "
                           f"{r.inside / r.month_total:.0%} of the month's credits, {r.ratio:.1f}x the "
                           f"month's usual rate, usually {baseline[r.kind]:.1f}x); INR {leaving['amount'].sum():,.0f} "
                           f"out by {r.leave_by.date()}."))
    return cases


def _naive_utc(when):
    """A tz-aware timestamp (or column of them) as naive UTC ``datetime64``, for fast numpy comparisons."""
    if isinstance(when, pd.Series):
        return (when.dt.tz_convert("UTC").dt.tz_localize(None) if when.dt.tz is not None else when).to_numpy()
    return (when.tz_convert("UTC").tz_localize(None) if when.tzinfo is not None else when).to_datetime64()


def _large_credit_withdrawn(df: pd.DataFrame, s: dict, used: set) -> list[dict]:
    credits = df[df["type"] == "CREDIT"]
    if credits.empty:
        return []
    bar = max(float(s["large_credit_min"]), float(s["large_credit_multiple"]) * float(credits["amount"].median()))
    debits = df[(df["type"] == "DEBIT") & ~df["category"].isin(OBLIGATIONS)]
    routine = _routine(debits, int(s["regular_payee_months"]))
    cash = (debits["category"] == "atm_withdrawal").to_numpy()
    debits = debits[~routine | cash]
    cases = []
    large = credits[(credits["amount"] >= bar) & ~credits["category"].isin(NOT_MONEY_IN) & ~credits["returned"]]
    # the debits' columns as numpy arrays, masked once per large credit (pandas masks were most of analyze's time)
    account, amount = debits["linkedAccRef"].to_numpy(), debits["amount"].to_numpy()
    ts, day = _naive_utc(debits["ts"]), debits["date"].to_numpy()
    atm = (debits["category"] == "atm_withdrawal").to_numpy()
    free = ~debits.index.isin(used)  # this loop adds only credits to ``used``, and the debits it takes to ``free``
    position = pd.Series(np.arange(len(debits)), index=debits.index)
    for idx, c in large.iterrows():
        if idx in used:
            continue
        near = debits[free & (account == c["linkedAccRef"]) & (ts > _naive_utc(c["ts"]))
                      & (day <= (c["date"] + pd.Timedelta(days=int(s["withdraw_days"]))).to_datetime64())
                      & (~atm | (amount >= float(s["cash_min_share"]) * c["amount"]))
                      & (amount <= float(s["withdraw_max_part"]) * c["amount"])]
        top = near.sort_values(["amount", "ts"], ascending=[False, True], kind="mergesort")
        top = top.head(int(s["withdraw_max_debits"]))
        if float(top["amount"].sum()) < float(s["withdraw_share"]) * float(c["amount"]):
            continue
        top = top.sort_values("ts", kind="mergesort")
        top = top.iloc[: int(np.searchsorted(top["amount"].cumsum().to_numpy(),
                                             float(s["withdraw_share"]) * float(c["amount"]))) + 1]
        free[position[top.index].to_numpy()] = False
        used.add(idx)
        cases.append(_case(c["date"], c["amount"], c.to_frame().T, top["txnId"].tolist(),
                           f"INR {c['amount']:,.0f} credited on {c['date'].date()} ({c['category']}"
                           f"{', ' + c['counterparty'] if isinstance(c['counterparty'], str) else ''}); "
                           f"INR {top['amount'].sum():,.0f} out by {top['date'].max().date()} in {len(top)} "
                           f"debit{'s' if len(top) > 1 else ''} to non-routine payees or cash."))
    return cases


def _metric(kind: str, cases: list[dict], s: dict) -> dict:
    inputs = {"credit_txn_ids": [t for c in cases for t in c["credit_txn_ids"]],
              "related_txn_ids": [t for c in cases for t in c["related_txn_ids"]],
              "thresholds": {k: v for k, v in s.items() if k in DEFAULTS or k == "abb_days"}}
    out = metric(len(cases), "count", _FORMULAS[kind], inputs, _EXPLAIN[kind])
    out["items"] = cases
    return out


def detect_window_dressing(txns: pd.DataFrame, as_of: dt.date, config: dict,
                           accounts: list[dict] | None = None) -> dict[str, dict]:
    """Cases of the three window-dressing patterns (module doc) in the statement before ``as_of``.

    Returns ``{"large_credit_withdrawn", "cash_before_emi", "credits_bunched", "summary"}``, each a metric whose
    value is a count of cases, with the txnIds in ``inputs`` and one row per case in ``items``. ``accounts``
    (the clean ``accounts`` records) gives each account's sanctioned OD/CC limit, without which an overdraft
    account's EMI looks short when it was not. Thresholds: ``analytics.window_dressing`` over :data:`DEFAULTS`.
    """
    s = _settings(config)
    df = txns[txns["date"] < pd.Timestamp(as_of)] if len(txns) else txns
    used: set = set()
    found = {"cash_before_emi": _cash_before_emi(df, s, _limits(accounts), used) if len(df) else []}
    found["credits_bunched"] = _credits_bunched(df, s, used)
    found["large_credit_withdrawn"] = _large_credit_withdrawn(df, s, used) if len(df) else []
    out = {kind: _metric(kind, sorted(found[kind], key=lambda c: (c["date"], c["credit_txn_id"])), s)
           for kind in KINDS}
    total = sum(out[k]["value"] for k in KINDS)
    out["summary"] = metric(total, "count", " + ".join(KINDS),
                            {**{k: out[k]["value"] for k in KINDS},
                             "credit_txn_ids": [t for k in KINDS for t in out[k]["inputs"]["credit_txn_ids"]],
                             "related_txn_ids": [t for k in KINDS for t in out[k]["inputs"]["related_txn_ids"]]},
                            "Window-dressing cases of every kind: balances and EMI conduct in these months "
                            "overstate what the business's own flows support.")
    return out
