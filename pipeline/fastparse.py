"""Shortcuts for the non-canonical forms sources send most often, with exactly :mod:`pipeline.normalize`'s results.

A third of a messy feed's amounts are texts (``"250.00"``, ``"4,13,232.14"``,
``"Rs. 89.00"``, ``"₹-1,136.50"``) and a quarter of its timestamps are epoch
milliseconds or Indian day-first texts (``"01/11/2023 11:06:28"``,
``"01-Nov-2023 11:06:28"``). The real parsers try their formats one regular
expression at a time and build ``datetime`` objects; the functions here
recognise the commonest shapes in one step (ASCII digits only, no
whitespace) and otherwise hand the value to the real parser, so every other
input gets the same value, repair kind or error as before. The compiled
normaliser (:mod:`pipeline.fastpath`) calls them; tests compare them with the
parsers on damaged input.
"""
from __future__ import annotations

import re
from datetime import date

from pipeline.normalize import MONTHS, parse_amount, parse_timestamp

_GROUPED = r"[0-9]{1,3}(?:,[0-9]{2})*,[0-9]{3}|[0-9]{1,3}(?:,[0-9]{3})+"
# a currency prefix as FIPs print it, then a signed number, plain or grouped (the plain form tried first)
_AMOUNT_TEXT = re.compile(rf"(₹|Rs\. ?)?(-?(?:[0-9]+|{_GROUPED})(?:\.[0-9]+)?)").fullmatch


def amount_text(text: str) -> tuple[float, str]:
    """:func:`~pipeline.normalize.parse_amount` of a text, in one regular expression for the usual shapes.

    The amount is ``round(float(number), 2)`` as there, without ``round``'s decimal conversion when the
    float has at most two decimals already: when ``m = value * 100`` is whole and ``m / 100 == value``
    (both correctly rounded), ``value`` is the float nearest to the decimal ``m / 100`` and, below 10^13
    in size, within 0.005 of it, so rounding to paise gives that decimal back, whose float is ``value``.
    """
    match = _AMOUNT_TEXT(text)
    if match is None:
        return parse_amount(text)
    prefix, number = match.groups()
    kind = "amount_from_string" if prefix is None else "amount_currency_prefix"
    if "," in number:
        number = number.replace(",", "")
        if prefix is None:
            kind = "amount_indian_grouping"
    value = float(number)
    m = value * 100
    if m.is_integer() and -1e15 < m < 1e15 and m / 100 == value:
        return value, kind
    return round(value, 2), kind


def _day_first(text: str) -> str | None:
    """``"01/11/2023"`` or ``"01-Nov-2023"`` as ``"2023-11-01"``; None for any other shape or an impossible date."""
    if not text.isascii():
        return None
    day, month, year = text[:2], text[3:-5], text[-4:]
    if not (day.isdigit() and year.isdigit()):
        return None
    if text[2] == "/" == text[5] and len(text) == 10 and month.isdigit():
        number = int(month)
    elif text[2] == "-" == text[6] and len(text) == 11 and month.isalpha():
        number = MONTHS.get(month.lower())
        if number is None:
            return None
    else:
        return None
    try:
        return date(int(year), number, int(day)).isoformat()
    except ValueError:
        return None


_DAYS: dict[str, str | None] = {}  # day-first date texts seen (a feed has a few thousand distinct days)
_DAYS_SIZE = 100_000
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_EPOCH_MIN_MS, _EPOCH_MAX_MS = 946684800000, 4102444800000  # pipeline.normalize's bounds of an epoch in ms
_IST_SECONDS = 19800
_EPOCH_DAYS: dict[int, str] = {}  # days since 1970 -> their ISO text (at most 36,525 of them between the bounds)
_TWO_DIGITS = [f"{n:02d}" for n in range(60)]


def timestamp_value(value: object) -> tuple[str, str | None]:
    """:func:`~pipeline.normalize.parse_timestamp` of a value that is not already canonical, faster for the usual
    repairs: whole-second epoch milliseconds and ``DD/MM/YYYY HH:MM:SS`` / ``DD-Mon-YYYY HH:MM:SS`` texts."""
    kind = value.__class__
    if kind is int and _EPOCH_MIN_MS <= value <= _EPOCH_MAX_MS and value % 1000 == 0:
        days, seconds = divmod(value // 1000 + _IST_SECONDS, 86400)
        day = _EPOCH_DAYS.get(days)
        if day is None:
            day = _EPOCH_DAYS[days] = date.fromordinal(_EPOCH_ORDINAL + days).isoformat()
        hours, seconds = divmod(seconds, 3600)
        minutes, seconds = divmod(seconds, 60)
        return f"{day}T{_TWO_DIGITS[hours]}:{_TWO_DIGITS[minutes]}:{_TWO_DIGITS[seconds]}+05:30", "timestamp_epoch_ms"
    if kind is str and 19 <= len(value) <= 20 and value[-9] == " " and value[-6] == ":" == value[-3]:
        head = value[:-9]
        day = _DAYS.get(head, False)
        if day is False:
            day = _day_first(head)
            if len(_DAYS) < _DAYS_SIZE:
                _DAYS[head] = day
        clock = value[-8:]
        hh, mm, ss = clock[:2], clock[3:5], clock[6:]
        if day is not None and clock.isascii() and (hh + mm + ss).isdigit() and hh < "24" and mm < "60" and ss < "60":
            return f"{day}T{clock}+05:30", ("timestamp_dd/mm/yyyy" if len(value) == 19 else "timestamp_dd-mon-yyyy")
    return parse_timestamp(value)
