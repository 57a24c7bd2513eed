"""Loan arithmetic: annuity instalments, reducing-balance schedules, due dates and the balance outstanding.

Pure functions shared by the loan book (:mod:`monitoring.loans`), acceptances (:mod:`monitoring.acceptances`) and
the behavioural features (:mod:`monitoring.features`).
"""
from __future__ import annotations

import calendar
from datetime import date
from typing import Any


def annuity_emi(principal: float, annual_rate_pct: float, months: int) -> float:
    """The equal monthly instalment that repays ``principal`` over ``months`` at ``annual_rate_pct`` % a year."""
    if months <= 0:
        raise ValueError("tenure must be at least one month")
    r = annual_rate_pct / 1200.0
    if r == 0:
        return round(principal / months, 2)
    return round(principal * r / (1 - (1 + r) ** -months), 2)


def add_months(day: date, months: int, day_of_month: int | None = None) -> date:
    """``day`` moved by ``months`` calendar months, on ``day_of_month`` (clamped to the month's length)."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    wanted = day_of_month or day.day
    return date(year, month, min(wanted, calendar.monthrange(year, month)[1]))


def amortise(principal: float, annual_rate_pct: float, emi: float, due_dates: list[date]) -> list[dict[str, Any]]:
    """The reducing-balance schedule: per instalment its due date, amount, interest, principal and balance after."""
    r = annual_rate_pct / 1200.0
    balance, rows = float(principal), []
    for n, due in enumerate(due_dates, start=1):
        interest = round(balance * r, 2)
        amount = round(balance + interest, 2) if n == len(due_dates) else min(emi, round(balance + interest, 2))
        repaid = round(amount - interest, 2)
        balance = max(0.0, round(balance - repaid, 2))
        rows.append({"n": n, "due_date": due.isoformat(), "amount": amount, "interest": interest,
                     "principal": repaid, "balance": balance})
    return rows


def outstanding_at(loan: dict, day: str) -> float:
    """Scheduled principal outstanding after every instalment due on or before ``day`` (ISO date)."""
    balance = float(loan["principal"])
    for row in loan["schedule"]:
        if row["due_date"] > day:
            break
        balance = row["balance"]
    return balance


