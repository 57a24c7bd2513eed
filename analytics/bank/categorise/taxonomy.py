"""The taxonomy of statement lines (``analytics/bank/taxonomy.json``, documented in docs/taxonomy.md):
21 top-level groups, each leaf in exactly one of them."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

TAXONOMY_PATH = Path(__file__).resolve().parent.parent / "taxonomy.json"
GROUPS = ("BUSINESS_INCOME", "LOAN_DISBURSAL", "LOAN_REPAYMENT", "BOUNCE", "BANK_CHARGES", "TAX", "STATUTORY",
          "SALARY", "RENT", "UTILITIES", "SUPPLIER_PAYMENT", "CASH_WITHDRAWAL", "CASH_DEPOSIT", "SELF_TRANSFER",
          "INVESTMENT", "INSURANCE", "INTEREST", "REVERSAL_REFUND", "CARD_PAYMENT", "PERSONAL", "OTHER")


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, Any]:
    """The taxonomy document: ``{"groups": {...}, "categories": {leaf: {group, direction, definition, ...}}}``."""
    return json.loads(TAXONOMY_PATH.read_text(encoding="utf-8"))


def leaves() -> dict[str, dict[str, Any]]:
    """Every leaf id with its definition."""
    return taxonomy()["categories"]


def group_of(leaf: str) -> str:
    """The top-level group of a leaf (``OTHER`` for an id the taxonomy does not know)."""
    entry = leaves().get(leaf)
    return entry["group"] if entry else "OTHER"
