"""The one timestamp format the AA APIs use (``2026-12-04T10:00:00.000Z``), written and read."""
from __future__ import annotations

from datetime import datetime, timezone

from pipeline.aa.errors import AAError


def iso_z(moment: datetime | None = None) -> str:
    """``moment`` (default now) in UTC with milliseconds and a ``Z``, as ReBIT messages carry it."""
    moment = (moment or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_iso(value: object, field: str, code: str = "bad_request") -> datetime:
    """An ISO timestamp (``Z`` or an offset; naive taken as UTC), or :class:`AAError` ``code`` naming the field."""
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise AAError(code, f"{field} {value!r} is not an ISO timestamp") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
