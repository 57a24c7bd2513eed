"""A whole statement at once: every line's leaf, group, coarse category and counterparty as frame columns."""
from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.bank.categorise.engine import categorise
from analytics.bank.categorise.legacy import BUSINESS_CREDITS, legacy_category
from analytics.bank.categorise.statement_context import StatementContext, canonical_parties
from analytics.bank.categorise.taxonomy import group_of


def _resolved(narr: list[str], types: list[str], amounts: list, modes: list) -> tuple[list, list[str], list]:
    """Per-line results, then each line's leaf and counterparty resolved against the whole statement."""
    results = [categorise(n, t, a, m) for n, t, a, m in zip(narr, types, amounts, modes)]
    leaves = [r.category for r in results]
    parties = [r.counterparty for r in results]
    context = StatementContext(leaves, types, parties)
    resolved = [context.resolve(leaf, t, p) for leaf, t, p in zip(leaves, types, parties)]
    return results, [leaf for leaf, _ in resolved], canonical_parties([p for _, p in resolved])


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
    results, leaves, parties = _resolved(narr, types, amounts, modes)
    legacy = [legacy_category(leaf, t) for leaf, t in zip(leaves, types)]
    category = pd.Series(legacy, index=df.index, dtype=object)
    business = (np.asarray(types) == "CREDIT") & category.isin(BUSINESS_CREDITS).to_numpy()
    return pd.DataFrame({
        "category": category,
        "category_leaf": pd.Series(leaves, index=df.index, dtype=object),
        "group": pd.Series([group_of(leaf) for leaf in leaves], index=df.index, dtype=object),
        "counterparty": pd.Series(parties, index=df.index, dtype=object),
        "confidence": pd.Series([r.confidence for r in results], index=df.index, dtype=float),
        "is_business_credit": business,
    }, index=df.index)


def with_categories(records: list[dict], statement: list[dict] | None = None) -> list[dict]:
    """Copies of clean transaction records with ``group`` and ``category_leaf`` added (for the API's pages:
    the officer sees the taxonomy leaf of each line the analytics counted). ``statement`` is the whole
    statement the records are a page of, so a cut name resolves exactly as the analytics resolved it."""
    rows = statement if statement is not None else records
    get = lambda key: [r.get(key) for r in rows]  # noqa: E731
    narr = [n if isinstance(n, str) else "" for n in get("narration")]
    types = [str(t or "").upper() for t in get("type")]
    _, leaves, _ = _resolved(narr, types, get("amount"), get("mode"))
    by_id = {id(r): leaf for r, leaf in zip(rows, leaves)}
    out = []
    for record in records:
        leaf = by_id.get(id(record))
        if leaf is None:
            leaf = categorise(record.get("narration"), str(record.get("type", "")).upper(), record.get("amount"),
                              record.get("mode")).category
        out.append({**record, "group": group_of(leaf), "category_leaf": leaf})
    return out
