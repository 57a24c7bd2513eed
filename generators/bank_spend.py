"""Planned bank lines that depend on what is left: supplier payments, small expenses, cash
withdrawals and owner draws, plus the fraud patterns and the planted anomalies.

Spending is budgeted per month from the credits and fixed debits already
planned, so the balance neither explodes nor sinks; the ledger still caps any
flexible debit the balance cannot carry.
"""
from __future__ import annotations

from itertools import accumulate

from . import names
from .bank_flows import ANOMALY, DRAW, FLEX, Flows
from .seeding import random_for, rng_for
from .timeline import DAY, next_working_day

_ATM_NOTES = (2000.0, 3000.0, 5000.0, 5000.0, 10000.0, 10000.0, 15000.0, 20000.0)


def _split(nrng, total: float, n: int, sigma: float) -> list[float]:
    parts = nrng.lognormal(0.0, sigma, size=n)
    return (parts * (total / parts.sum())).tolist()


def spending(f: Flows) -> None:
    """Supplier payments, small UPI/card expenses and ATM withdrawals within each month's budget."""
    plan, nar = f.plan, f.nar
    rng = random_for(plan.seed, "bank.spend")
    nrng = rng_for(plan.seed, "bank.spend.amounts")
    p = plan.profile
    # cumulative once, as random.choices would add the weights up on every call
    cum_weights = list(accumulate(1.0 / (k + 1) for k in range(len(plan.suppliers))))
    for m in plan.months:
        i = m.index
        budget = max(0.0, (f.credits[i] - f.fixed[i]) / 100.0)
        purchases = plan.gross(plan.sales[i] * p.cost_ratio)
        n_sup = plan.counts["supplier"][i]
        total = min(purchases, 0.85 * budget)
        if n_sup and total > 1000:
            for amt in _split(nrng, total, n_sup, 0.6):
                sup = rng.choices(plan.suppliers, cum_weights=cum_weights)[0]
                day = next_working_day(m.start + rng.randrange(m.days))
                ts = day * DAY + rng.randint(10 * 3600, 18 * 3600)
                amt = round(amt, 2) if amt > 20000 else round(amt)
                channel = nar.channel_for(amt)
                f.add(ts, -1, amt, "supplier_payment",
                      nar.transfer(ts, channel, sup.stmt_name, sup.ifsc, credit=False, handle=sup.upi_handle), FLEX)
        n_misc = plan.counts["misc"][i]
        misc_total = min(n_misc * rng.uniform(700, 1300), 0.07 * budget)
        if n_misc and misc_total > 50 * n_misc:
            amounts = _split(nrng, misc_total, n_misc, 0.8)
            days = nrng.integers(0, m.days, size=n_misc).tolist()
            secs = nrng.integers(8 * 3600, 23 * 3600, size=n_misc).tolist()
            for amt, d, s in zip(amounts, days, secs):
                merchant, mode = names.MERCHANTS[rng.randrange(len(names.MERCHANTS))]
                ts = (m.start + d) * DAY + s
                f.add(ts, -1, max(20.0, round(amt)), "misc_expense", nar.merchant(ts, merchant, mode), FLEX)
        cap = 0.05 * budget
        for _ in range(plan.counts["atm"][i]):
            amt = rng.choice(_ATM_NOTES)
            if amt > cap:
                break
            cap -= amt
            ts = (m.start + rng.randrange(m.days)) * DAY + rng.randint(8 * 3600, 22 * 3600)
            f.add(ts, -1, amt, "atm_withdrawal", nar.atm(ts), FLEX)


def owner_draws(f: Flows) -> None:
    """Mid-month and month-end sweeps of surplus: to the owner, or (spend-down profiles) to suppliers."""
    plan, nar = f.plan, f.nar
    rng = random_for(plan.seed, "bank.draws")
    spend = plan.profile.spend_down_to > 0
    owner = plan.identity.owner_stmt_name
    for m in plan.months:
        days = (2, 9, 16, 23, m.days - 1) if spend else (rng.randint(14, 16), m.days - rng.randint(1, 3))
        for d in days:
            ts = (m.start + d) * DAY + rng.randint(17 * 3600, 21 * 3600)
            if spend:
                sup = plan.suppliers[rng.randrange(len(plan.suppliers))]
                f.add(ts, -1, 1.0, "supplier_payment",
                      nar.transfer(ts, "NEFT", sup.stmt_name, sup.ifsc, credit=False), DRAW)
            else:
                f.add(ts, -1, 1.0, "self_transfer_out", nar.self_transfer(ts, owner, out=True), DRAW)


def small_credits(f: Flows) -> None:
    """Occasional merchant refunds and reversals of failed UPI payments."""
    plan, nar = f.plan, f.nar
    rng = random_for(plan.seed, "bank.small_credits")
    for m in plan.months:
        if rng.random() < 0.2:
            merchant = rng.choice(("AMAZON", "FLIPKART", "IRCTC", "MAKEMYTRIP", "SWIGGY"))
            ts = (m.start + rng.randrange(m.days)) * DAY + rng.randint(9 * 3600, 21 * 3600)
            f.add(ts, 1, float(rng.randint(150, 4500)), "refund",
                  (f"REFUND/{merchant}/{rng.randrange(10 ** 10):010d}", "OTHERS", f"RFD{rng.randrange(10 ** 8):08d}"))
        if rng.random() < 0.15:
            merchant, _ = names.MERCHANTS[rng.randrange(len(names.MERCHANTS))]
            ts = (m.start + rng.randrange(m.days)) * DAY + rng.randint(9 * 3600, 21 * 3600)
            amt = float(rng.randint(200, 6000))
            text, mode, ref = nar.merchant(ts, merchant, "UPI")
            f.add(ts, -1, amt, "misc_expense", (text, mode, ref))
            f.add(ts + rng.randint(300, 7200), 1, amt, "reversal", (f"REV-UPI/{ref}/{merchant}/FAILED TXN", "UPI", ref))


def fraud_patterns(f: Flows) -> list[tuple[int, int, str]]:
    """Circular in/out pairs with shell partners and round-figure cash; returns (seq in, seq out, partner)."""
    plan, nar = f.plan, f.nar
    pairs = []
    for c in plan.circular:
        partner = plan.partners[c.partner_index]
        name = partner.stmt_name
        start = len(f.events)
        rail_in = "RTGS" if c.amount_in >= 200_000 else "NEFT"
        rail_out = "RTGS" if c.amount_out >= 200_000 else "NEFT"
        ok_in = f.add(c.in_ts, 1, c.amount_in, "circular_in", nar.transfer(c.in_ts, rail_in, name, partner.ifsc))
        ok_out = f.add(c.out_ts, -1, c.amount_out, "circular_out",
                       nar.transfer(c.out_ts, rail_out, name, partner.ifsc, credit=False))
        if ok_in and ok_out:
            pairs.append((start, start + 1, partner.name))
    for ts, amount in plan.round_cash:
        f.add(ts, 1, amount, "cash_deposit", nar.cash_deposit(ts))
    return pairs


def anomalies(f: Flows) -> list[int]:
    """Post the planted anomalies; returns their event indices."""
    plan, nar = f.plan, f.nar
    rng = random_for(plan.seed, "bank.anomalies")
    out = []
    for a in plan.anomalies:
        ifsc = f"{rng.choice(names.BANKS)[0]}0{rng.randrange(10 ** 6):06d}"
        if a.kind == "rtgs_night":
            nmr = nar.transfer(a.ts, "RTGS", a.party, ifsc, credit=False)
        elif a.kind == "imps_odd_mode":
            text, _, ref = nar.transfer(a.ts, "IMPS", a.party, ifsc, "TRF", credit=False)
            nmr = (text, "CASH", ref)
        elif a.kind == "intl_card":
            ref = f"{rng.randrange(10 ** 12):012d}"
            nmr = (f"POS/INTL/{a.party}/{nar.card}", "CARD", ref)
        elif a.kind == "upi_night":
            nmr = nar.transfer(a.ts, "UPI", a.party, ifsc, credit=False, handle="ybl")
        elif a.kind == "bearer_cheque_night":
            chq = nar.cheque()
            nmr = (f"CHQ PAID {chq} {a.party}", "ATM", chq)
        else:
            text, _, ref = nar.transfer(a.ts, "NEFT", a.party, ifsc, credit=False)
            nmr = (text, "OTHERS", ref)
        if f.add(a.ts, -1, a.amount, "planted_anomaly", nmr, ANOMALY):
            out.append(len(f.events) - 1)
    return out
