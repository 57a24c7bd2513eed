"""Match groups: every accepted match as one group of items and credits, with its kind, amounts and remainder.

A group is ``one_to_one`` (one credit, one item, paid in full or short), ``tds`` (one credit, one invoice,
less TDS at an inferred rate), ``credit_note`` (one invoice net of a GSTR-1 credit note), ``many_to_one``
(one credit, several invoices of one buyer) or ``part_payment`` (one invoice, several credits). Rows of the
match frame are (item, credit) pairs; ``allocated`` is the part of the credit that settles the item, so the
sum over an item's rows is what it received and the sum over a credit's rows is the credit.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.reconciliation.match import MATCH_DEFAULTS, MatchResult, _score, match_items
from analytics.reconciliation.multi import MULTI_DEFAULTS, Buyers, _rs, match_many
from analytics.reconciliation.tds import clean_rates, credit_notes


def one_to_one_groups(matches: pd.DataFrame, items: pd.DataFrame, credits: pd.DataFrame, p: dict) -> list[dict]:
    """A group per one-to-one pair: ``tds`` when an inferred TDS rate explains the shortfall, else ``one_to_one``
    with any unexplained shortfall as its remainder."""
    if matches.empty:
        return []
    it, cr = matches["item"].to_numpy(), matches["credit"].to_numpy()
    value, got = items["amount"].to_numpy(float)[it], credits["amount"].to_numpy(float)[cr]
    taxable = np.nan_to_num(items["taxable"].to_numpy(float))[it]
    invoice = (items["kind"] == "gstr1_invoice").to_numpy()[it]
    rate = np.where(invoice, clean_rates(value, taxable, got, p), np.where(np.abs(value - got) <= 1, 0.0, np.nan))
    out = []
    for i, c, v, g, t, r in zip(it.tolist(), cr.tolist(), value.tolist(), got.tolist(), taxable.tolist(), rate.tolist()):
        explained = not np.isnan(r)
        rate_r = r if explained else 0.0
        row = {"kind": "tds" if explained and r > 0 else "one_to_one", "items": [i], "credits": [c],
               "tds_rate": float(rate_r), "expected": round(float(v - rate_r * t), 2), "received": round(float(g), 2)}
        if not explained and v - g > p["amount_exact_abs"]:
            what = "no TDS rate explains it" if t else "less than the settlement amount"
            row["reason"] = f"short by {_rs(v - g)}; {what}"
        out.append(row)
    return out


def _allocate(group: dict, value: np.ndarray, taxable: np.ndarray, got: np.ndarray) -> list[tuple[int, int, float]]:
    """(item, credit, rupees) rows of a group: a credit split over its invoices by their net values."""
    items, credits = group["items"], group["credits"]
    if len(items) == 1:
        return [(items[0], c, float(got[c])) for c in credits]
    c, rows, left = credits[0], [], float(got[credits[0]])
    for n, i in enumerate(items):
        share = left if n == len(items) - 1 else round(float(value[i] - group["tds_rate"] * taxable[i]), 2)
        rows.append((i, c, round(share, 2)))
        left -= share
    return rows


def match_frame(groups: list[dict], b: Buyers, items: pd.DataFrame, credits: pd.DataFrame, scored: pd.DataFrame,
                payers: dict, p: dict) -> pd.DataFrame:
    """One row per (item, credit) of every group, with the group's id, kind, rate and allocated amount.

    One-to-one rows keep the scores they were accepted with; rows of the later passes are scored the same
    way (date and text), with the amount component 1 when the group's amounts tally and received/expected
    when a remainder is left.
    """
    value, got = items["amount"].to_numpy(float), credits["amount"].to_numpy(float)
    taxable = np.nan_to_num(items["taxable"].to_numpy(float))
    rows = []
    for g_id, group in enumerate(groups):
        group["group"] = g_id
        for i, c, amount in _allocate(group, value, taxable, got):
            rows.append((i, c, g_id, group["kind"], group["tds_rate"], group.get("credit_note"), amount))
    frame = pd.DataFrame(rows, columns=["item", "credit", "group", "match_kind", "tds_rate", "credit_note", "allocated"])
    if frame.empty:
        return frame.assign(lag=0, amount_score=0.0, date_score=0.0, text_score=0.0, score=0.0)
    frame["lag"] = (credits["date"].to_numpy("datetime64[D]")[frame["credit"]]
                    - items["date"].to_numpy("datetime64[D]")[frame["item"]]).astype(int)
    known = scored.set_index(["item", "credit"])[["amount_score", "date_score", "text_score", "score"]]
    frame = frame.join(known.astype(float), on=["item", "credit"])
    fresh = frame["score"].isna().to_numpy()
    if fresh.any():
        names = {k: {"name": v, "median_lag_days": b.lags.get(k)} for k, v in b.names.items()}
        again = _score(frame.loc[fresh, ["item", "credit", "lag"]].reset_index(drop=True), items, credits, names, p)
        fit = np.array([min(1.0, groups[g]["received"] / groups[g]["expected"]) if groups[g]["expected"] else 1.0
                        for g in frame.loc[fresh, "group"]])
        w = p["weights"]
        total = float(w["amount"] + w["date"] + w["text"]) or 1.0
        frame.loc[fresh, "amount_score"] = np.where(fit >= 1 - 1e-9, 1.0, fit)
        frame.loc[fresh, "date_score"] = again["date_score"].to_numpy()
        frame.loc[fresh, "text_score"] = again["text_score"].to_numpy()
        frame.loc[fresh, "score"] = (w["amount"] * frame.loc[fresh, "amount_score"] + w["date"] * frame.loc[
            fresh, "date_score"] + w["text"] * frame.loc[fresh, "text_score"]) / total
    return frame.sort_values(["item", "credit"], kind="mergesort").reset_index(drop=True)


def group_documents(groups: list[dict], items: pd.DataFrame, credits: pd.DataFrame) -> list[dict]:
    """JSON rows of the groups worth a look: every kind but a plain one-to-one, and any group with a remainder."""
    out: list[dict] = []
    if not groups:
        return out
    value = items["amount"].to_numpy(float)
    item_id, label, party = (items[k].to_numpy() for k in ("item_id", "label", "party"))
    txn, payer = credits["txnId"].to_numpy(), credits["counterparty"].to_numpy()
    day = credits["date"].dt.strftime("%Y-%m-%d").to_numpy()
    for g in groups:
        remainder = round(g["expected"] - g["received"], 2)
        if g["kind"] == "one_to_one" and "reason" not in g:
            continue
        invoice_value = float(value[g["items"]].sum())
        note_value = g.get("credit_note_value")
        out.append({
            "group": g["group"], "kind": g["kind"], "txn_ids": [str(txn[c]) for c in g["credits"]],
            "credit_dates": [str(day[c]) for c in g["credits"]],
            "items": [{"item_id": item_id[i], "label": label[i], "party": party[i], "amount": round(float(value[i]), 2)}
                      for i in g["items"]],
            "payer": next((payer[c] for c in g["credits"] if isinstance(payer[c], str)), None),
            "item_value": round(invoice_value, 2),
            "credit_note": g.get("credit_note"), "credit_note_value": note_value,
            "tds_rate": round(g["tds_rate"], 6),
            "tds_amount": round(invoice_value - (note_value or 0.0) - g["expected"], 2),
            "expected": g["expected"], "received": g["received"],
            "remainder": remainder if abs(remainder) > 1 else 0.0,
            "reason": g.get("reason"),
        })
    return out


def match_all(records: dict[str, list[dict]], txns: pd.DataFrame, params: dict) -> MatchResult:
    """One-to-one matching (:func:`match_items`), then the later passes (:func:`match_many`): every match as
    group rows, each group's kind and amounts, and why each open invoice is open.

    Why: the match rates, the item view and the officer's list all need every way an invoice gets paid.
    """
    p = {**MATCH_DEFAULTS, **MULTI_DEFAULTS, **params}
    m = match_items(records, txns, p)
    end = txns["date"].max() if len(txns) else None
    p["statement_end"] = None if end is None else end.date().isoformat()
    notes = credit_notes(records.get("gst_returns") or [])
    later, reasons, b = match_many(m.items, m.credits, m.matches, m.payers, notes, p)
    groups = one_to_one_groups(m.matches, m.items, m.credits, p) + later
    scored = m.matches if len(m.matches) else pd.DataFrame(columns=["item", "credit", "amount_score", "date_score",
                                                                     "text_score", "score"])
    m.matches = match_frame(groups, b, m.items, m.credits, scored, m.payers, p)
    m.groups, m.reasons = groups, reasons
    m.buyers = {k: {"name": v, "tds_rate": None if k not in b.rates else float(b.rates[k]), "learned": "one_to_one" if k in m.payers else "later_passes"}
                for k, v in sorted(b.names.items())}
    return m
