"""Categorise bank-statement lines and name their counterparty: the coarse view of :mod:`analytics.bank.categorise`.

There is one classifier, the narration categoriser (taxonomy leaf + group, docs/taxonomy.md); this module keeps
the coarse category names the bank analytics were written against (``emi``, ``upi_sales``, ``supplier_payment``,
...), derived from the leaf through one table (``categorise/data/legacy.json``).
"""
from __future__ import annotations

import re

import pandas as pd

from analytics.bank.categorise.engine import categorise
from analytics.bank.categorise.frame import categorise_frame
from analytics.bank.categorise.legacy import BUSINESS_CREDITS, legacy_category, legacy_table
from analytics.bank.categorise.parties import extract_counterparty, normalise_party
from pipeline.reuse import Remembered

NON_BUSINESS_CREDITS = frozenset({"self_transfer_in", "loan_disbursal", "reversal", "refund", "interest", "bounce"})
DEBIT_CATEGORIES = tuple(sorted({v for entry in legacy_table().values()
                                 for v in ([entry] if isinstance(entry, str) else entry.values())}
                                - BUSINESS_CREDITS - {"self_transfer_in", "loan_disbursal", "refund", "interest"}))
_WORD = re.compile(r"[A-Z]+")

__all__ = ["BUSINESS_CREDITS", "NON_BUSINESS_CREDITS", "DEBIT_CATEGORIES", "classify_narration", "classify_frame",
           "extract_counterparty", "normalise_party", "narration_words"]


def classify_narration(narration: str, txn_type: str, mode: str | None = None,
                       amount: float | None = None) -> tuple[str, str | None]:
    """Return ``(coarse category, counterparty)`` for one statement line (the API's drill-down, tests)."""
    result = categorise(narration, txn_type, amount, mode)
    return legacy_category(result.category, (txn_type or "").upper()), result.counterparty


_LAST_STATEMENT = Remembered("classified statement")


def classify_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Classify every row of a frame with ``narration``, ``type`` and ``mode``: ``category`` (coarse),
    ``category_leaf``, ``group``, ``counterparty``, ``confidence`` and ``is_business_credit``, aligned to
    ``df.index`` (see :func:`analytics.bank.categorise.frame.categorise_frame`).

    The last statement's result is remembered (:mod:`pipeline.reuse`) under the very columns it was computed
    from, so the ``models`` step does not categorise again what ``analyze`` did; each caller gets its own copy.
    """
    key = [df[c].tolist() if c in df else None for c in ("narration", "type", "mode", "amount")]
    found = _LAST_STATEMENT.get(key)
    if found is None:
        found = _LAST_STATEMENT.put(key, categorise_frame(df))
    return found.set_axis(df.index).copy()


def narration_words(narration: str) -> frozenset:
    """The upper-case words of a narration, for callers that need more than the category, e.g. which rail a
    bounce came through or whether a charge names an outward return."""
    return frozenset(_WORD.findall((narration or "").upper()))
