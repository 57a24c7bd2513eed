"""Clean transaction records -> one classified, ordered DataFrame, and the balance series built from it.

Every bank analysis starts from :func:`prepare_transactions`, so the order of
lines, the sign convention and the categories are decided once. Balances come
from the statement's own running ``currentBalance``, never re-derived from
amounts, because that is what the bank says the customer had; where the two
disagree the line is reported by :func:`balance_tally_breaks`.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from analytics.bank.classify import BUSINESS_CREDITS, classify_frame, normalise_party

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
COLUMNS = ("txnId", "linkedAccRef", "type", "mode", "amount", "balance", "ts", "date", "month", "signed",
           "narration", "category", "counterparty", "is_business_credit", "returned", "value_date", "category_leaf",
           "group")
RETURN_WINDOW_DAYS = 10   # a cheque we deposited comes back within a few working days
TRANSFER_CREDITS = ("b2b_collection", "other_credit", "cheque_deposit")  # not UPI sales: payers share names
TRANSFER_DEBITS = ("supplier_payment", "other_debit")


def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    for c in ("amount", "balance", "signed"):
        frame[c] = frame[c].astype(float)
    frame["is_business_credit"] = frame["is_business_credit"].astype(bool)
    frame["returned"] = frame["returned"].astype(bool)
    frame["ts"] = pd.to_datetime(frame["ts"]).dt.tz_localize(IST)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def _months(dates: pd.Series) -> pd.Series:
    """``YYYY-MM`` labels without a strftime per row."""
    key = dates.dt.year.to_numpy() * 100 + dates.dt.month.to_numpy()
    uniq, inv = np.unique(key, return_inverse=True)
    labels = np.array([f"{k // 100:04d}-{k % 100:02d}" for k in uniq], dtype=object)
    return pd.Series(labels[inv], index=dates.index, dtype=object)


def _holder_names(accounts: list[dict] | None) -> set[str]:
    names = set()
    for acc in accounts or []:
        for holder in (((acc.get("profile") or {}).get("holders") or {}).get("holder") or []):
            name = normalise_party(str(holder.get("name") or ""))
            if name:
                names.add(name)
    return names


def _holder_mobiles(accounts: list[dict] | None) -> set[str]:
    mobiles = set()
    for acc in accounts or []:
        for holder in (((acc.get("profile") or {}).get("holders") or {}).get("holder") or []):
            digits = "".join(ch for ch in str(holder.get("mobile") or "") if ch.isdigit())[-10:]
            if len(digits) == 10:
                mobiles.add(digits)
    return mobiles


def _name_variants(holders: set[str]) -> set[str]:
    """How a bank may print a holder's name on a UPI line: in full, or initials and surname (R K SHARMA)."""
    out = set(holders)
    for name in holders:
        parts = name.split()
        if len(parts) >= 2:
            out.add(f"{parts[0][0]} {parts[-1]}")
            out.add(" ".join(p[0] for p in parts[:-1]) + f" {parts[-1]}")
    return out


def _mark_self_upi_credits(df: pd.DataFrame, holders: set[str], mobiles: set[str]) -> None:
    """UPI credits from the holder's own phone (the holder's mobile in the VPA) or printed under the holder's
    name or initials are own money topped up, not sales: self-transfers in."""
    upi = (df["type"].to_numpy() == "CREDIT") & df["category"].isin(("upi_sales",)).to_numpy()
    if not upi.any() or not (holders or mobiles):
        return
    narr = df["narration"].fillna("").astype(str)
    own = np.zeros(len(df), dtype=bool)
    for mobile in mobiles:
        own |= narr.str.contains(mobile, regex=False).to_numpy()
    if holders:
        own |= df["counterparty"].isin(_name_variants(holders)).to_numpy()
    _relabel(df, upi & own, credit=True)


def _relabel(df: pd.DataFrame, rows, credit: bool) -> None:
    """Mark rows as self-transfers in the coarse category, the leaf and the group alike."""
    df.loc[rows, "category"] = "self_transfer_in" if credit else "self_transfer_out"
    df.loc[rows, "category_leaf"] = "self_transfer_in" if credit else "self_transfer_out"
    df.loc[rows, "group"] = "SELF_TRANSFER"


def _mark_self_transfers(df: pd.DataFrame, holders: set[str]) -> None:
    """Re-label as self-transfers (a) transfers naming an account holder and (b) the same amount leaving
    one linked account and arriving in another within a day: otherwise turnover counts the owner's own money."""
    credit = df["type"].to_numpy() == "CREDIT"
    if holders:
        own = df["counterparty"].isin(holders).to_numpy()
        movable = df["category"].isin(TRANSFER_CREDITS + TRANSFER_DEBITS).to_numpy()
        _relabel(df, own & movable & credit, credit=True)
        _relabel(df, own & movable & ~credit, credit=False)
    if df["linkedAccRef"].nunique() < 2:
        return
    ins = df.loc[credit & df["category"].isin(TRANSFER_CREDITS).to_numpy(), ["linkedAccRef", "amount", "date"]]
    outs = df.loc[~credit & df["category"].isin(TRANSFER_DEBITS).to_numpy(), ["linkedAccRef", "amount", "date"]]
    pairs = ins.reset_index().merge(outs.reset_index(), on="amount", suffixes=("_in", "_out"))
    pairs = pairs[(pairs["linkedAccRef_in"] != pairs["linkedAccRef_out"])
                  & ((pairs["date_in"] - pairs["date_out"]).dt.days.abs() <= 1)]
    used_in: set = set()
    used_out: set = set()
    for i, o in zip(pairs["index_in"].tolist(), pairs["index_out"].tolist()):
        if i not in used_in and o not in used_out:
            used_in.add(i)
            used_out.add(o)
    _relabel(df, list(used_in), credit=True)
    _relabel(df, list(used_out), credit=False)


def _mark_returned_credits(df: pd.DataFrame) -> None:
    """Flag a credit later debited back as returned (an outward cheque/NACH return) with its return line.

    A returned cheque never became money, so it leaves business credits; the
    return debit then leaves the surplus's debits too, and the two cancel.
    """
    bounce_out = df.index[(df["type"] == "DEBIT") & (df["category"] == "bounce")]
    if not len(bounce_out):
        return
    credits = df[(df["type"] == "CREDIT") & df["is_business_credit"]]
    taken: set = set()
    for idx in bounce_out:
        row = df.loc[idx]
        cand = credits[(credits["linkedAccRef"] == row["linkedAccRef"]) & (credits["amount"] == row["amount"])
                       & (credits["ts"] <= row["ts"])
                       & ((row["date"] - credits["date"]).dt.days <= RETURN_WINDOW_DAYS)]
        cand = cand[~cand.index.isin(taken)]
        if len(cand):
            hit = cand.index[-1]
            taken.add(hit)
            df.loc[[hit, idx], "returned"] = True
    df.loc[df["returned"] & (df["type"] == "CREDIT"), "is_business_credit"] = False


def prepare_transactions(records: list[dict[str, Any]], accounts: list[dict[str, Any]] | None = None,
                         owners: list[str] | None = None) -> pd.DataFrame:
    """Build the analysis frame from clean ``transactions`` records (see the schema).

    Columns: txnId, linkedAccRef, type, mode, amount, balance (the line's
    currentBalance), ts (tz-aware IST), date (local midnight, naive datetime64),
    month ("YYYY-MM"), signed (+credit / -debit), narration, category (the
    coarse category the analytics read), counterparty, is_business_credit,
    returned (a credit debited back unpaid, and that debit), value_date,
    category_leaf and group (the taxonomy leaf and its top-level group,
    docs/taxonomy.md). Rows are sorted by account, then timestamp,
    keeping file order for equal timestamps, because running balances are only
    meaningful in the order the bank posted them. ``accounts`` (optional) lets
    transfers naming an account holder count as self-transfers; ``owners`` (optional: the proprietor or
    directors, from the customer record) extends that to a company account's owners.
    """
    if not records:
        return _empty()
    get = lambda key, default=None: [r.get(key, default) for r in records]  # noqa: E731
    ts = pd.to_datetime(pd.Series(get("transactionTimestamp"), dtype=object), format="ISO8601", utc=True)
    ts = ts.dt.tz_convert(IST)
    df = pd.DataFrame({
        "txnId": pd.Series(get("txnId"), dtype=object),
        "linkedAccRef": pd.Series(get("linkedAccRef", ""), dtype=object),
        "type": pd.Series(get("type"), dtype=object).str.upper(),
        "mode": pd.Series(get("mode", "OTHERS"), dtype=object),
        "amount": np.asarray(get("amount"), dtype=float),
        "balance": np.asarray(get("currentBalance"), dtype=float),
        "ts": ts,
        "narration": pd.Series(get("narration", ""), dtype=object),
        "value_date": pd.Series(get("valueDate"), dtype=object),
        "_seq": np.arange(len(records)),
    })
    df = df.sort_values(["linkedAccRef", "ts", "_seq"], kind="mergesort").reset_index(drop=True)
    df["date"] = df["ts"].dt.tz_localize(None).dt.normalize()
    df["month"] = _months(df["date"])
    df["signed"] = np.where(df["type"].to_numpy() == "CREDIT", df["amount"].to_numpy(), -df["amount"].to_numpy())
    classified = classify_frame(df)
    df["category"] = classified["category"]
    df["counterparty"] = classified["counterparty"]
    df["category_leaf"] = classified["category_leaf"]
    df["group"] = classified["group"]
    holders = _holder_names(accounts) | {normalise_party(o) for o in owners or [] if o and normalise_party(o)}
    _mark_self_transfers(df, holders)
    _mark_self_upi_credits(df, holders, _holder_mobiles(accounts))
    df["is_business_credit"] = (df["type"] == "CREDIT") & df["category"].isin(BUSINESS_CREDITS)
    df["returned"] = False
    _mark_returned_credits(df)
    return df[list(COLUMNS)]


def lines_before(df: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The lines dated before ``as_of`` (an as-of analysis never sees the future): the frame itself when that is
    every line, as it usually is, rather than a copy; callers only read it."""
    before = (df["date"] < pd.Timestamp(as_of)).to_numpy()
    return df if before.all() else df[before]


def opening_balances(df: pd.DataFrame) -> pd.Series:
    """Balance before each account's first line: first currentBalance minus its signed amount."""
    first = df.groupby("linkedAccRef", sort=True).head(1).set_index("linkedAccRef")
    return first["balance"] - first["signed"]


def eod_by_account(df: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    """End-of-day balance per account (columns) for every day from ``start`` to ``end`` inclusive.

    The last line of a day sets its balance; days without lines carry the
    previous day forward; days before an account's first line hold its opening
    balance. Used for ABB, utilisation per OD/CC line and the daily series.
    """
    days = pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq="D", name="date")
    if df.empty:
        return pd.DataFrame(index=days)
    last = df.groupby(["linkedAccRef", "date"], sort=True)["balance"].last().unstack(0)
    full_index = last.index.union(days)
    wide = last.reindex(full_index).ffill()
    wide = wide.fillna(opening_balances(df))
    return wide.loc[days]


def eod_balances(df: pd.DataFrame, start: dt.date, end: dt.date) -> pd.Series:
    """End-of-day balance for every day from ``start`` to ``end``, summed across accounts.

    Lenders read balances per calendar day (ABB, negative days), and a day
    without transactions still has a balance: the previous one.
    """
    wide = eod_by_account(df, start, end)
    if wide.shape[1] == 0:
        return pd.Series(np.nan, index=wide.index, name="balance")
    return wide.sum(axis=1).rename("balance")


def balance_tally_breaks(df: pd.DataFrame, tolerance: float = 0.01) -> pd.DataFrame:
    """Lines whose currentBalance differs from the previous line's balance plus this line's signed amount.

    A statement that does not tally has been edited or has lines missing; it is
    one of the strongest tampering signals. Returns txnId, linkedAccRef, date,
    expected, reported and difference for each break (the first line of an
    account has no predecessor and cannot break).
    """
    prev = df.groupby("linkedAccRef", sort=False)["balance"].shift(1)
    expected = prev + df["signed"]
    diff = df["balance"] - expected
    bad = diff.abs() > tolerance
    out = df.loc[bad, ["txnId", "linkedAccRef", "date"]].copy()
    out["expected"] = expected[bad].round(2)
    out["reported"] = df.loc[bad, "balance"]
    out["difference"] = diff[bad].round(2)
    return out


def month_range(first: str, last: str) -> list[str]:
    """Every ``YYYY-MM`` from ``first`` to ``last`` inclusive (calendar months, gaps included)."""
    if not first or not last:
        return []
    return [p.strftime("%Y-%m") for p in pd.period_range(first, last, freq="M")]
