"""Per-transaction features for the ML anomaly model, and the words that explain a flagged transaction.

Every feature is computed for all rows at once (group-by transforms, no per-row Python), so 17,000
lines take a few milliseconds. The *key* of a line is its counterparty, or ``category:<name>`` for lines
that name nobody (ATM, cash, charges), so "how often have we seen this party" has an answer for each.

Features (one column each):

* ``log_amount`` -- log10 of the amount, floored at the customer's median; ``amount_vs_party`` and
  ``amount_vs_category`` -- log10 of the amount over the median amount of the same key / the same
  direction and category, floored at 0. Floors, because an unusually *small* amount is no credit risk
  and an isolation forest would otherwise spend its splits on one-rupee interest credits.
* ``hour_rarity`` -- minus log10 of the share of the category's lines posted within an hour of this
  line's hour (Laplace-smoothed): 03:00 is odd for a supplier payment, 23:59 is normal for the bank's
  interest posting. ``weekday`` -- Monday 0 to Sunday 6.
* ``credit`` -- 1 for a credit, 0 for a debit; ``mode_*`` -- one-hot of the statement's mode.
* ``party_log_count`` -- log10 of how many lines the key has; ``log_days_since_party`` -- log10(1 + days
  since the previous line with the same key; for its first line, days since the statement began).
* ``balance_impact`` -- amount over the account's typical (median absolute) running balance.
* ``category_rarity`` -- minus log10 of the category's share of lines; ``mode_rarity`` -- minus log10 of
  the mode's share within the line's category (an IMPS transfer reported as CASH is rare).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.indian import inr_paise

MODES = ("CASH", "ATM", "CARD", "UPI", "FT", "OTHERS")
FEATURES = ("log_amount", "amount_vs_party", "amount_vs_category", "hour_rarity", "weekday", "credit",
            *(f"mode_{m}" for m in MODES), "party_log_count", "log_days_since_party", "balance_impact",
            "category_rarity", "mode_rarity")


def inr(amount: float) -> str:
    """Rupees with Indian digit grouping, e.g. ``₹4,80,000`` (paise shown only when there are any)."""
    return inr_paise(amount)


def party_keys(txns: pd.DataFrame) -> pd.Series:
    """Counterparty, or ``category:<category>`` where the narration names nobody."""
    return txns["counterparty"].where(txns["counterparty"].notna(), "category:" + txns["category"].astype(str))


def hour_rarity(category: pd.Series, hour: np.ndarray) -> np.ndarray:
    """Minus log10 of the smoothed share of a category's lines within one hour either side of ``hour``."""
    codes, cats = pd.factorize(category)
    h = hour.astype(int) % 24
    counts = np.zeros((len(cats), 24))
    np.add.at(counts, (codes, h), 1)
    window = counts + np.roll(counts, 1, axis=1) + np.roll(counts, -1, axis=1)
    share = (window[codes, h] + 1) / (counts.sum(axis=1)[codes] + 24)
    return -np.log10(share)


def build_features(txns: pd.DataFrame) -> pd.DataFrame:
    """The feature matrix (columns :data:`FEATURES`, index aligned to ``txns``), plus the plain values a
    reason is written from: ``hour``, ``key``, ``party_count``, ``party_median``, ``category_median``,
    ``days_since_party`` and ``typical_balance``."""
    amount = txns["amount"].to_numpy(float).clip(min=0.01)
    log_amount = np.log10(amount)
    key = party_keys(txns)
    direction = txns["type"].astype(str)
    category = txns["category"].astype(str)
    by_key = pd.Series(log_amount, index=txns.index).groupby([key, direction])
    by_cat = pd.Series(log_amount, index=txns.index).groupby([direction, category])
    party_median = by_key.transform("median").to_numpy()
    cat_median = by_cat.transform("median").to_numpy()
    local = txns["ts"].dt.tz_localize(None) if txns["ts"].dt.tz is not None else txns["ts"]
    hour = local.dt.hour.to_numpy() + local.dt.minute.to_numpy() / 60.0
    n = len(txns)
    party_count = key.map(key.value_counts()).to_numpy(float)
    order = np.argsort(local.to_numpy(), kind="mergesort")
    seconds = local.to_numpy("datetime64[s]").astype(np.int64)
    since = np.empty(n)
    frame = pd.DataFrame({"key": key.to_numpy()[order], "t": seconds[order]})
    prev = frame.groupby("key", sort=False)["t"].shift(1).to_numpy()
    start = seconds.min() if n else 0
    gap = np.where(np.isnan(prev), frame["t"].to_numpy() - start, frame["t"].to_numpy() - np.nan_to_num(prev))
    since[order] = gap / 86400.0
    balance = txns["balance"].to_numpy(float)
    typical = float(np.nanmedian(np.abs(balance))) if n and np.isfinite(balance).any() else 0.0
    cat_share = category.map(category.value_counts(normalize=True)).to_numpy(float)
    mode = txns["mode"].fillna("OTHERS").astype(str).str.upper()
    pair = (category + "|" + mode)
    mode_share = pair.map(pair.value_counts()).to_numpy(float) / category.map(category.value_counts()).to_numpy(float)
    out = pd.DataFrame({
        "log_amount": np.maximum(log_amount, np.median(log_amount) if n else 0.0),
        "amount_vs_party": np.maximum(log_amount - party_median, 0),
        "amount_vs_category": np.maximum(log_amount - cat_median, 0),
        "hour_rarity": hour_rarity(category, hour),
        "weekday": local.dt.day_of_week.to_numpy(),
        "credit": (direction == "CREDIT").to_numpy(float),
        **{f"mode_{m}": (mode == m).to_numpy(float) for m in MODES},
        "party_log_count": np.log10(party_count),
        "log_days_since_party": np.log10(1 + np.maximum(since, 0)),
        "balance_impact": amount / max(typical, 1.0),
        "category_rarity": -np.log10(cat_share),
        "mode_rarity": -np.log10(mode_share),
    }, index=txns.index)
    out["hour"] = hour
    out["key"] = key.to_numpy()
    out["party_count"] = party_count
    out["party_median"] = 10 ** party_median
    out["category_median"] = 10 ** cat_median
    out["days_since_party"] = since
    out["typical_balance"] = typical
    return out


LOW_IS_ODD = ("party_log_count",)
EXPLAINED = ("amount_vs_party", "amount_vs_category", "hour_rarity", "mode_rarity", "balance_impact",
             "category_rarity", "log_days_since_party", "party_log_count", "weekday")


def tail_shares(features: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """For the given row positions: the share of all lines at least as extreme on each explained feature
    (as high; as low for the party count; the same day for the weekday). A common scale for ranking reasons:
    "only 0.1% of this customer's lines are as large relative to their category"."""
    n = len(features)
    out = {}
    for col in EXPLAINED:
        values = features[col].to_numpy(float)
        ordered = np.sort(values)
        x = values[rows]
        if col == "weekday":
            out[col] = (values[None, :] == x[:, None]).mean(axis=1)
        elif col in LOW_IS_ODD:
            out[col] = np.searchsorted(ordered, x, "right") / n
        else:
            out[col] = (n - np.searchsorted(ordered, x, "left")) / n
    return pd.DataFrame(out, index=features.index[rows])


def _hour_text(hour: float) -> str:
    h = int(hour)
    return f"{h:02d}:{int(round((hour - h) * 60)) % 60:02d}"


def explain(row: pd.Series, feats: pd.Series, tails: pd.Series, typical_hours: tuple[float, float],
            top: int = 3) -> list[str]:
    """Up to ``top`` phrases for one line, rarest first (by :func:`tail_shares`): what sets it apart."""
    phrases: dict[str, str] = {}
    amount = float(row["amount"])
    direction = "credit" if row["type"] == "CREDIT" else "debit"
    party = row["counterparty"] if isinstance(row["counterparty"], str) else None
    if feats["party_count"] <= 1 and party:
        phrases["party_log_count"] = f"first and only transaction with {party}"
    elif party and feats["amount_vs_party"] > 0.3:
        phrases["amount_vs_party"] = (f"amount {inr(amount)} is {10 ** feats['amount_vs_party']:.0f}× "
                                      f"{party}'s median {inr(feats['party_median'])}")
    if feats["amount_vs_category"] > 0.3:
        times = 10 ** feats["amount_vs_category"]
        phrases["amount_vs_category"] = (f"amount {inr(amount)} is {times:.0f}× the median "
                                         f"{row['category']} {direction} {inr(feats['category_median'])}")
    lo, hi = typical_hours
    if feats["hour_rarity"] >= 1.5:
        phrases["hour_rarity"] = (f"at {_hour_text(feats['hour'])}, an hour when {row['category']} lines are rare"
                                  + (f" (usual {_hour_text(lo)}–{_hour_text(hi)})" if not lo <= feats["hour"] <= hi
                                     else ""))
    if feats["mode_rarity"] >= 1:
        phrases["mode_rarity"] = (f"mode {row['mode']} is rare for {row['category']} "
                                  f"(1 in {10 ** feats['mode_rarity']:.0f} such lines)")
    if feats["balance_impact"] >= 1 and feats["typical_balance"] > 0:
        phrases["balance_impact"] = (f"{feats['balance_impact']:.1f}× the typical balance "
                                     f"{inr(feats['typical_balance'])}")
    if feats["category_rarity"] >= 2:
        one_in = 10 ** feats["category_rarity"]
        phrases["category_rarity"] = f"category {row['category']} is rare (1 in {one_in:.0f} lines)"
    if feats["party_count"] > 1 and feats["days_since_party"] >= 180:
        phrases["log_days_since_party"] = f"first transaction with this party in {feats['days_since_party']:.0f} days"
    if int(feats["weekday"]) == 6:  # Sunday: branches shut, business lines rare
        phrases["weekday"] = "on a Sunday"
    ranked = sorted(phrases, key=lambda k: float(tails.get(k, 1.0)))
    return [phrases[k] for k in ranked[:top]] or ["unusual combination of amount, time, mode and party"]
