"""Credit bureau source: a report as HEADER, TRADELINE and ENQUIRY segments.

Tradelines are the plan's loans and revolving lines. Payment history is three
characters a month, newest first, up to 36 months: the days an EMI was late
in the bank (a bounced and re-presented EMI shows e.g. ``005``), the DPD
episodes of outside loans, ``STD`` for a regular OD/CC line, and an odd
``XXX`` where a lender skipped reporting. The OD/CC balance is the account's
actual debit balance at the end of the window.
"""
from __future__ import annotations

import datetime as dt

from . import names
from .plan_credit import abs_month
from .seeding import random_for
from .timeline import Clock


def _history(rng, newest: int, oldest: int, code_of) -> str:
    codes = []
    for a in range(newest, max(oldest, newest - 35) - 1, -1):
        code = code_of(a)
        if code == "000" and rng.random() < 0.01:
            code = "XXX"
        codes.append(code)
    return "".join(codes)


def _month_start(a: int) -> int:
    return dt.date(a // 12, a % 12 + 1, 1).toordinal()


def build_bureau(plan, final_balance: float) -> list[dict]:
    """Render the bureau report for the as-of date."""
    rng = random_for(plan.seed, "bureau")
    clock = Clock()
    p, ident = plan.profile, plan.identity
    bureau = rng.choice(names.BUREAUS)
    report = plan.end_ord - 1
    base = {"reportId": f"{bureau[:2]}{dt.date.fromordinal(report):%Y%m%d}{rng.randrange(10 ** 8):08d}",
            "bureau": bureau, "reportDate": clock.date(report)}
    owner = ident.owner_name if ident.constitution == "Proprietorship" else ident.business_name
    out = [{"segment": "HEADER", **base, "score": rng.randint(*p.score), "name": owner, "pan": ident.pan}]
    newest_open = abs_month(plan.end_ord) - 1
    reported = _month_start(newest_open + 1) - 1
    for loan in plan.loans:
        if loan.opened > report:
            continue
        last_day = loan.emi_date(loan.last_emi)
        closed = last_day < report
        newest = loan.last_emi if closed else newest_open
        def code(a: int, loan=loan) -> str:
            """Status of one month: planted DPD, days an EMI was late, or 000."""
            if a in loan.dpd:
                return loan.dpd[a]
            late = loan.bounces.get(a, 0)
            return f"{late:03d}" if late else "000"
        hist = _history(rng, newest, abs_month(loan.opened), code)
        paid = loan.paid_before(plan.end_ord)
        overdue = 0.0
        if not closed and hist[:3].isdigit() and int(hist[:3]) >= 30:
            overdue = round(loan.emi * (int(hist[:3]) // 30), 2)
        row = {"segment": "TRADELINE", **base, "accountNumber": loan.account_number, "lender": loan.lender,
               "accountType": loan.account_type, "ownership": "INDIVIDUAL", "dateOpened": clock.date(loan.opened),
               "dateReported": clock.date(last_day if closed else reported), "sanctionedAmount": loan.sanctioned,
               "highCredit": loan.sanctioned, "currentBalance": 0.0 if closed else loan.outstanding(paid),
               "amountOverdue": overdue, "emiAmount": loan.emi, "interestRate": loan.rate, "tenureMonths": loan.tenure,
               "paymentHistory": hist, "paymentHistoryStartDate": clock.date(_month_start(newest)),
               "writtenOffStatus": "NONE", "suitFiled": False, "status": "CLOSED" if closed else "ACTIVE"}
        if closed:
            row["dateClosed"] = clock.date(last_day)
        out.append(row)
    lines = []
    for line in plan.revolving:
        if line.in_bank:
            balance = round(max(0.0, -final_balance), 2)
        else:
            balance = round(line.limit * line.utilisation, 2)
        lines.append([line, balance])
    if p.spend_down_to > 0:
        total_limit = sum(line.limit for line, _ in lines)
        need = 0.86 * total_limit - sum(b for _, b in lines)
        for pair in lines:
            if need > 0 and not pair[0].in_bank:
                extra = min(need, pair[0].limit * 0.99 - pair[1])
                if extra > 0:
                    pair[1] = round(pair[1] + extra, 2)
                    need -= extra
    for line, balance in lines:
        ok = "STD" if line.in_bank else "000"
        hist = _history(rng, newest_open, abs_month(line.opened), lambda a, ok=ok: ok)
        out.append({"segment": "TRADELINE", **base, "accountNumber": line.account_number, "lender": line.lender,
                    "accountType": line.kind, "ownership": "INDIVIDUAL", "dateOpened": clock.date(line.opened),
                    "dateReported": clock.date(reported), "sanctionedAmount": line.limit,
                    "highCredit": round(max(balance, line.limit * rng.uniform(0.5, 0.95)), 2),
                    "currentBalance": balance, "amountOverdue": 0.0, "creditLimit": line.limit,
                    "paymentHistory": hist, "paymentHistoryStartDate": clock.date(_month_start(newest_open)),
                    "writtenOffStatus": "NONE", "suitFiled": False, "status": "ACTIVE"})
    for enq in plan.enquiries:
        if enq.ordinal <= report:
            out.append({"segment": "ENQUIRY", **base, "enquiryDate": clock.date(enq.ordinal), "lender": enq.lender,
                        "purpose": enq.purpose, "amount": enq.amount})
    return out
