"""The only module that knows where data lives in the lake.

Layout (per customer)::

    <root>/raw/<customer_id>/<source>.ndjson        immutable input (generators, importers)
    <root>/raw/<customer_id>/consent.json           the AA consent artefact
    <root>/raw/<customer_id>/customer.json          who the customer is and which profile made them
    <root>/clean/<customer_id>/<source>.ndjson      validated, canonical records
    <root>/quarantine/<customer_id>/<source>.ndjson rejected records with every reason
    <root>/analytics/<customer_id>/<name>.json      computed views
    <root>/logs/<customer_id>/...                   injected.json, clean_report.json, run history,
                                                    officer_decisions.ndjson (the officers' own decisions)
    <root>/audit/audit.ndjson                       append-only audit trail (no personal data)
    <root>/monitoring/loans/<customer_id>.json      booked loans with EMI schedules (loan monitoring)
    <root>/monitoring/acceptances/<customer_id>.json accepted recommended products (booked as loans)
    <root>/monitoring/risk/<loan_id>.ndjson         a loan's PD over time; processed_events.ndjson: ids ingested
    <root>/models/<name>.{joblib,json}              the model in use (the champion) and its card
    <root>/models/<name>.registry.json              which registered versions are champion and challengers
    <root>/models/versions/<name>/v<N>.joblib       every registered version's bundle (+ v<N>.reference.parquet)
    <root>/mlflow/mlflow.db, mlflow/artifacts/      the lake-local MLflow tracking store and model registry
    <root>/models/<name>_drift_profile.json         the champion's binned training distributions (drift baseline)
    <root>/alerts/ledger.ndjson                     alerts sent, by a hash of rule + subject + period (dedupe)
    <root>/warehouse/<table>/as_of_month=YYYY-MM/part-NN.parquet  every customer's rows (pipeline/warehouse/);
                                                    NN = the customer's bucket, so one customer's rows are in one
                                                    file a month

Every write is atomic: a temp file in the same directory, then ``os.replace``,
so a reader never sees half a file. The customer id is checked before any
path is built, so a bad id never reaches the file system.
"""
from __future__ import annotations

import os
import re
import shutil
import uuid
import zlib
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import orjson

from pipeline.lake_erase import LakeErasure
from pipeline.lake_io import LakeError, LakeFiles

CUSTOMER_ID_PATTERN = re.compile(r"^CUST_[A-Z]{3}_\d{5}$", re.ASCII)  # ASCII: \d must not match other scripts' digits
LAYERS = ("raw", "clean", "quarantine", "analytics", "logs")
SOURCES = (
    "accounts",
    "transactions",
    "gst_returns",
    "credit_bureau",
    "mutual_funds",
    "insurance_policies",
    "ocen_applications",
    "ondc_orders",
)
_NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
LOAN_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", re.ASCII)  # monitoring: a loan id names a file
WAREHOUSE_BUCKETS = 8   # files a warehouse partition is split into, by a stable hash of the customer id
_MONTH_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
UNROUTED = "_unrouted"  # quarantine of events that name no customer of this lake (never a customer id)


class InvalidCustomerIdError(ValueError):
    """A customer id that does not match ``^CUST_[A-Z]{3}_\\d{5}$``."""


def validate_customer_id(customer_id: Any) -> str:
    """Return ``customer_id`` if it is well-formed, else raise :class:`InvalidCustomerIdError`.

    Called before every path is built so traversal ids such as ``../etc`` are
    refused without touching the disk.
    """
    if not isinstance(customer_id, str) or not CUSTOMER_ID_PATTERN.fullmatch(customer_id):
        shown = customer_id if isinstance(customer_id, str) and len(customer_id) <= 40 else repr(customer_id)[:40]
        raise InvalidCustomerIdError(
            f"invalid customer id {shown!r}: expected CUST_XXX_NNNNN (three capital letters, five digits)"
        )
    return customer_id


def validate_loan_id(loan_id: Any) -> str:
    """Return ``loan_id`` if it can name a file safely (letters, digits, ``_.-``; at most 64), else ValueError."""
    if not isinstance(loan_id, str) or not LOAN_ID_PATTERN.fullmatch(loan_id):
        raise ValueError(f"invalid loan id {str(loan_id)[:40]!r}: "
                         "expected letters, digits, '_', '.' or '-' (at most 64)")
    return loan_id


def _check_name(name: str, what: str) -> str:
    if not isinstance(name, str) or not _NAME_PATTERN.fullmatch(name):
        raise ValueError(f"invalid {what} name {name!r}")
    return name


def _check_version(version: Any) -> int:
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= 999_999:
        raise ValueError(f"invalid model version {version!r}: expected a whole number from 1")
    return version


def utc_now_iso() -> str:
    """Current UTC time as ISO 8601 with offset, for audit and run records."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def dumps_line(record: Any) -> bytes:
    """Serialise one record the way every NDJSON file in the lake is written."""
    return orjson.dumps(record)


class Lake(LakeErasure, LakeFiles):
    """Where everything lives in one lake root; the atomic file I/O comes from :class:`LakeFiles`, erasing a
    customer (``erase``, ``erase_sources``) from :class:`pipeline.lake_erase.LakeErasure`."""

    DATA_LAYERS = LAYERS

    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root)

    # ---- paths -------------------------------------------------------
    def customer_dir(self, layer: str, customer_id: str) -> Path:
        """Directory of one customer in one layer."""
        if layer not in LAYERS:
            raise ValueError(f"unknown layer {layer!r}")
        return self.root / layer / validate_customer_id(customer_id)

    def raw_path(self, customer_id: str, source: str) -> Path:
        """Raw NDJSON file of a source."""
        return self.customer_dir("raw", customer_id) / f"{_check_name(source, 'source')}.ndjson"

    def clean_path(self, customer_id: str, source: str) -> Path:
        """Clean NDJSON file of a source."""
        return self.customer_dir("clean", customer_id) / f"{_check_name(source, 'source')}.ndjson"

    def quarantine_path(self, customer_id: str, source: str) -> Path:
        """Quarantine NDJSON file of a source."""
        return self.customer_dir("quarantine", customer_id) / f"{_check_name(source, 'source')}.ndjson"

    def layer_path(self, layer: str, customer_id: str, source: str) -> Path:
        """NDJSON file of a source in the raw, clean or quarantine layer."""
        if layer not in ("raw", "clean", "quarantine"):
            raise ValueError(f"unknown data layer {layer!r}")
        return self.customer_dir(layer, customer_id) / f"{_check_name(source, 'source')}.ndjson"

    def consent_path(self, customer_id: str, layer: str = "raw") -> Path:
        """The consent artefact of a customer (raw as received, clean once validated)."""
        return self.customer_dir(layer, customer_id) / "consent.json"

    def customer_meta_path(self, customer_id: str) -> Path:
        """Who the customer is (name, profile) as written by the generator or importer."""
        return self.customer_dir("raw", customer_id) / "customer.json"

    def analytics_path(self, customer_id: str, name: str) -> Path:
        """One analytics JSON document."""
        return self.customer_dir("analytics", customer_id) / f"{_check_name(name, 'analytics')}.json"

    def log_path(self, customer_id: str, name: str) -> Path:
        """A JSON log document such as ``injected`` or ``clean_report``."""
        return self.customer_dir("logs", customer_id) / f"{_check_name(name, 'log')}.json"

    def run_log_path(self, customer_id: str) -> Path:
        """Append-only progress lines of pipeline runs."""
        return self.customer_dir("logs", customer_id) / "runs.ndjson"

    def officer_decisions_path(self, customer_id: str) -> Path:
        """Append-only decisions the credit officers recorded on the case (``logs/<id>/officer_decisions.ndjson``);
        in the customer's logs layer, so erasing the customer erases them."""
        return self.customer_dir("logs", customer_id) / "officer_decisions.ndjson"

    def consent_registry_path(self, customer_id: str) -> Path:
        """The customer's consent artefacts; kept outside the data layers so erasure keeps the evidence."""
        return self.root / "consents" / f"{validate_customer_id(customer_id)}.json"

    def consent_registry_customers(self) -> list[str]:
        """Customers with a consent registry file."""
        base = self.root / "consents"
        return sorted(p.stem for p in base.glob("CUST_*.json") if CUSTOMER_ID_PATTERN.fullmatch(p.stem)) \
            if base.is_dir() else []

    @property
    def aa_records_dir(self) -> Path:
        """The AA consent journey records (``consents/aa/<customer_id>.json``, :mod:`pipeline.aa.records`)."""
        return self.root / "consents" / "aa"

    @property
    def aa_handles_dir(self) -> Path:
        """Which customer each AA consent handle belongs to (``consents/aa/handles/<handle>``)."""
        return self.aa_records_dir / "handles"

    @property
    def token_store_path(self) -> Path:
        """Hashed API tokens with their roles (never the tokens themselves)."""
        return self.root / "security" / "tokens.json"

    @property
    def demo_tokens_path(self) -> Path:
        """The demo's own tokens in plain text (0600), so ``make run`` can print the same ones again."""
        return self.root / "security" / "demo_tokens.json"

    def job_path(self, customer_id: str, job_id: str) -> Path:
        """The last known state of one pipeline job, for a page reload after a server restart."""
        return self.customer_dir("logs", customer_id) / "jobs" / f"{_check_name(job_id, 'job')}.json"

    @property
    def batches_dir(self) -> Path:
        """Batch jobs started from the API: each one's record and customer list."""
        return self.root / "batches"

    def batch_job_path(self, job_id: str) -> Path:
        """The state of a batch job started from the API (several customers; ids and outcomes only)."""
        return self.batches_dir / f"{_check_name(job_id, 'job')}.json"

    def job_state_paths(self) -> list[Path]:
        """Every stored job state: each customer's ``logs/<id>/jobs/*.json`` and ``batches/*.json`` (so a server
        that starts can find the jobs a previous one left unfinished)."""
        found = sorted(self.root.glob("logs/*/jobs/job_*.json"))
        return [p for p in found if CUSTOMER_ID_PATTERN.fullmatch(p.parent.parent.name)] + \
            sorted((self.root / "batches").glob("job_*.json"))

    def batch_customers_path(self, job_id: str) -> Path:
        """The customer list a batch job hands to ``python -m pipeline batch --customers``."""
        return self.batches_dir / f"{_check_name(job_id, 'job')}.customers"

    @property
    def audit_path(self) -> Path:
        """The append-only audit log shared by all customers."""
        return self.root / "audit" / "audit.ndjson"

    @property
    def models_dir(self) -> Path:
        """Where trained models and their cards are kept."""
        return self.root / "models"

    def model_path(self, name: str, suffix: str = "joblib") -> Path:
        """A persisted model (``<lake>/models/<name>.joblib``) or its card (``suffix="json"``)."""
        if suffix not in ("joblib", "json"):
            raise ValueError(f"unknown model file kind {suffix!r}")
        return self.models_dir / f"{_check_name(name, 'model')}.{suffix}"

    def model_registry_path(self, name: str) -> Path:
        """The champion pointer: which registered versions of ``name`` are champion and challengers."""
        return self.models_dir / f"{_check_name(name, 'model')}.registry.json"

    def model_version_path(self, name: str, version: int) -> Path:
        """One registered version's bundle (``models/versions/<name>/v<N>.joblib``), for promotion and challengers."""
        return self.models_dir / "versions" / _check_name(name, "model") / f"v{_check_version(version)}.joblib"

    def model_reference_path(self, name: str, version: int) -> Path:
        """A registered version's training reference: features and PDs of its training rows (Parquet), for drift."""
        return self.model_version_path(name, version).with_suffix(".reference.parquet")

    @property
    def mlflow_dir(self) -> Path:
        """The lake-local MLflow store: ``mlflow.db`` (runs and the model registry) and ``artifacts/``."""
        return self.root / "mlflow"

    @property
    def mlflow_tracking_uri(self) -> str:
        """The SQLAlchemy URI of the lake-local tracking and registry database (used when MLFLOW_TRACKING_URI is unset)."""
        return "sqlite:///" + (self.mlflow_dir / "mlflow.db").resolve().as_posix()

    @property
    def mlflow_artifacts_uri(self) -> str:
        """Where the lake-local store keeps run artefacts (a ``file://`` URI)."""
        return (self.mlflow_dir / "artifacts").resolve().as_uri()

    def model_drift_profile_path(self, name: str) -> Path:
        """The champion's drift profile: its training data's binned feature and score distributions (the PSI
        baseline, :mod:`analytics.risk.reference`), written with the champion's bundle."""
        return self.models_dir / f"{_check_name(name, 'model')}_drift_profile.json"

    # ---- alerts (monitoring/alerts.py) ------------------------------------
    @property
    def alert_ledger_path(self) -> Path:
        """Alerts already raised, one line each, keyed by a SHA-256 of rule + subject + period (no customer id)."""
        return self.root / "alerts" / "ledger.ndjson"

    @property
    def alert_lock_path(self) -> Path:
        """The lock that makes check-then-append on the alert ledger atomic across processes."""
        return self.root / "alerts" / "ledger.lock"

    # ---- loan monitoring (monitoring/) ---------------------------------
    @property
    def monitoring_dir(self) -> Path:
        """Loan books, risk histories and the processed-event index of loan monitoring."""
        return self.root / "monitoring"

    def loan_book_path(self, customer_id: str) -> Path:
        """A customer's booked loans with their EMI schedules (``monitoring/loans/<customer_id>.json``)."""
        return self.monitoring_dir / "loans" / f"{validate_customer_id(customer_id)}.json"

    def acceptances_path(self, customer_id: str) -> Path:
        """The recommended products a customer accepted (``monitoring/acceptances/<customer_id>.json``)."""
        return self.monitoring_dir / "acceptances" / f"{validate_customer_id(customer_id)}.json"

    def loan_book_customers(self) -> list[str]:
        """Customers with a loan book."""
        base = self.monitoring_dir / "loans"
        return sorted(p.stem for p in base.glob("CUST_*.json") if CUSTOMER_ID_PATTERN.fullmatch(p.stem)) \
            if base.is_dir() else []

    def risk_history_path(self, loan_id: str) -> Path:
        """A loan's scores over time, one line per re-score (``monitoring/risk/<loan_id>.ndjson``)."""
        return self.monitoring_dir / "risk" / f"{validate_loan_id(loan_id)}.ndjson"

    @property
    def processed_events_path(self) -> Path:
        """Append-only index of every repayment event id ingested and its outcome (idempotency)."""
        return self.monitoring_dir / "processed_events.ndjson"

    @property
    def monitoring_lock_path(self) -> Path:
        """The lock file that serialises ingestion across processes (the API server and stream consumers)."""
        return self.monitoring_dir / "ingest.lock"

    @property
    def unrouted_quarantine_dir(self) -> Path:
        """Quarantine of records that name no customer of this lake (``quarantine/_unrouted/``)."""
        return self.root / "quarantine" / UNROUTED

    def unrouted_quarantine_path(self, source: str) -> Path:
        """Quarantine of records that name no customer of this lake (``quarantine/_unrouted/<source>.ndjson``)."""
        return self.unrouted_quarantine_dir / f"{_check_name(source, 'source')}.ndjson"

    # ---- the warehouse (pipeline/warehouse/) --------------------------
    @property
    def warehouse_dir(self) -> Path:
        """The Parquet warehouse: one directory per table, hive-partitioned by ``as_of_month``."""
        return self.root / "warehouse"

    @property
    def warehouse_manifest_path(self) -> Path:
        """When the warehouse was built and how many rows each table holds."""
        return self.warehouse_dir / "manifest.json"

    @property
    def warehouse_lock_path(self) -> Path:
        """The lock a build, a customer's refresh and an erasure take, so none loses another's change."""
        return self.warehouse_dir / ".lock"

    def warehouse_staging_dir(self) -> Path:
        """A fresh hidden directory a full build writes into before its tables replace the live ones."""
        return self.warehouse_dir / f".staging-{uuid.uuid4().hex[:12]}"

    def warehouse_table_dir(self, table: str, base: Path | None = None) -> Path:
        """A table's directory in the warehouse (or in ``base``, a staging directory)."""
        return (base or self.warehouse_dir) / _check_name(table, "table")

    @staticmethod
    def warehouse_bucket(customer_id: str) -> int:
        """The file of each partition that holds a customer's rows (a stable hash, the same on every machine)."""
        return zlib.crc32(validate_customer_id(customer_id).encode()) % WAREHOUSE_BUCKETS

    def warehouse_part_path(self, table: str, month: str, bucket: int, base: Path | None = None) -> Path:
        """One Parquet file: ``<table>/as_of_month=<YYYY-MM>/part-<bucket>.parquet``."""
        if not isinstance(month, str) or not _MONTH_PATTERN.fullmatch(month):
            raise ValueError(f"invalid as-of month {month!r}: expected YYYY-MM")
        if not 0 <= int(bucket) < WAREHOUSE_BUCKETS:
            raise ValueError(f"invalid warehouse bucket {bucket!r}")
        return self.warehouse_table_dir(table, base) / f"as_of_month={month}" / f"part-{int(bucket):02d}.parquet"

    def warehouse_parts(self, table: str, bucket: int | None = None) -> list[tuple[str, Path]]:
        """``(month, path)`` of every file of a table (or of one bucket), by month."""
        name = "part-*.parquet" if bucket is None else f"part-{int(bucket):02d}.parquet"
        found = sorted(self.warehouse_table_dir(table).glob(f"as_of_month=*/{name}"))
        return [(p.parent.name.partition("=")[2], p) for p in found
                if _MONTH_PATTERN.fullmatch(p.parent.name.partition("=")[2])]

    def warehouse_glob(self, table: str) -> str:
        """The glob DuckDB reads a table from (every partition, every bucket)."""
        return str(self.warehouse_table_dir(table) / "as_of_month=*" / "part-*.parquet")

    # ---- customers ---------------------------------------------------
    def customers(self) -> list[str]:
        """Ids of every customer that has data in any layer, sorted."""
        found: set[str] = set()
        for layer in LAYERS:
            base = self.root / layer
            if base.is_dir():
                found.update(p.name for p in base.iterdir() if p.is_dir() and CUSTOMER_ID_PATTERN.fullmatch(p.name))
        return sorted(found)

    def has_customer(self, customer_id: str) -> bool:
        """Whether the customer has any data in the lake."""
        validate_customer_id(customer_id)
        return any(self.customer_dir(layer, customer_id).is_dir() for layer in LAYERS)

    def clear_layer(self, layer: str, customer_id: str) -> None:
        """Remove one customer's directory in one layer (used before a fresh generate)."""
        target = self.customer_dir(layer, customer_id)
        if target.is_dir():
            shutil.rmtree(target)

    def audit(self, action: str, customer_id: str | None, sync: bool = True, **fields: Any) -> dict:
        """Append an audit entry (timestamp, customer id, action and non-personal fields)."""
        entry = {"ts": utc_now_iso(), "customer_id": customer_id, "action": action, **fields}
        self.append_line(self.audit_path, entry, sync=sync)
        return entry

    def read_audit(self, customer_id: str | None = None) -> list[dict]:
        """Audit entries, optionally for one customer."""
        if not self.audit_path.exists():
            return []
        entries = self.read_ndjson(self.audit_path)
        return [e for e in entries if customer_id is None or e.get("customer_id") == customer_id]
