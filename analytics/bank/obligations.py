"""Recurring flows and repayment conduct read from the statement: EMIs, regular inflows and bounces.

An EMI is not a narration word but a pattern: the same lender debiting the
same amount month after month under a mandate (NACH/ACH/ECS/SI). A bounce is a
payment instruction returned unpaid; its direction matters to a lender:
*inward* means the borrower's own EMI/cheque was dishonoured (their conduct),
*outward* means a cheque or mandate they collected from a buyer came back (their
buyer's conduct, and a credit that never became money). Regular inflows are the
mirror image of EMIs: the same payer crediting a similar amount every month.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from analytics.bank.bounce_attribution import attribute_bounce
from analytics.bank.classify import extract_counterparty, narration_words

CHARGE_WINDOW_DAYS = 3     # a return charge posts on the day of the return or within three days
RETURN_WINDOW_DAYS = 10    # the returned line reverses an entry at most this many days older
REPRESENT_WINDOW_DAYS = 10  # a returned EMI is usually presented again within ten days
_MANDATES = (("ENACH", "ENACH"), ("EMANDATE", "ENACH"), ("NACH", "NACH"), ("ACH", "NACH"), ("ECS", "ECS"),
             ("SI", "SI"), ("MANDATE", "NACH"))


def _iso(ts: pd.Timestamp) -> str:
    return ts.date().isoformat()


def mandate_of(narration: str) -> str:
    """The debit rail an instruction came through (NACH, ECS, SI, ENACH), or OTHER."""
    words = frozenset((narration or "").upper().replace("/", " ").replace("-", " ").split())
    for word, rail in _MANDATES:
        if word in words:
            return rail
    return "OTHER"


def _instrument(narration: str) -> str:
    words = narration_words(narration)
    if words & {"CHQ", "CHEQUE", "CHEQ", "CLG", "CLEARING", "CTS", "MICR"}:
        return "CHEQUE"
    rail = mandate_of(narration)
    return rail if rail != "OTHER" else "UNKNOWN"


def _amount_clusters(amounts: np.ndarray, tolerance: float) -> np.ndarray:
    """Label sorted-by-amount debits so that each label's amounts stay within ``tolerance`` of its smallest."""
    order = np.argsort(amounts, kind="mergesort")
    labels = np.empty(len(amounts), dtype=int)
    label, base = -1, None
    for i in order:
        if base is None or amounts[i] > base * (1 + tolerance):
            label, base = label + 1, amounts[i]
        labels[i] = label
    return labels


def _reference_month(df: pd.DataFrame, as_of: dt.date | None) -> pd.Period:
    last = pd.Timestamp(as_of) - pd.Timedelta(days=1) if as_of else df["date"].max()
    return pd.Period(last, freq="M")


def detect_emis(df: pd.DataFrame, config: dict[str, Any], as_of: dt.date | None = None) -> list[dict[str, Any]]:
    """Recurring, (near-)equal mandate debits to one lender: the borrower's EMIs.

    Candidates are debits classified ``emi`` (NACH/ACH/ECS/SI or loan words);
    per lender they are grouped by amount within ``emi_amount_tolerance``, and a
    group seen in at least ``emi_min_months`` calendar months is an EMI. Each
    EMI carries lender, amount (median), day_of_month (the most common posting
    day: its due day), months_seen, first/last date, mandate rail, txn_ids and
    still_active (seen in the last two calendar months before ``as_of``, or the
    statement's last month when ``as_of`` is not given).
    """
    cfg = config.get("analytics", config)
    tolerance = float(cfg.get("emi_amount_tolerance", 0.02))
    min_months = int(cfg.get("emi_min_months", 3))
    rows = df[(df["type"] == "DEBIT") & (df["category"] == "emi")]
    if rows.empty:
        return []
    ref = _reference_month(df, as_of)
    lender = rows["counterparty"].where(rows["counterparty"].notna(), rows["narration"].str.upper().str[:24])
    out = []
    for (account, name), group in rows.groupby([rows["linkedAccRef"], lender], sort=True):
        labels = _amount_clusters(group["amount"].to_numpy(), tolerance)
        for label in np.unique(labels):
            g = group[labels == label]
            months = sorted(g["month"].unique())
            if len(months) < min_months:
                continue
            days = g["date"].dt.day
            last = g["date"].max()
            out.append({
                "lender": name,
                "account": account,
                "amount": round(float(g["amount"].median()), 2),
                "day_of_month": int(days.mode().min()),
                "months_seen": len(months),
                "first_date": _iso(g["date"].min()),
                "last_date": _iso(last),
                "mandate": mandate_of(g["narration"].iloc[-1]),
                "txn_ids": g["txnId"].tolist(),
                "total_paid": round(float(g["amount"].sum()), 2),
                "still_active": bool((ref - pd.Period(last, freq="M")).n <= 1),
            })
    out.sort(key=lambda e: (-e["still_active"], -e["amount"], e["lender"]))
    return out


def _charge_direction(narration: str) -> str | None:
    words = narration_words(narration)
    text = (narration or "").upper()
    if "OUTWARD" in words or "OW" in words or "O/W" in text:
        return "outward"
    if words & {"INWARD", "IW", "NACH", "ACH", "ECS", "SI", "MANDATE", "ENACH"} or "I/W" in text:
        return "inward"
    return None


def _reason(narration: str) -> str | None:
    text = (narration or "").upper()
    if "INSUF" in text:
        return "INSUFFICIENT FUNDS"
    if "EXCEED" in text:
        return "EXCEEDS ARRANGEMENT"
    if "SIGN" in text:
        return "SIGNATURE MISMATCH"
    if "STOP" in text:
        return "PAYMENT STOPPED"
    return None


def detect_bounces(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Every returned instruction with its charge entry, oldest first.

    A ``bounce`` line on the credit side gives back money the borrower's own
    mandate/cheque had taken: an *inward* return. On the debit side it takes
    back a cheque/mandate credit the borrower had deposited: an *outward* return.
    A return charge with no return line (banks often post only the charge when
    an EMI mandate fails) is a bounce on its own; its direction comes from its
    words (OUTWARD/O-W vs INWARD/NACH/ECS/SI; inward when silent). Each entry:
    direction, instrument, date, amount, counterparty, reason, return_txn_id,
    original_txn_id, charge_txn_id, charge_amount, represented_txn_id (for an
    EMI presented again), txn_ids.
    """
    returns = df[df["category"] == "bounce"]
    charges = df[(df["category"] == "bounce_charge") & (df["type"] == "DEBIT")]
    events = []
    for idx, row in returns.iterrows():
        inward = row["type"] == "CREDIT"
        direction = "inward" if inward else "outward"
        same = df[(df["linkedAccRef"] == row["linkedAccRef"]) & (df["amount"] == row["amount"])
                  & (df["type"] != row["type"]) & (df["ts"] <= row["ts"])
                  & ((row["date"] - df["date"]).dt.days <= RETURN_WINDOW_DAYS)]
        original = same.index[-1] if len(same) else None
        events.append(_event(df, idx, row, direction, original))
    for idx, row in charges.iterrows():
        events.append(_event(df, None, row, _charge_direction(row["narration"]) or "inward", None, charge_idx=idx))
    # attach each standalone charge to a return line of a compatible direction within the window
    by_return = [e for e in events if e["return_txn_id"] is not None]
    standalone = []
    for ev in (e for e in events if e["return_txn_id"] is None):
        row = df.loc[ev["_charge"]]
        hint = _charge_direction(row["narration"])
        match = None
        for r in by_return:
            gap = (row["date"] - pd.Timestamp(r["date"])).days
            if r["charge_txn_id"] is None and 0 <= gap <= CHARGE_WINDOW_DAYS and hint in (None, r["direction"]) \
                    and df.loc[r["_return"], "linkedAccRef"] == row["linkedAccRef"]:
                match = r
                break
        if match is not None:
            match["charge_txn_id"], match["charge_amount"] = row["txnId"], float(row["amount"])
            match["txn_ids"].append(row["txnId"])
        else:
            standalone.append(ev)
    out = by_return + standalone
    for ev in out:
        ev.pop("_return", None)
        ev.pop("_charge", None)
        if ev["direction"] == "inward" and ev["instrument"] in ("NACH", "ECS", "SI", "ENACH", "UNKNOWN"):
            _link_represented(df, ev)
    out.sort(key=lambda e: (e["date"], e["txn_ids"][0]))
    return out


def _event(df: pd.DataFrame, ret_idx, row: pd.Series, direction: str, original, charge_idx=None) -> dict[str, Any]:
    narration = row["narration"]
    party = row["counterparty"] if isinstance(row["counterparty"], str) else extract_counterparty(narration)
    ids = [row["txnId"]] + ([df.loc[original, "txnId"]] if original is not None else [])
    if party is None and original is not None and isinstance(df.loc[original, "counterparty"], str):
        party = df.loc[original, "counterparty"]
    is_charge = charge_idx is not None
    return {
        "direction": direction,
        "instrument": _instrument(narration),
        "date": _iso(row["date"]),
        "amount": None if is_charge else float(row["amount"]),
        "counterparty": party,
        "reason": _reason(narration),
        "return_txn_id": None if is_charge else row["txnId"],
        "original_txn_id": None if original is None else df.loc[original, "txnId"],
        "charge_txn_id": row["txnId"] if is_charge else None,
        "charge_amount": float(row["amount"]) if is_charge else None,
        "represented_txn_id": None,
        "attribution": None,
        "mandate_reference": None,
        "txn_ids": ids,
        "narration": narration,
        "_return": ret_idx,
        "_charge": charge_idx,
    }


def _link_represented(df: pd.DataFrame, ev: dict[str, Any]) -> None:
    """Attribute an inward return to its lender (:mod:`bounce_attribution`) and find the EMI presented again."""
    day = pd.Timestamp(ev["date"])
    account = df.loc[df["txnId"] == ev["txn_ids"][0], "linkedAccRef"].iloc[0]
    emis = df[(df["category"] == "emi") & (df["type"] == "DEBIT") & (df["linkedAccRef"] == account)]
    found = attribute_bounce(emis, ev["narration"], ev["counterparty"], day, ev["amount"], REPRESENT_WINDOW_DAYS)
    ev["attribution"], ev["mandate_reference"] = found["attribution"], found["mandate_reference"]
    cand = emis[(emis["date"] >= day) & ((emis["date"] - day).dt.days <= REPRESENT_WINDOW_DAYS)]
    if found["lender"]:
        ev["counterparty"] = found["lender"]
        cand = cand[cand["counterparty"] == found["lender"]]
    elif ev["counterparty"]:
        named = cand[cand["counterparty"] == ev["counterparty"]]
        cand = named if len(named) else cand
    if len(cand):
        hit = cand.iloc[0]
        ev["represented_txn_id"] = hit["txnId"]
        if ev["amount"] is None:
            ev["amount"] = float(hit["amount"])
        if not ev["counterparty"] and isinstance(hit["counterparty"], str):
            ev["counterparty"] = hit["counterparty"]
        if ev["instrument"] == "UNKNOWN":
            ev["instrument"] = _instrument(hit["narration"])


def regular_inflows(df: pd.DataFrame, months: list[str], cfg: dict) -> list[dict[str, Any]]:
    """Counterparties that pay a similar amount about once a month (retainers, salary-like income).

    Per counterparty: monthly totals in the months it paid; kept if it paid in at
    least ``emi_min_months`` months and in at least 3 of every 4 months from its
    first to its last payment, at most twice a month on median, and with a
    coefficient of variation (population std / mean of the monthly totals) of at
    most 0.5. confidence = clip(1 - 2 * cv, 0, 1) * months_seen / months spanned
    from its first to last payment: cv 0 -> 1.0, 0.1 -> 0.8, 0.25 -> 0.5, 0.5 -> 0.
    """
    credits = df[df["is_business_credit"] & df["counterparty"].notna()]
    if credits.empty:
        return []
    idx = {m: i for i, m in enumerate(months)}
    per = pd.DataFrame({"counterparty": credits["counterparty"], "month": credits["month"],
                        "amount": credits["amount"], "day": credits["date"].dt.day,
                        "pos": credits["month"].map(idx)})
    per = per.groupby(["counterparty", "month"], sort=False).agg(total=("amount", "sum"), n=("amount", "size"),
                                                                  day=("day", "min"), pos=("pos", "first"))
    g = per.groupby(level=0).agg(months_seen=("total", "size"), per_month=("n", "median"), mean=("total", "mean"),
                                 std=("total", "std"),
                                 typical_amount=("total", "median"), typical_day=("day", "median"),
                                 first=("pos", "min"), last=("pos", "max"))
    g = g[(g["months_seen"] >= int(cfg.get("emi_min_months", 3))) & (g["per_month"] <= 2)]
    # population std from the sample std: s * sqrt((n - 1) / n)
    g["cv"] = g["std"] * np.sqrt((g["months_seen"] - 1) / g["months_seen"]) / g["mean"]
    g["span"] = g["last"] - g["first"] + 1
    g = g[(g["cv"] <= 0.5) & (g["months_seen"] >= 0.75 * g["span"])]
    g["confidence"] = (1 - 2 * g["cv"]).clip(lower=0) * g["months_seen"] / g["span"]
    g = g.sort_values(["confidence", "typical_amount"], ascending=False).head(int(cfg.get("top_counterparties", 10)))
    return [{"counterparty": party, "typical_amount": round(float(r["typical_amount"]), 2),
             "typical_day": int(r["typical_day"]), "months_seen": int(r["months_seen"]),
             "months_spanned": int(r["span"]), "first_month": months[int(r["first"])],
             "last_month": months[int(r["last"])], "cv": round(float(r["cv"]), 4),
             "confidence": round(float(r["confidence"]), 4)} for party, r in g.iterrows()]
