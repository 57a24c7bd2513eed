"""Credit side of the plan: term loans, the account's OD/CC line, cards, OCEN applications, enquiries.

Loans are sized from the profile's debt load against the plan's expected
business credits, so "EMIs are half of the inflows" is a property of the plan,
not an accident. Every loan debited in the bank is also a bureau tradeline; a
disbursed OCEN application becomes one of these loans.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from . import names
from .identity import bank_lender_name
from .seeding import random_for
from .timeline import DAY, clamp_day

_PRODUCT_PURPOSE = {"WORKING_CAPITAL": "WORKING_CAPITAL", "TERM_LOAN": "BUSINESS_LOAN", "INVOICE_FINANCING":
                    "BUSINESS_LOAN", "PURCHASE_FINANCE": "BUSINESS_LOAN", "CREDIT_LINE": "WORKING_CAPITAL"}
_HAPPY = ("CREATED", "CONSENT_REQUIRED", "CONSENT_APPROVED", "PROCESSING", "OFFERED", "OFFER_ACCEPTED",
          "KYC_PENDING", "KYC_COMPLETED", "LOAN_AGREEMENT_PENDING", "LOAN_AGREEMENT_SIGNED",
          "REPAYMENT_SETUP_PENDING", "REPAYMENT_SETUP_COMPLETED", "GRANTED", "DISBURSEMENT_PENDING", "DISBURSED")


def abs_month(ordinal: int) -> int:
    """Absolute month number (year * 12 + month - 1) of an ordinal."""
    d = dt.date.fromordinal(ordinal)
    return d.year * 12 + d.month - 1


@dataclass
class Loan:
    """An amortising loan: its terms, EMI schedule, where it is repaid from and its repayment conduct."""

    account_number: str
    lender: str
    account_type: str
    sanctioned: float
    disbursed: float
    rate: float
    tenure: int
    opened: int
    emi: float
    emi_day: int
    channel: str          # NACH | ECS | SI
    mandate_ref: str
    in_bank: bool         # EMIs are debited from the account we see
    source: str           # bank | ocen | external | closed
    disbursal_ts: int | None = None
    ocen_id: str | None = None
    bounces: dict[int, int] = field(default_factory=dict)  # absolute month -> days the EMI was late
    dpd: dict[int, str] = field(default_factory=dict)      # absolute month -> DPD code (outside loans)

    @property
    def first_emi(self) -> int:
        """Absolute month of the first EMI (the month after opening)."""
        return abs_month(self.opened) + 1

    @property
    def last_emi(self) -> int:
        """Absolute month of the last EMI."""
        return self.first_emi + self.tenure - 1

    def emi_date(self, month_abs: int) -> int:
        """Ordinal of the EMI due in an absolute month."""
        return clamp_day(month_abs // 12, month_abs % 12 + 1, self.emi_day)

    def paid_before(self, ordinal: int) -> int:
        """Number of EMIs due before ``ordinal``."""
        k = 0
        for a in range(self.first_emi, self.last_emi + 1):
            if self.emi_date(a) >= ordinal:
                break
            k += 1
        return k

    def outstanding(self, paid: int) -> float:
        """Principal outstanding after ``paid`` EMIs (standard reducing-balance amortisation)."""
        if paid >= self.tenure:
            return 0.0
        r = self.rate / 1200.0
        grown = (1 + r) ** paid
        return max(0.0, round(self.sanctioned * grown - self.emi * (grown - 1) / r, 2))


@dataclass(frozen=True)
class Revolving:
    """A revolving line: the account's OD/CC facility or a credit card."""

    account_number: str
    lender: str
    kind: str  # OVERDRAFT | CASH_CREDIT | CREDIT_CARD
    limit: float
    opened: int
    utilisation: float
    in_bank: bool


@dataclass
class OcenApp:
    """One OCEN loan application and how far it got."""

    app_id: str
    lender: tuple[str, str]
    product: str
    requested: float
    created: int
    outcome: str  # DISBURSED | REJECTED | CANCELLED | IN_PROGRESS
    history: list[tuple[str, int]]
    reason: str | None = None
    offered: float = 0.0
    loan: Loan | None = None


@dataclass(frozen=True)
class Enquiry:
    """A bureau enquiry made by a lender."""

    ordinal: int
    lender: str
    purpose: str
    amount: float


def annuity_factor(rate: float, tenure: int) -> float:
    """Present value of 1 a month for ``tenure`` months at ``rate`` % a year."""
    r = rate / 1200.0
    return (1 - (1 + r) ** -tenure) / r


def _loan(rng, plan, lender: str, kind: str, emi_target: float, rate: float, tenure: int, opened: int,
          source: str, in_bank: bool, emi_days=(2, 3, 5, 7, 10, 12, 15)) -> Loan:
    factor = annuity_factor(rate, tenure)
    sanctioned = max(50_000.0, round(emi_target * factor, -4))
    own = lender.startswith(plan.identity.bank_name.split()[0])
    channel = "SI" if own else rng.choice(("NACH", "NACH", "NACH", "ECS"))
    umrn = f"{plan.identity.bank_prefix}7{rng.randrange(10 ** 15):015d}"
    number = f"{''.join(w[0] for w in lender.split()[:3])}{rng.randrange(10 ** 9, 10 ** 10)}"
    ts = opened * DAY + rng.randint(11 * 3600, 16 * 3600) if opened >= plan.start_ord else None
    return Loan(number, lender, kind, sanctioned, round(sanctioned * (1 - rng.uniform(0.01, 0.02)), 2), round(rate, 2),
                tenure, opened, float(round(sanctioned / factor)), rng.choice(emi_days), channel, umrn, in_bank,
                source, ts)


def _history(rng, created: int, steps: tuple[str, ...], end: int) -> list[tuple[str, int]]:
    out, ts = [], created
    for status in steps:
        out.append((status, ts))
        ts = min(ts + rng.randint(300, 2 * DAY), end - 60 * (len(steps) - len(out)))
    return out


def _ocen(rng, plan, mean_sales: float) -> None:
    p = plan.profile
    n = rng.randint(*p.ocen_apps)
    hungry = p.enquiries_recent[0] >= 5
    last = len(plan.months) - 1
    idxs = sorted(rng.randint(max(0, last - 3), last) if hungry and j >= n // 2 else rng.randint(2, last)
                  for j in range(n))
    for j, i in enumerate(idxs):
        m = plan.months[i]
        created = (m.start + rng.randrange(m.days)) * DAY + rng.randint(10 * 3600, 20 * 3600)
        created = min(created, plan.end_instant - 3 * DAY)
        lender = rng.choice(names.OCEN_LENDERS)
        requested = max(100_000.0, round(mean_sales * rng.uniform(0.3, 1.2), -4))
        roll = rng.random()
        if created >= plan.end_instant - 20 * DAY:
            outcome = "IN_PROGRESS"
        elif roll < p.ocen_reject_share:
            outcome = "REJECTED"
        elif rng.random() < p.ocen_disburse_share:
            outcome = "DISBURSED"
        else:
            outcome = "CANCELLED"
        product = rng.choice(("WORKING_CAPITAL", "TERM_LOAN")) if outcome == "DISBURSED" else rng.choice(
            ("WORKING_CAPITAL", "TERM_LOAN", "INVOICE_FINANCING", "PURCHASE_FINANCE", "CREDIT_LINE"))
        app = OcenApp(f"LA-{lender[0].split('.')[0].upper()[:4]}-{rng.randrange(10 ** 8):08d}", lender, product,
                      requested, created, outcome, [])
        if outcome == "REJECTED":
            app.reason = rng.choice(p.reject_reasons)
            steps = ("CREATED", "CONSENT_REQUIRED", "REJECTED") if app.reason == "AA_FAILED" else (
                "CREATED", "CONSENT_REQUIRED", "CONSENT_APPROVED", "PROCESSING", "REJECTED")
        elif outcome == "CANCELLED":
            steps = _HAPPY[:5] + ("CANCELLED",)
        elif outcome == "IN_PROGRESS":
            steps = _HAPPY[: rng.choice((2, 4, 5, 7))]
        else:
            steps = _HAPPY
        app.history = _history(rng, created, steps, plan.end_instant)
        if outcome in ("DISBURSED", "CANCELLED") or "OFFERED" in steps:
            app.offered = round(requested * rng.uniform(0.6, 1.0), -4)
        if outcome == "DISBURSED":
            rate, tenure = rng.uniform(16, 26), rng.choice((6, 9, 12, 18, 24))
            disb_ts = app.history[-1][1]
            emi_target = app.offered / annuity_factor(rate, tenure)
            loan = _loan(rng, plan, lender[1], "BUSINESS_LOAN" if product == "TERM_LOAN" else "WORKING_CAPITAL",
                         emi_target, rate, tenure, disb_ts // DAY, "ocen", True, (3, 5, 7, 10))
            loan.disbursal_ts, loan.ocen_id, loan.channel = disb_ts, app.app_id, "NACH"
            loan.account_number = f"OC{rng.randrange(10 ** 11, 10 ** 12)}"
            app.loan = loan
            plan.loans.append(loan)
        plan.ocen.append(app)
        plan.enquiries.append(Enquiry(created // DAY, lender[1], _PRODUCT_PURPOSE[product], requested))


def _dpd_episodes(rng, plan, loan: Loan, chance: float) -> None:
    end_abs = abs_month(plan.end_ord)
    months = [a for a in range(max(loan.first_emi, end_abs - 18), min(loan.last_emi + 1, end_abs))]
    a = 0
    while a < len(months):
        if rng.random() < chance:
            run = rng.randint(1, 3)
            for k, code in enumerate(("030", "060", "090")[:run]):
                if a + k < len(months):
                    loan.dpd[months[a + k]] = code
            a += run + 2
        a += 1


def plan_credit(plan) -> None:
    """Draw the facility, cards, term loans, closed and outside loans, OCEN journeys and enquiries."""
    rng = random_for(plan.seed, "plan.credit")
    p, ident = plan.profile, plan.identity
    mean_sales = sum(plan.sales[:12]) / 12
    start_abs = abs_month(plan.start_ord)
    plan.limit = 0.0
    if p.facility != "NONE":
        plan.limit = max(100_000.0, round(p.limit_months * mean_sales * 1.1, -5) or 100_000.0)
        kind = "OVERDRAFT" if p.facility == "OD" else "CASH_CREDIT"
        plan.revolving.append(Revolving(f"{ident.bank_prefix}{kind[:2]}{rng.randrange(10 ** 10):010d}",
                                        bank_lender_name(ident.bank_name), kind, plan.limit,
                                        plan.start_ord - rng.randint(200, 1500), 0.0, True))
    for _ in range(rng.randint(*p.credit_cards)):
        bank = rng.choice(names.BANKS)
        plan.revolving.append(Revolving(f"XXXXXXXXXXXX{rng.randrange(10 ** 4):04d}", bank_lender_name(bank[1]), "CREDIT_CARD",
                                        float(rng.choice((100_000, 150_000, 200_000, 300_000, 500_000))),
                                        plan.start_ord - rng.randint(100, 2000), rng.uniform(*p.card_utilisation),
                                        False))
    heavy = p.debt_load > 0.3
    budget = p.debt_load * (max(plan.credit_est) if heavy else sum(plan.credit_est) / len(plan.credit_est))
    n = rng.randint(*p.term_loans)
    weights = [rng.uniform(0.6, 1.4) for _ in range(n)]
    lenders = rng.sample(names.TERM_LENDERS, n)
    for i in range(n):
        kind = "BUSINESS_LOAN" if i == 0 else rng.choice(("TERM_LOAN", "EQUIPMENT_LOAN", "VEHICLE_LOAN", "BUSINESS_LOAN"))
        rate = rng.uniform(16, 23) if heavy else rng.uniform(11, 18)
        tenure = rng.choice((60, 72, 84)) if heavy else rng.choice((24, 36, 48, 60))
        if heavy or i == 0:
            back = rng.randint(2, max(2, min(30, tenure - 40))) if heavy else rng.randint(3, 30)
            a = start_abs - back
        else:
            a = start_abs + rng.randint(4, 28)
        opened = clamp_day(a // 12, a % 12 + 1, rng.randint(1, 25))
        plan.loans.append(_loan(rng, plan, lenders[i], kind, budget * weights[i] / sum(weights), rate, tenure,
                                opened, "bank", True, (2, 3, 5, 7, 10) if heavy else (2, 3, 5, 7, 10, 12, 15)))
        if opened >= plan.start_ord:
            plan.enquiries.append(Enquiry(opened - rng.randint(5, 25), lenders[i], "BUSINESS_LOAN",
                                          plan.loans[-1].sanctioned))
    for _ in range(rng.randint(*p.closed_loans)):
        tenure = rng.choice((12, 18, 24, 36))
        a = start_abs - tenure - rng.randint(2, 24)
        opened = clamp_day(a // 12, a % 12 + 1, rng.randint(1, 25))
        plan.loans.append(_loan(rng, plan, rng.choice(names.TERM_LENDERS), rng.choice(("BUSINESS_LOAN", "GOLD_LOAN",
                          "VEHICLE_LOAN")), mean_sales * rng.uniform(0.02, 0.06), rng.uniform(11, 18), tenure, opened,
                          "closed", False))
    if p.external_dpd > 0:
        for kind in rng.sample(("PERSONAL_LOAN", "GOLD_LOAN", "VEHICLE_LOAN"), 2):
            a = start_abs - rng.randint(1, 12)
            opened = clamp_day(a // 12, a % 12 + 1, rng.randint(1, 25))
            loan = _loan(rng, plan, rng.choice(names.TERM_LENDERS), kind, mean_sales * rng.uniform(0.02, 0.05),
                         rng.uniform(13, 24), rng.choice((48, 60)), opened, "external", False)
            _dpd_episodes(rng, plan, loan, p.external_dpd)
            plan.loans.append(loan)
    _ocen(rng, plan, mean_sales)
    _stacking(plan, mean_sales)
    first, last = plan.start_ord, plan.end_ord - 1
    for count, lo, hi in ((rng.randint(*p.enquiries_recent), last - 89, last),
                          (rng.randint(*p.enquiries_older), first, last - 90)):
        for _ in range(count):
            purpose = rng.choice(("BUSINESS_LOAN", "WORKING_CAPITAL", "CREDIT_CARD", "PERSONAL_LOAN", "GOLD_LOAN"))
            banks = tuple(bank_lender_name(b[1]) for b in names.BANKS)
            lender = rng.choice(banks if purpose == "CREDIT_CARD" else names.TERM_LENDERS + banks[:4])
            plan.enquiries.append(Enquiry(rng.randint(lo, hi), lender, purpose, round(mean_sales * rng.uniform(0.2, 1.5), -4)))
    _make_keys_unique(plan)


def _stacking(plan, mean_sales: float) -> None:
    """Loan stacking: several lenders' loans taken within 90 days in the last year, each after its own
    enquiry and disbursed into the account we see (``plan.stacked`` is the truth)."""
    lo, hi = plan.profile.stacked_loans
    if not hi:
        return
    rng = random_for(plan.seed, "plan.stacking")
    taken = {loan.lender for loan in plan.loans}
    pool = [lender for lender in names.TERM_LENDERS + tuple(l for _, l in names.OCEN_LENDERS[:5]) if lender not in taken]
    lenders = rng.sample(pool, min(len(pool), rng.randint(lo, hi)))
    start = plan.end_ord - rng.randint(150, 300)
    for lender in lenders:
        opened = start + rng.randint(0, 80)
        loan = _loan(rng, plan, lender, rng.choice(("BUSINESS_LOAN", "TERM_LOAN")), mean_sales * rng.uniform(0.03, 0.08),
                     rng.uniform(18, 26), rng.choice((12, 18, 24)), opened, "bank", True)
        plan.loans.append(loan)
        plan.enquiries.append(Enquiry(opened - rng.randint(3, 20), lender, "BUSINESS_LOAN", loan.sanctioned))
        plan.stacked.append(loan)


def _make_keys_unique(plan) -> None:
    """Tradeline numbers and enquiries are bureau record keys; nudge the rare random collision apart."""
    seen: set[str] = set()
    for loan in plan.loans:
        while loan.account_number in seen:
            loan.account_number += "1"
        seen.add(loan.account_number)
    for i, line in enumerate(plan.revolving):
        number = line.account_number
        while number in seen:
            number = f"{number[:-4]}{(int(number[-4:]) + 1) % 10_000:04d}"
        seen.add(number)
        plan.revolving[i] = replace(line, account_number=number)
    keys, unique = set(), []
    for enq in sorted(plan.enquiries, key=lambda e: (e.ordinal, e.lender, e.purpose, e.amount)):
        while (enq.ordinal, enq.lender, enq.purpose, enq.amount) in keys:
            enq = replace(enq, amount=enq.amount + 10_000)
        keys.add((enq.ordinal, enq.lender, enq.purpose, enq.amount))
        unique.append(enq)
    plan.enquiries = unique


def structural_lines(plan, month) -> int:
    """EMI lines debited in the month."""
    a = month.year * 12 + month.month - 1
    return sum(1 for loan in plan.loans if loan.in_bank and loan.first_emi <= a <= loan.last_emi)
