"""Amounts the way Indian banks print them and credit officers read them: ₹12,34,567, ₹12.35 lakh, ₹2.52 crore.

The one implementation of lakh/crore digit grouping: the mess injector writes raw amounts with it, and the
analytics' sentences and the AI narrative use it.
"""
from __future__ import annotations

LAKH = 100_000
CRORE = 10_000_000


def group_indian(whole: int) -> str:
    """``1234567`` -> ``"12,34,567"``: the last three digits, then groups of two."""
    digits = str(abs(int(whole)))
    if len(digits) <= 3:
        grouped = digits
    else:
        head, tail = digits[:-3], digits[-3:]
        pairs = []
        while len(head) > 2:
            pairs.insert(0, head[-2:])
            head = head[:-2]
        grouped = ",".join([head, *pairs, tail]) if head else ",".join([*pairs, tail])
    return ("-" if whole < 0 else "") + grouped


def grouped_decimal(value: float, decimals: int = 2) -> str:
    """``1234567.5`` -> ``"12,34,567.50"``: Indian grouping with a fixed number of decimals."""
    sign = "-" if value < 0 else ""
    whole, _, frac = f"{abs(value):.{decimals}f}".partition(".")
    return f"{sign}{group_indian(int(whole))}" + (f".{frac}" if decimals else "")


def inr(amount: float) -> str:
    """Whole rupees with Indian grouping: ``inr(1234567.4) == "₹12,34,567"``; negatives as ``-₹...``."""
    rounded = round(amount)
    return ("-" if rounded < 0 else "") + "₹" + group_indian(abs(rounded))


def inr_paise(amount: float) -> str:
    """Rupees with paise only when there are any: ``₹4,80,000`` or ``₹1,234.50``."""
    sign = "-" if round(amount * 100) < 0 else ""
    whole, paise = divmod(round(abs(amount) * 100), 100)
    return f"{sign}₹{group_indian(int(whole))}" + (f".{int(paise):02d}" if paise else "")


def inr_words(amount: float) -> str:
    """Lakh/crore shorthand for prose: ``"₹12.35 lakh"``, ``"₹2.52 crore"``; small sums as :func:`inr`."""
    size = abs(amount)
    sign = "-" if amount < 0 else ""
    if size >= CRORE:
        return f"{sign}₹{size / CRORE:.2f} crore"
    if size >= LAKH:
        return f"{sign}₹{size / LAKH:.2f} lakh"
    return inr(amount)


def inr_both(amount: float) -> str:
    """Exact and shorthand together when the shorthand helps: ``"₹12,34,567 (₹12.35 lakh)"``."""
    exact = inr(amount)
    short = inr_words(amount)
    return exact if short == exact else f"{exact} ({short})"


def pct(ratio: float, digits: int = 1) -> str:
    """A ratio as a percentage: ``pct(0.0428) == "4.3%"``."""
    return f"{ratio * 100:.{digits}f}%"
