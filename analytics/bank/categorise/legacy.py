"""The coarse categories the bank analytics read (``emi``, ``upi_sales``, ``supplier_payment``, ...), derived from
the taxonomy leaf through one table (``data/legacy.json``), so there is one classifier and the analytics written
against the coarse names keep their meaning."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

LEGACY_PATH = Path(__file__).with_name("data") / "legacy.json"
# coarse credit categories that count as business (operating) credits, as the analytics always have
BUSINESS_CREDITS = frozenset({"upi_sales", "b2b_collection", "ondc_settlement", "cash_deposit", "cheque_deposit",
                              "other_credit"})


@lru_cache(maxsize=1)
def legacy_table() -> dict[str, str | dict[str, str]]:
    """Leaf -> coarse category, or {"CREDIT": .., "DEBIT": ..} for a leaf posted on both sides."""
    return json.loads(LEGACY_PATH.read_text(encoding="utf-8"))["legacy"]


def legacy_category(leaf: str, txn_type: str) -> str:
    """The coarse category of a leaf on one side of the statement."""
    entry = legacy_table().get(leaf)
    if entry is None:
        return "other_credit" if txn_type == "CREDIT" else "other_debit"
    return entry if isinstance(entry, str) else entry[txn_type if txn_type in entry else "DEBIT"]
