"""Amounts the way an Indian credit officer reads them: ₹12,34,567 and ₹12.35 lakh / ₹2.52 crore."""
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


def inr(amount: float) -> str:
    """Whole rupees with Indian grouping: ``inr(1234567.4) == "₹12,34,567"``; negatives as ``-₹...``."""
    rounded = round(amount)
    return ("-" if rounded < 0 else "") + "₹" + group_indian(abs(rounded))


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
