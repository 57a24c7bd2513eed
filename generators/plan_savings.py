"""Savings and protection in the plan: mutual fund folios with SIPs, and insurance policies.

SIP instalments and premiums are scheduled here once; the bank debits them and
the MF and insurance sources report them, so all three agree on dates and
amounts. Stressed profiles stop SIPs, redeem units, pledge units as lien, or
let policies lapse.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from . import names
from .seeding import random_for, rng_for
from .timeline import add_months, clamp_day, next_working_day

_RETURNS = {"LIQUID": (0.0055, 0.0008), "INDEX": (0.009, 0.04), "LARGE_CAP": (0.009, 0.04), "MID_CAP": (0.012, 0.055),
            "SMALL_CAP": (0.013, 0.065), "BALANCED_ADVANTAGE": (0.007, 0.02), "ELSS": (0.01, 0.045),
            "FLEXI_CAP": (0.01, 0.04)}
# type -> (insurer pool, frequencies, renewed yearly, premium range per year, cover multiple of premium)
_POLICY_TYPES = {
    "SHOPKEEPER": (names.INSURERS_GENERAL, ("ANNUAL",), True, (3_000, 12_000), 400),
    "FIRE": (names.INSURERS_GENERAL, ("ANNUAL",), True, (4_000, 20_000), 1000),
    "HEALTH": (names.INSURERS_HEALTH, ("ANNUAL",), True, (18_000, 42_000), 25),
    "MOTOR": (names.INSURERS_GENERAL, ("ANNUAL",), True, (8_000, 25_000), 40),
    "TERM_PLAN": (names.INSURERS_LIFE, ("ANNUAL", "MONTHLY"), False, (12_000, 30_000), 400),
    "ENDOWMENT": (names.INSURERS_LIFE, ("QUARTERLY", "HALF_YEARLY", "ANNUAL"), False, (20_000, 60_000), 12),
    "KEYMAN": (names.INSURERS_LIFE, ("ANNUAL",), False, (25_000, 60_000), 60),
}
_PERIOD = {"MONTHLY": 1, "QUARTERLY": 3, "HALF_YEARLY": 6, "ANNUAL": 12}


@dataclass
class Scheme:
    """One folio in one scheme: NAV path, opening position, SIP, lump sums, redemptions and lien."""

    amc: str
    registrar: str
    code: str
    name: str
    isin: str
    category: str
    folio: str
    navs: list[float]           # NAV on the 1st of each window month, and on the as-of date last
    opening_units: float
    opening_cost: float
    sip_amount: float = 0.0
    sip_day: int = 5
    sip_from: int = 0
    sip_to: int = 0             # window index where the SIP stops (exclusive)
    lumpsums: list[tuple[int, float]] = field(default_factory=list)
    sells: list[tuple[int, float]] = field(default_factory=list)  # (ordinal, share of units)
    lien: tuple[int, float] | None = None

    def sip_dates(self, plan) -> list[tuple[int, int]]:
        """(window index, ordinal) of every SIP instalment before as-of."""
        out = []
        for m in plan.months[self.sip_from:self.sip_to]:
            day = next_working_day(clamp_day(m.year, m.month, self.sip_day))
            if day < plan.end_ord:
                out.append((m.index, day))
        return out

    def nav_on(self, plan, ordinal: int) -> float:
        """NAV on a date, interpolated geometrically between month starts."""
        i = max(0, min(len(plan.months) - 1, plan.month_index(ordinal)))
        m = plan.months[i]
        frac = (ordinal - m.start) / m.days
        return round(self.navs[i] * (self.navs[i + 1] / self.navs[i]) ** frac, 4)


@dataclass
class Policy:
    """An insurance policy, its premium schedule inside the window, and whether it lapsed."""

    number: str
    insurer: str
    name: str
    ptype: str
    sum_assured: float
    cover: float
    premium: float
    frequency: str
    start: int
    maturity: int
    status: str
    paid: list[int]
    last_paid: int | None
    next_due: int | None
    channel: str
    riders: list[dict] = field(default_factory=list)


def _schemes(rng, nrng, plan) -> None:
    p = plan.profile
    mean_sales = sum(plan.sales) / len(plan.sales)
    n_months = len(plan.months)
    for spec in rng.sample(names.MF_SCHEMES, rng.randint(*p.mf_schemes)):
        amc, registrar, code, name, isin, category, nav0 = spec
        mu, sigma = _RETURNS[category]
        steps = nrng.normal(mu, sigma, size=n_months)
        navs = [nav0]
        for s in steps.tolist():
            navs.append(round(navs[-1] * math.exp(s), 4))
        cost = round(mean_sales * rng.uniform(0.04, 0.3), -3)
        scheme = Scheme(amc, registrar, code, name, isin, category, f"{rng.randrange(10 ** 7, 10 ** 8)}/{rng.randrange(10, 99)}",
                        navs, round(cost / (nav0 * rng.uniform(0.75, 0.95)), 3), cost)
        if rng.random() < p.sip_share:
            scheme.sip_amount = float(rng.choice((2000, 3000, 5000, 10000, 15000, 25000)))
            scheme.sip_day = rng.choice((1, 5, 7, 10, 15, 20, 25))
            scheme.sip_from = rng.choice((0, 0, rng.randint(1, 12)))
            stop = rng.random() < p.sip_stop_share
            scheme.sip_to = rng.randint(14, 28) if stop else n_months
        if rng.random() < 0.3 or not scheme.sip_amount:
            m = plan.months[rng.randint(1, n_months - 2)]
            scheme.lumpsums.append((next_working_day(m.start + rng.randint(0, 20)), round(mean_sales * rng.uniform(0.02, 0.1), -3)))
        if p.mf_sell:
            for _ in range(rng.randint(1, 2)):
                m = plan.months[rng.randint(n_months - 12, n_months - 2)]
                scheme.sells.append((next_working_day(m.start + rng.randint(0, 20)), rng.uniform(0.25, 0.5)))
            scheme.sells.sort()
        if p.mf_lien:
            m = plan.months[rng.randint(3, 20)]
            scheme.lien = (next_working_day(m.start + rng.randint(0, 20)), rng.uniform(0.6, 0.9))
        plan.schemes.append(scheme)


def _due_dates(start: int, frequency: str, end: int) -> list[int]:
    d = dt.date.fromordinal(start)
    out, k = [], 0
    while True:
        y, m = add_months(d.year, d.month, k * _PERIOD[frequency])
        day = clamp_day(y, m, d.day)
        if day >= end:
            return out
        out.append(day)
        k += 1


def _policies(rng, plan) -> None:
    p = plan.profile
    kinds = [rng.choice(("SHOPKEEPER", "FIRE"))] + rng.sample(("HEALTH", "TERM_PLAN", "ENDOWMENT", "MOTOR", "KEYMAN"), 3)
    kinds = kinds[: rng.randint(*p.policies)]
    must_lapse = rng.randrange(len(kinds)) if p.lapse_share > 0 else -1  # stressed borrowers lapse at least one
    for k, ptype in enumerate(kinds):
        insurers, freqs, renewed, premium_range, multiple = _POLICY_TYPES[ptype]
        frequency = rng.choice(freqs)
        annual = round(rng.uniform(*premium_range), -2)
        premium = round(annual / 12 * 1.04, 0) if frequency == "MONTHLY" else round(annual * _PERIOD[frequency] / 12, 0)
        start = plan.start_ord - rng.randint(60, 3000) if rng.random() < 0.85 else plan.start_ord + rng.randint(30, 400)
        dues = _due_dates(start, frequency, plan.end_ord)
        in_window = [d for d in dues if d >= plan.start_ord]
        lapse_at = None
        candidates = [d for d in in_window if plan.start_ord + 180 <= d <= plan.end_ord - 120]
        if candidates and (k == must_lapse or rng.random() < p.lapse_share):
            lapse_at = rng.choice(candidates)
        paid = [d for d in in_window if lapse_at is None or d < lapse_at]
        paid_all = [d for d in dues if lapse_at is None or d < lapse_at]
        last_paid = paid_all[-1] if paid_all else None
        if lapse_at is not None:
            next_due = lapse_at
        else:
            y, m = add_months(*divmod_month(dues[-1]), _PERIOD[frequency])
            next_due = clamp_day(y, m, dt.date.fromordinal(start).day)
        cover = round(annual * multiple, -4)
        if renewed:
            pstart = last_paid or start
            pd = dt.date.fromordinal(pstart)
            maturity = clamp_day(pd.year + 1, pd.month, pd.day) - 1
        else:
            pstart, term = start, rng.choice((15, 20, 25, 30))
            sd = dt.date.fromordinal(start)
            maturity = clamp_day(sd.year + term, sd.month, sd.day)
        riders = []
        if ptype in ("TERM_PLAN", "ENDOWMENT") and rng.random() < 0.6:
            riders.append({"riderType": "Accidental Death Benefit", "sumAssured": round(cover * 0.5, -4),
                           "premiumAmount": round(premium * 0.06, 0)})
        insurer = rng.choice(insurers)
        plan.policies.append(Policy(
            f"{''.join(w[0] for w in insurer.split()[:3])}{rng.randrange(10 ** 9, 10 ** 10)}", insurer,
            _product_name(insurer, ptype), ptype, cover, cover, premium, frequency, pstart,
            maturity, "LAPSED" if lapse_at is not None else "ACTIVE", paid, last_paid, next_due,
            "NACH" if frequency == "MONTHLY" else rng.choice(("NACH", "BIL")), riders))


_PRODUCTS = {"SHOPKEEPER": "Shopkeeper's Package Policy", "FIRE": "Bharat Sookshma Udyam Suraksha Policy",
             "HEALTH": "Family Floater Health Policy", "MOTOR": "Commercial Vehicle Package Policy",
             "TERM_PLAN": "Term Insurance Plan", "ENDOWMENT": "Endowment Savings Plan", "KEYMAN": "Keyman Insurance Plan"}


def _product_name(insurer: str, ptype: str) -> str:
    if insurer == "LIC OF INDIA":
        return {"ENDOWMENT": "LIC Jeevan Labh", "TERM_PLAN": "LIC Tech Term"}.get(ptype, "LIC Keyman Plan")
    return _PRODUCTS[ptype]


def divmod_month(ordinal: int) -> tuple[int, int]:
    """(year, month) of an ordinal."""
    d = dt.date.fromordinal(ordinal)
    return d.year, d.month


def plan_savings(plan) -> None:
    """Choose MF folios and insurance policies, and count their statement lines per month."""
    _schemes(random_for(plan.seed, "plan.mf"), rng_for(plan.seed, "plan.mf.nav"), plan)
    _policies(random_for(plan.seed, "plan.insurance"), plan)
    lines = [0] * len(plan.months)
    for s in plan.schemes:
        for i, _ in s.sip_dates(plan):
            lines[i] += 1
    for pol in plan.policies:
        for d in pol.paid:
            i = plan.month_index(d)
            if 0 <= i < len(lines):
                lines[i] += 1
    plan.savings_lines = lines


def structural_lines(plan, month) -> int:
    """SIP and premium lines debited in the month."""
    return plan.savings_lines[month.index]
