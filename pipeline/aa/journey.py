"""The FIU's consent journey for one customer, against the AA the settings name: request, then fetch.

``request_consent`` asks the AA for a consent and records the request (handle, purpose, FI types, when, which
AA) in ``logs/<customer_id>/aa_consent.json`` with an audit entry; ``fetch_into_lake`` checks the consent is
ACTIVE, fetches and decrypts the FI data (:func:`pipeline.aa.client.fetch_fi`), writes it to the customer's raw
layer exactly as ``import-aa`` does, and records the consent id. A refusal at any point leaves the raw layer
as it was and is audited with its cause.

Settings come from the environment first, then ``config.json`` → ``aa``: ``AA_BASE_URL`` / ``base_url``
(default the local AA, ``http://127.0.0.1:7070``), ``AA_CLIENT_ID`` / ``client_id``, ``AA_CLIENT_API_KEY``,
``AA_FIU_SIGNING_KEY_FILE`` (default ``.aa/fiu_signing_key.pem`` beside the project, created on first use with
its public key next to it; never inside the lake) and ``AA_PUBLIC_KEY_FILE`` (default: the AA's ``GET /keys``,
which only the local AA offers; a real AA's key comes from the Central Registry).
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
from pipeline.aa_import import ImportResult
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


def aa_settings(config: dict) -> AASettings:
    """The AA settings from the environment, then ``config["aa"]``, then the local AA's defaults."""
    aa = config.get("aa") or {}
    key_file = os.environ.get("AA_FIU_SIGNING_KEY_FILE") or aa.get("signing_key_file") or \
        str(PROJECT_ROOT / ".aa" / "fiu_signing_key.pem")
    public = os.environ.get("AA_PUBLIC_KEY_FILE") or aa.get("public_key_file")
    return AASettings(os.environ.get("AA_BASE_URL") or aa.get("base_url") or LOCAL_AA,
                      os.environ.get("AA_CLIENT_ID") or aa.get("client_id") or "FIU-MSME-LAKE",
                      os.environ.get("AA_CLIENT_API_KEY") or "", Path(key_file), Path(public) if public else None)


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
        path.with_name(path.stem + ".pub.pem").write_text(public, encoding="utf-8")
    return path.read_text(encoding="utf-8")


def client_for(settings: AASettings, timeout: float = 10.0) -> FIUClient:
    """An :class:`FIUClient` for the configured AA, its public key read from file or ``GET /keys``."""
    ours = signing_key(settings)   # first, so a new FIU has its key pair to register even if the AA is down
    if settings.aa_public_key_file is not None:
        aa_key = settings.aa_public_key_file.read_text(encoding="utf-8")
    else:
        try:
            aa_key = httpx.get(settings.base_url.rstrip("/") + "/keys", timeout=timeout).json()["keys"][0]["pem"]
        except (httpx.HTTPError, ValueError, KeyError, IndexError):
            raise AAError("aa_unreachable", f"no AA public key: set AA_PUBLIC_KEY_FILE, or run the local AA at "
                          f"{settings.base_url}") from None
    return FIUClient(settings.base_url, settings.client_id, ours, aa_key, settings.api_key, timeout)


def handle_for(customer_id: str) -> str:
    """A customer's handle on the local AA (a real AA's handle is the customer's, given with ``--handle``)."""
    return f"{customer_id.lower()}{LOCAL_HANDLE_SUFFIX}"


def _record_path(lake: Lake, customer_id: str) -> Path:
    return lake.log_path(customer_id, "aa_consent")


def request_consent(lake: Lake, customer_id: str, client: FIUClient, handle: str, purpose: str,
                    fi_types: list[str]) -> tuple[str, str]:
    """Ask the AA for a consent; returns ``(consent handle, approval URL)`` and records the request."""
    validate_customer_id(customer_id)
    body = consent_request(client.client_id, handle, fi_types, purpose=purpose, months_of_data=36)
    consent_handle = client.request_consent(body)
    lake.write_json(_record_path(lake, customer_id), {
        "consent_handle": consent_handle, "purpose": purpose, "fi_types": fi_types, "aa": client.base_url,
        "requested_at": datetime.now(timezone.utc).isoformat(), "status": "PENDING",
        "FIDataRange": body["ConsentDetail"]["FIDataRange"]})
    lake.audit("aa_consent_requested", customer_id, consent_handle=consent_handle, purpose=purpose,
               fi_types=fi_types)
    return consent_handle, f"{client.base_url.rstrip('/')}/approve/{consent_handle}"


def fetch_into_lake(lake: Lake, customer_id: str, client: FIUClient) -> ImportResult:
    """Fetch under the customer's consent and write the FI data to raw; refusals are audited, nothing written."""
    from pipeline.aa_store import store_import   # noqa: PLC0415 - the importer's I/O edge

    validate_customer_id(customer_id)
    path = _record_path(lake, customer_id)
    if not path.exists():
        raise AAError("no_consent", f"no AA consent was requested for {customer_id}: run aa-consent first")
    record = lake.read_json(path)
    try:
        status = client.consent_status(record["consent_handle"])
        if status.get("status") != "ACTIVE":
            raise AAError("consent_scope", f"the consent is {status.get('status')}, not ACTIVE")
        rng = record["FIDataRange"]
        result = fetch_fi(client, status["id"], record["fi_types"], rng["from"], rng["to"])
    except AAError as exc:
        lake.audit("aa_fetch_refused", customer_id, cause=exc.code, consent_handle=record["consent_handle"])
        raise
    store_import(lake, customer_id, result, f"aa:{client.base_url}")
    lake.write_json(path, {**record, "status": "ACTIVE", "consent_id": status["id"],
                           "fetched_at": datetime.now(timezone.utc).isoformat()})
    lake.audit("aa_fetch", customer_id, consent_id=status["id"], accounts=len(result.accounts),
               transactions=len(result.transactions))
    return result
