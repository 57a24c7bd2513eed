"""Which lender a bounced mandate belongs to, and how sure we are.

A return charge often names no lender (``NACH RTN CHRG INSUFFICIENT FUNDS <UMRN>``); pinning it on the
first EMI debit of the next days books a Flexiloans bounce to Kotak whenever Kotak's EMI falls first, and
Smart Collect then warns the wrong lender. The evidence is tried strongest first, as an analyst would:

1. ``mandate_reference``: a long reference on the return (the UMRN, or a loan account number) that also
   appears on EMI debits of exactly one lender;
2. ``named_lender``: the return line names a party that the account's EMIs are paid to;
3. ``amount_date``: the return's amount equals (within 1%) the EMI of exactly one lender paid within
   45 days of it;
4. ``date``: exactly one lender's EMI is debited in the days after the return (its re-presentation);
5. ``unattributed``: none of these is unambiguous; the bounce counts, its lender stays unknown.
"""
from __future__ import annotations

import re
from typing import Any

import pandas as pd

AMOUNT_TOLERANCE = 0.01
AMOUNT_WINDOW_DAYS = 45
DOMINANT_SHARE = 0.75   # one lender's lines among the evidence, with a few spelled as a mangled line spells them
_REFERENCE = re.compile(r"[A-Z0-9]{10,}")

METHODS = ("mandate_reference", "named_lender", "amount_date", "date", "unattributed")


def references(narration: str) -> list[str]:
    """Long alphanumeric tokens with digits (UMRNs, loan account numbers) of a narration."""
    return [t for t in _REFERENCE.findall((narration or "").upper()) if any(c.isdigit() for c in t)]


def _party_stem(name: str) -> str:
    """The first eight letters of a name without spaces: one lender however a line spaced or cut it."""
    return re.sub(r"[^A-Z]", "", name.upper())[:8]


def _one_party(lines: pd.DataFrame, emis: pd.DataFrame | None = None) -> str | None:
    """The one lender the lines are paid to (its most frequent spelling), or None when there are several
    (a lender whose lines are at least :data:`DOMINANT_SHARE` of them counts as the one), spelled as most of
    ``emis`` (all the account's EMI lines) spell it."""
    parties = [p for p in lines["counterparty"] if isinstance(p, str) and p]
    if not parties:
        return None
    stems = pd.Series([_party_stem(p) for p in parties]).value_counts()
    if len(stems) > 1 and stems.iloc[0] < DOMINANT_SHARE * len(parties):
        return None   # two lenders behind the same evidence: no guess
    pool = parties if emis is None else [p for p in emis["counterparty"] if isinstance(p, str) and p]
    mine = [p for p in pool if _party_stem(p) == stems.index[0]]   # the spelling the account's EMIs mostly use
    counts = pd.Series(mine).value_counts(sort=False)
    return str(counts.index[counts.to_numpy().argmax()])


def attribute_bounce(emis: pd.DataFrame, narration: str, counterparty: str | None, day: pd.Timestamp,
                     amount: float | None, window_days: int) -> dict[str, Any]:
    """``{lender, attribution, mandate_reference, evidence_txn_ids}`` of one bounce.

    ``emis`` are the account's EMI debits (``txnId``, ``date``, ``amount``, ``counterparty``, ``narration``);
    ``window_days`` is how soon after a return its EMI is presented again.
    """
    for ref in references(narration):
        hits = emis[emis["narration"].str.upper().str.contains(ref, regex=False, na=False)]
        lender = _one_party(hits, emis) if len(hits) else None
        if lender:
            return _found(lender, "mandate_reference", ref, hits)
    mangled = _mangled_reference(emis, narration)
    if mangled is not None:
        return mangled
    if counterparty and len(_party_stem(counterparty)) >= 6:   # named, however spaced or cut
        stem = _party_stem(counterparty)
        named = emis[emis["counterparty"].map(lambda p: isinstance(p, str) and _party_stem(p) == stem)]
        lender = _one_party(named, emis) if len(named) else None
        if lender:
            return _found(lender, "named_lender", None, named)
    gap = (emis["date"] - day).dt.days
    if amount:
        near = emis[(gap.abs() <= AMOUNT_WINDOW_DAYS) & ((emis["amount"] - amount).abs() <= AMOUNT_TOLERANCE * amount)]
        lender = _one_party(near, emis) if len(near) else None
        if lender:
            return _found(lender, "amount_date", None, near)
    after = emis[(gap >= 0) & (gap <= window_days)]
    lender = _one_party(after, emis) if len(after) else None
    if lender:
        return _found(lender, "date", None, after)
    return {"lender": None, "attribution": "unattributed", "mandate_reference": None, "evidence_txn_ids": []}


MIN_CUT_REFERENCE = 12


def _mangled_reference(emis: pd.DataFrame, narration: str) -> dict[str, Any] | None:
    """A mandate reference the return prints broken: a space inside it (PDF line wrap) or cut short at the
    end of the line. Each EMI reference of the account is looked for in the return with spaces removed,
    whole or, at the very end of the line, as a prefix of at least :data:`MIN_CUT_REFERENCE` characters."""
    squashed = (narration or "").upper().replace(" ", "")
    if not squashed or not len(emis):
        return None
    by_ref: dict[str, set[int]] = {}
    for i, text in enumerate(emis["narration"].fillna("").astype(str).tolist()):
        for ref in references(text):
            by_ref.setdefault(ref, set()).add(i)
    for ref, rows in sorted(by_ref.items(), key=lambda kv: (-len(kv[1]), -len(kv[0]), kv[0])):
        whole = ref in squashed
        cut = not whole and any(squashed.endswith(ref[:k]) for k in range(len(ref) - 1, MIN_CUT_REFERENCE - 1, -1))
        if whole or cut:
            hits = emis.iloc[sorted(rows)]
            lender = _one_party(hits, emis)
            if lender:
                return _found(lender, "mandate_reference", ref, hits)
    return None


def _found(lender: str, method: str, reference: str | None, lines: pd.DataFrame) -> dict[str, Any]:
    return {"lender": lender, "attribution": method, "mandate_reference": reference,
            "evidence_txn_ids": [str(t) for t in lines["txnId"].head(3)]}
