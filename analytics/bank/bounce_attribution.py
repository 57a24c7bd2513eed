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
_REFERENCE = re.compile(r"[A-Z0-9]{10,}")

METHODS = ("mandate_reference", "named_lender", "amount_date", "date", "unattributed")


def references(narration: str) -> list[str]:
    """Long alphanumeric tokens with digits (UMRNs, loan account numbers) of a narration."""
    return [t for t in _REFERENCE.findall((narration or "").upper()) if any(c.isdigit() for c in t)]


def _one_party(lines: pd.DataFrame) -> str | None:
    parties = {p for p in lines["counterparty"] if isinstance(p, str) and p}
    return parties.pop() if len(parties) == 1 else None


def attribute_bounce(emis: pd.DataFrame, narration: str, counterparty: str | None, day: pd.Timestamp,
                     amount: float | None, window_days: int) -> dict[str, Any]:
    """``{lender, attribution, mandate_reference, evidence_txn_ids}`` of one bounce.

    ``emis`` are the account's EMI debits (``txnId``, ``date``, ``amount``, ``counterparty``, ``narration``);
    ``window_days`` is how soon after a return its EMI is presented again.
    """
    for ref in references(narration):
        hits = emis[emis["narration"].str.upper().str.contains(ref, regex=False, na=False)]
        lender = _one_party(hits) if len(hits) else None
        if lender:
            return _found(lender, "mandate_reference", ref, hits)
    if counterparty:
        named = emis[emis["counterparty"] == counterparty]
        if len(named):
            return _found(counterparty, "named_lender", None, named)
    gap = (emis["date"] - day).dt.days
    if amount:
        near = emis[(gap.abs() <= AMOUNT_WINDOW_DAYS) & ((emis["amount"] - amount).abs() <= AMOUNT_TOLERANCE * amount)]
        lender = _one_party(near) if len(near) else None
        if lender:
            return _found(lender, "amount_date", None, near)
    after = emis[(gap >= 0) & (gap <= window_days)]
    lender = _one_party(after) if len(after) else None
    if lender:
        return _found(lender, "date", None, after)
    return {"lender": None, "attribution": "unattributed", "mandate_reference": None, "evidence_txn_ids": []}


def _found(lender: str, method: str, reference: str | None, lines: pd.DataFrame) -> dict[str, Any]:
    return {"lender": lender, "attribution": method, "mandate_reference": reference,
            "evidence_txn_ids": [str(t) for t in lines["txnId"].head(3)]}
