"""DDL that loads the warehouse's Parquet files into BigQuery or Snowflake, from the same pyarrow schemas.

Both print an external table over ``<location>/<table>/`` with the hive partition column ``as_of_month``
(a STRING/VARCHAR taken from the directory name): BigQuery's ``CREATE EXTERNAL TABLE ... WITH PARTITION
COLUMNS``, Snowflake's ``CREATE EXTERNAL TABLE ... PARTITION BY`` over a stage. Copy the warehouse directory to
the bucket or stage as it is (``gsutil -m rsync -r`` / ``PUT``); ``CREATE TABLE ... AS SELECT`` from the
external table makes a native one.
"""
from __future__ import annotations

import pyarrow as pa

from pipeline.warehouse.schema import BOOL, DATE, FLOAT, INT, PARTITION_COLUMN, STRING, TABLES, TIMESTAMP

DIALECTS = ("bigquery", "snowflake")
DEFAULT_LOCATIONS = {"bigquery": "gs://YOUR_BUCKET/warehouse", "snowflake": "@warehouse_stage"}
_TYPES: dict[str, dict[pa.DataType, str]] = {
    "bigquery": {STRING: "STRING", INT: "INT64", FLOAT: "FLOAT64", BOOL: "BOOL", DATE: "DATE",
                 TIMESTAMP: "TIMESTAMP"},
    "snowflake": {STRING: "VARCHAR", INT: "NUMBER(19,0)", FLOAT: "FLOAT", BOOL: "BOOLEAN", DATE: "DATE",
                  TIMESTAMP: "TIMESTAMP_TZ"},
}


def _bigquery(table: str, location: str, dataset: str) -> str:
    spec = TABLES[table]
    columns = ",\n".join(f"  {c.name} {_TYPES['bigquery'][c.type]}{'' if c.nullable else ' NOT NULL'}"
                         f" OPTIONS (description = {_quote(c.meaning)})" for c in spec.columns)
    uri = f"{location.rstrip('/')}/{table}"
    return (f"CREATE OR REPLACE EXTERNAL TABLE `{dataset}.{table}` (\n{columns}\n)\n"
            f"WITH PARTITION COLUMNS (\n  {PARTITION_COLUMN} STRING\n)\n"
            f"OPTIONS (\n  format = 'PARQUET',\n  uris = [{_quote(uri + '/*')}],\n"
            f"  hive_partition_uri_prefix = {_quote(uri)},\n  require_hive_partition_filter = false,\n"
            f"  description = {_quote(spec.row)}\n);")


def _snowflake(table: str, location: str, dataset: str) -> str:
    spec = TABLES[table]
    partition = (f"  {PARTITION_COLUMN} VARCHAR AS (SPLIT_PART(SPLIT_PART(METADATA$FILENAME, "
                 f"'{PARTITION_COLUMN}=', 2), '/', 1))")
    columns = [partition] + [f"  {c.name} {_TYPES['snowflake'][c.type]} AS (VALUE:{c.name}::"
                             f"{_TYPES['snowflake'][c.type]}) COMMENT {_quote(c.meaning)}" for c in spec.columns]
    return (f"CREATE OR REPLACE EXTERNAL TABLE {dataset}.{table} (\n" + ",\n".join(columns) + "\n)\n"
            f"PARTITION BY ({PARTITION_COLUMN})\nLOCATION = {location.rstrip('/')}/{table}/\n"
            f"FILE_FORMAT = (TYPE = PARQUET)\nAUTO_REFRESH = FALSE\nCOMMENT = {_quote(spec.row)};")


def _quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def warehouse_ddl(dialect: str, location: str | None = None, dataset: str = "msme_warehouse") -> str:
    """The DDL of every table in ``dialect`` (``bigquery`` or ``snowflake``), one statement a table."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}; known: {', '.join(DIALECTS)}")
    render = _bigquery if dialect == "bigquery" else _snowflake
    where = location or DEFAULT_LOCATIONS[dialect]
    header = (f"-- MSME lending warehouse: {len(TABLES)} tables, Parquet, partitioned by {PARTITION_COLUMN} "
              f"(hive layout <table>/{PARTITION_COLUMN}=YYYY-MM/part-NN.parquet)\n")
    return header + "\n\n".join(render(table, where, dataset) for table in TABLES) + "\n"
