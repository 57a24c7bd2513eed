"""The shapes a raw value can arrive in: amounts, dates and timestamps as real feeds print them.

:mod:`generators.messiness` (and its compiled form, :mod:`generators.mess_compiled`) pick a
shape per value with a :class:`Chooser` over ``messiness_config``'s weights and render it here;
each renderer also names the repair the cleaner will have to make, so the account of the mess
stays exact.
"""
from __future__ import annotations

import random
from datetime import date, datetime
from typing import Any

from pipeline.indian import grouped_decimal
from pipeline.normalize import IST

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
AMOUNT_FORMATS = ("number", "plain_string", "indian_grouped", "rupee_symbol", "rs_prefix")
DATE_FORMATS = ("iso", "dd/mm/yyyy", "dd-mon-yyyy", "epoch_ms")


def indian_grouping(value: float) -> str:
    """``1234567.5`` -> ``12,34,567.50`` (the lakh/crore grouping Indian banks print)."""
    return grouped_decimal(value, 2)


def format_amount(value: float, fmt: str) -> tuple[Any, str | None]:
    """Render a canonical amount in one of the formats sources use; return it and the repair it will need."""
    if fmt == "number":
        return value, None
    if fmt == "plain_string" or (fmt == "indian_grouped" and abs(value) < 1000):
        return f"{value:.2f}", "amount_from_string"
    if fmt == "indian_grouped":
        return indian_grouping(value), "amount_indian_grouping"
    if fmt == "rupee_symbol":
        return "₹" + indian_grouping(value), "amount_currency_prefix"
    if fmt == "rs_prefix":
        return "Rs. " + indian_grouping(value), "amount_currency_prefix"
    raise ValueError(f"unknown amount format {fmt!r}")


def format_date(value: str, fmt: str) -> tuple[Any, str | None]:
    """Render a canonical ``YYYY-MM-DD`` date in one of the formats sources use."""
    if fmt == "iso":
        return value, None
    day = date.fromisoformat(value)
    if fmt == "dd/mm/yyyy":
        return f"{day.day:02d}/{day.month:02d}/{day.year}", "date_dd/mm/yyyy"
    if fmt == "dd-mon-yyyy":
        return f"{day.day:02d}-{MONTH_ABBR[day.month - 1]}-{day.year}", "date_dd-mon-yyyy"
    if fmt == "epoch_ms":
        midnight = datetime(day.year, day.month, day.day, tzinfo=IST)
        return int(midnight.timestamp()) * 1000, "date_epoch_ms"
    raise ValueError(f"unknown date format {fmt!r}")


def format_timestamp(value: str, fmt: str) -> tuple[Any, str | None]:
    """Render a canonical IST timestamp in one of the formats sources use."""
    if fmt == "iso":
        return value, None
    moment = datetime.fromisoformat(value).astimezone(IST)
    clock = f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    if fmt == "dd/mm/yyyy":
        return f"{moment.day:02d}/{moment.month:02d}/{moment.year} {clock}", "timestamp_dd/mm/yyyy"
    if fmt == "dd-mon-yyyy":
        return f"{moment.day:02d}-{MONTH_ABBR[moment.month - 1]}-{moment.year} {clock}", "timestamp_dd-mon-yyyy"
    if fmt == "epoch_ms":
        return int(moment.timestamp() * 1000), "timestamp_epoch_ms"
    raise ValueError(f"unknown timestamp format {fmt!r}")


class Chooser:
    """Weighted choice of a format name from ``messiness_config`` weights: one ``random()`` draw per pick."""

    def __init__(self, weights: dict[str, float], known: tuple[str, ...]):
        unknown = set(weights) - set(known)
        if unknown:
            raise ValueError(f"unknown formats in messiness_config: {sorted(unknown)}")
        self.names = [k for k in known if weights.get(k, 0) > 0]
        total = sum(weights[k] for k in self.names)
        acc, self.cumulative = 0.0, []
        for name in self.names:
            acc += weights[name] / total
            self.cumulative.append(acc)

    def pick(self, rng: random.Random) -> str:
        """The format of one value: the first whose cumulative weight exceeds a draw, else the last."""
        r = rng.random()
        for name, edge in zip(self.names, self.cumulative):
            if r < edge:
                return name
        return self.names[-1]
