"""Trade side of the plan: buyers and suppliers, B2B invoices (GSTR-1) and ONDC orders.

Invoice values add up exactly to the plan's B2B sales of each month, so the
GST returns and the bank collections are two views of the same invoices.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from . import names
from .identity import Party, make_party
from .seeding import random_for, rng_for
from .timeline import DAY, Month, add_months, next_working_day

RTGS_MIN = 200_000.0


@dataclass(frozen=True)
class Buyer:
    """A B2B customer: who it is, its share of B2B sales, how and when it pays."""

    party: Party
    share: float
    terms: int
    mode: str       # NEFT | RTGS | IMPS | CHQ
    tds_rate: float  # share of taxable value withheld as TDS when paying


@dataclass
class Invoice:
    """One B2B invoice and its collection in the bank (if it has been paid before as-of)."""

    inum: str
    idt: int
    month: int
    buyer: Party
    items: list[tuple[float, float]]  # (rate, taxable value)
    txval: float
    val: float
    inter: bool
    fake: bool = False
    pay_ts: int | None = None
    pay_amount: float = 0.0
    pay_mode: str = "NEFT"
    bounce_delay: int = 0  # >0: a cheque that bounced and was paid again this many days later
    tds_rate: float = 0.0  # share of taxable value the buyer withheld as TDS
    recon: str = ""  # planted reconciliation case: many_to_one | part_payment | credit_note (plan_recon)


@dataclass
class Order:
    """One ONDC order received by the seller, with its settlement (if any)."""

    id: str
    created: int
    bap: tuple[str, str]
    buyer_name: str
    city: str
    items: list[tuple[str, str, int, float]]  # (item id, name, quantity, unit price incl. GST)
    delivery: float
    packing: float
    discount: float
    value: float
    fee_pct: float
    settlement_amount: float
    state: str
    fulfillment: str
    updated: int
    settle_ts: int | None = None
    settle_ref: str | None = None
    cancel_reason: str | None = None
    extra: dict = field(default_factory=dict)


def gst_due(month: Month, return_type: str) -> int:
    """Ordinal of the due date: GSTR-1 on the 11th, GSTR-3B on the 20th of the next month."""
    y, m = add_months(month.year, month.month, 1)
    return dt.date(y, m, 11 if return_type == "GSTR1" else 20).toordinal()


def tax_split(txval: float, rate: float, inter: bool) -> tuple[float, float, float]:
    """(IGST, CGST, SGST) on a taxable value: IGST across states, CGST + SGST halves within one."""
    if inter:
        return round(txval * rate / 100.0, 2), 0.0, 0.0
    half = round(txval * rate / 200.0, 2)
    return 0.0, half, half


def _shares(rng, n: int, anchor: float) -> list[float]:
    rest = [rng.uniform(0.4, 1.6) for _ in range(n - 1)]
    total = sum(rest)
    return [anchor] + [(1 - anchor) * r / total for r in rest]


def plan_parties(plan) -> None:
    """Create buyers (with the anchor buyer first), suppliers and, for fraud, shell partners."""
    rng = random_for(plan.seed, "plan.parties")
    p, ident = plan.profile, plan.identity
    states = sorted(names.STATES)
    def place() -> str:
        """Most counterparties are in the borrower's state, some elsewhere."""
        return ident.state if rng.random() < 0.7 else rng.choice(states)
    n = rng.randint(*p.buyers)
    shares = _shares(rng, n, max(p.anchor_share, 1.0 / n))
    modes = ("NEFT", "NEFT", "NEFT", "RTGS", "IMPS")
    plan.buyers = []
    for i, share in enumerate(shares):
        mode = "CHQ" if rng.random() < p.cheque_share else rng.choice(modes)
        plan.buyers.append(Buyer(make_party(rng, ident.industry, place(), 0.5 if i == 0 else 0.3), share,
                                 rng.randint(*p.payment_terms), mode, rng.choice((0.0, 0.0, 0.0, 0.01))))
    plan.suppliers = [make_party(rng, ident.industry, place()) for _ in range(rng.randint(*p.suppliers))]
    if p.fake_invoice_ratio > 0 or p.circular_pairs[1] > 0:
        plan.partners = [make_party(rng, ident.industry, rng.choice(states), 0.6) for _ in range(rng.randint(3, 5))]


def _items(rng, industry: str, txval: float) -> list[tuple[float, float]]:
    rates = names.INDUSTRIES[industry][0]
    k = rng.choice((1, 1, 2, 2, 3))
    weights = [rng.uniform(0.3, 1.0) for _ in range(k)]
    total = sum(weights)
    out, left = [], round(txval, 2)
    for i, w in enumerate(weights):
        rate = rng.choices([r for r, _ in rates], weights=[w for _, w in rates])[0]
        part = left if i == k - 1 else round(txval * w / total, 2)
        left = round(left - part, 2)
        out.append((float(rate), part))
    return out


def _invoice(rng, plan, buyer: Buyer, idt: int, month: int, txval: float, fake: bool) -> Invoice:
    party = buyer.party
    inter = party.state_code != plan.identity.state_code
    items = _items(rng, plan.identity.industry, txval)
    tax = sum(sum(tax_split(v, r, inter)) for r, v in items)
    txval = round(sum(v for _, v in items), 2)
    inv = Invoice("", idt, month, party, items, txval, round(txval + tax, 2), inter, fake)
    if fake:
        return inv
    jitter = rng.randint(-1, 2) if plan.profile.contract_invoices else rng.randint(-3, 7)
    pay_day = idt + max(1, buyer.terms + jitter)
    mode = buyer.mode
    if mode == "RTGS" and inv.val < RTGS_MIN:
        mode = "NEFT"
    if mode == "CHQ":
        pay_day = next_working_day(pay_day)
    ts = pay_day * DAY + rng.randint(10 * 3600, 18 * 3600 + 1800)
    if plan.start_ord * DAY <= ts < plan.end_instant:
        inv.pay_ts, inv.pay_mode = ts, mode
        inv.pay_amount = round(inv.val - round(txval * buyer.tds_rate, 2), 2)
        inv.tds_rate = buyer.tds_rate
    return inv


def plan_invoices(plan) -> None:
    """Raise B2B invoices month by month (two months before the window too) and number them per FY."""
    rng = random_for(plan.seed, "plan.invoices")
    p = plan.profile
    invoices: list[Invoice] = []
    months = plan.pre_months + plan.months
    b2b = [s * p.mix[0] for s in plan.pre_sales] + plan.channels["b2b"]
    for m, target in zip(months, b2b):
        if target <= 0:
            continue
        if p.contract_invoices:
            picks = list(plan.buyers)
        else:
            n = plan.counts["b2b"][max(0, m.index)]
            picks = [plan.buyers[0]] if p.anchor_share >= 0.5 else []
            weights = [b.share for b in plan.buyers]
            while len(picks) < n:
                picks.append(rng.choices(plan.buyers, weights=weights)[0])
        per_buyer: dict[int, int] = {}
        for b in picks:
            per_buyer[id(b)] = per_buyer.get(id(b), 0) + 1
        raw = [b.share / per_buyer[id(b)] * (1.0 if p.contract_invoices else math.exp(rng.gauss(0, 0.35)))
               for b in picks]
        scale = target / sum(raw)
        for b, w in zip(picks, raw):
            day = rng.randint(0, 2) if p.contract_invoices else rng.randint(0, m.days - 1)
            idt = min(m.end, next_working_day(m.start + day))
            invoices.append(_invoice(rng, plan, b, idt, m.index, w * scale, False))
        if m.index >= 0 and plan.fake[m.index] > 0:
            k = rng.randint(2, 4)
            parts = [rng.uniform(0.5, 1.5) for _ in range(k)]
            for w in parts:
                buyer = Buyer(rng.choice(plan.partners), 0.0, 0, "NEFT", 0.0)
                idt = next_working_day(m.start + rng.randint(0, m.days - 4))
                invoices.append(_invoice(rng, plan, buyer, min(idt, m.end), m.index,
                                         plan.fake[m.index] * w / sum(parts), True))
    invoices.sort(key=lambda inv: (inv.idt, inv.val))
    words = [w for w in plan.identity.business_name.replace("&", "").split() if w[0].isalpha()]
    prefix = "".join(w[0] for w in words[:3]).upper()
    seq: dict[int, int] = {}
    for inv in invoices:
        d = dt.date.fromordinal(inv.idt)
        fy = d.year if d.month >= 4 else d.year - 1
        seq[fy] = seq.get(fy, 0) + 1
        inv.inum = f"{prefix}/{fy % 100:02d}-{(fy + 1) % 100:02d}/{seq[fy]:04d}"
    plan.invoices = invoices


_FIRST_NAMES = names.FIRST_NAMES_MALE + names.FIRST_NAMES_FEMALE
_REGIONS, _STATES = sorted(names.SURNAMES), sorted(names.STATES)   # the order every draw among them indexes
_FINDER_FEES = {"paytm.com": 3.0, "mystore.in": 5.0, "magicpin.in": 4.0}
_CANCEL = (("Cancelled", "Buyer changed mind", "buyer"), ("RTO-Delivered", "Delivery failed: customer unreachable", "seller"),
           ("RTO-Disposed", "Item damaged in transit", "seller"), ("Cancelled", "Item out of stock", "seller"))


def _order(rng, plan, created: int, value_target: float, catalogue, baps, cancelled: bool) -> Order:
    items = []
    k = rng.choice((1, 1, 1, 2, 2, 3))
    for j in range(k):
        idx = rng.randrange(len(catalogue))
        name, lo, hi = catalogue[idx]
        price = round(rng.uniform(lo, hi), 0)
        qty = max(1, round(value_target / k / price))
        items.append((f"SKU-{idx + 1:04d}", name, qty, float(price)))
    delivery = float(rng.choice((0, 0, 25, 40, 49, 60)))
    packing = float(rng.choice((0, 0, 0, 10, 15, 20)))
    gross = sum(q * pr for _, _, q, pr in items)
    discount = -round(gross * 0.05, 2) if rng.random() < 0.15 else 0.0
    value = round(gross + delivery + packing + discount, 2)
    bap = rng.choice(baps)
    fee = _FINDER_FEES.get(bap[0], 3.5)
    buyer = f"{rng.choice(_FIRST_NAMES)} {rng.choice(names.SURNAMES[rng.choice(_REGIONS)])}"
    city = rng.choice(names.STATES[rng.choice(_STATES)][1])
    order = Order("", created, bap, buyer, city, items, delivery, packing, discount, value, fee,
                  round(value - value * fee / 100.0, 2), "Completed", "Order-delivered", created)
    delivered = created + rng.randint(1, 4) * DAY + rng.randint(-3 * 3600, 3 * 3600)
    if cancelled:
        state, reason, by = rng.choice(_CANCEL)
        order.state, order.fulfillment, order.cancel_reason = "Cancelled", state, reason
        order.extra["cancelled_by"] = by
        order.updated = min(delivered, plan.end_instant - 60)
        return order
    settle_day = (delivered // DAY) + rng.randint(2, 5)
    settle = settle_day * DAY + rng.randint(10 * 3600, 16 * 3600)
    if settle < plan.end_instant:
        order.settle_ts, order.updated = settle, settle
    elif delivered < plan.end_instant:
        order.updated = delivered
    else:
        order.state = "In-progress" if rng.random() < 0.6 else "Accepted"
        order.fulfillment = "Out-for-delivery" if order.state == "In-progress" else "Packed"
        order.updated = min(created + 3600 * rng.randint(1, 20), plan.end_instant - 60)
    return order


def plan_orders(plan) -> None:
    """Create the month's ONDC orders: completed ones worth the ONDC sales, plus some cancellations and RTOs."""
    rng = random_for(plan.seed, "plan.orders")
    nrng = rng_for(plan.seed, "plan.orders.values")
    catalogue = names.INDUSTRIES[plan.identity.industry][2]
    baps = sorted(rng.sample(names.ONDC_BAPS, rng.randint(2, 3)))
    orders: list[Order] = []
    for m in plan.months:
        target = plan.gross(plan.channels["ondc"][m.index])
        n = plan.counts["ondc"][m.index]
        if target <= 0 or n <= 0:
            continue
        values = nrng.lognormal(0.0, 0.5, size=n)
        values = (values * (target / values.sum())).tolist()
        n_cancel = sum(1 for _ in range(n) if rng.random() < 0.07)
        for j in range(n + n_cancel):
            created = (m.start + rng.randrange(m.days)) * DAY + rng.randint(8 * 3600, 23 * 3600)
            if created >= plan.end_instant:
                continue
            value = values[j] if j < n else values[rng.randrange(n)]
            orders.append(_order(rng, plan, created, value, catalogue, baps, j >= n))
    orders.sort(key=lambda o: o.created)
    used: set[str] = set()
    for i, order in enumerate(orders):
        d = dt.date.fromordinal(order.created // DAY)
        order.id = f"ONDC-{d:%Y%m%d}-{i + 1:05d}{rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ')}{rng.randrange(10)}"
        if order.settle_ts is not None:
            sd = dt.date.fromordinal(order.settle_ts // DAY)
            ref = ""
            while not ref or ref in used:
                ref = f"UTIBN{sd.year % 100:02d}{sd.timetuple().tm_yday:03d}{rng.randrange(10 ** 7):07d}"
            used.add(ref)
            order.settle_ref = ref
    plan.orders = orders


def plan_trade(plan) -> None:
    """Parties first, then the invoices and orders that need them and the month's line counts."""
    plan_parties(plan)
    plan_invoices(plan)
    plan_orders(plan)
