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

from collections import defaultdict

BUSINESS_CREDIT_LEAVES = frozenset({"neft_rtgs_b2b_receipt", "cheque_deposit"})
BUSINESS_DEBIT_LEAVES = frozenset({"neft_rtgs_supplier_payment", "cheque_paid_supplier", "upi_merchant_paid"})
P2P_CREDIT = "bank_transfer_p2p_received"
P2P_DEBITS = frozenset({"bank_transfer_p2p_paid", "upi_p2p_paid"})
PAYEE_LEAVES = ("salary_paid", "rent_paid")
MIN_PREFIX = 5


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
        names = [n for n in self.business[txn_type] if n != party and n.startswith(party)]
        if not names:  # a buyer may also be paid (returns), a supplier may pay us: try the other side
            other = "DEBIT" if txn_type == "CREDIT" else "CREDIT"
            names = [n for n in self.business[other] if n != party and n.startswith(party)]
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
