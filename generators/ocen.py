"""OCEN source: loan applications with their lifecycle, as the lender's OCEN APIs report them.

Disbursed applications are the same loans the bank credits and debits and
the bureau lists (same account number, EMI and disbursal time); rejected ones
carry a reason; the newest may still be in progress.
"""
from __future__ import annotations

from .plan_credit import abs_month
from .timeline import DAY, Clock


def build_ocen(plan) -> list[dict]:
    """Render the plan's OCEN applications (oldest first)."""
    clock = Clock()
    out = []
    end_abs = abs_month(plan.end_ord)
    for app in plan.ocen:
        history = list(app.history)
        loan = app.loan
        rec = {
            "loanApplicationId": app.app_id, "createdAt": clock.ts(app.created), "updatedAt": "",
            "lender": {"id": app.lender[0], "name": app.lender[1]}, "productType": app.product,
            "requestedAmount": app.requested, "tenureMonths": loan.tenure if loan else 12, "status": "",
        }
        if app.offered:
            rec["offeredAmount"] = app.offered
        if app.reason:
            rec["rejectionReason"] = app.reason
        if loan is not None:
            closed_day = loan.emi_date(loan.last_emi) + 1
            if loan.last_emi < end_abs and closed_day < plan.end_ord:
                history.append(("CLOSED", closed_day * DAY + 12 * 3600))
            recent = [a for a in loan.bounces if a >= end_abs - 2]
            rec.update(
                sanctionedAmount=loan.sanctioned, interestRate=loan.rate, repaymentMandate="ENACH",
                disbursedAt=clock.ts(loan.disbursal_ts), disbursedAmount=loan.disbursed,
                loanAccountNumber=loan.account_number, emiAmount=loan.emi,
                loanStatus="CLOSED" if history[-1][0] == "CLOSED" else ("EMI_PAID" if recent or loan.bounces else "HEALTHY"),
            )
        rec["status"] = history[-1][0]
        rec["updatedAt"] = clock.ts(history[-1][1])
        rec["statusHistory"] = [{"status": s, "timestamp": clock.ts(ts)} for s, ts in history]
        out.append(rec)
    return out
