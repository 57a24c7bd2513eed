"""What the FIU keeps of each AA consent journey, and how a consent handle leads back to its customer.

A journey record (``<lake>/consents/aa/<customer_id>.json``) holds the consent handle the AA gave, the consent
id once approved, the status as the AA's notifications moved it (with its history and the notifications
applied, so a replay is recognised), what was asked for (purpose, FI types, range, DataLife, Frequency) and
when data was last fetched. It sits beside the consent registry, outside the data layers: like the registry it
is the evidence of what was allowed, so erasure keeps it, minimised (:func:`pipeline.erasure.minimise_journey`).
It never holds the customer's AA handle (a mobile number) in clear, only its SHA-256
(:func:`pipeline.erasure.handle_hash`).

The AA's notifications name a consent handle, not a customer; ``consents/aa/handles/<handle>`` says whose it
is; erasing the customer removes the handle files naming them (:meth:`pipeline.lake.Lake.erase`). Updates take
a file lock, because the server (notifications) and a job process (fetch) both write.
"""
from __future__ import annotations

import fcntl
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pipeline.aa.errors import AAError
from pipeline.lake import CUSTOMER_ID_PATTERN, Lake, LakeError, validate_customer_id

HANDLE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{3,63}$", re.ASCII)
TXNIDS_KEPT = 200  # notifications remembered per consent, enough to recognise any replay an AA retries


def record_path(lake: Lake, customer_id: str) -> Path:
    """The customer's journey record."""
    return lake.aa_records_dir / f"{validate_customer_id(customer_id)}.json"


def check_handle(handle: object) -> str:
    """A consent handle safe to name a file, or :class:`AAError` ``bad_notification``."""
    if not isinstance(handle, str) or not HANDLE_PATTERN.fullmatch(handle):
        raise AAError("bad_notification", "consentHandle is missing or not a consent handle")
    return handle


def remember_handle(lake: Lake, consent_handle: str, customer_id: str) -> None:
    """Record whose consent a handle is, so the AA's notifications find the customer."""
    path = lake.aa_handles_dir / check_handle(consent_handle)
    lake.write_bytes(path, validate_customer_id(customer_id).encode())


def customer_for_handle(lake: Lake, consent_handle: object) -> str:
    """The customer a consent handle belongs to, or :class:`AAError` ``unknown_consent``."""
    path = lake.aa_handles_dir / check_handle(consent_handle)
    try:
        customer_id = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        raise AAError("unknown_consent", f"consent handle {consent_handle} was not requested by this FIU") from None
    if not CUSTOMER_ID_PATTERN.fullmatch(customer_id):
        raise AAError("unknown_consent", f"consent handle {consent_handle} has no valid customer on record")
    return customer_id


def read_record(lake: Lake, customer_id: str) -> dict[str, Any] | None:
    """The customer's journey record, or None when no AA consent was ever requested."""
    path = record_path(lake, customer_id)
    if not path.exists():
        return None
    try:
        return lake.read_json(path)
    except LakeError:
        return None


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def update_record(lake: Lake, customer_id: str, change: Callable[[dict[str, Any] | None], dict[str, Any]]) -> dict:
    """Apply ``change`` to the record under the lock and write the result atomically; returns it."""
    path = record_path(lake, customer_id)
    with _locked(path):
        updated = change(read_record(lake, customer_id))
        lake.write_json(path, updated)
    return updated


def customers_with_records(lake: Lake) -> list[str]:
    """Customers who have an AA journey record."""
    base = lake.aa_records_dir
    return sorted(p.stem for p in base.glob("CUST_*.json") if CUSTOMER_ID_PATTERN.fullmatch(p.stem)) \
        if base.is_dir() else []
