"""Import real Account Aggregator DEPOSIT (and GSTR1_3B) FI data into a customer's raw layer.

An FIU receives decrypted FI data as one ``account`` object (bare, or under
``account``/``Account``), a list of them, an FI_DATA_READY-style document
(``fiData[].data[].decryptedFI``), or ReBIT XML (:mod:`pipeline.aa_xml`). FIPs
send schema v1.x and v2.0.0 with snake_case or camelCase keys, so fields are
looked up through alias tables (data, not code) and written with v1 names, the
shape the generators write. Values stay as the FIP sent them (the cleaner
repairs them); only blank strings are dropped. A document that is not strict
JSON/XML is refused with its line and column, never repaired: the published
samples elide records with ``.......``, which must not import as a shorter
statement. A GSTR1_3B account (GST returns) is read by :mod:`pipeline.aa_gst` into
raw ``gst_returns``; any other FI type is skipped with a warning.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from typing import Any

import orjson

from pipeline.aa_gst import GstrDocumentError, parse_gstr1_3b
from pipeline.aa_xml import AAXmlError, parse_xml_accounts, render_xml_path

# output name -> accepted keys, normalised (lower case, no "_" or "-"), first found wins
ACCOUNT_REF = ("linkedaccref", "linkedaccountref")
LINK_REF_NUMBER = ("linkrefnumber", "linkreferencenumber")
MASKED_NUMBER = ("maskedaccnumber", "maskedaccountnumber")
FI_TYPE = ("type", "fitype")
SUMMARY_FIELDS = {
    "currentBalance": ("currentbalance",), "currency": ("currency",), "balanceDateTime": ("balancedatetime",),
    "type": ("type", "accountsubtype"), "facility": ("facility",), "ifscCode": ("ifsccode", "ifsc"),
    "branch": ("branch",), "micrCode": ("micrcode",), "openingDate": ("openingdate",),
    "currentODLimit": ("currentodlimit",), "drawingLimit": ("drawinglimit",), "status": ("status",),
}
HOLDER_FIELDS = {
    "name": ("name",), "dob": ("dob",), "mobile": ("mobile",), "landline": ("landline",), "email": ("email",),
    "pan": ("pan",), "nominee": ("nominee",), "ckycCompliance": ("ckyccompliance",), "address": ("address",),
}
TRANSACTION_FIELDS = {
    "txnId": ("txnid", "transactionid"), "type": ("type", "txntype", "transactiontype"), "mode": ("mode",),
    "amount": ("amount",), "currentBalance": ("currentbalance", "transactionalbalance"),
    "transactionTimestamp": ("transactiontimestamp",), "valueDate": ("valuedate",),
    "narration": ("narration",), "reference": ("reference",),
}
REQUIRED_TRANSACTION_FIELDS = ("txnId", "type", "amount")
ACCOUNT_MARKERS = frozenset((*ACCOUNT_REF, *LINK_REF_NUMBER, *MASKED_NUMBER, *FI_TYPE, "profile", "summary",
                             "transactions"))
CKYC_REGISTERED = {"yes": "true", "y": "true", "true": "true", "no": "false", "n": "false", "false": "false"}
MAX_DEPTH = 32  # wrappers around accounts; real documents need about 6
_UTF8_BOM = b"\xef\xbb\xbf"
_NON_ALNUM = re.compile(r"[^a-z0-9]")


class AAImportError(Exception):
    """An AA document that cannot be imported; the message names the file and where in it."""


@dataclass
class ImportResult:
    """Records mapped from one AA document, in document order, and what was skipped and why."""

    accounts: list[dict]
    transactions: list[dict]
    warnings: list[str]
    fi_versions: list[str]
    consent_ids: list[str] = field(default_factory=list)  # FI_DATA_READY consentId: the consent behind the data
    gst_returns: list[dict] = field(default_factory=list)  # from GSTR1_3B accounts, GSTN shape
    fi_types: dict[str, list[str]] = field(default_factory=dict)  # FI type -> schema versions seen


class _DocError(Exception):
    """A problem at a location; :func:`parse_aa_document` adds the file name."""

    def __init__(self, where: object, message: str):
        super().__init__(message)
        self.where, self.message = ("" if where is None else str(where)), message


@dataclass(frozen=True)
class _Loc:
    """Where a node sits: a JSON path, or an XML element path, under an optional outer location."""

    segments: tuple[str | int, ...] = ()
    xml: bool = False
    outer: str = ""

    def child(self, *segments: str | int) -> _Loc:
        return replace(self, segments=self.segments + segments)

    def __str__(self) -> str:
        text = render_xml_path(self.segments) if self.xml else "".join(
            f"[{s}]" if isinstance(s, int) else (f".{s}" if i else s) for i, s in enumerate(self.segments))
        text = text or "document root"
        return f"{self.outer}: {text}" if self.outer else text


@dataclass
class _Found:
    node: dict
    loc: _Loc
    fip_id: Any = None
    defaults: dict = field(default_factory=dict)  # linkRefNumber/maskedAccNumber sent beside decryptedFI


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", type(None): "null"}.get(type(value), "a number")


def _index(node: dict, loc: _Loc) -> dict[str, str]:
    """Normalised key -> key as sent; two spellings of one key in one object are ambiguous, so refused."""
    keys: dict[str, str] = {}
    for key in node:
        norm = _NON_ALNUM.sub("", str(key).lower())
        if norm in keys:
            raise _DocError(loc, f"keys {keys[norm]!r} and {key!r} both present")
        keys[norm] = key
    return keys


def _scalar(node: dict, keys: dict[str, str], aliases: tuple[str, ...], loc: _Loc) -> Any:
    """First non-blank value among the aliases, as sent; null and blank strings count as absent."""
    for alias in aliases:
        value = node[keys[alias]] if alias in keys else None
        if isinstance(value, (dict, list)):
            raise _DocError(loc.child(keys[alias]), f"expected a single value, found {_kind(value)}")
        if value is not None and not (isinstance(value, str) and not value.strip()):
            return value
    return None


def _fields(node: dict, table: dict[str, tuple[str, ...]], loc: _Loc) -> dict[str, Any]:
    keys = _index(node, loc)
    values = {name: _scalar(node, keys, aliases, loc) for name, aliases in table.items()}
    return {name: value for name, value in values.items() if value is not None}


def _object(value: Any, loc: _Loc) -> dict:
    if not isinstance(value, dict):
        raise _DocError(loc, "missing" if value is None else f"expected an object, found {_kind(value)}")
    return value


def _child(node: dict, keys: dict[str, str], name: str, loc: _Loc) -> tuple[Any, _Loc]:
    """A child container by normalised name (``Holders``/``holders``) and its location."""
    key = keys.get(name, name)
    return node.get(key), loc.child(key)


def _items(value: Any, loc: _Loc) -> list[tuple[dict, _Loc]]:
    """An object-or-list container (``holder``, ``transaction``) as ``(object, location)`` pairs."""
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [(_object(item, loc.child(i)), loc.child(i)) for i, item in enumerate(value)]
    return [(_object(value, loc), loc)]


def _load(data: bytes, loc: _Loc) -> list[tuple[Any, _Loc]]:
    """Bytes to ``(root, location)`` pairs: XML if the first significant byte is ``<``, else strict JSON."""
    body = data[len(_UTF8_BOM):] if data.startswith(_UTF8_BOM) else data
    where = str(loc) if loc.segments else None
    head = body.lstrip()[:1]
    if not head:
        raise _DocError(where, "empty document")
    if head == b"<":
        try:
            return [(node, _Loc(segments, xml=True, outer=where or "")) for segments, node in parse_xml_accounts(body)]
        except AAXmlError as exc:
            raise _DocError(where, str(exc)) from None
    try:
        return [(orjson.loads(body), loc)]
    except orjson.JSONDecodeError as exc:
        found = exc.doc[exc.pos] if isinstance(exc.doc, str) and exc.pos < len(exc.doc) else ""
        hint = f" (found {found!r})" if found.isprintable() and found else ""
        raise _DocError(where, f"line {exc.lineno}, column {exc.colno}: invalid JSON: {exc.msg}{hint}") from None


def _walk(node: Any, loc: _Loc, found: list[_Found], consents: set[str]) -> None:
    """Collect every FI account of a parsed document, whichever accepted shape it has."""
    if loc.xml:  # parse_xml_accounts already located each <Account>
        found.append(_Found(node, loc))
        return
    if len(loc.segments) > MAX_DEPTH:
        raise _DocError(loc, "nested too deeply")
    if isinstance(node, list):
        for i, item in enumerate(node):
            _walk(_object(item, loc.child(i)), loc.child(i), found, consents)
        return
    keys = _index(_object(node, loc), loc)
    if "fidata" in keys:
        consent = _scalar(node, keys, ("consentid",), loc)
        if consent is not None:
            consents.add(str(consent))
        fi_data, fi_loc = _child(node, keys, "fidata", loc)
        if not isinstance(fi_data, list):
            raise _DocError(fi_loc, f"expected a list, found {_kind(fi_data)}")
        for i, fip in enumerate(fi_data):
            _walk_fip(_object(fip, fi_loc.child(i)), fi_loc.child(i), found, consents)
    elif "account" in keys:
        _walk(*_child(node, keys, "account", loc), found, consents)
    elif ACCOUNT_MARKERS & keys.keys():
        found.append(_Found(node, loc))
    else:
        raise _DocError(loc, 'not AA FI data: expected an account, {"account": ...}, a list of them, '
                             "or fiData[].data[].decryptedFI")


def _walk_fip(fip: dict, loc: _Loc, found: list[_Found], consents: set[str]) -> None:
    """One ``fiData[]`` entry: its ``data[].decryptedFI`` (an object, or a JSON/XML string) per account."""
    fip_keys = _index(fip, loc)
    fip_id = _scalar(fip, fip_keys, ("fipid",), loc)
    entries, data_loc = _child(fip, fip_keys, "data", loc)
    if not isinstance(entries, list):
        raise _DocError(data_loc, f"expected a list, found {_kind(entries)}")
    for j, entry in enumerate(entries):
        entry_loc = data_loc.child(j)
        keys = _index(_object(entry, entry_loc), entry_loc)
        if "decryptedfi" not in keys:
            hint = ": decrypt encryptedFI before importing" if "encryptedfi" in keys else ""
            raise _DocError(entry_loc, f"missing decryptedFI{hint}")
        defaults = {"linkRefNumber": _scalar(entry, keys, LINK_REF_NUMBER, entry_loc),
                    "maskedAccNumber": _scalar(entry, keys, MASKED_NUMBER, entry_loc)}
        payload, fi_loc = _child(entry, keys, "decryptedfi", entry_loc)
        accounts: list[_Found] = []
        for root, root_loc in _load(payload.encode(), fi_loc) if isinstance(payload, str) else [(payload, fi_loc)]:
            _walk(root, root_loc, accounts, consents)
        for account in accounts:
            account.fip_id, account.defaults = fip_id, defaults
        found.extend(accounts)


def _holders(account: dict, keys: dict[str, str], loc: _Loc, warnings: list[str]) -> dict | None:
    """``profile.holders``: type upper-cased, ``holder`` always a list, v2 ckycRegistered as ckycCompliance."""
    profile, profile_loc = _child(account, keys, "profile", loc)
    if profile in (None, ""):
        warnings.append(f"{loc}: no profile (consent without PROFILE?): the account has no holder")
        return None
    holders, holders_loc = _child(_object(profile, profile_loc), _index(profile, profile_loc), "holders", profile_loc)
    holders_keys = _index(_object(holders, holders_loc), holders_loc)
    out: dict[str, Any] = {}
    kind = _scalar(holders, holders_keys, ("type",), holders_loc)
    if kind is not None:
        out["type"] = kind.strip().upper() if isinstance(kind, str) else kind
    people = []
    for holder, holder_loc in _items(*_child(holders, holders_keys, "holder", holders_loc)):
        person = _fields(holder, HOLDER_FIELDS, holder_loc)
        registered = _scalar(holder, _index(holder, holder_loc), ("ckycregistered",), holder_loc)
        if "ckycCompliance" not in person and registered is not None:
            person["ckycCompliance"] = CKYC_REGISTERED.get(str(registered).strip().lower(), registered)
        if person:
            people.append({name: person[name] for name in HOLDER_FIELDS if name in person})
    if people:
        out["holder"] = people
    else:
        warnings.append(f"{holders_loc}: no holder")
    return out or None


def _transactions(account: dict, keys: dict[str, str], loc: _Loc, ref: Any) -> list[dict]:
    """The account's transactions, each checked for txnId, type and amount."""
    container, container_loc = _child(account, keys, "transactions", loc)
    if container is None:
        raise _DocError(loc, "missing transactions")
    if isinstance(container, dict):
        listed = _items(*_child(container, _index(container, container_loc), "transaction", container_loc))
    else:  # a bare list of transactions, or an empty XML <Transactions/>
        listed = _items(container, container_loc)
    records = []
    for txn, txn_loc in listed:
        record = {"linkedAccRef": ref, **_fields(txn, TRANSACTION_FIELDS, txn_loc)}
        missing = [name for name in REQUIRED_TRANSACTION_FIELDS if name not in record]
        if missing:
            raise _DocError(txn_loc, f"missing {', '.join(missing)}")
        records.append(record)
    return records


def _account_ref(found: _Found, keys: dict[str, str], masked: Any, warnings: list[str]) -> Any:
    """linkedAccRef, else the link ref number, else an id derived from FIP and masked number (stable per input)."""
    node, loc = found.node, found.loc
    ref = (_scalar(node, keys, ACCOUNT_REF, loc) or _scalar(node, keys, LINK_REF_NUMBER, loc)
           or found.defaults.get("linkRefNumber"))
    if ref is not None:
        return ref
    if masked is None:
        raise _DocError(loc, "missing linkedAccRef, linkRefNumber and maskedAccNumber: cannot identify the account")
    ref = "AAIMP-" + hashlib.sha256(f"{found.fip_id or ''}|{masked}".encode()).hexdigest()[:16]
    warnings.append(f"{loc}: no linkedAccRef or linkRefNumber: using {ref}, derived from the masked account number")
    return ref


def _map_gstr(found: _Found, result: ImportResult) -> None:
    """Append one GSTR1_3B account's returns (:mod:`pipeline.aa_gst`), its errors located like any other."""
    try:
        records, version = parse_gstr1_3b(found.node, str(found.loc))
    except GstrDocumentError as exc:
        raise _DocError(exc.where, exc.message) from None
    result.gst_returns.extend(records)
    if version is not None and version not in result.fi_types.setdefault("GSTR1_3B", []):
        result.fi_types["GSTR1_3B"].append(version)


def _map_account(found: _Found, result: ImportResult, skipped: list[str], refs: dict[str, str]) -> None:
    """Append one DEPOSIT account's record and transactions (or a GSTR1_3B account's returns); skip any other
    FI type with a warning."""
    node, loc = found.node, found.loc
    keys = _index(node, loc)
    fi_type = _scalar(node, keys, FI_TYPE, loc)
    if fi_type is None:
        raise _DocError(loc, "missing type (the FI type, e.g. 'deposit')")
    kind = re.sub(r"[\s-]+", "_", str(fi_type).strip().lower())
    if kind == "gstr1_3b":
        _map_gstr(found, result)
        return
    if kind != "deposit":
        skipped.append(kind)
        result.warnings.append(f"{loc}: skipped a {kind} account: only DEPOSIT and GSTR1_3B FI are imported")
        return
    masked = _scalar(node, keys, MASKED_NUMBER, loc) or found.defaults.get("maskedAccNumber")
    ref = _account_ref(found, keys, masked, result.warnings)
    if str(ref) in refs:
        raise _DocError(loc, f"duplicate account: linkedAccRef {ref!r} is also at {refs[str(ref)]}")
    refs[str(ref)] = str(loc)
    record = {"linkedAccRef": ref, "maskedAccNumber": masked, "fipId": found.fip_id, "type": "deposit",
              "version": _scalar(node, keys, ("version",), loc)}
    record = {name: value for name, value in record.items() if value is not None}
    if "version" in record and not str(record["version"]).startswith(("1.", "2.")):
        result.warnings.append(f"{loc}: deposit schema version {record['version']!r} is not 1.x or 2.x")
    holders = _holders(node, keys, loc, result.warnings)
    if holders:
        record["profile"] = {"holders": holders}
    summary, summary_loc = _child(node, keys, "summary", loc)
    if summary not in (None, "") and (fields := _fields(_object(summary, summary_loc), SUMMARY_FIELDS, summary_loc)):
        record["summary"] = fields
    transactions = _transactions(node, keys, loc, ref)
    if not transactions:
        result.warnings.append(f"{loc}: the account has no transactions")
    result.accounts.append(record)
    result.transactions.extend(transactions)


def parse_aa_document(data: bytes, filename: str = "<input>", fip_id: str | None = None) -> ImportResult:
    """Map an AA FI document (JSON or XML bytes) to raw ``accounts`` and ``transactions`` records, and a
    GSTR1_3B account to raw ``gst_returns``; each account is read by its FI type.

    Pure (bytes in, records out) so an API upload or a webhook can reuse it
    without a lake. Other FI types are skipped with a warning; a document with
    no DEPOSIT or GSTR1_3B account, invalid syntax or a structural gap raises
    :class:`AAImportError` naming the file and the line/column or path.
    ``fip_id`` names the FIP when the document itself does not (an AA's
    ``FI[].fipID`` beside the encrypted data).
    """
    result = ImportResult(accounts=[], transactions=[], warnings=[], fi_versions=[])
    found: list[_Found] = []
    consents: set[str] = set()
    skipped: list[str] = []
    try:
        for root, loc in _load(data, _Loc()):
            _walk(root, loc, found, consents)
        refs: dict[str, str] = {}
        for account in found:
            account.fip_id = account.fip_id if account.fip_id is not None else fip_id
            _map_account(account, result, skipped, refs)
        if not result.accounts and not result.gst_returns:
            detail = f" (skipped: {', '.join(sorted(set(skipped)))})" if skipped else ""
            raise _DocError(None, f"no DEPOSIT or GSTR1_3B account in the document{detail}")
    except _DocError as exc:
        raise AAImportError(": ".join(part for part in (filename, exc.where, exc.message) if part)) from None
    result.fi_versions = sorted({str(a["version"]) for a in result.accounts if "version" in a})
    if result.accounts:
        result.fi_types["DEPOSIT"] = result.fi_versions
    result.consent_ids = sorted(consents)
    return result
