"""What one line cannot say but the rest of the statement can: resolving cut and bare names across lines.

Banks cut names (SBI and Axis print 8 characters of an IMPS/UPI payee, IDFC FIRST 8) and some print no
remark (Bank of Baroda's ``NEFT-<utr>-<name>``), so a line alone may read as "a transfer from an individual"
when the same statement shows that party in full elsewhere as a buyer, a supplier, an employee or the
landlord. Commercial analysers resolve the entity over the whole statement; so do we, with two rules an
analyst would accept:

* a person-to-person transfer whose counterparty (5+ characters) is the beginning of exactly one business
  counterparty of the statement is that business (credit: a B2B receipt; debit: a supplier payment), and
  takes the full name;
* a person-to-person debit to someone the statement pays salary or rent to with a remark elsewhere is salary
  or rent;
* a business line whose name is cut takes the full name the statement prints elsewhere, so one buyer is one
  counterparty in the concentration figures.

The rules only ever move a line from a person-to-person leaf to a more specific one.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict

BUSINESS_CREDIT_LEAVES = frozenset({"neft_rtgs_b2b_receipt", "cheque_deposit"})
BUSINESS_DEBIT_LEAVES = frozenset({"neft_rtgs_supplier_payment", "cheque_paid_supplier", "upi_merchant_paid"})
P2P_CREDIT = "bank_transfer_p2p_received"
P2P_DEBITS = frozenset({"bank_transfer_p2p_paid", "upi_p2p_paid"})
PAYEE_LEAVES = ("salary_paid", "rent_paid")
MIN_PREFIX = 5
MIN_CANONICAL_PREFIX = 8
_NOT_ALNUM = re.compile(r"[^A-Z0-9]")


def _starting_with(names: list[str], prefix: str) -> list[str]:
    """The names of a sorted list that begin with ``prefix`` but are longer, in order: they sit together from
    where ``prefix`` would be inserted, so a binary search finds them without scanning the list."""
    out = []
    for name in names[bisect.bisect_left(names, prefix):]:
        if not name.startswith(prefix):
            break
        if name != prefix:
            out.append(name)
    return out


class StatementContext:
    """The counterparties one statement names in full, by what they are to the business."""

    def __init__(self, leaves: list[str], types: list[str], parties: list[str | None]):
        self.business: dict[str, list[str]] = {"CREDIT": [], "DEBIT": []}
        self.payees: dict[str, str] = {}
        seen: dict[str, set[str]] = defaultdict(set)
        for leaf, txn_type, party in zip(leaves, types, parties):
            if not party:
                continue
            if (txn_type == "CREDIT" and leaf in BUSINESS_CREDIT_LEAVES) or (
                    txn_type == "DEBIT" and leaf in BUSINESS_DEBIT_LEAVES):
                seen[txn_type].add(party)
            elif txn_type == "DEBIT" and leaf in PAYEE_LEAVES:
                self.payees.setdefault(party, leaf)
        for side in ("CREDIT", "DEBIT"):
            self.business[side] = sorted(seen[side])

    def _full_business_name(self, party: str, txn_type: str) -> str | None:
        if len(party) < MIN_PREFIX:
            return None
        names = _starting_with(self.business[txn_type], party)
        if not names:  # a buyer may also be paid (returns), a supplier may pay us: try the other side
            other = "DEBIT" if txn_type == "CREDIT" else "CREDIT"
            names = _starting_with(self.business[other], party)
        return names[0] if len(set(names)) == 1 else None

    def resolve(self, leaf: str, txn_type: str, party: str | None) -> tuple[str, str | None]:
        """The leaf and counterparty of one line given the statement (unchanged unless a rule applies)."""
        if not party:
            return leaf, party
        if txn_type == "DEBIT" and leaf in P2P_DEBITS and party in self.payees:
            return self.payees[party], party
        if leaf == P2P_CREDIT or (txn_type == "DEBIT" and leaf == "bank_transfer_p2p_paid"):
            full = self._full_business_name(party, txn_type)
            if full is not None:
                return ("neft_rtgs_b2b_receipt" if txn_type == "CREDIT" else "neft_rtgs_supplier_payment"), full
        elif leaf in BUSINESS_CREDIT_LEAVES or leaf in BUSINESS_DEBIT_LEAVES:
            full = self._full_business_name(party, txn_type)   # the same buyer's full name, for concentration
            if full is not None:
                return leaf, full
        return leaf, party


def canonical_parties(parties: list[str | None]) -> list[str | None]:
    """One spelling per counterparty across the statement: names equal once spaces and punctuation are dropped
    (``SHRIRAMFINANCE LTD`` / ``SHRIRAM FINANCE LTD``) take their most frequent spelling, and a name of 8+
    characters cut short (``SHREE BALAJI AGR``) joins the one longer name it begins, when that name is seen
    more often (``RAVI KUMAR`` once and ``RAVI KUMARAN`` once are two people). Why: a PDF line wrap or a narration cut must not turn a regular buyer into a stranger for
    concentration, circular flows, window dressing or reconciliation."""
    spelling = canonical_spellings(Counter(parties))
    return [spelling.get(p, p) if isinstance(p, str) else p for p in parties]


def canonical_spellings(counts: Counter) -> dict[str, str]:
    """:func:`canonical_parties` as a table: each named party (counted by its lines) -> the spelling it takes."""
    spellings: dict[str, Counter] = defaultdict(Counter)
    keys = {}
    for party, n in counts.items():
        key = _NOT_ALNUM.sub("", party.upper()) if isinstance(party, str) and party else ""
        if key:
            spellings[key][party] += n
            keys[party] = key
    sizes = {key: sum(c.values()) for key, c in spellings.items()}
    target = {key: key for key in spellings}
    ordered = sorted(spellings)
    for i, key in enumerate(ordered):
        if len(key) < MIN_CANONICAL_PREFIX:
            continue
        longer = []
        for other in ordered[i + 1:]:
            if not other.startswith(key):
                break
            longer.append(other)
        if len(longer) == 1 and sizes[longer[0]] > sizes[key]:
            target[key] = longer[0]
    spelled = {key: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for key, c in spellings.items()}
    return {party: spelled[target[key]] for party, key in keys.items()}
