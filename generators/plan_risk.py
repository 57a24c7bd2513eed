"""Risk patterns in the plan: EMI and cheque bounces, circular flows, round cash, planted anomalies.

Each pattern is decided here with its own random stream so the bank only has
to post it; truth (which transactions are anomalous or circular) is therefore
known exactly and never has to be guessed back from the records.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import names
from .seeding import random_for
from .timeline import DAY, next_working_day


@dataclass(frozen=True)
class CircularPair:
    """Money in from a partner and (almost) the same money back out to it within three days."""

    partner_index: int
    in_ts: int
    out_ts: int
    amount_in: float
    amount_out: float


@dataclass(frozen=True)
class Anomaly:
    """A planted, genuinely unusual debit: odd hour, never-seen party, large amount, odd mode."""

    kind: str
    ts: int
    amount: float
    party: str


ANOMALY_KINDS = ("rtgs_night", "imps_odd_mode", "intl_card", "upi_night", "bearer_cheque_night", "neft_new_party")


def _emi_bounces(rng, plan) -> None:
    p = plan.profile
    k = rng.randint(*p.emi_bounces)
    if not k:
        return
    first_abs = plan.months[3].year * 12 + plan.months[3].month - 1
    candidates = []
    for li, loan in enumerate(plan.loans):
        if not loan.in_bank or loan.emi_day > 12:
            continue
        for a in range(max(first_abs, loan.first_emi), loan.last_emi + 1):
            if loan.emi_date(a) + 10 < plan.end_ord:
                candidates.append((li, a))
    for li, a in rng.sample(candidates, min(k, len(candidates))):
        plan.loans[li].bounces[a] = rng.randint(3, 7)


def _cheque_bounces(rng, plan) -> None:
    k = rng.randint(*plan.profile.cheque_bounces)
    lo, hi = (plan.start_ord + 10) * DAY, (plan.end_ord - 20) * DAY
    paid = [inv for inv in plan.invoices if inv.pay_ts is not None and lo <= inv.pay_ts < hi and inv.val < 500_000]
    for inv in rng.sample(paid, min(k, len(paid))):
        inv.pay_mode = "CHQ"
        inv.bounce_delay = rng.randint(5, 10)


def _circular(rng, plan) -> None:
    k = rng.randint(*plan.profile.circular_pairs)
    if not k or not plan.partners:
        return
    mean_sales = sum(plan.sales) / len(plan.sales)
    idxs = sorted(rng.sample(range(1, len(plan.months) - 1), min(k, len(plan.months) - 2)))
    for i in idxs:
        m = plan.months[i]
        day = next_working_day(m.start + rng.randint(0, m.days - 5))
        in_ts = day * DAY + rng.randint(11 * 3600, 16 * 3600)
        out_ts = (day + rng.randint(1, 3)) * DAY + rng.randint(10 * 3600, 17 * 3600)
        if out_ts >= plan.end_instant:
            continue
        amount = round(mean_sales * rng.uniform(0.2, 0.5), -3)
        back = amount if rng.random() < 0.3 else round(amount * rng.uniform(0.975, 0.998), -2)
        plan.circular.append(CircularPair(rng.randrange(len(plan.partners)), in_ts, out_ts, amount, back))


def _round_cash(rng, plan) -> None:
    for _ in range(plan.profile.round_cash):
        m = plan.months[rng.randint(1, len(plan.months) - 1)]
        day = next_working_day(m.start + rng.randint(0, m.days - 3))
        if day >= plan.end_ord:
            continue
        amount = float(rng.choice((100_000, 150_000, 200_000, 250_000, 300_000, 490_000)))
        plan.round_cash.append((day * DAY + rng.randint(11 * 3600, 15 * 3600), amount))


def _anomalies(rng, plan) -> None:
    n = plan.n_anomalies
    if n <= 0:
        return
    parties = list(names.ANOMALY_PARTIES)
    rng.shuffle(parties)
    mean_sales = sum(plan.sales) / len(plan.sales)
    months = plan.months[2:]
    step = len(months) / n
    for j in range(n):
        m = months[min(len(months) - 1, int(j * step + rng.random() * step))]
        day = m.start + rng.randint(0, m.days - 1)
        ts = day * DAY + rng.randint(2 * 3600, 4 * 3600 + 3599)
        if ts >= plan.end_instant:
            ts = (plan.end_ord - 2) * DAY + rng.randint(2 * 3600, 4 * 3600)
        kind = ANOMALY_KINDS[j % len(ANOMALY_KINDS)]
        amount = round(mean_sales * rng.uniform(0.35, 0.8), -2)
        if kind == "upi_night":
            amount = float(rng.choice((99_999, 99_500, 98_000)))
        elif kind == "imps_odd_mode":
            amount = min(amount, 499_000.0)
        elif kind == "intl_card":
            amount = round(min(amount, rng.uniform(120_000, 240_000)), 2)
        party = rng.choice(names.FOREIGN_MERCHANTS) if kind == "intl_card" else parties[j % len(parties)]
        plan.anomalies.append(Anomaly(kind, ts, amount, party))
    plan.anomalies.sort(key=lambda a: a.ts)


def plan_risk(plan) -> None:
    """Decide bounces, circular pairs, round-figure cash and the planted anomalies."""
    _emi_bounces(random_for(plan.seed, "plan.risk.emi"), plan)
    _cheque_bounces(random_for(plan.seed, "plan.risk.cheque"), plan)
    _circular(random_for(plan.seed, "plan.risk.circular"), plan)
    _round_cash(random_for(plan.seed, "plan.risk.cash"), plan)
    _anomalies(random_for(plan.seed, "plan.risk.anomalies"), plan)
