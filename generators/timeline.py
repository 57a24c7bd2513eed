"""Calendar arithmetic for the history window, and fast ISO rendering of dates and times.

Inside the generators a day is its proleptic ordinal (``date.toordinal()``) and
an instant is ``ordinal * 86400 + seconds since local midnight`` in IST, so
sorting, comparing and adding days are integer operations. Strings are made
only once per day and cached, which keeps 17,000 timestamps cheap.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

IST_OFFSET = "+05:30"
DAY = 86400
_TWO_DIGITS = tuple(f"{i:02d}" for i in range(60))
MONTH_ABBR = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


@dataclass(frozen=True)
class Month:
    """One calendar month of the history window; ``index`` 0 is the oldest month."""

    index: int
    year: int
    month: int
    start: int  # ordinal of the 1st
    days: int

    @property
    def end(self) -> int:
        """Ordinal of the month's last day."""
        return self.start + self.days - 1

    @property
    def label(self) -> str:
        """``YYYY-MM``, used as the key of monthly truth figures."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def ret_prd(self) -> str:
        """GST return period ``MMYYYY``."""
        return f"{self.month:02d}{self.year:04d}"

    @property
    def abbr(self) -> str:
        """``NOV24``-style tag that salary and rent narrations carry."""
        return f"{MONTH_ABBR[self.month - 1]}{self.year % 100:02d}"


def add_months(year: int, month: int, k: int) -> tuple[int, int]:
    """Return (year, month) ``k`` months after (or before, if negative) the given month."""
    total = year * 12 + (month - 1) + k
    return total // 12, total % 12 + 1


def month_of(year: int, month: int, index: int) -> Month:
    """Build the :class:`Month` for a calendar month, tagged with its window index."""
    start = dt.date(year, month, 1)
    ny, nm = add_months(year, month, 1)
    days = (dt.date(ny, nm, 1) - start).days
    return Month(index, year, month, start.toordinal(), days)


def history_months(as_of: dt.date, count: int, before: int = 0) -> list[Month]:
    """Return the ``count`` complete months before ``as_of`` (oldest first).

    ``before`` extra months are prepended with negative indices, for flows
    (invoices, loans) that start before the window but settle inside it.
    """
    out = []
    for index in range(-before, count):
        y, m = add_months(as_of.year, as_of.month, index - count)
        out.append(month_of(y, m, index))
    return out


def clamp_day(year: int, month: int, day: int) -> int:
    """Ordinal of ``day`` in the month, clamped to the month's last day (31 Feb -> 28/29 Feb)."""
    ny, nm = add_months(year, month, 1)
    last = (dt.date(ny, nm, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day, last)).toordinal()


def is_bank_holiday(ordinal: int) -> bool:
    """True on Sundays and the 2nd and 4th Saturdays, when branches and clearing are shut."""
    d = dt.date.fromordinal(ordinal)
    wd = d.weekday()
    if wd == 6:
        return True
    return wd == 5 and (d.day - 1) // 7 in (1, 3)


def next_working_day(ordinal: int) -> int:
    """The first ordinal on or after ``ordinal`` that is not a bank holiday."""
    while is_bank_holiday(ordinal):
        ordinal += 1
    return ordinal


class Clock:
    """Renders ordinals and instants as canonical strings, caching per day."""

    def __init__(self) -> None:
        self.dates: dict[int, str] = {}   # the days rendered so far; a hot loop may look one up itself

    def date(self, ordinal: int) -> str:
        """``YYYY-MM-DD`` for an ordinal."""
        s = self.dates.get(ordinal)
        if s is None:
            s = dt.date.fromordinal(ordinal).isoformat()
            self.dates[ordinal] = s
        return s

    def ts(self, instant: int) -> str:
        """``YYYY-MM-DDTHH:MM:SS+05:30`` for an instant (ordinal * 86400 + seconds)."""
        day, sec = divmod(instant, DAY)
        date, two = self.dates.get(day) or self.date(day), _TWO_DIGITS
        return f"{date}T{two[sec // 3600]}:{two[sec // 60 % 60]}:{two[sec % 60]}{IST_OFFSET}"
