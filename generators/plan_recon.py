"""Reconciliation as it really is: plant the B2B payments that are not one credit per invoice.

Run after the trade and risk plans (so cheque bounces are already chosen and left alone), from its own
random stream ``trade.recon`` so no other stream shifts. Per customer:

* **TDS at any rate.** Some buyers that withheld nothing now deduct TDS at one section's rate (0.1% under
  194Q, 1.5%, 2%, 5%, 7.5%, 10% of taxable value) on every invoice they pay, as a buyer does.
* **Many-to-one.** A buyer pays 2-4 of its invoices raised within five weeks with one credit; the narration
  lists the invoice numbers now and then, mostly not.
* **Part payments.** An invoice is paid in 2-3 credits over weeks (round sums first, the rest last).
* **Credit notes.** An invoice gets a GSTR-1 credit note (``cdnr``, 3-15% of every item) a few days after
  it is raised, and the buyer pays the invoice net of the note (and of its TDS on the net taxable value).

Each case is a :class:`Case` in ``plan.payments``; the bank turns its payments into credits and the truth
(``truth.planted.reconciliation``) names the credits and the invoices of each case.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from .identity import Party
from .plan_trade import RTGS_MIN, tax_split
from .seeding import random_for
from .timeline import DAY, next_working_day

TDS_RATES = (0.001, 0.015, 0.02, 0.05, 0.075, 0.1)
SHARE, MAX_CASES = 0.04, 10   # of the eligible invoices, per kind of case
MAX_LAG = 85                  # days from the (first) invoice to the last credit: inside a matcher's window


@dataclass
class CreditNote:
    """A GSTR-1 credit note (``cdnr[].nt[]``, ``ntty`` C) against one invoice of one buyer."""

    nt_num: str
    nt_dt: int
    month: int
    buyer: Party
    items: list[tuple[float, float]]
    txval: float
    val: float
    inter: bool
    inum: str


@dataclass
class Case:
    """One planted reconciliation case: its invoices and the credits (instant, amount, mode, note) paying them."""

    kind: str
    invoices: list = field(default_factory=list)
    payments: list[tuple[int, float, str, str]] = field(default_factory=list)
    credit_note: CreditNote | None = None


def _month_index(plan, day: int) -> int:
    for m in plan.months:
        if m.start <= day <= m.end:
            return m.index
    return -1 if day < plan.months[0].start else len(plan.months)


def _net(inv, rate: float, cn: CreditNote | None = None) -> float:
    """What the buyer pays: value less the credit note, less TDS on the (net) taxable value."""
    txval = inv.txval - (cn.txval if cn else 0.0)
    return round(inv.val - (cn.val if cn else 0.0) - round(txval * rate, 2), 2)


def _tds_buyers(rng, plan) -> None:
    """Some buyers that withheld nothing deduct TDS at a section's rate on every invoice from now on."""
    for k, buyer in enumerate(plan.buyers):
        if buyer.tds_rate or rng.random() >= 0.3:
            continue
        rate = rng.choice(TDS_RATES)
        plan.buyers[k] = dataclasses.replace(buyer, tds_rate=rate)
        for inv in plan.invoices:
            if inv.buyer is buyer.party and not inv.fake:
                inv.tds_rate = rate
                if inv.pay_ts is not None:
                    inv.pay_amount = _net(inv, rate)


def _mode(inv) -> str:
    return "NEFT" if inv.pay_mode == "RTGS" and inv.pay_amount < RTGS_MIN else inv.pay_mode


def _many_to_one(rng, plan, pool: list, k: int) -> list[Case]:
    by_buyer: dict[str, list] = {}
    for inv in pool:
        by_buyer.setdefault(inv.buyer.gstin, []).append(inv)
    out = []
    for first in rng.sample(pool, len(pool)):
        if len(out) >= k:
            break
        if first.recon:
            continue
        size = rng.choice((2, 2, 3, 3, 4))
        group = [inv for inv in by_buyer[first.buyer.gstin]
                 if not inv.recon and first.idt <= inv.idt <= first.idt + 35][:size]
        if len(group) < 2 or first not in group:
            continue
        ts = max(inv.pay_ts for inv in group)
        if ts // DAY - group[0].idt > MAX_LAG or ts >= plan.end_instant:
            continue
        note = "INV " + ",".join(inv.inum for inv in group) if rng.random() < 0.35 else ""
        for inv in group:
            inv.recon = "many_to_one"
        amount = round(sum(inv.pay_amount for inv in group), 2)
        out.append(Case("many_to_one", group, [(ts, amount, _mode(group[0]), note)]))
    return out


def _part_payment(rng, plan, pool: list, k: int) -> list[Case]:
    out = []
    for inv in rng.sample(pool, len(pool)):
        if len(out) >= k:
            break
        if inv.recon:
            continue
        n = 3 if rng.random() < 0.3 else 2
        left, parts = inv.pay_amount, []
        day = min(inv.pay_ts // DAY, inv.idt + rng.randint(5, 30))
        for j in range(n):
            share = rng.uniform(0.3, 0.6) if j < n - 1 else 1.0
            amount = round(left, 2) if j == n - 1 else round(left * share, -3 if left > 20_000 else 0)
            ts = next_working_day(day) * DAY + rng.randint(10 * 3600, 18 * 3600)
            note = f"PART PMT {inv.inum}" if rng.random() < 0.3 else ""
            mode = "NEFT" if inv.pay_mode == "CHQ" or (inv.pay_mode == "RTGS" and amount < RTGS_MIN) else inv.pay_mode
            parts.append((ts, amount, mode, note))
            left = round(left - amount, 2)
            day += rng.randint(7, 20)
        if parts[-1][0] // DAY - inv.idt > MAX_LAG or parts[-1][0] >= plan.end_instant or min(p[1] for p in parts) <= 0:
            continue
        inv.recon = "part_payment"
        out.append(Case("part_payment", [inv], parts))
    return out


def _credit_notes(rng, plan, pool: list, k: int) -> list[Case]:
    out = []
    for inv in rng.sample(pool, len(pool)):
        if len(out) >= k:
            break
        if inv.recon:
            continue
        nt_dt = next_working_day(inv.idt + rng.randint(3, 20))
        month = _month_index(plan, nt_dt)
        if not 0 <= month < plan.n_gst or nt_dt >= inv.pay_ts // DAY:
            continue
        f = rng.uniform(0.03, 0.15)
        items = [(rate, round(v * f, 2)) for rate, v in inv.items]
        txval = round(sum(v for _, v in items), 2)
        tax = sum(sum(tax_split(v, r, inv.inter)) for r, v in items)
        cn = CreditNote("", nt_dt, month, inv.buyer, items, txval, round(txval + tax, 2), inv.inter, inv.inum)
        inv.recon = "credit_note"
        inv.pay_amount = _net(inv, inv.tds_rate, cn)
        note = f"INV {inv.inum} LESS CN" if rng.random() < 0.25 else ""
        out.append(Case("credit_note", [inv], [(inv.pay_ts, inv.pay_amount, _mode(inv), note)], cn))
    return out


def _number(cases: list[Case]) -> None:
    """Credit notes are numbered per financial year in date order, with the seller's invoice prefix."""
    seq: dict[int, int] = {}
    for case in sorted((c for c in cases if c.credit_note), key=lambda c: (c.credit_note.nt_dt, c.credit_note.inum)):
        cn = case.credit_note
        d = dt.date.fromordinal(cn.nt_dt)
        fy = d.year if d.month >= 4 else d.year - 1
        seq[fy] = seq.get(fy, 0) + 1
        cn.nt_num = f"{cn.inum.split('/')[0]}/CN/{fy % 100:02d}-{(fy + 1) % 100:02d}/{seq[fy]:03d}"


def plan_reconciliation(plan) -> None:
    """Plant TDS buyers, combined payments, part payments and credit notes (see the module doc)."""
    rng = random_for(plan.seed, "trade.recon")
    _tds_buyers(rng, plan)
    pool = [inv for inv in plan.invoices if not inv.fake and inv.pay_ts is not None and not inv.bounce_delay
            and 0 <= inv.month < plan.n_gst and inv.pay_ts // DAY - inv.idt <= MAX_LAG]
    k = min(MAX_CASES, max(2 if len(pool) >= 20 else 0, round(SHARE * len(pool))))
    # retainer clients (one fixed invoice a month each) pay each retainer on its own, now and then in parts
    combined = 0 if plan.profile.contract_invoices else k
    k = 2 if plan.profile.contract_invoices else k
    cases = _many_to_one(rng, plan, pool, combined) + _part_payment(rng, plan, pool, k) + _credit_notes(rng, plan, pool, k)
    _number(cases)
    plan.payments = cases
    plan.credit_notes = [c.credit_note for c in cases if c.credit_note]
