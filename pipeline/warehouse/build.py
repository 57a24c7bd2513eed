"""Build the warehouse from a lake: every customer (``build_warehouse``) or one customer's rows (``refresh_customer``).

A full build reads the customers bucket by bucket (so memory holds one bucket's rows, not the whole book),
writes every table into a hidden staging directory, then swaps each table's directory in with two renames
and records the manifest. A refresh rewrites the customer's bucket file of each month in place. Both hold the
warehouse lock, which erasure takes too, so a customer erased during a build is gone from its result.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.lake import WAREHOUSE_BUCKETS, Lake, LakeError, utc_now_iso
from pipeline.warehouse.extract import CustomerDocuments, customer_rows
from pipeline.warehouse.parts import replace_customer_rows, split_months, warehouse_locked, write_month
from pipeline.warehouse.schema import TABLES

RowsOf = Callable[[str], dict[str, pa.Table]]
ANALYTICS_DOCUMENTS = ("risk_model", "credit_score", "decision", "recommendations", "overall_summary")
CLEAN_SOURCES = ("transactions", "gst_returns", "credit_bureau", "repayment_events")


def _json_or_none(lake: Lake, path: Path):
    try:
        return lake.read_json(path) if path.exists() else None
    except LakeError:
        return None


def read_customer(lake: Lake, customer_id: str) -> CustomerDocuments:
    """What the warehouse takes of a customer, read through the lake (a missing document is simply absent)."""
    docs = CustomerDocuments(customer_id)
    docs.clean = {source: lake.read_clean(customer_id, source) for source in CLEAN_SOURCES}
    docs.analytics = {name: doc for name in ANALYTICS_DOCUMENTS
                      if isinstance(doc := _json_or_none(lake, lake.analytics_path(customer_id, name)), dict)}
    book = _json_or_none(lake, lake.loan_book_path(customer_id)) or {}
    docs.loans = [loan for loan in book.get("loans") or [] if isinstance(loan, dict) and loan.get("loan_id")]
    for loan in docs.loans:
        try:
            path = lake.risk_history_path(str(loan["loan_id"]))
        except ValueError:
            continue
        if path.exists():
            docs.risk[str(loan["loan_id"])] = lake.read_ndjson(path)
    return docs


def lake_rows(lake: Lake) -> RowsOf:
    """The rows of a customer of this lake (what a build writes by default)."""
    return lambda customer_id: customer_rows(read_customer(lake, customer_id))


def _count_rows(lake: Lake) -> dict[str, int]:
    return {table: sum(pq.read_metadata(path).num_rows for _, path in lake.warehouse_parts(table))
            for table in TABLES}


def _write_manifest(lake: Lake, customers: int | None, mode: str) -> dict:
    manifest = {"built_at": utc_now_iso(), "mode": mode, "rows": _count_rows(lake),
                "customers": customers if customers is not None else _manifest(lake).get("customers")}
    lake.write_json(lake.warehouse_manifest_path, manifest)
    return manifest


def _manifest(lake: Lake) -> dict:
    return _json_or_none(lake, lake.warehouse_manifest_path) or {}


def _swap_in(lake: Lake, staging: Path) -> None:
    """Each staged table replaces the live one: rename the old away, rename the new in, then delete the old."""
    for table in TABLES:
        live, new = lake.warehouse_table_dir(table), lake.warehouse_table_dir(table, staging)
        new.mkdir(parents=True, exist_ok=True)   # a table with no rows still exists (an empty view)
        old = staging / f".old-{table}"
        if live.exists():
            os.rename(live, old)
        os.rename(new, live)
    shutil.rmtree(staging)


def build_warehouse(lake: Lake, customers: list[str] | None = None, rows_of: RowsOf | None = None,
                    progress: Callable[[str], None] | None = None) -> dict:
    """Rebuild every table from ``customers`` (default: every customer of the lake); return the manifest.

    ``rows_of(customer_id)`` gives a customer's rows (default: read from the lake); the benchmark passes a
    synthetic source. Idempotent: the same lake gives the same files.
    """
    rows_of = rows_of or lake_rows(lake)
    customers = sorted(lake.customers() if customers is None else customers)
    lake.warehouse_dir.mkdir(parents=True, exist_ok=True)
    with warehouse_locked(lake):
        staging = lake.warehouse_staging_dir()
        try:
            for bucket in range(WAREHOUSE_BUCKETS):
                members = [c for c in customers if lake.warehouse_bucket(c) == bucket]
                collected: dict[str, list[pa.Table]] = {table: [] for table in TABLES}
                for customer_id in members:
                    for table, rows in rows_of(customer_id).items():
                        collected[table].append(rows)
                for table, pieces in collected.items():
                    if pieces:
                        for month, rows in split_months(pa.concat_tables(pieces)).items():
                            write_month(lake, table, month, bucket, rows, base=staging)
                if progress:
                    progress(f"bucket {bucket + 1}/{WAREHOUSE_BUCKETS}: {len(members)} customer(s)")
            _swap_in(lake, staging)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return _write_manifest(lake, len(customers), "full")


def refresh_customer(lake: Lake, customer_id: str, rows_of: RowsOf | None = None) -> dict[str, int]:
    """Replace one customer's rows in every table with what the lake holds now; ``{table: rows written}``.

    A customer no longer in the lake ends with no rows (what erasure does).
    """
    rows = (rows_of or lake_rows(lake))(customer_id) if lake.has_customer(customer_id) else {}
    lake.warehouse_dir.mkdir(parents=True, exist_ok=True)
    with warehouse_locked(lake):
        for table in TABLES:
            replace_customer_rows(lake, table, customer_id, rows.get(table))
        _write_manifest(lake, None, "customer")
    return {table: rows[table].num_rows if table in rows else 0 for table in TABLES}


def warehouse_manifest(lake: Lake) -> dict | None:
    """The manifest of the last build (None when the warehouse was never built)."""
    return _manifest(lake) or None
