"""How often an FIU may request FI data under one consent: ``fetchType`` and ``Frequency`` of the artefact.

A ONETIME consent allows one FI request. A PERIODIC consent allows ``Frequency.value`` requests in any window of
one ``Frequency.unit`` (HOUR, DAY, MONTH taken as 30 days, YEAR as 365 days), ``INF`` without limit. The AA keeps
the time of each accepted request per consent and refuses the one past the limit (``FetchLimitExceeded``).
"""
from __future__ import annotations

import datetime as dt

from pipeline.aa.errors import AAError

WINDOWS = {"HOUR": dt.timedelta(hours=1), "DAY": dt.timedelta(days=1), "MONTH": dt.timedelta(days=30),
           "YEAR": dt.timedelta(days=365)}


def check_fetch_limit(detail: dict, fetched_at: list[dt.datetime], now: dt.datetime) -> None:
    """Refuse (:class:`AAError` ``FetchLimitExceeded``) an FI request beyond what the consent allows, given the
    times of the requests already accepted under it."""
    if detail.get("fetchType") == "ONETIME":
        if fetched_at:
            raise AAError("FetchLimitExceeded", "a ONETIME consent allows one FI request, and it was made")
        return
    frequency = detail.get("Frequency") or {}
    unit, value = frequency.get("unit"), int(frequency.get("value") or 0)
    if unit == "INF":
        return
    if unit not in WINDOWS:
        raise AAError("FetchLimitExceeded", f"the consent's Frequency unit {unit!r} allows no FI request")
    recent = [t for t in fetched_at if t > now - WINDOWS[unit]]
    if len(recent) >= value:
        raise AAError("FetchLimitExceeded", f"Frequency allows {value} FI request(s) per {unit}; "
                      f"{len(recent)} already in the last {unit.lower()}")
