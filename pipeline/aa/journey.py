"""The FIU's consent journey for one customer, against the AA the settings name: request, then fetch.

``request_consent`` asks the AA for a consent and records the request (handle, purpose, FI types, when, which
AA) in the journey record (:mod:`pipeline.aa.records`) with an audit entry; ``fetch_into_lake`` checks the
consent is ACTIVE (the approved consent joins the consent registry if its notification has not already done
so), fetches and decrypts the FI data (:func:`pipeline.aa.client.fetch_fi`), writes it to the customer's raw
layer exactly as ``import-aa`` does, with the consent artefact it came under, and records when. A refusal at
any point leaves the raw layer as it was and is audited with its cause.

Settings come from the environment first, then ``config.json`` → ``aa``: ``AA_BASE_URL`` / ``base_url``
(default the local AA, ``http://127.0.0.1:7070``), ``AA_CLIENT_ID`` / ``client_id``, ``AA_CLIENT_API_KEY``,
``AA_FIU_SIGNING_KEY_FILE`` (default ``.aa/fiu_signing_key.pem`` beside the project, created on first use with
its public key next to it; never inside the lake), ``AA_PUBLIC_KEY_FILE`` (default: the AA's ``GET /keys``,
which only the local AA offers; a real AA's key comes from the Central Registry) and ``AA_TIMEOUT_S`` /
``timeout_s`` (how long one call may take, default 60 s).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import httpx

from pipeline.aa import jws
from pipeline.aa.client import FIUClient, fetch_fi
from pipeline.aa.consent_request import consent_request
from pipeline.aa.errors import AAError
from pipeline.aa.notifications import sync_registry
from pipeline.aa.timestamps import iso_z, parse_iso
from pipeline.aa.records import read_record, remember_handle, update_record
from pipeline.aa_import import ImportResult
from pipeline.consents import ConsentNotFoundError, ConsentRegistry
from pipeline.erasure import ERASED, handle_hash
from pipeline.lake import Lake, validate_customer_id

LOCAL_AA = "http://127.0.0.1:7070"
LOCAL_HANDLE_SUFFIX = "@local-aa"
PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class AASettings:
    """Where the AA is and who we are to it (no key material: only where the keys are)."""

    base_url: str
    client_id: str
    api_key: str
    signing_key_file: Path
    aa_public_key_file: Path | None
    timeout_s: float = 60.0


def aa_settings(config: dict) -> AASettings:
    """The AA settings from the environment, then ``config["aa"]``, then the local AA's defaults."""
    aa = config.get("aa") or {}
    key_file = os.environ.get("AA_FIU_SIGNING_KEY_FILE") or aa.get("signing_key_file") or \
        str(PROJECT_ROOT / ".aa" / "fiu_signing_key.pem")
    public = os.environ.get("AA_PUBLIC_KEY_FILE") or aa.get("public_key_file")
    return AASettings(os.environ.get("AA_BASE_URL") or aa.get("base_url") or LOCAL_AA,
                      os.environ.get("AA_CLIENT_ID") or aa.get("client_id") or "FIU-MSME-LAKE",
                      os.environ.get("AA_CLIENT_API_KEY") or "", Path(key_file), Path(public) if public else None,
                      float(os.environ.get("AA_TIMEOUT_S") or aa.get("timeout_s") or 60.0))


def signing_key(settings: AASettings) -> str:
    """The FIU's private signing key (PEM), created with its public key beside it on first use."""
    path = settings.signing_key_file
    if not path.exists():
        private, public = jws.new_signing_key()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(private, encoding="utf-8")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
        public_key_path(settings).write_text(public, encoding="utf-8")
    return path.read_text(encoding="utf-8")


def client_for(settings: AASettings, timeout: float | None = None) -> FIUClient:
    """An :class:`FIUClient` for the configured AA, its public key read from file or ``GET /keys``; each call
    waits ``timeout`` seconds at most (default the settings', which allow for an FIP preparing a large
    statement)."""
    timeout = settings.timeout_s if timeout is None else timeout
    ours = signing_key(settings)   # first, so a new FIU has its key pair to register even if the AA is down
    return FIUClient(settings.base_url, settings.client_id, ours, aa_public_key(settings, timeout),
                     settings.api_key, timeout)


def public_key_path(settings: AASettings) -> Path:
    """Where the FIU's public signing key sits, beside its private key (what an AA registers)."""
    return settings.signing_key_file.with_name(settings.signing_key_file.stem + ".pub.pem")


def aa_public_key(settings: AASettings, timeout: float = 5.0) -> str:
    """The AA's public signing key (PEM): ``AA_PUBLIC_KEY_FILE``, else the AA's ``GET /keys`` (local AA only)."""
    if settings.aa_public_key_file is not None:
        return settings.aa_public_key_file.read_text(encoding="utf-8")
    try:
        return httpx.get(settings.base_url.rstrip("/") + "/keys", timeout=timeout).json()["keys"][0]["pem"]
    except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError):
        raise AAError("aa_unreachable", f"no AA public key: set AA_PUBLIC_KEY_FILE, or run the local AA at "
                      f"{settings.base_url}") from None


def handle_for(customer_id: str) -> str:
    """A customer's handle on the local AA (a real AA's handle is the customer's, given with ``--handle``)."""
    return f"{customer_id.lower()}{LOCAL_HANDLE_SUFFIX}"


def request_consent(lake: Lake, customer_id: str, client: FIUClient, handle: str, purpose: str,
                    fi_types: list[str]) -> tuple[str, str]:
    """Ask the AA for a consent; returns ``(consent handle, approval URL)`` and records the request."""
    validate_customer_id(customer_id)
    body = consent_request(client.client_id, handle, fi_types, purpose=purpose, months_of_data=36)
    consent_handle = client.request_consent(body)
    url = f"{client.base_url.rstrip('/')}/approve/{consent_handle}"
    detail = {k: v for k, v in body["ConsentDetail"].items() if k != "Customer"}   # the handle is a mobile number
    now = datetime.now(timezone.utc).isoformat()
    remember_handle(lake, consent_handle, customer_id)
    update_record(lake, customer_id, lambda _old: {
        "customer_id": customer_id, "consent_handle": consent_handle, "approval_url": url, "purpose": purpose,
        "fi_types": fi_types, "aa": client.base_url, "customer_handle_sha256": handle_hash(handle),
        "requested_at": now, "status": "PENDING", "consent_id": None, "updated_at": None, "fetched_at": None,
        "FIDataRange": detail["FIDataRange"], "fetchType": detail["fetchType"], "Frequency": detail["Frequency"],
        "DataLife": detail["DataLife"], "detail": detail, "applied_txnids": [],
        "history": [{"status": "PENDING", "at": now, "source": "request"}]})
    lake.audit("aa_consent_requested", customer_id, consent_handle=consent_handle, purpose=purpose,
               fi_types=fi_types)
    return consent_handle, url


def _polled(record: dict, status: dict) -> dict:
    """The record after the AA answered a status poll (the notification may not have arrived yet)."""
    if status.get("status") == record.get("status") and status.get("id") == record.get("consent_id"):
        return record
    at = datetime.now(timezone.utc).isoformat()
    return {**record, "status": status.get("status"), "consent_id": status.get("id") or record.get("consent_id"),
            "history": [*(record.get("history") or []), {"status": status.get("status"), "at": at, "source": "poll"}]}


def follow_status(lake: Lake, customer_id: str, client: FIUClient,
                  registry: ConsentRegistry) -> tuple[dict, dict]:
    """Ask the AA where the customer's consent stands, record it and bring the registry in line (an approval
    whose notification has not arrived yet joins the registry here); ``(AA status, record)``."""
    record = read_record(lake, customer_id)
    if record is None:
        raise AAError("no_consent", f"no AA consent was requested for {customer_id}: run aa-consent first")
    if record.get("status") == ERASED:   # the FIU erased the customer: their old consent brings nothing back
        raise AAError("consent_scope", f"consent {record.get('consent_id')} ended when {customer_id} was erased: "
                                       "request a new consent (aa-consent)")
    status = client.consent_status(record["consent_handle"])
    record = update_record(lake, customer_id, lambda old: _polled(old or record, status))
    sync_registry(lake, registry, customer_id, record, client.fetch_consent)
    return status, record


def fetch_into_lake(lake: Lake, customer_id: str, client: FIUClient,
                    registry: ConsentRegistry | None = None) -> ImportResult:
    """Fetch under the customer's consent and write the FI data to raw; refusals are audited, nothing written."""
    from pipeline.aa_store import store_import   # noqa: PLC0415 - the importer's I/O edge

    validate_customer_id(customer_id)
    registry = registry or ConsentRegistry(lake)
    record = read_record(lake, customer_id)
    if record is None:
        raise AAError("no_consent", f"no AA consent was requested for {customer_id}: run aa-consent first")
    try:
        status, record = follow_status(lake, customer_id, client, registry)
        if status.get("status") != "ACTIVE":
            raise AAError("consent_scope", f"the consent is {status.get('status')}, not ACTIVE")
        rng = record["FIDataRange"]
        until = min(parse_iso(rng["to"], "FIDataRange.to"), datetime.now(timezone.utc))   # no data from the future
        result = fetch_fi(client, status["id"], record["fi_types"], rng["from"], iso_z(until))
    except AAError as exc:
        lake.audit("aa_fetch_refused", customer_id, cause=exc.code, consent_handle=record["consent_handle"])
        raise
    store_import(lake, customer_id, result, f"aa:{client.base_url}")
    try:
        lake.write_json(lake.consent_path(customer_id), registry.get(customer_id, status["id"]))
    except ConsentNotFoundError:
        pass
    fetched = datetime.now(timezone.utc).isoformat()
    update_record(lake, customer_id, lambda old: {**(old or record), "fetched_at": fetched})
    lake.audit("aa_fetch", customer_id, consent_id=status["id"], accounts=len(result.accounts),
               transactions=len(result.transactions))
    return result
