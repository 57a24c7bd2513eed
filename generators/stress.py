"""A harder statement for the quality bench: narrations as PDF extraction and core banking mangle them.

With ``config["generator"]["stress"]`` set (``python -m bench quality --stress``), each transaction's
narration may lose the spaces a PDF line wrap ate (``PAYMENTFROMPHO NE``), gain one mid-word, be cut at the
width a core-banking system keeps (40-60 characters), or come in another case; and every multi-hop round
trip keeps a larger cut at each hop (:mod:`generators.bank_related` reads ``hop_cut``). Truth is untouched:
the same lines mean the same things, so precision and recall measure how much the analytics lose to the
noise. Seeded from the customer's stable seed, so a stressed lake is as reproducible as a normal one.
"""
from __future__ import annotations

from typing import Any

from .seeding import random_for

DEFAULTS: dict[str, float] = {"drop_space": 0.15, "add_space": 0.1, "truncate": 0.15, "lower": 0.05, "hop_cut": 0.03}


def stress_settings(generator_config: dict) -> dict[str, float] | None:
    """The stress settings of a generator config (``stress: true`` or a dict of rates), else None."""
    stress = (generator_config or {}).get("stress")
    if not stress:
        return None
    return {**DEFAULTS, **(stress if isinstance(stress, dict) else {})}


def _mangle(text: str, rng, s: dict[str, float]) -> str:
    if rng.random() < s["drop_space"] and " " in text:
        spaces = [i for i, ch in enumerate(text) if ch == " "]
        i = spaces[rng.randrange(len(spaces))]
        text = text[:i] + text[i + 1:]
    if rng.random() < s["add_space"] and len(text) > 12:
        i = rng.randrange(4, len(text) - 4)
        text = text[:i] + " " + text[i:]
    if rng.random() < s["truncate"]:
        text = text[: rng.randint(40, 60)]
    if rng.random() < s["lower"]:
        text = text.lower()
    return text


def stress_transactions(transactions: list[dict[str, Any]], seed: int, settings: dict[str, float]) -> int:
    """Mangle the narrations of canonical transaction records in place; returns how many changed."""
    rng = random_for(seed, "stress.narration")
    changed = 0
    for txn in transactions:
        new = _mangle(txn["narration"], rng, settings)
        if new != txn["narration"]:
            txn["narration"] = new
            changed += 1
    return changed
