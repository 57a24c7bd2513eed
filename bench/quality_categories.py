"""Categorisation quality against the generator's truth (issue 13 quality contract).

``evaluate(lake, customer_id)`` reads ``truth["categories_leaf"]`` ({txn_id: taxonomy leaf}) from the customer's
``logs/<id>/injected.json`` and compares it with the leaf the analytics see: ``category_leaf`` of the prepared
transactions (:func:`analytics.bank.statement.prepare_transactions`, so self-transfers recognised from the
holder's name count as the analytics count them). Only lines present in the clean layer are scored (a duplicate
the cleaning removed has nothing to categorise). Returns ``{}`` when the truth has no ``categories_leaf``.

Patterns:

* ``categories``: a line is a true positive when its leaf is right; a wrong leaf is one false positive (the
  leaf given) and one false negative (the leaf missed), so precision = recall = leaf accuracy;
* ``categories_group``: the same at the level of the 21 top-level groups.
"""
from __future__ import annotations

from analytics.bank.categorise.taxonomy import group_of
from analytics.bank.statement import prepare_transactions
from pipeline.lake import Lake


def _counts(pairs: list[tuple[str, str]]) -> dict[str, int]:
    right = sum(got == want for got, want in pairs)
    wrong = len(pairs) - right
    return {"tp": right, "fp": wrong, "fn": wrong}


def evaluate(lake: Lake, customer_id: str) -> dict[str, dict]:
    """``{pattern: {"tp", "fp", "fn"}}`` for the categorisation of one customer's lines (see the module doc)."""
    truth = lake.read_json(lake.log_path(customer_id, "injected")).get("truth") or {}
    wanted = truth.get("categories_leaf")
    if not wanted:
        return {}
    meta_path = lake.customer_meta_path(customer_id)
    owner = (lake.read_json(meta_path) or {}).get("owner_name") if meta_path.exists() else None
    txns = prepare_transactions(lake.read_clean(customer_id, "transactions"),
                                lake.read_clean(customer_id, "accounts"), owners=[owner or ""])
    got = dict(zip(txns["txnId"].tolist(), txns["category_leaf"].tolist()))
    pairs = [(got[txn_id], leaf) for txn_id, leaf in wanted.items() if txn_id in got]
    return {"categories": _counts(pairs),
            "categories_group": _counts([(group_of(g), group_of(w)) for g, w in pairs])}
