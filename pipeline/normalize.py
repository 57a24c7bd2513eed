"""Parsers that turn the formats sources really send into canonical values.

Canonical forms: amounts are numbers in rupees rounded to 2 decimals; dates are
``YYYY-MM-DD``; timestamps are ISO 8601 in IST with their offset
(``2024-01-05T13:20:14+05:30``). Each parser returns ``(value, repair_kind)``
where ``repair_kind`` is ``None`` when the input was already canonical, so the
cleaner can count what it repaired. Unparseable input raises
:class:`NormalizeError`, which the cleaner turns into a quarantine reason.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

IST = timezone(timedelta(hours=5, minutes=30))
MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}

_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_DECIMAL_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")
_GROUPED_NUMBER = re.compile(r"^-?\d{1,3}(,\d{2})*(,\d{3})(\.\d+)?$|^-?\d{1,3}(,\d{3})+(\.\d+)?$")
_CURRENCY_PREFIX = re.compile(r"^(₹|rs\.?|inr)\s*", re.IGNORECASE)
_DMY_SLASH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_DMY_MON = re.compile(r"^(\d{1,2})-([A-Za-z]{3})-(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_DMY_DASH = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CANON_TS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?\+05:30$")
_INF = float("inf")
_EPOCH_MIN_MS = 946684800000      # 2000-01-01, below this a number is not an epoch in ms
_EPOCH_MAX_MS = 4102444800000     # 2100-01-01


# Schema patterns that every canonical value of a kind satisfies: the text ``parse_date`` and
# ``parse_timestamp`` return (``YYYY-MM-DD``; ``YYYY-MM-DDTHH:MM:SS[.ffffff]+05:30``) always matches them, so
# the cleaner's compiled check does not match a value it has just parsed against them again.
CANONICAL_PATTERNS = {
    "dates": frozenset({r"^\d{4}-\d{2}-\d{2}$"}),
    "timestamps": frozenset({r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$"}),
}


class NormalizeError(ValueError):
    """A value that no repair can turn into its canonical form."""


def parse_amount(value: object) -> tuple[float, str | None]:
    """Parse an amount as sources send it (number, ``"1234.5"``, ``"1,23,456.00"``, ``"₹1,234"``, ``"Rs. 99"``).

    Returns the amount rounded to paise and the repair kind applied. Indian
    (lakh) and Western digit grouping are both accepted because FIPs use both.
    """
    kind = type(value)
    if kind is float:
        if value != value or value in (_INF, -_INF):
            raise NormalizeError(f"{value!r} is not a finite amount")
        rounded = round(value, 2)
        return rounded, (None if rounded == value else "amount_rounded")
    if kind is int:
        return float(value), None
    if kind is not str:
        raise NormalizeError(f"{kind.__name__} {value!r} is not an amount")
    text = value.strip()
    if _PLAIN_NUMBER.match(text):
        return round(float(text), 2), "amount_from_string"
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:].lstrip()
    kind = "amount_indian_grouping"
    stripped = _CURRENCY_PREFIX.sub("", text)
    if stripped != text:
        kind = "amount_currency_prefix"
        text = stripped.strip()
        if text.startswith("-") and not sign:
            sign, text = "-", text[1:]
        if text.startswith("-") and sign:   # "-₹-5", "₹--5": two signs are not an amount
            raise NormalizeError(f"{value!r} is not an amount")
        if _PLAIN_NUMBER.match(text):
            return round(float(sign + text), 2), kind
    if sign and text.startswith("-"):   # "--1,234", "- -1,234"
        raise NormalizeError(f"{value!r} is not an amount")
    if _GROUPED_NUMBER.match(text):
        return round(float(sign + text.replace(",", "")), 2), kind
    raise NormalizeError(f"{value!r} is not an amount")


def parse_decimal(value: object) -> tuple[float, str | None]:
    """Parse a non-money quantity (fund units, NAV) without rounding it to paise."""
    if isinstance(value, bool):
        raise NormalizeError(f"boolean {value!r} is not a number")
    if isinstance(value, (int, float)):
        if value != value or value in (float("inf"), float("-inf")):
            raise NormalizeError(f"{value!r} is not a finite number")
        return float(value), None
    if isinstance(value, str) and _DECIMAL_NUMBER.match(value.strip()):
        return float(value.strip()), "number_from_string"
    raise NormalizeError(f"{value!r} is not a number")


def _ist_from_parts(day: str, month: int, year: str, hh: str | None, mm: str | None, ss: str | None) -> datetime:
    try:
        return datetime(int(year), month, int(day), int(hh or 0), int(mm or 0), int(ss or 0), tzinfo=IST)
    except ValueError as exc:
        raise NormalizeError(str(exc)) from exc


def _ist_text(day: str, month: int, year: str, hh: str | None, mm: str | None, ss: str | None) -> str:
    """Canonical IST text for a wall-clock reading, checked for validity without a timezone round trip."""
    y, d, h, mi, se = int(year), int(day), int(hh or 0), int(mm or 0), int(ss or 0)
    try:
        datetime(y, month, d, h, mi, se)
    except ValueError as exc:
        raise NormalizeError(str(exc)) from exc
    return f"{y:04d}-{month:02d}-{d:02d}T{h:02d}:{mi:02d}:{se:02d}+05:30"


def _month_number(name: str) -> int:
    try:
        return MONTHS[name.lower()]
    except KeyError as exc:
        raise NormalizeError(f"unknown month {name!r}") from exc


def _from_epoch_ms(value: float) -> datetime:
    if not _EPOCH_MIN_MS <= value <= _EPOCH_MAX_MS:
        raise NormalizeError(f"{value!r} is not an epoch timestamp in milliseconds")
    return datetime.fromtimestamp(value / 1000.0, tz=IST)


def _format_ts(moment: datetime) -> str:
    return moment.astimezone(IST).isoformat()


def parse_timestamp(value: object) -> tuple[str, str | None]:
    """Parse a timestamp into canonical ISO 8601 IST.

    Accepts ISO 8601 with any offset (converted to IST), naive ISO and
    ``DD/MM/YYYY HH:MM:SS`` / ``DD-Mon-YYYY HH:MM:SS`` (read as IST, as Indian
    FIPs mean them), and epoch milliseconds.
    """
    if type(value) is str and len(value) == 25 and value.endswith("+05:30") and _CANON_TS.match(value):
        return value, None
    if isinstance(value, bool):
        raise NormalizeError(f"boolean {value!r} is not a timestamp")
    if isinstance(value, (int, float)):
        return _format_ts(_from_epoch_ms(value)), "timestamp_epoch_ms"
    if not isinstance(value, str):
        raise NormalizeError(f"{type(value).__name__} is not a timestamp")
    text = value.strip()
    if _CANON_TS.match(text):
        return text, None
    if text.isdigit():
        return _format_ts(_from_epoch_ms(int(text))), "timestamp_epoch_ms"
    match = _DMY_SLASH.match(text)
    if match:
        d, m, y, hh, mm, ss = match.groups()
        return _ist_text(d, int(m), y, hh, mm, ss), "timestamp_dd/mm/yyyy"
    match = _DMY_MON.match(text)
    if match:
        d, mon, y, hh, mm, ss = match.groups()
        return _ist_text(d, _month_number(mon), y, hh, mm, ss), "timestamp_dd-mon-yyyy"
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise NormalizeError(f"{value!r} is not a timestamp") from exc
    if moment.tzinfo is None:
        return _format_ts(moment.replace(tzinfo=IST)), "timestamp_naive"
    return _format_ts(moment), "timestamp_timezone"


def parse_date(value: object) -> tuple[str, str | None]:
    """Parse a calendar date into ``YYYY-MM-DD``.

    Accepts ISO dates, ``DD/MM/YYYY``, ``DD-MM-YYYY``, ``DD-Mon-YYYY``, epoch
    milliseconds (read in IST) and full ISO timestamps (their own local date).
    """
    if type(value) is str and len(value) == 10 and _ISO_DATE.match(value):
        try:
            date.fromisoformat(value)
        except ValueError as exc:
            raise NormalizeError(f"{value!r} is not a date") from exc
        return value, None
    if isinstance(value, bool):
        raise NormalizeError(f"boolean {value!r} is not a date")
    if isinstance(value, (int, float)):
        return _from_epoch_ms(value).date().isoformat(), "date_epoch_ms"
    if not isinstance(value, str):
        raise NormalizeError(f"{type(value).__name__} is not a date")
    text = value.strip()
    if _ISO_DATE.match(text):
        try:
            date.fromisoformat(text)
        except ValueError as exc:
            raise NormalizeError(f"{value!r} is not a date") from exc
        return text, None
    if text.isdigit():
        return _from_epoch_ms(int(text)).date().isoformat(), "date_epoch_ms"
    match = _DMY_SLASH.match(text)
    if match and match.group(4) is None:
        d, m, y = match.group(1, 2, 3)
        return _ist_from_parts(d, int(m), y, None, None, None).date().isoformat(), "date_dd/mm/yyyy"
    match = _DMY_MON.match(text)
    if match and match.group(4) is None:
        d, mon, y = match.group(1, 2, 3)
        return _ist_from_parts(d, _month_number(mon), y, None, None, None).date().isoformat(), "date_dd-mon-yyyy"
    match = _DMY_DASH.match(text)
    if match:
        d, m, y = match.groups()
        return _ist_from_parts(d, int(m), y, None, None, None).date().isoformat(), "date_dd-mm-yyyy"
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise NormalizeError(f"{value!r} is not a date") from exc
    return moment.date().isoformat(), "date_from_timestamp"


_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


def parse_bool(value: object) -> tuple[bool, str | None]:
    """Parse a boolean sent as ``true``/``"true"``/``"YES"``/``"N"`` (AA payloads use strings)."""
    if isinstance(value, bool):
        return value, None
    if isinstance(value, str):
        low = value.strip().lower()
        if low in _TRUE:
            return True, "boolean_from_string"
        if low in _FALSE:
            return False, "boolean_from_string"
    raise NormalizeError(f"{value!r} is not a boolean")


def parse_integer(value: object) -> tuple[int, str | None]:
    """Parse an integer sent as a number or a numeric string (bureau scores, tenures)."""
    if isinstance(value, bool):
        raise NormalizeError(f"boolean {value!r} is not an integer")
    if isinstance(value, int):
        return value, None
    if isinstance(value, float) and value.is_integer():
        return int(value), "integer_from_float"
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value), "integer_from_string"
    raise NormalizeError(f"{value!r} is not an integer")
