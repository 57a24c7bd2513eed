"""AA consent artefacts: the registry of what each customer allowed, and the checks made against it.

Every operation on a customer's data names one customer and must be covered
by an ACTIVE consent whose purpose allows it and whose fiTypes cover the data
(DPDP Act: purpose limitation). Revocation, or a ``DataLife`` that has run
out, erases the customer's data from every lake layer; the registry itself is
kept, minimised (:func:`pipeline.erasure.minimise_consent`: status
REVOKED/EXPIRED/ERASED, dates, purpose, fiTypes, the AA handle's hash), as the
record of what was allowed and when it ended, and the audit log says what was
done. :func:`erase_customer` is the one way a whole customer is erased, by
whichever path (the CLI, the API's revocation, an AA notification, refresh).

The registry lives at ``<lake>/consents/<customer_id>.json`` (a list of
artefacts, newest last), outside the data layers, so erasure does not erase
the evidence of consent.
"""
from __future__ import annotations

import calendar
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from pipeline.aa.records import read_record, update_record
from pipeline.erasure import minimise_consent, minimise_journey
from pipeline.lake import Lake, LakeError, validate_customer_id
from pipeline.validation import validator_for

IST = timezone(timedelta(hours=5, minutes=30))
PURPOSES = {
    "101": "Wealth management service",
    "102": "Customer spending patterns, budget or other reportings",
    "103": "Aggregated statement",
    "104": "Explicit consent for monitoring of the accounts",
    "105": "Explicit one-time consent for the accounts",
}
LENDING_PURPOSES = ("103", "104", "105")  # purposes under which a lender may read a customer's data
MONITORING_PURPOSE = "104"  # the purpose that admits a borrower to loan monitoring
SOURCE_FI_TYPES = {
    "accounts": "DEPOSIT", "transactions": "DEPOSIT", "gst_returns": "GSTR1_3B", "credit_bureau": "BUREAU",
    "mutual_funds": "MUTUAL_FUNDS", "insurance_policies": "INSURANCE_POLICIES", "ocen_applications": "OCEN",
    "ondc_orders": "ONDC",
}


class ConsentError(Exception):
    """No consent allows this operation; the message says why (revoked, expired, purpose, fiTypes)."""


class ConsentNotFoundError(ConsentError):
    """A consent id that the customer does not have."""


class ConsentValidationError(ValueError):
    """A consent request with a bad field; ``field`` names it."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ConsentCheck:
    """The consent that allowed an operation."""

    consent_id: str
    purpose: str
    fi_types: tuple[str, ...]


def _now() -> datetime:
    return datetime.now(IST).replace(microsecond=0)


def _parse(ts: str) -> datetime:
    return datetime.fromisoformat(ts)


def _add(moment: datetime, unit: str, value: int) -> datetime | None:
    if unit == "INF":
        return None
    if unit == "DAY":
        return moment + timedelta(days=value)
    if unit == "HOUR":
        return moment + timedelta(hours=value)
    months = value * (12 if unit == "YEAR" else 1)
    year, month = divmod(moment.month - 1 + months, 12)
    year, month = moment.year + year, month + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def data_life_end(consent: dict) -> datetime | None:
    """When the data fetched under a consent must be deleted (None: kept while the consent lives)."""
    life = consent.get("DataLife") or {}
    return _add(_parse(consent["consentStart"]), life.get("unit", "INF"), int(life.get("value", 0)))


def effective_status(consent: dict, now: datetime | None = None) -> str:
    """ACTIVE, PAUSED, REVOKED or EXPIRED, taking the expiry date and DataLife into account."""
    now = now or _now()
    status = consent.get("status", "PENDING")
    if status != "ACTIVE":
        return status
    if _parse(consent["consentExpiry"]) <= now:
        return "EXPIRED"
    end = data_life_end(consent)
    if end is not None and end <= now:
        return "EXPIRED"
    return "ACTIVE"


def build_consent(customer_id: str, request: dict[str, Any], now: datetime | None = None) -> dict:
    """A ReBIT-shaped ACTIVE consent artefact from a create request; raises ConsentValidationError naming the field."""
    validate_customer_id(customer_id)
    now = now or _now()
    purpose = str(request.get("purpose", "103"))
    if purpose not in PURPOSES:
        raise ConsentValidationError("purpose", f"purpose must be one of {', '.join(PURPOSES)}")
    fi_types = request.get("fiTypes", ["DEPOSIT", "GSTR1_3B", "BUREAU", "MUTUAL_FUNDS", "INSURANCE_POLICIES",
                                       "OCEN", "ONDC"])
    if not isinstance(fi_types, list) or not fi_types or not all(isinstance(t, str) for t in fi_types):
        raise ConsentValidationError("fiTypes", "fiTypes must be a non-empty list of FI type names")
    fetch_type = request.get("fetchType", "PERIODIC" if purpose == "104" else "ONETIME")
    data_range = request.get("FIDataRange") or {}
    months = request.get("dataRangeMonths", 36)
    if not isinstance(months, int) or not 1 <= months <= 120:
        raise ConsentValidationError("dataRangeMonths", "dataRangeMonths must be an integer from 1 to 120")
    data_life = request.get("DataLife", {"unit": "YEAR", "value": 1})
    frequency = request.get("Frequency", {"unit": "MONTH", "value": 1} if fetch_type == "PERIODIC"
                            else {"unit": "INF", "value": 1})
    expiry = _add(now, "YEAR", 1)
    artefact = {
        "consentId": str(uuid.uuid4()), "status": "ACTIVE", "createdAt": now.isoformat(),
        "consentStart": now.isoformat(), "consentExpiry": expiry.isoformat(),
        "consentMode": request.get("consentMode", "STORE"), "fetchType": fetch_type,
        "consentTypes": request.get("consentTypes", ["PROFILE", "SUMMARY", "TRANSACTIONS"]),
        "fiTypes": fi_types,
        "DataConsumer": {"id": "MSME-LAKE-FIU", "type": "FIU"}, "Customer": {"id": f"{customer_id}@aa"},
        "Purpose": {"code": purpose, "refUri": "https://api.rebit.org.in/aa/purpose/" + purpose + ".xml",
                    "text": PURPOSES[purpose], "Category": {"type": "string"}},
        "FIDataRange": {"from": data_range.get("from") or _add(now, "MONTH", -months).isoformat(),
                        "to": data_range.get("to") or now.isoformat()},
        "DataLife": data_life, "Frequency": frequency, "customer_id": customer_id,
    }
    reasons = validator_for("consent").errors(artefact)
    if reasons:
        raise ConsentValidationError(reasons[0].field.split("/")[0], f"invalid consent: {reasons[0].message}")
    return artefact


class ConsentRegistry:
    """Reads and changes the consent artefacts of customers in one lake."""

    def __init__(self, lake: Lake):
        self.lake = lake
        self._cache: dict = {}  # path -> ((mtime_ns, size), artefacts): the API reads this on every request

    def _path(self, customer_id: str):
        return self.lake.consent_registry_path(customer_id)

    def list(self, customer_id: str) -> list[dict]:
        """The customer's artefacts with their effective status, oldest first."""
        path = self._path(customer_id)
        try:
            stat = path.stat()
        except FileNotFoundError:
            return []
        key = (stat.st_mtime_ns, stat.st_size)
        cached = self._cache.get(path)
        if cached is None or cached[0] != key:
            try:
                cached = (key, self.lake.read_json(path))
            except LakeError:
                return []
            self._cache[path] = cached
        return [{**a, "effectiveStatus": effective_status(a)} for a in cached[1]]

    def _save(self, customer_id: str, artefacts: list[dict]) -> None:
        clean = [{k: v for k, v in a.items() if k != "effectiveStatus"} for a in artefacts]
        self.lake.write_json(self._path(customer_id), clean)

    def add(self, customer_id: str, artefact: dict) -> dict:
        """Store a new artefact (the AA consent journey ended with the customer's approval)."""
        artefacts = self.list(customer_id)
        artefacts.append(artefact)
        self._save(customer_id, artefacts)
        return artefact

    def get(self, customer_id: str, consent_id: str) -> dict:
        """One artefact of the customer, or ConsentNotFoundError."""
        for artefact in self.list(customer_id):
            if artefact["consentId"] == consent_id:
                return artefact
        raise ConsentNotFoundError(f"consent {consent_id} not found for {customer_id}")

    def set_status(self, customer_id: str, consent_id: str, status: str) -> dict:
        """Change an artefact's status (REVOKED, PAUSED, ACTIVE, EXPIRED)."""
        artefacts = self.list(customer_id)
        for artefact in artefacts:
            if artefact["consentId"] == consent_id:
                artefact["status"] = status
                artefact["statusChangedAt"] = _now().isoformat()
                self._save(customer_id, artefacts)
                return {**artefact, "effectiveStatus": effective_status(artefact)}
        raise ConsentNotFoundError(f"consent {consent_id} not found for {customer_id}")

    def minimise(self, customer_id: str, erased_at: str) -> list[dict]:
        """Replace every artefact of the customer by what erasure keeps of it; returns the minimised list."""
        artefacts = self.list(customer_id)
        minimal = [minimise_consent(a, erased_at) for a in artefacts]
        if minimal != [{k: v for k, v in a.items() if k != "effectiveStatus"} for a in artefacts]:
            self._save(customer_id, minimal)
        return minimal

    def active(self, customer_id: str) -> list[dict]:
        """Artefacts that are ACTIVE now (not expired, DataLife not run out)."""
        return [a for a in self.list(customer_id) if a["effectiveStatus"] == "ACTIVE"]

    def covers(self, customer_id: str | None, purpose: str) -> bool:
        """Whether an ACTIVE consent of the customer has ``purpose`` (False for a missing or malformed id)."""
        if not customer_id:
            return False
        try:
            return any(a["Purpose"]["code"] == purpose for a in self.active(customer_id))
        except (ValueError, KeyError, TypeError):
            return False

    def check(self, customer_id: str, purposes: tuple[str, ...], fi_types: tuple[str, ...] = ("DEPOSIT",)) -> ConsentCheck:
        """The consent allowing this use, or ConsentError saying exactly why none does."""
        artefacts = self.list(customer_id)
        if not artefacts:
            raise ConsentError(f"no consent on record for {customer_id}")
        active = [a for a in artefacts if a["effectiveStatus"] == "ACTIVE"]
        if not active:
            latest = artefacts[-1]
            raise ConsentError(f"consent {latest['consentId']} is {latest['effectiveStatus']}")
        fitting = [a for a in active if a["Purpose"]["code"] in purposes]
        if not fitting:
            raise ConsentError(f"no active consent with a purpose allowing this use (needs {', '.join(purposes)})")
        covering = [a for a in fitting if set(fi_types) <= set(a["fiTypes"])]
        if not covering:
            raise ConsentError(f"the active consent does not cover fiTypes {', '.join(sorted(fi_types))}")
        chosen = covering[-1]
        return ConsentCheck(chosen["consentId"], chosen["Purpose"]["code"], tuple(chosen["fiTypes"]))

    def customers(self) -> list[str]:
        """Customers with any consent on record."""
        return self.lake.consent_registry_customers()


def enforce_data_life(lake: Lake, registry: ConsentRegistry, customer_id: str, actor: str = "system") -> list[str]:
    """Erase a customer's data when no consent keeps it alive any more (revoked or DataLife run out).

    When another consent still lives (the demo's AA consent beside the consent for the bureau and the other
    sources), the sources a revoked or expired consent covered and no living consent covers are erased, with
    every analytics document (derived from them). Returns the layers (or ``layer/source`` files) erased; empty when the data may stay.
    """
    artefacts = registry.list(customer_id)
    alive = [a for a in artefacts if a["effectiveStatus"] in ("ACTIVE", "PAUSED")]
    if not artefacts:
        return []
    if alive:   # another consent lives: erase what no living consent covers, and what was derived from it
        covered = {t for a in alive for t in a.get("fiTypes", [])}
        ended = [a for a in artefacts if a["effectiveStatus"] in ("REVOKED", "EXPIRED")]
        lapsed = {t for a in ended for t in a.get("fiTypes", [])} - covered
        orphaned = [s for s, fi_type in SOURCE_FI_TYPES.items() if fi_type in lapsed]
        removed = lake.erase_sources(customer_id, orphaned) if orphaned else []
        if removed:
            ended = [a for a in ended if set(a.get("fiTypes", [])) & lapsed][-1]
            lake.audit("erase", customer_id, reason=f"consent {ended['consentId']} is {ended['effectiveStatus']}; "
                       f"no living consent covers {', '.join(sorted({SOURCE_FI_TYPES[s] for s in orphaned}))}",
                       layers=removed, actor=actor)
        return removed
    if not lake.has_customer(customer_id) and all("erasedAt" in a for a in artefacts):
        return []   # erased before, records minimised: a refused read changes nothing
    layers = erase_customer(lake, registry, customer_id)
    if layers:
        latest = artefacts[-1]
        lake.audit("erase", customer_id, reason=f"consent {latest['consentId']} is {latest['effectiveStatus']}",
                   layers=layers, actor=actor)
    return layers


def erase_customer(lake: Lake, registry: ConsentRegistry, customer_id: str) -> list[str]:
    """Erase a whole customer: every file of theirs (:meth:`Lake.erase`), then their consent records and AA
    journey record minimised (:mod:`pipeline.erasure`). Returns the layers that held data; the caller writes
    the audit entry, with who asked and why.

    Runs the same whether the customer still had data or not, so a lake erased before records were minimised
    is cleaned up by erasing again.
    """
    layers = lake.erase(customer_id)
    erased_at = _now().isoformat()
    registry.minimise(customer_id, erased_at)
    if read_record(lake, customer_id) is not None:
        update_record(lake, customer_id, lambda record: minimise_journey(record or {}, erased_at))
    return layers
