"""Narration categoriser: (narration, type, amount, mode) -> taxonomy group, leaf, counterparty, confidence.

* :mod:`.engine` — features of a line and the first rule that fires (rules, signal words and named parties are
  data: ``data/rules.json``, ``data/lexicon.json``, ``data/entities.json``);
* :mod:`.parties` — counterparty name, person vs business, merchant vs personal UPI address;
* :mod:`.taxonomy` — the 21 groups and their leaves (``analytics/bank/taxonomy.json``);
* :mod:`.legacy` — the coarse categories the bank analytics read, derived from the leaf (``data/legacy.json``);
* :mod:`.frame` — a whole prepared statement at once;
* :mod:`.cli` — ``python -m pipeline categorise``.

Writes nothing itself; :mod:`analytics.bank.statement` puts ``group`` and ``category_leaf`` on every prepared line.
"""
from analytics.bank.categorise.engine import Categorisation, categorise
from analytics.bank.categorise.taxonomy import GROUPS, group_of

__all__ = ["Categorisation", "categorise", "GROUPS", "group_of"]
