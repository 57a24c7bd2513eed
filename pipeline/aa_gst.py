"""Read a GSTR1_3B FI account (GST returns through an Account Aggregator) as raw ``gst_returns`` records.

The envelope follows ReBIT's GSTR1_3B FI schema (``type: gstr1_3b``, ``linkedAccRef``, ``maskedGstinNumber``,
``version``, ``Profile``, ``Transactions`` holding ``Gstr1Details.gstr1`` and ``Gstr3bDetails.gstr3b``); each
return inside is GSTN's own JSON, the shape the generators write and ``schemas/gst_returns.schema.json``
describes. Keys of the envelope are matched case- and underscore-insensitively through alias tables (data, not
code); the returns' values stay as the FIP sent them, for the cleaner to repair or quarantine. Pure: an account
object in, records out; a document that cannot be GST returns of one GSTIN raises :class:`GstrDocumentError`
naming where.
"""
from __future__ import annotations

import re
from typing import Any

# return type -> (container key, list key inside it), normalised (lower case, no "_" or "-")
RETURN_CONTAINERS = {"GSTR1": ("gstr1details", "gstr1"), "GSTR3B": ("gstr3bdetails", "gstr3b")}
PROFILE_GSTIN = ("gstin", "gstinnumber")
BUSINESS_DETAILS = ("businessdetails",)
TRANSACTIONS = ("transactions",)
_NON_ALNUM = re.compile(r"[^a-z0-9]")


class GstrDocumentError(ValueError):
    """A GSTR1_3B account that cannot be imported: ``where`` in the document, and why."""

    def __init__(self, where: str, message: str):
        super().__init__(f"{where}: {message}")
        self.where, self.message = where, message


def _keys(node: dict) -> dict[str, str]:
    return {_NON_ALNUM.sub("", str(k).lower()): k for k in node}


def _get(node: dict, aliases: tuple[str, ...]) -> tuple[Any, str | None]:
    """The first present value among the aliases, and the key it was sent under."""
    keys = _keys(node)
    for alias in aliases:
        if alias in keys:
            return node[keys[alias]], keys[alias]
    return None, None


def _gstin(value: Any) -> str:
    return str(value).strip().upper()


def _profile_gstin(account: dict, where: str) -> str | None:
    """The GSTIN the profile names (``Profile.gstin`` or ``Profile.BusinessDetails.gstin``), if any."""
    profile, key = _get(account, ("profile",))
    if profile in (None, ""):
        return None
    if not isinstance(profile, dict):
        raise GstrDocumentError(f"{where}.{key}", "expected an object")
    found, _ = _get(profile, PROFILE_GSTIN)
    details, _ = _get(profile, BUSINESS_DETAILS)
    if found is None and isinstance(details, dict):
        found, _ = _get(details, PROFILE_GSTIN)
    return _gstin(found) if found not in (None, "") else None


def _returns(container: Any, where: str) -> list[tuple[dict, str]]:
    """A ``gstr1``/``gstr3b`` entry: one return object or a list of them."""
    if container in (None, ""):
        return []
    items = container if isinstance(container, list) else [container]
    out = []
    for i, item in enumerate(items):
        at = f"{where}[{i}]" if isinstance(container, list) else where
        if not isinstance(item, dict):
            raise GstrDocumentError(at, "expected a return object")
        out.append((item, at))
    return out


def _record(ret: dict, kind: str, gstin: str | None, at: str) -> dict:
    """One return as a raw ``gst_returns`` record: GSTIN and return type filled in from the envelope, checked."""
    sent_type, _ = _get(ret, ("returntype",))
    if sent_type is not None and str(sent_type).strip().upper() != kind:
        raise GstrDocumentError(at, f"a {sent_type} return inside the {kind} list")
    period, _ = _get(ret, ("retprd",))
    if period in (None, ""):
        raise GstrDocumentError(at, "missing ret_prd (the return period, MMYYYY)")
    sent_gstin, _ = _get(ret, ("gstin",))
    if sent_gstin is None and gstin is None:
        raise GstrDocumentError(at, "no GSTIN: neither the return nor the profile names one")
    if sent_gstin is not None and gstin is not None and _gstin(sent_gstin) != gstin:
        raise GstrDocumentError(at, f"a return of GSTIN {sent_gstin}, not the account's {gstin}")
    record = dict(ret)
    record.setdefault("gstin", gstin)
    record.setdefault("return_type", kind)
    return record


def parse_gstr1_3b(account: dict, where: str = "account") -> tuple[list[dict], str | None]:
    """``(gst_returns records, schema version)`` of one GSTR1_3B FI account, GSTR-1s then GSTR-3Bs, as sent.

    Refused (:class:`GstrDocumentError`): no transactions, a return that is not an object, a return whose type
    is not its list's, one without a period, one of another GSTIN than the profile's, and an account with no
    return at all, so nothing half-read is ever written.
    """
    gstin = _profile_gstin(account, where)
    version, _ = _get(account, ("version",))
    txns, key = _get(account, TRANSACTIONS)
    if not isinstance(txns, dict):
        raise GstrDocumentError(f"{where}.{key or 'transactions'}",
                                "missing" if txns is None else "expected an object holding the returns")
    records: list[dict] = []
    for kind, (container_alias, list_alias) in RETURN_CONTAINERS.items():
        container, ckey = _get(txns, (container_alias,))
        if container in (None, ""):
            continue
        if not isinstance(container, dict):
            raise GstrDocumentError(f"{where}.{key}.{ckey}", "expected an object")
        listed, lkey = _get(container, (list_alias,))
        for ret, at in _returns(listed, f"{where}.{key}.{ckey}.{lkey}"):
            records.append(_record(ret, kind, gstin, at))
    if not records:
        raise GstrDocumentError(f"{where}.{key}", "no GSTR-1 or GSTR-3B return in the GSTR1_3B account")
    return records, (None if version is None else str(version))
