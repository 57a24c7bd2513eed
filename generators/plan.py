"""The single business plan every source reads.

``build_plan`` decides, once, what the business really did month by month:
true sales and their channels, what it declared to GST, who bought and sold,
which invoices and ONDC orders exist and when they were paid, which loans,
cards, policies and SIPs it holds, and which fraud patterns and anomalies are
planted. The source builders only render this plan into records, which is why
growth or stress shows up consistently in the bank, GST, ONDC and the bureau.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from . import names, plan_costs, plan_credit, plan_recon, plan_risk, plan_savings, plan_trade
from .identity import Identity, Party, make_identity
from .profiles import Profile
from .seeding import random_for, rng_for
from .stress import stress_settings
from .timeline import DAY, Month, history_months

PRE_MONTHS = 2  # invoices raised this many months before the window are still collected inside it
FESTIVE = (10, 11, 12)


@dataclass
class Plan:
    """Everything decided about one borrower; source builders only read it."""

    customer_id: str
    seed: int
    profile: Profile
    as_of: dt.date
    tpm: int
    n_anomalies: int
    identity: Identity
    months: list[Month]
    pre_months: list[Month]
    n_gst: int
    gst_rate: float
    sales: list[float]
    pre_sales: list[float]
    channels: dict[str, list[float]]
    declared: list[float]
    fake: list[float]
    credit_est: list[float]
    counts: dict[str, list[int]] = field(default_factory=dict)
    increments: list[int] = field(default_factory=list)
    savings_lines: list[int] = field(default_factory=list)
    limit: float = 0.0
    buyers: list[Party] = field(default_factory=list)
    suppliers: list[Party] = field(default_factory=list)
    partners: list[Party] = field(default_factory=list)
    invoices: list[Any] = field(default_factory=list)
    credit_notes: list[Any] = field(default_factory=list)
    payments: list[Any] = field(default_factory=list)
    orders: list[Any] = field(default_factory=list)
    staff: list[Any] = field(default_factory=list)
    rent: Any = None
    utilities: list[Any] = field(default_factory=list)
    loans: list[Any] = field(default_factory=list)
    revolving: list[Any] = field(default_factory=list)
    ocen: list[Any] = field(default_factory=list)
    enquiries: list[Any] = field(default_factory=list)
    stacked: list[Any] = field(default_factory=list)   # the loans planted as stacking (truth)
    hop_cut: float = 0.02   # what each hop of a multi-hop round trip keeps, at most (more under stress)
    schemes: list[Any] = field(default_factory=list)
    policies: list[Any] = field(default_factory=list)
    circular: list[Any] = field(default_factory=list)
    anomalies: list[Any] = field(default_factory=list)
    round_cash: list[Any] = field(default_factory=list)

    @property
    def start_ord(self) -> int:
        """Ordinal of the first day of the window."""
        return self.months[0].start

    @property
    def end_ord(self) -> int:
        """Ordinal of the as-of date: nothing may be dated on or after it."""
        return self.as_of.toordinal()

    @property
    def end_instant(self) -> int:
        """First instant on the as-of date."""
        return self.end_ord * DAY

    def month_index(self, ordinal: int) -> int:
        """Window index of the month containing ``ordinal`` (negative before the window)."""
        d = dt.date.fromordinal(ordinal)
        first = self.months[0]
        return (d.year - first.year) * 12 + d.month - first.month

    def gross(self, taxable: float) -> float:
        """What a customer pays for ``taxable`` worth of goods at the industry's average GST rate."""
        return taxable * (1.0 + self.gst_rate / 100.0)


def _industry_rate(industry: str) -> float:
    rates = names.INDUSTRIES[industry][0]
    return sum(r * w for r, w in rates) / sum(w for _, w in rates)


def _sales(profile: Profile, seed: int, months: list[Month]) -> list[float]:
    """True monthly taxable sales: base x trend x season x log-noise, pre-window months included."""
    rng = rng_for(seed, "plan.sales")
    base = rng.uniform(*profile.sales_start)
    span = max(1, sum(1 for m in months if m.index >= 0) - 1)
    noise = rng.normal(0.0, profile.noise, size=len(months))
    out = []
    for m, eps in zip(months, noise):
        trend = profile.growth_total ** (m.index / span)
        out.append(base * trend * profile.seasonality[m.month - 1] * math.exp(float(eps)))
    return out


def _calibrate(profile: Profile, sales: list[float], ratio: list[float], window: list[Month], n_gst: int) -> None:
    """Tilt or lift the sales so the profile's defining GST property holds by a margin, for any id.

    Declared turnover is ``sales * ratio`` month by month, so an exponential
    tilt of sales tilts declared turnover by exactly the same factor.
    """
    if n_gst < 9:
        return
    declared = [s * r for s, r in zip(sales, ratio)]
    gap = n_gst - 3
    if profile.growth_total > 2 or profile.growth_total < 0.5:
        target = 5.0 if profile.growth_total > 2 else 0.22
        have = sum(declared[gap:n_gst]) / sum(declared[:3])
        if (profile.growth_total > 2 and have < target) or (profile.growth_total < 0.5 and have > target):
            c = math.log(target / have) / gap
            for i in range(len(sales)):
                sales[i] *= math.exp(c * window[i].index)
    if max(profile.seasonality) >= 2 * min(profile.seasonality):
        fest = [d for d, m in zip(declared[:n_gst], window) if m.month in FESTIVE]
        rest = [d for d, m in zip(declared[:n_gst], window) if m.month not in FESTIVE]
        if fest and rest:
            have = (sum(fest) / len(fest)) / (sum(rest) / len(rest))
            if have < 3.0:
                for i, m in enumerate(window):
                    if m.month in FESTIVE:
                        sales[i] *= 3.0 / have


def _channels(plan_profile: Profile, seed: int, window: list[Month]) -> tuple[dict[str, list[float]], list[float], int]:
    """Per-month channel shares (ONDC starts late for some sellers) and the declared-B2C ratio."""
    rng = random_for(seed, "plan.channels")
    ondc_start = rng.randint(*plan_profile.ondc_start)
    b2b, upi, cash, ondc = plan_profile.mix
    shares: dict[str, list[float]] = {"b2b": [], "upi": [], "cash": [], "ondc": []}
    declared_b2c = []
    for m in window:
        live = m.index >= ondc_start
        shares["b2b"].append(b2b)
        shares["upi"].append(upi + (0.0 if live else ondc))
        shares["cash"].append(cash)
        shares["ondc"].append(ondc if live else 0.0)
        declared_b2c.append(rng.uniform(*plan_profile.b2c_declared))
    return shares, declared_b2c, ondc_start


def _counts(plan: Plan) -> dict[str, list[int]]:
    """How many statement lines each variable flow gets per month, so the month totals ``tpm`` on average.

    Volume follows sales (square root), structural lines (salaries, EMIs,
    bills) are counted first and the rest is spread by the profile's weights.
    """
    rng = random_for(plan.seed, "plan.counts")
    p = plan.profile
    mean_sales = sum(plan.sales) / len(plan.sales)
    vols = [math.sqrt(s / mean_sales) for s in plan.sales]
    mean_vol = sum(vols) / len(vols)
    keys = ("b2b", "ondc", "upi", "cash", "supplier", "misc")
    counts: dict[str, list[int]] = {k: [] for k in keys}
    counts["atm"] = []
    for i, m in enumerate(plan.months):
        total = plan.tpm * vols[i] / mean_vol * rng.uniform(0.93, 1.07)
        atm = min(10, max(1, round(plan.tpm * 0.012 * rng.uniform(0.6, 1.4))))
        structural = plan_costs.structural_lines(plan, m) + plan_credit.structural_lines(plan, m)
        structural += plan_savings.structural_lines(plan, m) + atm
        rest = max(6.0, total - structural)
        weights = list(p.count_weights)
        if plan.channels["ondc"][i] == 0:
            weights[2] += weights[1]
            weights[1] = 0.0
        wsum = sum(weights)
        for k, w in zip(keys, weights):
            counts[k].append(max(1 if w > 0 else 0, round(rest * w / wsum)))
        counts["atm"].append(atm)
    return counts


def build_plan(customer_id: str, seed: int, profile: Profile, as_of: dt.date, gen_config: dict) -> Plan:
    """Decide everything about one borrower for the window ending before ``as_of``."""
    n_months = int(gen_config.get("history_months", 36))
    tpm = int(gen_config.get("transactions_per_month", {}).get(profile.name, profile.default_tpm))
    all_months = history_months(as_of, n_months, before=PRE_MONTHS)
    pre, window = all_months[:PRE_MONTHS], all_months[PRE_MONTHS:]
    identity = make_identity(random_for(seed, "identity"), as_of)
    n_gst = sum(1 for m in window if plan_trade.gst_due(m, "GSTR3B") < as_of.toordinal())
    sales_all = _sales(profile, seed, all_months)
    shares, declared_b2c, _ = _channels(profile, seed, window)
    sales = sales_all[PRE_MONTHS:]
    fake = profile.fake_invoice_ratio
    ratio = [shares["b2b"][i] + shares["ondc"][i] + declared_b2c[i] * (shares["upi"][i] + shares["cash"][i]) + fake
             for i in range(len(window))]
    _calibrate(profile, sales, ratio, window, n_gst)
    channels = {k: [s * v[i] for i, s in enumerate(sales)] for k, v in shares.items()}
    rate = _industry_rate(identity.industry)
    credit_est = [(channels["b2b"][i] + channels["upi"][i] + channels["cash"][i] * profile.cash_deposited
                   + channels["ondc"][i] * 0.95) * (1 + rate / 100) for i in range(len(window))]
    plan = Plan(
        customer_id=customer_id, seed=seed, profile=profile, as_of=as_of, tpm=tpm,
        n_anomalies=int(gen_config.get("planted_anomalies", 8)), identity=identity, months=window,
        pre_months=pre, n_gst=n_gst, gst_rate=rate, sales=sales, pre_sales=sales_all[:PRE_MONTHS],
        channels=channels, declared=[round(s * r, 2) for s, r in zip(sales, ratio)],
        fake=[s * fake for s in sales], credit_est=credit_est,
    )
    stress = stress_settings(gen_config)
    if stress:
        plan.hop_cut = stress["hop_cut"]
    plan_costs.plan_costs(plan)
    plan_credit.plan_credit(plan)
    plan_savings.plan_savings(plan)
    plan.counts = _counts(plan)
    plan_trade.plan_trade(plan)
    plan_risk.plan_risk(plan)
    plan_recon.plan_reconciliation(plan)
    return plan
