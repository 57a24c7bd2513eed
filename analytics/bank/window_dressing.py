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

import calendar
import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from analytics.bank.statement import lines_before
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


class _Lines:
    """The statement's columns as numpy arrays, indexed by position: the detectors mask these per EMI, window
    and large credit (pandas masks, sorts and copies there were most of the analyze step's time)."""

    def __init__(self, df: pd.DataFrame):
        kind, category = df["type"].to_numpy(), df["category"]
        self.frame = df
        self.credit, self.debit = kind == "CREDIT", kind == "DEBIT"
        self.category = category.to_numpy()
        self.account, self.txn_id = df["linkedAccRef"].to_numpy(), df["txnId"].to_numpy()
        self.amount, self.balance = df["amount"].to_numpy(), df["balance"].to_numpy()
        self.date, self.ts = df["date"].to_numpy(), _naive_utc(df["ts"])
        self.returned = df["returned"].to_numpy()
        self.not_money_in = category.isin(NOT_MONEY_IN).to_numpy()
        self.own_money_in = category.isin(OWN_MONEY_IN).to_numpy()
        self.obligation = category.isin(OBLIGATIONS).to_numpy()
        self.used = np.zeros(len(df), dtype=bool)   # lines already in a case: a credit belongs to one case at most

    def ids(self, rows: np.ndarray) -> list[str]:
        """The txnIds of the lines at ``rows``, in that order."""
        return self.txn_id[rows].tolist()

    def routine(self, rows: np.ndarray, months: int) -> np.ndarray:
        """:func:`_routine` of the lines at ``rows``."""
        return _routine(self.frame.iloc[rows], months)


def _case(date: pd.Timestamp, amount: float, credit_ids: list[str], related: list[str], explanation: str) -> dict:
    return {"date": date.date().isoformat(), "amount": round(float(amount), 2),
            "credit_txn_id": credit_ids[0], "credit_txn_ids": credit_ids,
            "related_txn_ids": related, "explanation": explanation}


def _routine(lines: pd.DataFrame, months: int) -> np.ndarray:
    """Whether each line's counterparty (its category when unnamed) appears in ``months`` or more calendar months
    of ``lines``: the business's regular buyers and payees, whose money is ordinary trade."""
    party, _ = pd.factorize(lines["counterparty"].fillna(lines["category"]))   # -1: no party at all
    month, labels = pd.factorize(lines["month"])
    known = (party >= 0) & (month >= 0)
    pairs = np.unique(party[known] * len(labels) + month[known])                # each (party, month) once
    months_seen = np.append(np.bincount(pairs // max(len(labels), 1), minlength=party.max(initial=-1) + 1), 0)
    return (months_seen[party] >= months) & (party >= 0)


def _accounts_in_order(account: np.ndarray) -> list:
    """The accounts present, sorted (as ``groupby(sort=True)`` visits them; lines without one are skipped)."""
    return sorted(pd.unique(account[pd.notna(account)]))


def _cash_before_emi(lines: _Lines, s: dict, limits: dict[str, float]) -> list[dict]:
    out: list[dict] = []
    lookback = np.timedelta64(int(s["emi_lookback_days"]), "D")
    amount, balance, date, used = lines.amount, lines.balance, lines.date, lines.used
    emi = lines.debit & (lines.category == "emi") & ~lines.returned
    own = lines.credit & lines.own_money_in
    for ref in _accounts_in_order(lines.account):
        limit = limits.get(ref, 0.0)
        in_account = lines.account == ref
        deposits = np.flatnonzero(in_account & own)
        for row in np.flatnonzero(in_account & emi):
            emi_date = date[row]
            cand = deposits[(deposits < row) & (date[deposits] >= emi_date - lookback)]
            cand = cand[~used[cand]]
            need = float(amount[row])
            # the deposits that rescued it: walking back, those paid in while the account was short of the EMI
            short = balance[cand] - amount[cand] + limit < need
            keep = len(short) - int(np.argmin(short[::-1])) if len(short) and not short.all() else 0
            cand = cand[keep:]
            if not len(cand):
                continue
            pre_emi = float(balance[row]) + need + limit
            first = cand[0]
            before_first = float(balance[first]) - float(amount[first]) + limit
            paid_in = amount[cand].sum()
            without = pre_emi - float(paid_in)
            if pre_emi < need or without >= need or paid_in < float(s["rescue_share"]) * (need - before_first):
                continue  # paid anyway, not needed, or mostly carried by the business's own receipts
            used[cand] = True
            day = pd.Timestamp(emi_date)
            out.append(_case(day, paid_in, lines.ids(cand), [lines.txn_id[row]],
                             f"INR {need:,.0f} EMI on {day.date()}: INR {max(before_first, 0):,.0f} "
                             f"available before INR {paid_in:,.0f} was paid in "
                             f"({', '.join(dict.fromkeys(lines.category[cand]))}); without it only "
                             f"INR {max(without, 0):,.0f}."))
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


def _window_rows(money_in: pd.DataFrame, counted: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp,
                 s: dict) -> list[tuple]:
    """Per window: (kind, month, first, last, leave_by, inside, outside, expected, ratio, month_total), the
    rates from the ``counted`` credits and the month's total from every credit of ``money_in``."""
    month_total = money_in.groupby("month")["amount"].sum().to_dict()
    daily = counted.groupby("date")["amount"].sum()   # by day, sorted: a window is a slice of it
    days, per_day = daily.index.to_numpy(), daily.to_numpy()
    span = lambda a, b: per_day[days.searchsorted(a.to_datetime64(), "left"):  # noqa: E731
                                days.searchsorted(b.to_datetime64(), "right")]
    bounds: dict[str, tuple[pd.Timestamp, pd.Timestamp]] = {}
    rows = []
    for kind, month, first, last, leave_by in _windows(start, end, s):
        if month not in bounds:
            year, number = int(month[:4]), int(month[5:7])
            bounds[month] = (max(start, pd.Timestamp(year, number, 1)),
                             min(end, pd.Timestamp(year, number, calendar.monthrange(year, number)[1])))
        m0, m1 = bounds[month]
        inside = float(span(first, last).sum())
        outside = float(span(m0, m1).sum()) - inside
        n_in, n_out = (last - first).days + 1, (m1 - m0).days + 1 - ((last - first).days + 1)
        expected = outside / n_out * n_in if n_out > 0 else 0.0
        ratio = inside / expected if expected > 0 else (np.inf if inside > 0 else 0.0)
        rows.append((kind, month, first, last, leave_by, inside, outside, expected, ratio,
                     float(month_total.get(month, 0.0))))
    return rows


def _credits_bunched(lines: _Lines, s: dict) -> list[dict]:
    df = lines.frame
    if df.empty:
        return []
    start, end = df["date"].min(), df["date"].max()
    money_in = np.flatnonzero(lines.credit & ~lines.not_money_in & ~lines.returned)
    # regular buyers' payments are trade, however they fall; cash and own money are never a buyer's
    money = money_in[~lines.routine(money_in, int(s["regular_payee_months"])) | lines.own_money_in[money_in]]
    rows = _window_rows(df.iloc[money_in], df.iloc[money], start, end, s)
    out_debits = np.flatnonzero(lines.debit & ~lines.obligation)
    if not rows:
        return []
    table = pd.DataFrame(rows, columns=["kind", "month", "first", "last", "leave_by", "inside", "outside", "expected",
                                        "ratio", "month_total"])
    finite = table["ratio"].replace(np.inf, np.nan)
    baseline = finite.groupby(table["kind"]).median().fillna(0.0).to_dict()
    amount, date, ts, used = lines.amount, lines.date, lines.ts, lines.used
    cases = []
    for kind, _, first, last, leave_by, inside, _, expected, ratio, month_total in rows:
        bar = max(float(s["bunch_min_ratio"]), float(s["bunch_baseline_multiple"]) * float(baseline[kind]))
        excess = inside - expected
        if ratio < bar or excess < float(s["bunch_min_amount"]) or excess < float(s["bunch_min_share"]) * month_total:
            continue
        window = money[(date[money] >= first.to_datetime64()) & (date[money] <= last.to_datetime64())]
        window = window[~used[window]]
        material = window[amount[window] >= 0.1 * excess]
        material = material[np.lexsort((lines.txn_id[material], ts[material]))]
        if len(material) < int(s["bunch_min_credits"]) or not len(window):
            continue
        leaving = out_debits[(ts[out_debits] > ts[window].max()) & (date[out_debits] <= leave_by.to_datetime64())]
        taken = amount[leaving].sum()
        if float(taken) < float(s["bunch_leave_share"]) * excess:
            continue
        used[material] = True
        used[leaving] = True
        cases.append(_case(first, amount[material].sum(), lines.ids(material), lines.ids(leaving),
                           f"INR {inside:,.0f} credited {first.date()} to {last.date()} ({kind}: "
                           f"{inside / month_total:.0%} of the month's credits, {ratio:.1f}x the "
                           f"month's usual rate, usually {baseline[kind]:.1f}x); INR {taken:,.0f} "
                           f"out by {leave_by.date()}."))
    return cases


def _naive_utc(when):
    """A tz-aware timestamp (or column of them) as naive UTC ``datetime64``, for fast numpy comparisons."""
    if isinstance(when, pd.Series):
        return (when.dt.tz_convert("UTC").dt.tz_localize(None) if when.dt.tz is not None else when).to_numpy()
    return (when.tz_convert("UTC").tz_localize(None) if when.tzinfo is not None else when).to_datetime64()


def _large_credit_withdrawn(lines: _Lines, s: dict) -> list[dict]:
    if not lines.credit.any():
        return []
    amount, date, ts, used = lines.amount, lines.date, lines.ts, lines.used
    bar = max(float(s["large_credit_min"]),
              float(s["large_credit_multiple"]) * float(pd.Series(amount[lines.credit]).median()))
    debits = np.flatnonzero(lines.debit & ~lines.obligation)
    cash = lines.category[debits] == "atm_withdrawal"
    debits = debits[~lines.routine(debits, int(s["regular_payee_months"])) | cash]
    cases = []
    large = np.flatnonzero(lines.credit & (amount >= bar) & ~lines.not_money_in & ~lines.returned)
    account, paid, paid_ts, day = lines.account[debits], amount[debits], ts[debits], date[debits]
    atm = lines.category[debits] == "atm_withdrawal"
    free = ~used[debits]  # this loop adds only credits to ``used``, and the debits it takes to ``free``
    window = np.timedelta64(int(s["withdraw_days"]), "D")
    share, most = float(s["withdraw_share"]), int(s["withdraw_max_debits"])
    for row in large:
        if used[row]:
            continue
        credited = amount[row]
        near = np.flatnonzero(free & (account == lines.account[row]) & (paid_ts > ts[row])
                              & (day <= date[row] + window)
                              & (~atm | (paid >= float(s["cash_min_share"]) * credited))
                              & (paid <= float(s["withdraw_max_part"]) * credited))
        # the largest first (the earliest of equal amounts), then the first ``most`` of them
        top = near[np.lexsort((paid_ts[near], -paid[near]))][:most]
        if float(paid[top].sum()) < share * float(credited):
            continue
        top = top[np.argsort(paid_ts[top], kind="stable")]
        top = top[: int(np.searchsorted(np.cumsum(paid[top]), share * float(credited))) + 1]
        free[top] = False
        used[row] = True
        party = lines.frame["counterparty"].iat[row]
        when = pd.Timestamp(date[row])
        cases.append(_case(when, credited, [lines.txn_id[row]], lines.ids(debits[top]),
                           f"INR {credited:,.0f} credited on {when.date()} ({lines.category[row]}"
                           f"{', ' + party if isinstance(party, str) else ''}); "
                           f"INR {paid[top].sum():,.0f} out by {pd.Timestamp(day[top].max()).date()} in {len(top)} "
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
    lines = _Lines(lines_before(txns, as_of))
    found = {"cash_before_emi": _cash_before_emi(lines, s, _limits(accounts)) if len(lines.frame) else []}
    found["credits_bunched"] = _credits_bunched(lines, s)
    found["large_credit_withdrawn"] = _large_credit_withdrawn(lines, s) if len(lines.frame) else []
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
