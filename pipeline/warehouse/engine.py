"""DuckDB over the warehouse: each table a view of its Parquet files, read-only SQL, clear errors.

A query runs in an in-memory DuckDB whose views read ``read_parquet(<table glob>, hive_partitioning)``; a
table with no file yet is an empty view of the same columns. Only reading statements run (``SELECT``,
``WITH``, ``EXPLAIN``, ``DESCRIBE``, ``SHOW``, ``SUMMARIZE``, ``VALUES``): anything else is refused before it
runs, and the connection may read the warehouse directory only (no other file, no network).
"""
from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from pipeline.lake import Lake, validate_customer_id
from pipeline.warehouse.schema import DUCKDB_TYPES, PARTITION_COLUMN, TABLES

READING = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}


class WarehouseQueryError(Exception):
    """A query that cannot run: bad SQL, a statement that would write, or no warehouse yet."""


class WarehouseNotBuiltError(WarehouseQueryError):
    """The lake has no warehouse: run ``python -m pipeline warehouse build`` first."""


@dataclass
class QueryResult:
    """Column names and rows of a query (JSON-ready values)."""

    columns: list[str]
    rows: list[list[Any]]

    def records(self) -> list[dict[str, Any]]:
        """The rows as ``{column: value}`` objects."""
        return [dict(zip(self.columns, row)) for row in self.rows]


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _view_sql(lake: Lake, table: str, customers: Collection[str] | None = None) -> str:
    if lake.warehouse_parts(table):
        sql = (f"SELECT * FROM read_parquet({_sql_string(lake.warehouse_glob(table))}, hive_partitioning = true, "
               f"hive_types = {{'{PARTITION_COLUMN}': VARCHAR}}, union_by_name = true)")
        if customers is not None:  # ids checked by their pattern, so quoting them is safe
            ids = ", ".join(_sql_string(validate_customer_id(c)) for c in sorted(customers)) or "NULL"
            sql += f" WHERE customer_id IN ({ids})"
        return sql
    columns = [f"CAST(NULL AS {DUCKDB_TYPES[c.type]}) AS {c.name}" for c in TABLES[table].columns]
    return f"SELECT {', '.join(columns)}, CAST(NULL AS VARCHAR) AS {PARTITION_COLUMN} WHERE false"


def connect(lake: Lake, customers: Collection[str] | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with one view per warehouse table, allowed to read the warehouse directory only;
    with ``customers``, every view holds only their rows (a scoped caller's share of the book)."""
    if not lake.warehouse_dir.is_dir():
        raise WarehouseNotBuiltError(f"no warehouse in {lake.root}: run `python -m pipeline warehouse build`")
    con = duckdb.connect(":memory:", config={"threads": 2})
    for table in TABLES:
        con.execute(f"CREATE VIEW {table} AS {_view_sql(lake, table, customers)}")
    con.execute(f"SET allowed_directories = [{_sql_string(str(lake.warehouse_dir.resolve()) + '/')}]")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def check_read_only(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Refuse anything but one reading statement (parsed by DuckDB, so comments and case do not fool it)."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise WarehouseQueryError(f"invalid SQL: {_first_line(exc)}") from None
    if len(statements) != 1:
        raise WarehouseQueryError(f"give exactly one SQL statement (got {len(statements)})")
    statement = statements[0]
    if statement.type not in READING:
        kind = str(statement.type).rsplit(".", 1)[-1]
        raise WarehouseQueryError(f"the warehouse is read-only: {kind} statements are refused "
                                  "(run SELECT queries; rebuild with `python -m pipeline warehouse build`)")


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, float) and value != value:
        return None
    return value


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def run_query(lake: Lake, sql: str, limit: int | None = None,
              customers: Collection[str] | None = None) -> QueryResult:
    """Run one read-only SQL statement over the warehouse (only ``customers``' rows when given);
    :class:`WarehouseQueryError` with one clear line for bad SQL, a refused statement or a missing warehouse."""
    if not isinstance(sql, str) or not sql.strip():
        raise WarehouseQueryError("give an SQL query")
    con = connect(lake, customers)
    try:
        check_read_only(con, sql)
        try:
            relation = con.sql(sql)
            if relation is None:
                return QueryResult([], [])
            batches, count = [], 0
            reader = relation.to_arrow_reader(batch_size=10_000)   # through Arrow: time zones without pytz
            for batch in reader:
                batches.append(batch)
                count += batch.num_rows
                if limit and count >= limit:
                    break
        except duckdb.Error as exc:
            raise WarehouseQueryError(f"query failed: {_first_line(exc)}") from None
        table = pa.Table.from_batches(batches, schema=reader.schema)
        if limit:
            table = table.slice(0, limit)
        columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
        return QueryResult(list(table.schema.names), [[_plain(v) for v in row] for row in zip(*columns)])
    finally:
        con.close()
