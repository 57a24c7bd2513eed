"""Planned bank lines: income (collections, settlements, UPI, cash) and fixed obligations.

Each flow of the plan becomes one or more *events* — ``[ts, seq, sign, paise,
category, mode, narration, reference, kind, link, value-date delay]`` — that
the ledger later posts in time order. Fixed events always post; the ledger may
cap flexible ones to keep the balance inside the account's limit.
"""
from __future__ import annotations

from bisect import bisect_right

from . import names
from .bank_formats import style_for
from .identity import upper_name
from .narration import Narrator
from .related_parties import related_parties
from .seeding import random_for, rng_for
from .timeline import DAY, next_working_day

TS, SEQ, SIGN, PAISE, CAT, MODE, NARR, REF, KIND, LINK, VDELAY = range(11)
FIXED, FLEX, DRAW, ANOMALY = 0, 1, 2, 3


class Flows:
    """Collects events for one account and tracks planned credits and fixed debits per month."""

    def __init__(self, plan):
        self.plan = plan
        self.events: list[list] = []
        style = style_for(plan.identity.bank_prefix, random_for(plan.seed, "bank.narration.style"))
        self.nar = Narrator(random_for(plan.seed, "bank.narration"), plan.identity.bank_prefix, plan.identity.city, style)
        self.starts = [m.start for m in plan.months]
        n = len(plan.months)
        self.credits = [0] * n
        self.fixed = [0] * n
        self.lo, self.hi = plan.start_ord * DAY, plan.end_instant
        self.bounces: list[tuple[int, str, str]] = []  # (event seq of the return charge, lender, UMRN): truth
        self.recon: list[tuple[str, list[int], list, dict]] = []  # (kind, event seqs, invoices, extra): truth

    def month_of(self, ts: int) -> int:
        """Window index of an instant."""
        return bisect_right(self.starts, ts // DAY) - 1

    def add(self, ts: int, sign: int, rupees: float, cat: str, nmr: tuple[str, str, str], kind: int = FIXED,
            link: tuple | None = None, vdelay: int = 0) -> bool:
        """Queue one event if it falls inside the window and has a positive amount."""
        paise = round(rupees * 100)
        if not (self.lo <= ts < self.hi) or paise <= 0:
            return False
        self.events.append([ts, len(self.events), sign, paise, cat, nmr[1], nmr[0], nmr[2], kind, link, vdelay])
        i = bisect_right(self.starts, ts // DAY) - 1   # self.month_of(ts), inline: 17,000 calls
        if sign > 0:
            self.credits[i] += paise
        elif kind == FIXED:
            self.fixed[i] += paise
        return True


def lender_ifsc(lender: str) -> str:
    """IFSC prefix a lender remits from: its own if it is a bank, else the NBFC's banker (HDFC)."""
    for prefix, bank, _, _ in names.BANKS:
        if lender.startswith(bank.split()[0]):
            return f"{prefix}0000001"
    return "HDFC0000240"


def _invoice_link(invoices: list) -> tuple:
    """The link of a credit paying these invoices: ``("gstr1_invoice", ((gstin, inum, month), ...))``."""
    return "gstr1_invoice", tuple((inv.buyer.gstin, inv.inum, inv.month) for inv in invoices)


def planted_payments(f: Flows) -> None:
    """Credits of the planted reconciliation cases (:mod:`plan_recon`): one credit for several invoices, an
    invoice in parts, an invoice net of its credit note; each case's event seqs are kept for the truth."""
    nar = f.nar
    for case in f.plan.payments:
        seqs = []
        first = case.invoices[0]
        for ts, amount, mode, note in case.payments:
            seq = len(f.events)
            nmr = nar.transfer(ts, mode, first.buyer.stmt_name, first.buyer.ifsc, note)
            if f.add(ts, 1, amount, "b2b_collection", nmr, link=_invoice_link(case.invoices),
                     vdelay=1 if mode == "CHQ" else 0):
                seqs.append(seq)
        extra = {"credit_note": case.credit_note.nt_num} if case.credit_note else {}
        f.recon.append((case.kind, seqs, case.invoices, {**extra, "parts": len(case.payments)}))


def collections(f: Flows) -> None:
    """B2B invoice payments (with bounced cheques re-paid by NEFT) and ONDC settlements."""
    rng, nar = random_for(f.plan.seed, "bank.collections"), f.nar
    for inv in f.plan.invoices:
        if inv.pay_ts is None or inv.recon:
            continue
        name = inv.buyer.stmt_name
        link = _invoice_link([inv])
        tds = ("tds", [len(f.events)], [inv], {}) if inv.tds_rate else None
        if inv.bounce_delay:
            text, mode, chq = nar.transfer(inv.pay_ts, "CHQ", name, inv.buyer.ifsc)
            f.add(inv.pay_ts, 1, inv.pay_amount, "b2b_collection", (text, mode, chq), vdelay=1)
            back = next_working_day(inv.pay_ts // DAY + 1) * DAY + rng.randint(11 * 3600, 14 * 3600)
            f.add(back, -1, inv.pay_amount, "bounce", (f"CHQ RTN {chq} {name} FUNDS INSUFFICIENT", "OTHERS", chq))
            f.add(back + 60, -1, 177.0, "bounce_charge", (f"CHQ RTN CHGS {chq}", "OTHERS", chq))
            ts = inv.pay_ts + inv.bounce_delay * DAY
            tds = ("tds", [len(f.events)], [inv], {}) if inv.tds_rate else None
            if f.add(ts, 1, inv.pay_amount, "b2b_collection", nar.transfer(ts, "NEFT", name, inv.buyer.ifsc),
                     link=link) and tds:
                f.recon.append(tds)
            continue
        note = f"INV {inv.inum}" if rng.random() < 0.25 else ""
        nmr = nar.transfer(inv.pay_ts, inv.pay_mode, name, inv.buyer.ifsc, note)
        if f.add(inv.pay_ts, 1, inv.pay_amount, "b2b_collection", nmr, link=link,
                 vdelay=1 if inv.pay_mode == "CHQ" else 0) and tds:
            f.recon.append(tds)
    planted_payments(f)
    for order in f.plan.orders:
        if order.settle_ts is None:
            continue
        bap, oid, ref = order.bap[1], order.id, order.settle_ref
        roll = rng.random()
        if roll < 0.4:
            text = f"NEFT/{ref}/{bap}/ONDC SETTLEMENT {oid}"
        elif roll < 0.65:
            text = f"NEFT/{ref}/{bap}/STL {oid[-7:]}"
        elif roll < 0.85:
            text = f"NEFT/{ref}/{bap}/{oid[5:].replace('-', '')}"
        else:
            text = f"NEFT/{ref}/{bap}/ONDC PAYOUT"
        f.add(order.settle_ts, 1, order.settlement_amount, "ondc_settlement", (text, "FT", ref),
              link=("ondc_order", oid))


def retail_income(f: Flows) -> None:
    """UPI sales from walk-in customers and cash deposits of cash sales."""
    plan, nar = f.plan, f.nar
    rng = random_for(plan.seed, "bank.retail")
    nrng = rng_for(plan.seed, "bank.retail.amounts")
    region_pool = names.SURNAMES[plan.identity.region]
    first = names.FIRST_NAMES_MALE + names.FIRST_NAMES_FEMALE
    pool = [(f"{rng.choice(first)} {rng.choice(region_pool)}".upper(), rng.choice(names.UPI_HANDLES)) for _ in range(300)]
    own_circle = {plan.identity.owner_stmt_name} | {p["statement_name"] for p in related_parties(plan)}
    random, randrange, add, upi_sale = rng.random, rng.randrange, f.add, nar.upi_sale   # 9,000 sales
    for m in plan.months:
        n = plan.counts["upi"][m.index]
        total = plan.gross(plan.channels["upi"][m.index])
        if n and total > 0:
            amounts = nrng.lognormal(0.0, 0.9, size=n)
            amounts = (amounts * (total / amounts.sum())).tolist()
            days = nrng.integers(0, m.days, size=n).tolist()
            secs = nrng.integers(9 * 3600, 22 * 3600, size=n).tolist()
            for amt, d, s in zip(amounts, days, secs):
                ts = (m.start + d) * DAY + s
                payer, handle = pool[randrange(300)] if random() < 0.7 else (
                    f"{rng.choice(first)} {rng.choice(region_pool)}".upper(), rng.choice(names.UPI_HANDLES))
                if payer in own_circle:   # a walk-in customer named as the owner or a relative: another family
                    given, family = payer.rsplit(" ", 1)
                    surnames = [n.upper() for n in region_pool if n.upper() != family]
                    payer = f"{given} {surnames[len(given) % len(surnames)]}"
                amt = max(10.0, round(amt) if random() < 0.8 else round(amt, 2))
                add(ts, 1, amt, "upi_sales", upi_sale(ts, payer, handle))
        n = plan.counts["cash"][m.index]
        total = plan.gross(plan.channels["cash"][m.index]) * plan.profile.cash_deposited
        if n and total > 0:
            parts = nrng.lognormal(0.0, 0.4, size=n)
            for part in (parts * (total / parts.sum())).tolist():
                day = next_working_day(m.start + rng.randrange(m.days))
                ts = day * DAY + rng.randint(10 * 3600 + 1800, 16 * 3600)
                f.add(ts, 1, max(500.0, round(part, -2)), "cash_deposit", nar.cash_deposit(ts))


def loans(f: Flows) -> None:
    """Loan disbursals, EMIs (with planned bounces, return charges and re-presentation)."""
    plan, nar = f.plan, f.nar
    rng = random_for(plan.seed, "bank.loans")
    first_abs = plan.months[0].year * 12 + plan.months[0].month - 1
    for loan in plan.loans:
        if not loan.in_bank:
            continue
        if loan.disbursal_ts is not None:
            text, mode, ref = nar.transfer(loan.disbursal_ts, "NEFT", loan.lender, lender_ifsc(loan.lender), "LOAN DISB")
            f.add(loan.disbursal_ts, 1, loan.disbursed, "loan_disbursal", (text, mode, ref))
        for a in range(max(loan.first_emi, first_abs), loan.last_emi + 1):
            day = loan.emi_date(a)
            if day >= plan.end_ord:
                break
            tag = f"{('JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC')[a % 12]}{a // 12 % 100:02d}"
            nmr = nar.emi(loan.lender, loan.channel, loan.mandate_ref, loan.account_number, tag)
            ts = day * DAY + rng.randint(6 * 3600, 9 * 3600)
            delay = loan.bounces.get(a, 0)
            if delay:
                seq = len(f.events)
                if f.add(day * DAY + rng.randint(19 * 3600, 21 * 3600), -1, 590.0, "emi_bounce_charge",
                         nar.emi_return_charge(loan.lender, loan.mandate_ref)):
                    f.bounces.append((seq, loan.lender, loan.mandate_ref))
                ts += delay * DAY
            f.add(ts, -1, loan.emi, "emi", nmr)


def obligations(f: Flows, gst_payments: list, mf_flows: list) -> None:
    """Salaries, rent, utilities, GST, SIPs and MF trades, premiums, bank charges and interest."""
    plan, nar = f.plan, f.nar
    rng = random_for(plan.seed, "bank.obligations")
    from .plan_costs import rent_of, salary_of
    tags = [m.abbr for m in plan.pre_months[-1:] + plan.months]
    for m in plan.months:
        i = m.index
        pay_day = next_working_day(m.start + rng.randint(0, 4))
        for emp in plan.staff.employees[: plan.staff.headcount[i]]:
            ts = pay_day * DAY + rng.randint(10 * 3600, 13 * 3600)
            name = upper_name(emp.name)
            if emp.mode == "BULK":
                nmr = (f"SALARY {tags[i]} {name}", "FT", f"SAL{rng.randrange(10 ** 8):08d}")
            else:
                nmr = nar.transfer(ts, emp.mode, name, "", f"SALARY {tags[i]}", credit=False)
            f.add(ts, -1, salary_of(plan, emp, i), "salary", nmr)
        rent_day = m.start + plan.rent.day - 1
        ts = rent_day * DAY + rng.randint(9 * 3600, 20 * 3600)
        f.add(ts, -1, rent_of(plan, i), "rent",
              nar.transfer(ts, plan.rent.mode, upper_name(plan.rent.landlord), "", f"RENT {m.abbr}", credit=False))
        for u in plan.utilities:
            ts = (m.start + min(u.day, m.days) - 1) * DAY + rng.randint(8 * 3600, 22 * 3600)
            bump = 1.25 if (u.kind == "electricity" and m.month in (4, 5, 6)) else 1.0
            amount = round(u.amount * bump * rng.uniform(0.85, 1.15), 2) if u.kind == "electricity" else u.amount
            f.add(ts, -1, amount, "utilities", nar.bill(ts, u.biller, f"{rng.randrange(10 ** 9, 10 ** 10)}"))
        ts = (m.end * DAY) + rng.randint(20 * 3600, 23 * 3600)
        f.add(ts, -1, float(rng.choice((59, 118, 118, 236, 354))), "bank_charges",
              (f"CONSOLIDATED CHGS FOR A/C {m.abbr}", "OTHERS", f"CHG{m.year}{m.month:02d}"))
        if m.month in (3, 6, 9, 12):
            f.add(ts + 120, -1, 17.7, "bank_charges", (f"SMS ALERT CHGS QTR {m.abbr}", "OTHERS", f"SMS{m.year}{m.month:02d}"))
            if plan.limit == 0:
                credit = round(plan.credit_est[i] * rng.uniform(0.0008, 0.002), 2)
                f.add(m.end * DAY + 86000, 1, credit, "interest",
                      (f"INT.PD:{plan.identity.masked_account[-4:]}:SWEEP FD:{m.abbr}", "OTHERS", f"INT{m.year}{m.month:02d}"))
        if i % 12 == 5:
            f.add(ts + 240, -1, 590.0, "bank_charges", (f"DEBIT CARD AMC {nar.card}", "OTHERS", f"AMC{nar.card}"))
    for ts, amount, cpin in gst_payments:
        text = f"GST PMT CPIN {cpin}" if rng.random() < 0.6 else f"GST/CPIN/{cpin}/{plan.identity.gstin}"
        f.add(ts, -1, amount, "gst_payment", (text, "OTHERS", cpin))
    for ts, sign, amount, kind, scheme in mf_flows:
        amc = scheme.amc.upper()
        if kind == "sip":
            nmr = (f"ACH D- {amc}-SIP{scheme.folio.split('/')[0]}", "OTHERS", scheme.folio)
        elif kind == "purchase":
            nmr = nar.bill(ts, amc, scheme.folio)
        else:
            nmr = nar.transfer(ts, "NEFT", amc, "HDFC0000060", f"REDEMPTION {scheme.folio}")
        f.add(ts, sign, amount, {"sip": "sip", "purchase": "mf_purchase", "redemption": "mf_redemption"}[kind], nmr)
    for pol in plan.policies:
        for day in pol.paid:
            ts = day * DAY + rng.randint(7 * 3600, 12 * 3600)
            nmr = (f"NACH/ACH DR/{pol.insurer}/PREMIUM {pol.number}", "OTHERS", pol.number) if pol.channel == "NACH" \
                else nar.bill(ts, pol.insurer, pol.number)
            f.add(ts, -1, pol.premium, "insurance_premium", nmr)
