"""Warehouse partition files: write one atomically, and rewrite a customer's rows in place (refresh, erasure).

Works on the lake object it is given (its ``warehouse_*`` path methods and atomic ``write_bytes``) and imports
nothing of the lake, so :mod:`pipeline.lake_erase` can call it without a cycle. A customer's rows of a month
are all in the file of their bucket (:meth:`pipeline.lake.Lake.warehouse_bucket`), so replacing or dropping
them rewrites one file a month; the file is written whole to a temporary file and renamed over the old one.
Rows in a file are ordered by customer id (a stable sort), so a rewrite gives the bytes a full build gives.
"""
from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.warehouse.schema import PARTITION_COLUMN, TABLES


@contextmanager
def warehouse_locked(lake: Any) -> Iterator[None]:
    """Hold the warehouse lock (a build, a customer's refresh and an erasure never interleave)."""
    path = lake.warehouse_lock_path
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def parquet_bytes(table: pa.Table) -> bytes:
    """A table as Parquet bytes (zstd, dictionary-encoded strings, no timestamps in the metadata: deterministic)."""
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd", row_group_size=1 << 20)
    return sink.getvalue().to_pybytes()


def sorted_by_customer(table: pa.Table) -> pa.Table:
    """Rows ordered by customer id, each customer's rows keeping their order (Arrow's sort is stable)."""
    return table.take(pc.sort_indices(table, sort_keys=[("customer_id", "ascending")])) if table.num_rows else table


def read_part(path, table: str) -> pa.Table:
    """One partition file with the table's current schema (columns it lacks come back as nulls)."""
    found = pq.ParquetFile(path).read()
    schema = TABLES[table].schema
    columns = [found.column(f.name).cast(f.type) if f.name in found.column_names
               else pa.nulls(found.num_rows, f.type) for f in schema]
    return pa.Table.from_arrays(columns, schema=schema)


def write_month(lake: Any, table: str, month: str, bucket: int, rows: pa.Table, base=None) -> None:
    """Write one partition file of one bucket atomically (``rows`` without the partition column)."""
    lake.write_bytes(lake.warehouse_part_path(table, month, bucket, base), parquet_bytes(sorted_by_customer(rows)))


def split_months(rows: pa.Table) -> dict[str, pa.Table]:
    """``{month: rows of that month}`` without the partition column, months in order."""
    months = rows.column(PARTITION_COLUMN)
    data = rows.drop_columns([PARTITION_COLUMN])
    return {m: data.filter(pc.equal(months, m)) for m in sorted(set(months.to_pylist()))}


def replace_customer_rows(lake: Any, table: str, customer_id: str, new_rows: pa.Table | None = None) -> int:
    """Replace a customer's rows of one table with ``new_rows`` (None: drop them); return the rows removed.

    Only the files of the customer's bucket are read; a file left empty is removed with its empty month.
    """
    bucket = lake.warehouse_bucket(customer_id)
    fresh = split_months(new_rows) if new_rows is not None and new_rows.num_rows else {}
    existing = dict(lake.warehouse_parts(table, bucket))
    removed = 0
    for month in sorted(set(existing) | set(fresh)):
        kept = TABLES[table].schema.empty_table()
        if month in existing:
            old = read_part(existing[month], table)
            mine = pc.equal(old.column("customer_id"), customer_id)
            removed += pc.sum(mine).as_py() or 0
            if month not in fresh and not pc.any(mine).as_py():
                continue   # nothing of this customer in the file: leave it untouched
            kept = old.filter(pc.invert(mine))
        combined = pa.concat_tables([kept, fresh[month]]) if month in fresh else kept
        if combined.num_rows:
            write_month(lake, table, month, bucket, combined)
        else:
            path = existing[month]
            path.unlink(missing_ok=True)
            try:
                path.parent.rmdir()
            except OSError:
                pass   # other buckets still have rows this month
    return removed


def erase_customer_rows(lake: Any, customer_id: str, tables: tuple[str, ...] = tuple(TABLES)) -> dict[str, int]:
    """Drop a customer's rows from the warehouse tables (all by default); ``{table: rows removed}``."""
    if not lake.warehouse_dir.is_dir():
        return {}
    with warehouse_locked(lake):
        return {table: replace_customer_rows(lake, table, customer_id) for table in tables}
