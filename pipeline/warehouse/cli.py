"""``python -m pipeline warehouse build|query|ddl``: the warehouse from the command line.

``build`` writes every customer's rows (or one customer's with ``--customer``), ``query`` runs one read-only SQL
statement and prints a table (or JSON rows with ``--json``), ``ddl`` prints BigQuery or Snowflake DDL. Errors
are one line on stderr and a non-zero exit, never a traceback.
"""
from __future__ import annotations

import argparse
import json
import time
from typing import Any

from pipeline.errors import CommandError
from pipeline.lake import Lake, validate_customer_id


def _lake(args: argparse.Namespace) -> Lake:
    from pipeline.config import is_object_store_url, load_config

    root = load_config({"lake_root": args.lake}, object_store=True)["lake_root"]
    if is_object_store_url(root):
        raise CommandError(f"the warehouse is built on a local lake directory; {root} is an object store")
    return Lake(root)


def cmd_build(args: argparse.Namespace) -> int:
    """Build every table from the lake, or refresh one customer's rows."""
    from pipeline.warehouse.build import build_warehouse, refresh_customer

    lake, started = _lake(args), time.perf_counter()
    if args.customer:
        written = refresh_customer(lake, validate_customer_id(args.customer))
        print(f"refreshed {args.customer} in {lake.warehouse_dir}: "
              + ", ".join(f"{table} {n}" for table, n in written.items()))
        return 0
    manifest = build_warehouse(lake, progress=None if args.quiet else lambda m: print(f"[info] {m}", flush=True))
    print(f"built the warehouse of {manifest['customers']} customer(s) in {lake.warehouse_dir} "
          f"({time.perf_counter() - started:.1f}s): " + ", ".join(f"{t} {n}" for t, n in manifest["rows"].items()))
    return 0


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}" if abs(value) < 1e6 else f"{value:.2f}"
    return str(value).replace("\n", " ")


def format_table(columns: list[str], rows: list[list[Any]]) -> str:
    """Rows as an aligned text table with a header and a row count (for a terminal)."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [min(60, max([len(c)] + [len(r[i]) for r in cells])) for i, c in enumerate(columns)]
    line = lambda values: "  ".join(v[:w].ljust(w) for v, w in zip(values, widths)).rstrip()  # noqa: E731
    out = [line(columns), line(["-" * w for w in widths])] + [line(r) for r in cells]
    return "\n".join(out + [f"({len(rows)} row{'s' if len(rows) != 1 else ''})"])


def cmd_query(args: argparse.Namespace) -> int:
    """Run one read-only statement; print a table, or JSON rows."""
    from pipeline.warehouse.engine import WarehouseQueryError, run_query

    try:
        result = run_query(_lake(args), args.sql, limit=args.limit)
    except WarehouseQueryError as exc:
        raise CommandError(str(exc)) from None
    print(json.dumps(result.records(), ensure_ascii=False) if args.json else format_table(result.columns, result.rows))
    return 0


def cmd_ddl(args: argparse.Namespace) -> int:
    """Print the DDL of every table for BigQuery or Snowflake."""
    from pipeline.warehouse.ddl import warehouse_ddl

    print(warehouse_ddl(args.dialect, args.location, args.dataset), end="")
    return 0


def add_warehouse_command(sub: argparse._SubParsersAction) -> None:
    """Register ``warehouse`` and its sub-commands on the pipeline CLI."""
    parser = sub.add_parser("warehouse", help="the Parquet warehouse: build, query (DuckDB), ddl",
                            description="the Parquet warehouse over every customer: build it, query it with "
                                        "DuckDB, print BigQuery / Snowflake DDL (docs/warehouse.md)")
    actions = parser.add_subparsers(dest="warehouse_command", required=True, metavar="ACTION")

    def action(name: str, func, help_text: str) -> argparse.ArgumentParser:
        p = actions.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--lake", help="lake root directory (default: config.json lake_root, or $LAKE_DIR)")
        p.set_defaults(func=func)
        return p

    p = action("build", cmd_build, "write every customer's clean records and analytics as Parquet tables")
    p.add_argument("--customer", metavar="ID", help="refresh only this customer's rows (CUST_XXX_NNNNN)")
    p.add_argument("--quiet", action="store_true", help="print only the summary")
    p = action("query", cmd_query, "run one read-only SQL statement over the warehouse (DuckDB)")
    p.add_argument("sql", help="the SQL, e.g. \"SELECT count(*) FROM transactions\"")
    p.add_argument("--json", action="store_true", help="print the rows as a JSON array of objects")
    p.add_argument("--limit", type=int, help="print at most this many rows")
    p = action("ddl", cmd_ddl, "print CREATE EXTERNAL TABLE DDL of every table for BigQuery or Snowflake")
    p.add_argument("--dialect", required=True, choices=("bigquery", "snowflake"), help="the target warehouse")
    p.add_argument("--location", help="where the files are: gs://bucket/prefix (BigQuery) or @stage/path "
                                      "(Snowflake); default a placeholder")
    p.add_argument("--dataset", default="msme_warehouse", help="dataset (BigQuery) or schema (Snowflake) name")
