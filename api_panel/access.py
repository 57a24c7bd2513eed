"""The gate every read of a customer's data goes through: id, scope, existence, consent, audit.

A route names the customer and what it reads; this module validates the id
(400, before the disk is touched), checks that the customer lies inside the
caller's token scope (403 ``out_of_scope``, before anything about the customer
is read or said; :mod:`api_panel.scopes`), finds the customer (404), checks an active
consent whose purpose allows lending use and whose fiTypes cover the data
(403 with the reason), and appends who read what, why and when to the audit
log. It also serves analytics documents as bytes from a small cache, so hot
GETs do not re-read or re-parse JSON.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import orjson
from flask import current_app, g, request

from api_panel.auth import Principal, current_principal
from api_panel.errors import CustomerNotFoundError, NotFoundError, OutOfScopeError
from pipeline.branches import customer_branch
from pipeline.consents import LENDING_PURPOSES, ConsentCheck, ConsentError, ConsentRegistry, enforce_data_life
from pipeline.lake import Lake


@dataclass(frozen=True)
class CustomerAccess:
    """A checked, audited permission to read one customer's data."""

    customer_id: str
    consent: ConsentCheck


def lake() -> Lake:
    """The lake this app serves."""
    return current_app.extensions["lake"]


def registry() -> ConsentRegistry:
    """The consent registry of this lake."""
    return current_app.extensions["consents"]


def branch_of(customer_id: str) -> str | None:
    """The customer's branch on record (config assignment, else ``customer.json``; :mod:`pipeline.branches`)."""
    path = lake().customer_meta_path(customer_id)
    try:
        meta = current_app.extensions["documents"].read_parsed(path) if path.exists() else None
    except Exception:  # noqa: BLE001 - an unreadable record means no branch on record, never a wider scope
        meta = None
    return customer_branch(customer_id, meta if isinstance(meta, dict) else None, current_app.extensions["settings"])


def in_scope(customer_id: str, principal: Principal | None = None) -> bool:
    """Whether the caller (or ``principal``) may see this customer: always for an unscoped token; for a scoped
    one when the scope names the customer or the customer's branch."""
    principal = principal or g.get("principal")
    if principal is None or principal.scope is None:
        return True
    scope = principal.scope
    if customer_id in scope.customers:
        return True
    return bool(scope.branches) and scope.allows(customer_id, branch_of(customer_id))


def require_in_scope(customer_id: str, field: str = "customer_id", what: str | None = None) -> str:
    """``customer_id`` when it is inside the caller's scope, else 403 ``out_of_scope`` naming ``field`` (the
    customer id, or the id of the object that belongs to it: ``what`` says which). Says nothing about the
    customer beyond that it is not the caller's."""
    if in_scope(customer_id):
        return customer_id
    scope = current_principal().scope
    subject = what or f"customer {customer_id}"
    raise OutOfScopeError(f"{subject} is outside your token's scope ({scope})", field=field)


def visible_customers(customer_ids) -> list[str]:
    """The ids the caller may see, in the order given (every id for an unscoped token)."""
    return [cid for cid in customer_ids if in_scope(cid)]


def scoped_customers() -> list[str] | None:
    """The customers a scoped caller may see (in the lake or with a consent on record); None for an unscoped
    token, which sees the whole book. What whole-book figures (the portfolio views) are narrowed to."""
    principal = g.get("principal")
    if principal is None or principal.scope is None:
        return None
    return visible_customers(sorted(set(lake().customers()) | set(registry().customers())))


def is_new_customer(customer_id: str) -> bool:
    """Neither a consent on record nor data in the lake: a customer not onboarded yet."""
    return not registry().list(customer_id) and not lake().has_customer(customer_id)


def require_customer(customer_id: str) -> None:
    """403 outside the caller's scope; 404 unless the customer has a consent on record or data in the lake."""
    require_in_scope(customer_id)
    if is_new_customer(customer_id):
        raise CustomerNotFoundError(f"customer {customer_id} not found")


def lending_consent(customer_id: str, actor: str, fi_types: tuple[str, ...] = ("DEPOSIT",)) -> ConsentCheck:
    """The customer exists (else CustomerNotFoundError) and has an active consent allowing lending use that
    covers ``fi_types`` (else ConsentError; data past its consent's life is erased first, by ``actor``). The rule
    of every read, and of joining a customer's Socket.IO room (:mod:`api_panel.events`)."""
    try:  # a customer with a consent that allows the read exists: the registry is read once on this hot path
        return registry().check(customer_id, LENDING_PURPOSES, fi_types)
    except ConsentError as exc:
        require_customer(customer_id)
        erased = enforce_data_life(lake(), registry(), customer_id, actor=actor)
        if erased:
            raise ConsentError(f"{exc}; the customer's data has been erased as the consent requires") from None
        raise


def authorize_read(customer_id: str, what: str, fi_types: tuple[str, ...] = ("DEPOSIT",)) -> CustomerAccess:
    """Check scope and consent for reading ``what`` of a customer and record the access in the audit log."""
    require_in_scope(customer_id)
    check = lending_consent(customer_id, current_principal().label, fi_types)
    principal = current_principal()
    current_app.extensions["audit_log"].append(
        "read", customer_id, who=principal.label, role=principal.role, purpose=check.purpose,
        consent_id=check.consent_id, endpoint=request.path, what=what)
    return CustomerAccess(customer_id, check)


def audit_action(action: str, customer_id: str | None, **fields) -> dict:
    """Record a change made through the API (durably: these are rare and matter)."""
    principal = current_principal()
    return lake().audit(action, customer_id, who=principal.label, role=principal.role, endpoint=request.path, **fields)


class AccessLog:
    """Appends read-access audit entries through one open handle: one write per entry, no open/close.

    Reads are the hot path of the API; keeping the file open avoids two system
    calls (and two GIL hand-offs) per request. Entries are flushed as written.
    """

    def __init__(self, lake_: Lake):
        self.lake = lake_
        self._handle = None
        self._lock = threading.Lock()

    def append(self, action: str, customer_id: str, **fields) -> None:
        """Append one entry in the audit log's format."""
        from pipeline.lake import utc_now_iso

        line = orjson.dumps({"ts": utc_now_iso(), "customer_id": customer_id, "action": action, **fields}) + b"\n"
        with self._lock:
            if self._handle is None or self._handle.closed or not self.lake.audit_path.exists():
                self.lake.audit_path.parent.mkdir(parents=True, exist_ok=True)
                self._handle = open(self.lake.audit_path, "ab", buffering=0)  # noqa: SIM115 - kept open on purpose
            self._handle.write(line)


class DocumentCache:
    """File bytes keyed by path and file stamp (inode, mtime, size): a changed file is re-read, an unchanged one
    never. Several server processes share one lake, so the stamp is checked on every read."""

    def __init__(self, max_entries: int = 512):
        self._entries: dict[Path, tuple[tuple[int, int, int], bytes]] = {}
        self._parsed: dict[Path, tuple[bytes, object]] = {}
        self._derived: dict[tuple, tuple[tuple, bytes]] = {}
        self._lock = threading.Lock()
        self.max_entries = max_entries

    def read(self, path: Path) -> bytes:
        """The file's bytes, or NotFoundError."""
        stamp = _stamp(path)
        if stamp is None:
            raise _not_computed(path)
        cached = self._entries.get(path)
        if cached and cached[0] == stamp:
            return cached[1]
        try:
            data = path.read_bytes()
        except FileNotFoundError:  # erased between the stamp and the read
            raise _not_computed(path) from None
        with self._lock:
            if len(self._entries) >= self.max_entries:
                self._entries.pop(next(iter(self._entries)))
            self._entries[path] = (stamp, data)
        return data

    def derived(self, key: tuple, inputs: list[Path], build) -> bytes:
        """A response assembled from several files (the profile, the bundle), rebuilt only when one of them
        changed, appeared or disappeared. The inputs are stamped before building, so a file that changes
        while the response is built only costs one extra rebuild, never a stale answer."""
        stamps = tuple(_stamp(path) for path in inputs)
        cached = self._derived.get(key)
        if cached is not None and cached[0] == stamps:
            return cached[1]
        data = build()
        with self._lock:
            if len(self._derived) >= self.max_entries:
                self._derived.pop(next(iter(self._derived)))
            self._derived[key] = (stamps, data)
        return data

    def read_parsed(self, path: Path):
        """The file parsed as JSON, re-parsed only when its bytes changed (treat the result as read-only)."""
        data = self.read(path)
        cached = self._parsed.get(path)
        if cached is not None and cached[0] is data:
            return cached[1]
        parsed = orjson.loads(data)
        with self._lock:
            if len(self._parsed) >= self.max_entries:
                self._parsed.pop(next(iter(self._parsed)))
            self._parsed[path] = (data, parsed)
        return parsed


# the pipeline step that writes each analytics document not written by `analyze`
PRODUCED_BY = {"risk_model": "score", "cashflow_forecast": "models", "reconciliation": "models",
               "enhanced_anomalies": "models", "recommendations": "models", "decision": "models"}


def _not_computed(path: Path) -> NotFoundError:
    step = PRODUCED_BY.get(path.stem, "analyze") if path.parent.parent.name == "analytics" else None
    return NotFoundError(f"{path.stem.replace('_', ' ')} has not been computed for this customer yet; "
                         + (f"run the {step} step" if step else "run the pipeline step that produces it"))


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def analytics_bytes(customer_id: str, name: str) -> bytes:
    """One analytics document of a customer as stored (JSON bytes)."""
    return current_app.extensions["documents"].read(lake().analytics_path(customer_id, name))


def analytics_document(customer_id: str, name: str) -> dict | None:
    """One analytics document parsed (cached), or None when it has not been computed."""
    path = lake().analytics_path(customer_id, name)
    if not path.exists():
        return None
    try:
        return current_app.extensions["documents"].read_parsed(path)
    except (NotFoundError, orjson.JSONDecodeError):
        return None
