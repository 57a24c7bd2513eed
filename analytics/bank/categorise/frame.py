"""A whole statement at once: every line's leaf, group, coarse category and counterparty as frame columns."""
from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.bank.categorise.engine import categorise
from analytics.bank.categorise.legacy import BUSINESS_CREDITS, legacy_category


def categorise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Categorise every row of a frame with ``narration``, ``type``, ``mode`` and (optional) ``amount``.

    Returns, aligned to ``df.index``: ``category`` (the coarse category the analytics read), ``category_leaf``,
    ``group``, ``counterparty``, ``confidence`` and ``is_business_credit``. The engine caches per digit-folded
    narration, so a statement costs one dictionary look-up for most lines.
    """
    narr = [n if isinstance(n, str) else "" for n in df["narration"].tolist()]
    types = [str(t).upper() for t in df["type"].tolist()]
    modes = [m if isinstance(m, str) else None for m in df["mode"].tolist()] if "mode" in df else [None] * len(df)
    amounts = df["amount"].tolist() if "amount" in df else [None] * len(df)
    results = [categorise(n, t, a, m) for n, t, a, m in zip(narr, types, amounts, modes)]
    legacy = [legacy_category(r.category, t) for r, t in zip(results, types)]
    category = pd.Series(legacy, index=df.index, dtype=object)
    business = (np.asarray(types) == "CREDIT") & category.isin(BUSINESS_CREDITS).to_numpy()
    return pd.DataFrame({
        "category": category,
        "category_leaf": pd.Series([r.category for r in results], index=df.index, dtype=object),
        "group": pd.Series([r.group for r in results], index=df.index, dtype=object),
        "counterparty": pd.Series([r.counterparty for r in results], index=df.index, dtype=object),
        "confidence": pd.Series([r.confidence for r in results], index=df.index, dtype=float),
        "is_business_credit": business,
    }, index=df.index)


def with_categories(records: list[dict]) -> list[dict]:
    """Copies of clean transaction records with ``group`` and ``category_leaf`` added (for the API's pages:
    the officer sees the taxonomy leaf of each line the analytics counted)."""
    out = []
    for record in records:
        result = categorise(record.get("narration"), str(record.get("type", "")).upper(), record.get("amount"),
                            record.get("mode"))
        out.append({**record, "group": result.group, "category_leaf": result.category})
    return out
