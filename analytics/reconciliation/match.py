"""Item-level reconciliation: ONDC settlements and GSTR-1 invoices matched one-to-one to bank credits.

How a pair is found and scored (settings in ``config["analytics"]["reconciliation"]``):

1. **Blocking by amount.** Bank business credits are sorted by amount once; each item's acceptable
   amount range is cut out with ``np.searchsorted`` and then filtered by a date window, all vectorised.
   Nothing is fuzzy-compared outside these blocks. ONDC settlement: the settlement amount within
   ``settlement_amount_tolerance`` and the credit within ``settlement_window_days`` of the settlement
   timestamp. Invoice: from ``(1 - invoice_amount_tolerance)`` x value up to the value (buyers pay net of
   TDS), credited ``invoice_pay_window_days`` after the invoice date.
2. **Three component scores in [0, 1].** *amount*: 1 when the credit equals the expected amount to the
   rupee (an invoice's value, or its value less TDS at one of ``tds_rates`` of its taxable value, the way
   buyers deduct it); otherwise at most 0.6, falling to 0 at the tolerance, so an inexact amount needs the
   payer's name or a reference to pass. *date*: the lag against what is expected (settlement: the same
   day; invoice: the buyer's own typical payment lag once learned, else a broad prior of 7-60 days).
   *text*: 1 when the narration carries the item's reference (settlement reference, order-id fragment,
   invoice number, with or without separators); else the best ``rapidfuzz`` partial match of a reference
   in the narration (a truncated or mistyped UTR), rescaled from ``reference_similarity_floor``, or, for
   invoices, the similarity of the narration's payer to the buyer's learned name, whichever is higher.
3. **Learning who the buyer is.** GSTR-1 names the buyer only by GSTIN (``ctin``); the statement names
   the payer. Confident pairs -- the only exact-amount candidate of the invoice, and that credit exact for
   no other invoice -- vote payer names per GSTIN; a name with at least ``name_min_votes`` votes and a
   ``name_min_share`` majority becomes that GSTIN's name, and the anchors' median lag its payment lag.
   Everything is then scored again with that knowledge. The learned map is returned for inspection.
4. **One-to-one.** Pairs scoring ``match_threshold`` or more are split into connected blocks; each block
   is solved with ``scipy.optimize.linear_sum_assignment`` (maximum total score), so a credit settles at
   most one item and an item takes at most one credit.

Invoices never paid (e.g. fictitious ones) have no exact-amount credit and no payer name, so they stay
unmatched rather than being forced onto a near amount.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

MATCH_DEFAULTS: dict[str, Any] = {
    "weights": {"amount": 0.5, "date": 0.2, "text": 0.3},
    "match_threshold": 0.6,
    "settlement_window_days": 3,
    "settlement_amount_tolerance": 0.005,
    "invoice_pay_window_days": [0, 90],
    "invoice_typical_lag_days": [7, 60],
    "invoice_amount_tolerance": 0.02,
    "tds_rates": [0.001, 0.01, 0.02],
    "amount_exact_abs": 1.0,
    "inexact_amount_cap": 0.6,
    "learned_lag_spread_days": 20,
    "name_min_votes": 2,
    "name_min_share": 0.6,
    "name_similarity_floor": 0.5,
    "reference_similarity_floor": 0.8,
}
ITEM_COLUMNS = ("kind", "item_id", "label", "party", "amount", "taxable", "date", "keys")


@dataclass
class MatchResult:
    """What item matching found: the items, the candidate credits, the accepted pairs and the learned payers."""

    items: pd.DataFrame
    credits: pd.DataFrame
    matches: pd.DataFrame
    payers: dict[str, dict] = field(default_factory=dict)
    candidate_pairs: int = 0
    groups: list[dict] = field(default_factory=list)      # filled by groups.match_all: one per match group
    reasons: dict[int, str] = field(default_factory=dict)  # open invoice position -> why it is open
    buyers: dict[str, dict] = field(default_factory=dict)  # GSTIN -> payer name and TDS rate, all passes


def _day(value: Any) -> pd.Timestamp | None:
    """Local calendar day of an ISO date or IST timestamp string (the offset is the local one)."""
    if not value:
        return None
    return pd.Timestamp(str(value)[:10])


def _fragments(identifier: str) -> list[str]:
    """An id and the forms banks print it in: without separators, without its prefix, its last segment."""
    parts = [p for p in identifier.replace("_", "-").replace("/", "-").split("-") if p]
    out = {identifier, "".join(parts), "".join(parts[1:])}
    if parts and len(parts[-1]) >= 6:
        out.add(parts[-1])
    return sorted(f.upper() for f in out if len(f) >= 6)


def settlement_items(orders: list[dict]) -> pd.DataFrame:
    """One row per PAID ONDC settlement entry: the money the seller app says it sent to the bank."""
    rows = []
    for order in orders:
        details = (order.get("payment") or {}).get("@ondc/org/settlement_details") or []
        for n, s in enumerate(details):
            if s.get("settlement_status") != "PAID" or s.get("settlement_amount") is None:
                continue
            day = _day(s.get("settlement_timestamp"))
            if day is None:
                continue
            oid = str(order.get("id"))
            ref = str(s.get("settlement_reference") or "")
            keys = tuple(sorted(set(_fragments(oid) + ([ref.upper()] if len(ref) >= 6 else []))))
            rows.append(("ondc_order", oid if n == 0 else f"{oid}#{n}", oid, order.get("bap_id"),
                         float(s["settlement_amount"]), np.nan, day, keys))
    return pd.DataFrame(rows, columns=list(ITEM_COLUMNS))


def invoice_items(gst_returns: list[dict]) -> pd.DataFrame:
    """One row per GSTR-1 B2B invoice (``b2b[].inv[]``), the first filed copy of each return period."""
    rows, seen = [], set()
    for rec in sorted((r for r in gst_returns if r.get("return_type") == "GSTR1"), key=lambda r: r.get("dof") or ""):
        for party in rec.get("b2b") or []:
            ctin = str(party.get("ctin") or "")
            for inv in party.get("inv") or []:
                inum, day = str(inv.get("inum") or ""), _day(inv.get("idt"))
                item_id = f"{ctin}/{inum}"
                if item_id in seen or day is None or inv.get("val") is None:
                    continue
                seen.add(item_id)
                taxable = sum(float((i.get("itm_det") or {}).get("txval") or 0.0) for i in inv.get("itms") or [])
                plain = "".join(ch for ch in inum if ch.isalnum())
                keys = tuple(sorted({inum.upper(), plain.upper()})) if len(plain) >= 6 else ()
                rows.append(("gstr1_invoice", item_id, inum, ctin, float(inv["val"]), taxable, day, keys))
    return pd.DataFrame(rows, columns=list(ITEM_COLUMNS))


def settlement_credits(txns: pd.DataFrame) -> pd.DataFrame:
    """Bank credits that could settle an order or an invoice: business credits not returned unpaid, plus
    transfers the statement analysis took for self-transfers because the payer bears the holder's name (a
    buyer with the borrower's name is a related party, which a match then shows, not hides)."""
    if txns.empty:
        return pd.DataFrame(columns=["pos", "txnId", "amount", "date", "narration", "counterparty", "category"])
    mask = ((txns["type"] == "CREDIT") & ~txns["returned"]
            & (txns["is_business_credit"] | (txns["category"] == "self_transfer_in")))
    out = txns.loc[mask, ["txnId", "amount", "date", "narration", "counterparty", "category"]].copy()
    out.insert(0, "pos", np.flatnonzero(mask.to_numpy()))
    out["narration"] = out["narration"].fillna("").astype(str).str.upper()
    return out.sort_values(["amount", "date"], kind="mergesort").reset_index(drop=True)


def _windows(items: pd.DataFrame, p: dict) -> tuple[np.ndarray, ...]:
    """Per item: amount range and lag range (days after the item's date) a paying credit must fall in."""
    amount = items["amount"].to_numpy(float)
    ondc = (items["kind"] == "ondc_order").to_numpy()
    s_tol, i_tol, s_win = p["settlement_amount_tolerance"], p["invoice_amount_tolerance"], p["settlement_window_days"]
    lo = np.where(ondc, amount * (1 - s_tol), amount * (1 - i_tol)) - p["amount_exact_abs"]
    hi = np.where(ondc, amount * (1 + s_tol), amount) + p["amount_exact_abs"]
    lag_lo = np.where(ondc, -s_win, p["invoice_pay_window_days"][0])
    lag_hi = np.where(ondc, s_win, p["invoice_pay_window_days"][1])
    return lo, hi, lag_lo, lag_hi


def candidate_pairs(items: pd.DataFrame, credits: pd.DataFrame, p: dict) -> pd.DataFrame:
    """Every (item, credit) inside the item's amount block and date window, fully vectorised."""
    if items.empty or credits.empty:
        return pd.DataFrame({"item": pd.Series(dtype=int), "credit": pd.Series(dtype=int),
                             "lag": pd.Series(dtype=int)})
    lo, hi, lag_lo, lag_hi = _windows(items, p)
    amounts = credits["amount"].to_numpy(float)
    start, stop = np.searchsorted(amounts, lo, "left"), np.searchsorted(amounts, hi, "right")
    counts = np.maximum(stop - start, 0)
    item = np.repeat(np.arange(len(items)), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    credit = np.repeat(start, counts) + offsets
    days = credits["date"].to_numpy("datetime64[D]")
    lag = (days[credit] - items["date"].to_numpy("datetime64[D]")[item]).astype(int)
    keep = (lag >= lag_lo[item]) & (lag <= lag_hi[item])
    return pd.DataFrame({"item": item[keep], "credit": credit[keep], "lag": lag[keep]})


def _amount_scores(pairs: pd.DataFrame, items: pd.DataFrame, credits: pd.DataFrame, p: dict) -> np.ndarray:
    """1 for an exact expected amount (value, or value less standard TDS); else capped and decreasing."""
    value = items["amount"].to_numpy(float)[pairs["item"]]
    taxable = np.nan_to_num(items["taxable"].to_numpy(float))[pairs["item"]]
    got = credits["amount"].to_numpy(float)[pairs["credit"]]
    invoice = (items["kind"] == "gstr1_invoice").to_numpy()[pairs["item"]]
    diffs = [np.abs(got - value)]
    for rate in p["tds_rates"]:
        net = np.where(invoice, value - np.round(taxable * rate, 2), np.inf)
        diffs += [np.abs(got - net), np.abs(got - np.where(invoice, value - np.round(taxable * rate), np.inf))]
    best = np.min(diffs, axis=0)
    tol = np.where(invoice, p["invoice_amount_tolerance"], p["settlement_amount_tolerance"])
    inexact = p["inexact_amount_cap"] * np.clip(1 - best / np.maximum(value * tol, 1e-9), 0, 1)
    return np.where(best <= p["amount_exact_abs"], 1.0, inexact)


def _date_scores(pairs: pd.DataFrame, items: pd.DataFrame, lags: dict[str, float], p: dict) -> np.ndarray:
    """How close the credit's lag is to the expected one (learned per buyer where known)."""
    lag = pairs["lag"].to_numpy(float)
    invoice = (items["kind"] == "gstr1_invoice").to_numpy()[pairs["item"]]
    settle = 1 - np.abs(lag) / (p["settlement_window_days"] + 1)
    t_lo, t_hi = p["invoice_typical_lag_days"]
    w_hi = p["invoice_pay_window_days"][1]
    prior = np.where(lag < t_lo, 0.5 + 0.5 * lag / max(t_lo, 1),
                     np.where(lag > t_hi, 1 - 0.6 * (lag - t_hi) / max(w_hi - t_hi, 1), 1.0))
    learned = items["party"].map(lags).to_numpy(float)[pairs["item"]]
    own = 1 - np.minimum(1, np.abs(lag - learned) / p["learned_lag_spread_days"])
    invoice_score = np.where(np.isnan(learned), prior, own)
    return np.clip(np.where(invoice, invoice_score, settle), 0, 1)


def _text_scores(pairs: pd.DataFrame, items: pd.DataFrame, credits: pd.DataFrame, names: dict[str, str],
                 p: dict) -> np.ndarray:
    """1 when the narration carries the item's reference; else payer-name similarity to the learned name."""
    keys = items["keys"].tolist()
    parties = items["party"].tolist()
    narration = credits["narration"].tolist()
    payer = credits["counterparty"].tolist()
    floor, ref_floor = p["name_similarity_floor"], p["reference_similarity_floor"]
    cache: dict[tuple[str, str], float] = {}
    out = np.zeros(len(pairs))
    for n, (i, c) in enumerate(zip(pairs["item"].tolist(), pairs["credit"].tolist())):
        text = narration[c]
        if any(k in text for k in keys[i]):
            out[n] = 1.0
            continue
        best = max((fuzz.partial_ratio(k, text) / 100.0 for k in keys[i]), default=0.0)
        score = max(0.0, (best - ref_floor) / (1 - ref_floor))
        name, who = names.get(parties[i]), payer[c]
        if name and isinstance(who, str):
            sim = cache.get((name, who))
            if sim is None:
                sim = cache[(name, who)] = fuzz.token_sort_ratio(name, who) / 100.0
            score = max(score, (sim - floor) / (1 - floor))
        out[n] = score
    return out


def _score(pairs: pd.DataFrame, items: pd.DataFrame, credits: pd.DataFrame, payers: dict[str, dict],
           p: dict) -> pd.DataFrame:
    w = p["weights"]
    total = float(w["amount"] + w["date"] + w["text"]) or 1.0
    names = {k: v["name"] for k, v in payers.items()}
    lags = {k: v["median_lag_days"] for k, v in payers.items() if v.get("median_lag_days") is not None}
    out = pairs.copy()
    out["amount_score"] = _amount_scores(pairs, items, credits, p)
    out["date_score"] = _date_scores(pairs, items, lags, p)
    out["text_score"] = _text_scores(pairs, items, credits, names, p)
    out["score"] = (w["amount"] * out["amount_score"] + w["date"] * out["date_score"]
                    + w["text"] * out["text_score"]) / total
    return out


def learn_payers(scored: pd.DataFrame, items: pd.DataFrame, credits: pd.DataFrame, p: dict) -> dict[str, dict]:
    """GSTIN -> payer name and typical lag, learned from unambiguous exact-amount (or invoice-number) pairs."""
    inv = scored[(items["kind"].to_numpy()[scored["item"]] == "gstr1_invoice")
                 & ((scored["amount_score"] >= 1.0) | (scored["text_score"] >= 1.0))]
    exact = inv[inv["amount_score"] >= 1.0]
    per_item = exact.groupby("item")["credit"].transform("size")
    per_credit = exact.groupby("credit")["item"].transform("size")
    anchors = pd.concat([exact[(per_item == 1) & (per_credit == 1)], inv[inv["text_score"] >= 1.0]])
    anchors = anchors.drop_duplicates(["item", "credit"])
    anchors = anchors.assign(ctin=items["party"].to_numpy()[anchors["item"]],
                             payer=credits["counterparty"].to_numpy()[anchors["credit"]]).dropna(subset=["payer"])
    payers: dict[str, dict] = {}
    for ctin, group in anchors.groupby("ctin", sort=True):
        votes = group["payer"].value_counts()
        name, count = str(votes.index[0]), int(votes.iloc[0])
        if count < p["name_min_votes"] or count / len(group) < p["name_min_share"]:
            continue
        agreeing = group[group["payer"] == name]
        payers[str(ctin)] = {"name": name, "votes": count, "anchors": int(len(group)),
                             "median_lag_days": float(agreeing["lag"].median())}
    return payers


def assign_one_to_one(scored: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Keep pairs at or above ``threshold`` and choose, per connected block, the assignment of maximum score."""
    good = scored[scored["score"] >= threshold].reset_index(drop=True)
    if good.empty:
        return good
    items, item_idx = np.unique(good["item"].to_numpy(), return_inverse=True)
    creds, cred_idx = np.unique(good["credit"].to_numpy(), return_inverse=True)
    n_i, n = len(items), len(items) + len(creds)
    graph = coo_matrix((np.ones(len(good)), (item_idx, n_i + cred_idx)), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    good["block"] = label[item_idx]
    size = good.groupby("block")["item"].transform("size")
    chosen = [good[size == 1]]
    for _, block in good[size > 1].groupby("block", sort=False):
        bi, ii = np.unique(block["item"].to_numpy(), return_inverse=True)
        bc, ci = np.unique(block["credit"].to_numpy(), return_inverse=True)
        gain = np.full((len(bi), len(bc)), -1.0)
        gain[ii, ci] = block["score"].to_numpy()
        rows, cols = linear_sum_assignment(gain, maximize=True)
        ok = gain[rows, cols] >= threshold
        lookup = {(a, b): k for k, (a, b) in enumerate(zip(ii.tolist(), ci.tolist()))}
        chosen.append(block.iloc[[lookup[(r, c)] for r, c in zip(rows[ok].tolist(), cols[ok].tolist())]])
    return pd.concat(chosen).drop(columns="block").sort_values(["item"]).reset_index(drop=True)


def match_items(records: dict[str, list[dict]], txns: pd.DataFrame, params: dict) -> MatchResult:
    """Match ONDC settlements and GSTR-1 invoices to bank credits; see the module docstring for how."""
    p = {**MATCH_DEFAULTS, **params}
    items = pd.concat([settlement_items(records.get("ondc_orders") or []),
                       invoice_items(records.get("gst_returns") or [])], ignore_index=True)
    items["date"] = pd.to_datetime(items["date"])
    credits = settlement_credits(txns)
    pairs = candidate_pairs(items, credits, p)
    first = _score(pairs, items, credits, {}, p)
    payers = learn_payers(first, items, credits, p)
    scored = _score(pairs, items, credits, payers, p) if payers else first
    matches = assign_one_to_one(scored, float(p["match_threshold"]))
    return MatchResult(items, credits, matches, payers, len(pairs))
