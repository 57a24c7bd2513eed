"""The related parties a borrower declares in its application: a family member and a group concern.

Deterministic per customer (its own random stream), read by the bank generator (their credits, and so that
no walk-in payer shares their names) and written to the customer record as ``related_parties``.
"""
from __future__ import annotations

from . import names
from .identity import upper_name
from .seeding import random_for


def related_parties(plan) -> list[dict]:
    """The related parties the borrower declares: a family member and a group concern (deterministic)."""
    rng = random_for(plan.seed, "related.parties")
    ident = plan.identity
    surname = ident.owner_name.split()[-1]
    first = rng.choice(names.FIRST_NAMES_MALE + names.FIRST_NAMES_FEMALE)
    concern = f"{surname.upper()} {rng.choice(('ENTERPRISES', 'TRADERS', 'AGENCIES', 'INDUSTRIES'))}"
    return [
        {"name": f"{first} {surname}", "relation": "family", "statement_name": upper_name(f"{first} {surname}")},
        {"name": concern.title(), "relation": "group_concern", "statement_name": concern,
         "address": ident.address},
    ]
