"""After the one-to-one pass: the payments that are not one credit per invoice.

Buyers pay several invoices with one transfer, pay an invoice in parts, pay net of a credit note and
withhold TDS at their section's rate. What the one-to-one pass left (open GSTR-1 invoices, free credits)
is matched here, per buyer, in this order (settings in ``config["analytics"]["reconciliation"]``):

1. **Who paid.** A free credit belongs to a buyer (GSTIN) when its narration carries one of the buyer's
   open invoice numbers, else when its payer is at least ``payer_similarity`` like the buyer's learned name.
   Buyers the one-to-one pass could not learn (all their payments net of an unusual TDS rate) are learned
   here: from a credit naming their invoice, or from one payer whose credits equal their invoices less TDS
   at the same rate at least ``name_min_votes`` times (:mod:`.tds`). Each buyer's TDS rate is learned too.
2. **Credit notes.** Invoice value minus a GSTR-1 credit note of the same buyer dated within
   ``credit_note_lag_days`` after it (less TDS on the net taxable value) equals one credit.
3. **TDS at any rate.** One credit equals an invoice less TDS at an inferred rate (see :mod:`.tds`).
4. **Many-to-one.** One credit equals the sum of 2..k open invoices of its buyer raised within
   ``invoice_pay_window_days`` before it, exactly or less TDS at one rate; at most ``max_subset_invoices``
   invoices (those nearest the buyer's usual lag, and any the narration names) are tried, so at most 57
   subsets per credit.
5. **Part payments.** 2..``max_parts`` credits of the buyer inside the invoice's window (the first
   ``max_part_candidates`` of them are tried) add up to the invoice's value, or its value less TDS. Credits
   whose narration names an invoice but fall short are kept as a part payment with its remainder.

Every group carries its amounts, the inferred TDS rate and any remainder with its reason; every invoice
left open gets the reason it is open. All loops run over open items and free credits of one buyer only.
"""
from __future__ import annotations

import re
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from analytics.reconciliation.match import candidate_pairs
from analytics.reconciliation.tds import TDS_DEFAULTS, buyer_rates, clean_rate, clean_rates

MULTI_DEFAULTS: dict[str, Any] = {**TDS_DEFAULTS, "max_subset_invoices": 6, "max_parts": 3,
                                  "max_part_candidates": 8, "payer_similarity": 0.9, "credit_note_lag_days": 60}


def _rs(x: float) -> str:
    """Rupees with Indian digit grouping (Rs 1,23,456), for reasons a person reads."""
    digits = f"{abs(round(x)):d}"
    head, parts = digits[:-3], [digits[-3:]]
    while head:
        parts.insert(0, head[-2:])
        head = head[:-2]
    return "Rs " + ",".join(parts)


class Buyers:
    """Open invoices and free credits per buyer GSTIN, the buyers' names and TDS rates."""

    def __init__(self, items: pd.DataFrame, credits: pd.DataFrame, matches: pd.DataFrame, payers: dict, p: dict):
        self.items, self.credits, self.p = items, credits, p
        self.value = items["amount"].to_numpy(float)
        self.taxable = np.nan_to_num(items["taxable"].to_numpy(float))
        self.idate = items["date"].to_numpy("datetime64[D]")
        self.cdate = credits["date"].to_numpy("datetime64[D]")
        self.got = credits["amount"].to_numpy(float)
        invoice = (items["kind"] == "gstr1_invoice").to_numpy()
        taken = set(matches["item"].tolist()) if len(matches) else set()
        self.open = {i for i in np.flatnonzero(invoice).tolist() if i not in taken}
        used = set(matches["credit"].tolist()) if len(matches) else set()
        self.free = {c for c in range(len(credits)) if c not in used}
        self.names = {k: v["name"] for k, v in payers.items()}
        self.lags = {k: v.get("median_lag_days") for k, v in payers.items()}
        self.rates: dict[str, float] = {}
        self.of_credit: dict[int, str] = {}
        self.refs: dict[int, set[int]] = {}
        self._by_ctin: dict[str, list[int]] | None = None
        self._of_ctin: dict[str, list[int]] | None = None

    def lag(self, i: int, c: int) -> int:
        """Days from invoice ``i`` to credit ``c``."""
        return int((self.cdate[c] - self.idate[i]).astype(int))

    def in_window(self, i: int, c: int) -> bool:
        """Whether credit ``c`` falls inside invoice ``i``'s payment window."""
        lo, hi = self.p["invoice_pay_window_days"]
        return lo <= self.lag(i, c) <= hi

    def ok(self, ctin: str, rate: float | None) -> bool:
        """A rate is acceptable for a buyer: none at all, or the buyer's learned rate (any, if not learned)."""
        return rate is not None and (rate == 0.0 or ctin not in self.rates or self.rates[ctin] == rate)

    def closeness(self, ctin: str, i: int, c: int) -> float:
        """How far a credit's lag is from the buyer's usual lag (the middle of the prior when unknown)."""
        usual = self.lags.get(ctin)
        return abs(self.lag(i, c) - (usual if usual is not None else float(np.mean(self.p["invoice_typical_lag_days"]))))

    def invoices_of(self, ctin: str) -> list[int]:
        """Open invoices of a buyer, oldest first."""
        if self._by_ctin is None:
            self._by_ctin = {}
            party = self.items["party"].to_numpy()
            for i in sorted(self.open, key=lambda i: (self.idate[i], i)):
                self._by_ctin.setdefault(party[i], []).append(i)
        return [i for i in self._by_ctin.get(ctin, ()) if i in self.open]

    def credits_of(self, ctin: str) -> list[int]:
        """Free credits attributed to a buyer, oldest first."""
        if self._of_ctin is None:
            self._of_ctin = {}
            for c in sorted(self.of_credit, key=lambda c: (self.cdate[c], c)):
                self._of_ctin.setdefault(self.of_credit[c], []).append(c)
        return [c for c in self._of_ctin.get(ctin, ()) if c in self.free]


def _references(b: Buyers) -> None:
    """Free credits whose narration carries an open invoice's number: credit -> those invoices (one regex)."""
    keys = b.items["keys"].to_numpy()
    owner: dict[str, set[int]] = {}
    for i in sorted(b.open):
        for k in keys[i]:
            owner.setdefault(k, set()).add(i)
    if not owner:
        return
    pattern = re.compile("|".join(re.escape(k) for k in sorted(owner, key=lambda k: (-len(k), k))))
    narration = b.credits["narration"].to_numpy()
    for c in sorted(b.free):
        hit = set().union(*(owner[k] for k in pattern.findall(narration[c])))
        if hit:
            b.refs[c] = hit


def learn_buyers(b: Buyers, matches: pd.DataFrame) -> None:
    """Learn names of buyers the one-to-one pass missed, every buyer's TDS rate, and who paid each free credit."""
    p, party = b.p, b.items["party"].to_numpy()
    payer = b.credits["counterparty"].to_numpy()
    _references(b)
    for c, hit in sorted(b.refs.items()):
        for ctin in sorted({party[i] for i in hit}):
            if ctin not in b.names and isinstance(payer[c], str) and payer[c] not in b.names.values():
                b.names[ctin] = payer[c]
    open_idx, free_idx = sorted(b.open), sorted(b.free)
    wide = candidate_pairs(b.items.iloc[open_idx].reset_index(drop=True),
                           b.credits.iloc[free_idx].reset_index(drop=True),
                           {**p, "invoice_amount_tolerance": p["tds_rate_range"][1]})
    it, cr = np.asarray(open_idx, int)[wide["item"].to_numpy()], np.asarray(free_idx, int)[wide["credit"].to_numpy()]
    wide_rates = clean_rates(b.value[it], b.taxable[it], b.got[cr], p)
    pattern = pd.DataFrame({"ctin": party[it], "payer": payer[cr], "rate": wide_rates}).dropna()
    pattern = pattern[pattern["rate"] > 0]
    for (ctin, name), group in pattern.groupby(["ctin", "payer"], sort=True):
        votes = group["rate"].value_counts()
        if ctin in b.names or name in b.names.values() or int(votes.iloc[0]) < p["name_min_votes"]:
            continue
        b.names[str(ctin)] = str(name)
    named = np.array([b.names.get(x) == y for x, y in zip(party[it], payer[cr])], dtype=bool)
    votes_ctin, votes_rate = [party[it][named]], [wide_rates[named]]
    inv = (b.items["kind"] == "gstr1_invoice").to_numpy()
    if len(matches):
        mi, mc = matches["item"].to_numpy(), matches["credit"].to_numpy()
        keep = inv[mi]
        votes_ctin.append(party[mi[keep]])
        votes_rate.append(clean_rates(b.value[mi[keep]], b.taxable[mi[keep]], b.got[mc[keep]], p))
    b.rates = buyer_rates(np.concatenate(votes_ctin), np.concatenate(votes_rate), p)
    cache: dict[str, str | None] = {}
    for c in sorted(b.free):
        if c in b.refs:
            b.of_credit[c] = str(party[min(b.refs[c])])
            continue
        who = payer[c]
        if not isinstance(who, str):
            continue
        if who not in cache:
            best = max(((fuzz.token_sort_ratio(n, who) / 100.0, k) for k, n in sorted(b.names.items())), default=(0, None))
            cache[who] = best[1] if best[0] >= p["payer_similarity"] else None
        if cache[who]:
            b.of_credit[c] = cache[who]


def _group(kind: str, items: list[int], credits: list[int], rate: float, expected: float, received: float,
           **extra: Any) -> dict:
    return {"kind": kind, "items": [int(i) for i in items], "credits": [int(c) for c in credits], "tds_rate": float(rate),
            "expected": round(float(expected), 2), "received": round(float(received), 2), **extra}


def _take(b: Buyers, group: dict) -> dict:
    b.open -= set(group["items"])
    b.free -= set(group["credits"])
    return group


def _credit_notes(b: Buyers, notes: pd.DataFrame) -> list[dict]:
    out = []
    for note in notes.sort_values(["date", "nt_num"], kind="mergesort").itertuples(index=False):
        nday = np.datetime64(note.date.date(), "D")
        best = None
        for i in b.invoices_of(note.ctin):
            if not 0 <= int((nday - b.idate[i]).astype(int)) <= b.p["credit_note_lag_days"]:
                continue
            for c in b.credits_of(note.ctin):
                if not b.in_window(i, c):
                    continue
                rate = clean_rate(b.value[i] - note.val, b.taxable[i] - note.taxable, b.got[c], 1, b.p)
                if b.ok(note.ctin, rate) and (best is None or b.closeness(note.ctin, i, c) < best[0]):
                    best = (b.closeness(note.ctin, i, c), i, c, rate)
        if best:
            _, i, c, rate = best
            out.append(_take(b, _group("credit_note", [i], [c], rate, b.value[i] - note.val - rate * (
                b.taxable[i] - note.taxable), b.got[c], credit_note=str(note.nt_num), credit_note_value=float(note.val))))
    return out


def _singles(b: Buyers, ctin: str) -> list[dict]:
    out = []
    for i in b.invoices_of(ctin):
        best = None
        for c in b.credits_of(ctin):
            if b.in_window(i, c) and b.got[c] <= b.value[i] + 1:
                rate = clean_rate(b.value[i], b.taxable[i], b.got[c], 1, b.p)
                if b.ok(ctin, rate) and (best is None or b.closeness(ctin, i, c) < best[0]):
                    best = (b.closeness(ctin, i, c), c, rate)
        if best:
            _, c, rate = best
            kind = "tds" if rate > 0 else "one_to_one"
            out.append(_take(b, _group(kind, [i], [c], rate, b.value[i] - rate * b.taxable[i], b.got[c])))
    return out


def _many_to_one(b: Buyers, ctin: str) -> list[dict]:
    out, k_max = [], int(b.p["max_subset_invoices"])
    for c in b.credits_of(ctin):
        pool = [i for i in b.invoices_of(ctin) if b.in_window(i, c) and b.value[i] < b.got[c]]
        named = [i for i in pool if i in b.refs.get(c, ())]
        pool = named + sorted((i for i in pool if i not in named), key=lambda i: (b.closeness(ctin, i, c), i))
        pool = sorted(pool[:k_max])
        found = []
        for size in range(2, len(pool) + 1):
            for subset in combinations(pool, size):
                rate = clean_rate(float(b.value[list(subset)].sum()), float(b.taxable[list(subset)].sum()),
                                  b.got[c], size, b.p)
                if b.ok(ctin, rate):
                    found.append((-len(set(subset) & set(named)), rate != b.rates.get(ctin, rate), size, subset, rate))
        if found:
            *_, subset, rate = min(found)
            items = list(subset)
            expected = float(b.value[items].sum() - rate * b.taxable[items].sum())
            out.append(_take(b, _group("many_to_one", items, [c], rate, expected, b.got[c])))
    return out


def _parts(b: Buyers, ctin: str) -> list[dict]:
    out, end = [], b.p.get("statement_end")
    for i in b.invoices_of(ctin):
        pool = [c for c in b.credits_of(ctin) if b.in_window(i, c) and b.got[c] < b.value[i]][: b.p["max_part_candidates"]]
        found = []
        for size in range(2, min(len(pool), int(b.p["max_parts"])) + 1):
            for subset in combinations(pool, size):
                rate = clean_rate(b.value[i], b.taxable[i], float(b.got[list(subset)].sum()), 1, b.p)
                if b.ok(ctin, rate):
                    found.append((-sum(i in b.refs.get(c, ()) for c in subset), b.lag(i, subset[-1]), subset, rate))
        if found:
            *_, subset, rate = min(found)
            out.append(_take(b, _group("part_payment", [i], list(subset), rate, b.value[i] - rate * b.taxable[i],
                                       float(b.got[list(subset)].sum()))))
            continue
        named = [c for c in pool if i in b.refs.get(c, ())]
        if named:
            rate = b.rates.get(ctin, 0.0)
            expected, got = b.value[i] - rate * b.taxable[i], float(b.got[named].sum())
            if got < expected - b.p["amount_exact_abs"]:
                window_end = b.idate[i] + np.timedelta64(int(b.p["invoice_pay_window_days"][1]), "D")
                still = end is not None and window_end > np.datetime64(end, "D")
                tail = (f"window open until {str(window_end)}" if still else
                        f"no further credit from {b.names.get(ctin, ctin)} within {b.p['invoice_pay_window_days'][1]} days")
                reason = f"short by {_rs(expected - got)} after {len(named)} part{'s' * (len(named) > 1)}; {tail}"
                out.append(_take(b, _group("part_payment", [i], named, rate, expected, got, reason=reason)))
    return out


def open_reason(b: Buyers, i: int) -> str:
    """Why an invoice is still open: no payer known, no credit from the payer, or none that fits."""
    ctin = str(b.items["party"].iat[i])
    name = b.names.get(ctin)
    if name is None:
        return f"the payer of buyer {ctin} is not identified in the bank statement"
    seen = [c for c, who in b.of_credit.items() if who == ctin and b.in_window(i, c)]
    days = b.p["invoice_pay_window_days"][1]
    if not seen:
        return f"no credit from {name} within {days} days of the invoice"
    return (f"{len(seen)} credit{'s' * (len(seen) > 1)} from {name} within {days} days, none fits "
            f"{_rs(b.value[i])} alone, in parts, with other invoices or net of TDS / a credit note")


def match_many(items: pd.DataFrame, credits: pd.DataFrame, matches: pd.DataFrame, payers: dict,
               notes: pd.DataFrame, params: dict) -> tuple[list[dict], dict[int, str], Buyers]:
    """Match what the one-to-one pass left: groups of invoices and credits, and why each invoice stays open.

    Why: real buyers rarely pay invoice by invoice; without these passes every combined payment, part
    payment or credit-note deduction looks like an unpaid invoice plus an undeclared credit.
    """
    p = {**MULTI_DEFAULTS, **params}
    b = Buyers(items, credits, matches, payers, p)
    groups: list[dict] = []
    learn_buyers(b, matches)
    if not b.open or not b.free:
        return groups, {i: open_reason(b, i) for i in sorted(b.open)}, b
    groups += _credit_notes(b, notes)
    ctins = sorted(set(b.of_credit.values()))
    for step in (_singles, _many_to_one, _parts):
        for ctin in ctins:
            groups += step(b, ctin)
    return groups, {i: open_reason(b, i) for i in sorted(b.open)}, b
