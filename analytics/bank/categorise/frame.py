"""A whole statement at once: every line's leaf, group, coarse category and counterparty as frame columns."""
from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from analytics.bank.categorise.engine import SMALL_AMOUNT, categorise, decide
from analytics.bank.categorise.legacy import BUSINESS_CREDITS, legacy_category
from analytics.bank.categorise.parties import party_keys
from analytics.bank.categorise.statement_context import StatementContext, canonical_parties, canonical_spellings
from analytics.bank.categorise.taxonomy import group_of


def _codes(values: list) -> tuple[np.ndarray, list]:
    """Integer codes of a column and its distinct values (a missing value, None, is one of them)."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    return np.where(codes < 0, len(uniques), codes).astype(np.int64), [*uniques, None]


def categorise_statement(narrations: list[str], types: list[str], amounts, modes: list[str | None]
                         ) -> tuple[np.ndarray, np.ndarray, list[tuple[str, str | None, float, int]]]:
    """Every line of a statement as :func:`~analytics.bank.categorise.engine.categorise` gives them one by one,
    but each distinct line key (digit-folded narration, type, mode, small amount) decided once: 17,000 lines
    have a few thousand keys. Returns ``(line, first, decided)``: line ``i``'s ``(leaf, counterparty,
    confidence, rule)`` is ``decided[line[i]]``; keys are numbered in the order of their first line, ``first``."""
    if not len(narrations):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), []
    keys, key_values = _codes(party_keys([narration.upper() for narration in narrations]))
    kinds, kind_values = _codes(types)
    channels, channel_values = _codes(modes)
    if isinstance(amounts, np.ndarray) and amounts.dtype.kind == "f":
        small = np.abs(amounts) < SMALL_AMOUNT
    else:
        small = np.array([a is not None and abs(float(a)) < SMALL_AMOUNT for a in amounts], dtype=bool)
    combined = ((keys * len(kind_values) + kinds) * len(channel_values) + channels) * 2 + small
    _, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    first = first[order]
    decided = [decide(key_values[keys[row]], (kind_values[kinds[row]] or "").upper(),
                      (channel_values[channels[row]] or "").upper(), bool(small[row])) for row in first.tolist()]
    return rank[inverse.ravel()], first, decided


def _resolved(narr: list[str], types: list[str], amounts, modes: list) -> tuple[np.ndarray, np.ndarray, list[tuple]]:
    """Per line key (see :func:`categorise_statement`): ``(line, first, [(leaf, counterparty, confidence, type)])``,
    each key's leaf and counterparty resolved against the whole statement, its counterparty in the spelling the
    statement uses most (:func:`canonical_parties`, weighted by the key's lines)."""
    line, first, decided = categorise_statement(narr, types, amounts, modes)
    kinds = [types[row] for row in first.tolist()]
    context = StatementContext([leaf for leaf, _, _, _ in decided], kinds, [party for _, party, _, _ in decided])
    resolved = [context.resolve(leaf, kind, party) for (leaf, party, _, _), kind in zip(decided, kinds)]
    lines = np.bincount(line, minlength=len(decided)).tolist()
    counts: Counter = Counter()
    for (_, party), n in zip(resolved, lines):
        counts[party] += n
    spelling = canonical_spellings(counts)
    return line, first, [(leaf, spelling.get(party, party), conf, kind)
                         for (leaf, party), (_, _, conf, _), kind in zip(resolved, decided, kinds)]


def _column(values: list, line: np.ndarray, index: pd.Index, dtype=object) -> pd.Series:
    """A per-key list spread over the lines (``line`` gives each line's key), as a column aligned to ``index``."""
    table = np.empty(len(values), dtype=object) if dtype is object else np.asarray(values, dtype=dtype)
    if dtype is object:
        table[:] = values
    return pd.Series(table[line], index=index, dtype=dtype)


def categorise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Categorise every row of a frame with ``narration``, ``type``, ``mode`` and (optional) ``amount``.

    Returns, aligned to ``df.index``: ``category`` (the coarse category the analytics read), ``category_leaf``,
    ``group``, ``counterparty``, ``confidence`` and ``is_business_credit``. Each distinct line key is
    categorised and resolved once (:func:`categorise_statement`), then spread over its lines.
    """
    narr = [n if isinstance(n, str) else "" for n in df["narration"].tolist()]
    types = [str(t).upper() for t in df["type"].tolist()]
    modes = [m if isinstance(m, str) else None for m in df["mode"].tolist()] if "mode" in df else [None] * len(df)
    amounts = df["amount"].to_numpy() if "amount" in df else [None] * len(df)
    line, _, keys = _resolved(narr, types, amounts, modes)
    coarse = [legacy_category(leaf, kind) for leaf, _, _, kind in keys]
    business = [kind == "CREDIT" and category in BUSINESS_CREDITS for category, (_, _, _, kind) in zip(coarse, keys)]
    return pd.DataFrame({
        "category": _column(coarse, line, df.index),
        "category_leaf": _column([leaf for leaf, _, _, _ in keys], line, df.index),
        "group": _column([group_of(leaf) for leaf, _, _, _ in keys], line, df.index),
        "counterparty": _column([party for _, party, _, _ in keys], line, df.index),
        "confidence": _column([conf for _, _, conf, _ in keys], line, df.index, float),
        "is_business_credit": _column(business, line, df.index, bool).to_numpy(),
    }, index=df.index)


def with_categories(records: list[dict], statement: list[dict] | None = None) -> list[dict]:
    """Copies of clean transaction records with ``group`` and ``category_leaf`` added (for the API's pages:
    the officer sees the taxonomy leaf of each line the analytics counted). ``statement`` is the whole
    statement the records are a page of, so a cut name resolves exactly as the analytics resolved it."""
    rows = statement if statement is not None else records
    get = lambda key: [r.get(key) for r in rows]  # noqa: E731
    narr = [n if isinstance(n, str) else "" for n in get("narration")]
    types = [str(t or "").upper() for t in get("type")]
    line, _, keys = _resolved(narr, types, get("amount"), get("mode"))
    by_id = {id(r): keys[k][0] for r, k in zip(rows, line.tolist())}
    out = []
    for record in records:
        leaf = by_id.get(id(record))
        if leaf is None:
            leaf = categorise(record.get("narration"), str(record.get("type", "")).upper(), record.get("amount"),
                              record.get("mode")).category
        out.append({**record, "group": group_of(leaf), "category_leaf": leaf})
    return out
