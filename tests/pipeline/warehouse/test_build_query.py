"""The warehouse built from a real lake: rows match the lake's files, rebuilds are byte-identical, a customer's
refresh equals a full build, queries run read-only through the CLI, DDL covers every column."""
import hashlib
import json
import shutil
import subprocess
import sys

import pytest

from pipeline.lake import Lake
from pipeline.warehouse.build import build_warehouse, refresh_customer
from pipeline.warehouse.ddl import warehouse_ddl
from pipeline.warehouse.engine import WarehouseQueryError, run_query
from pipeline.warehouse.parts import erase_customer_rows
from pipeline.warehouse.schema import PARTITION_COLUMN, TABLES, schema_markdown
from tests.conftest import PROJECT_ROOT
from tests.pipeline.lake_grep import where
from tests.warehouse_fixture import CUSTOMERS


def cli(lake: Lake, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", "warehouse", *args, "--lake", str(lake.root)],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)


def query_json(lake: Lake, sql: str) -> list[dict]:
    done = cli(lake, "query", sql, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def files(lake: Lake) -> dict[str, str]:
    """Every warehouse Parquet file -> the SHA-256 of its bytes."""
    return {p.relative_to(lake.root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(lake.warehouse_dir.rglob("*.parquet"))}


def expected_rows(lake: Lake) -> dict[str, dict[str, int]]:
    """Table -> customer -> rows, counted from the lake's clean, analytics and monitoring files."""
    counts = {}
    for cid in CUSTOMERS:
        clean = {s: len(lake.read_clean(cid, s)) for s in ("transactions", "gst_returns", "credit_bureau",
                                                            "repayment_events")}
        risk = lake.read_json(lake.analytics_path(cid, "risk_model"))
        recs = lake.read_json(lake.analytics_path(cid, "recommendations"))
        loans = lake.read_json(lake.loan_book_path(cid))["loans"]
        history = sum(len(lake.read_ndjson(lake.risk_history_path(l["loan_id"]))) for l in loans
                      if lake.risk_history_path(l["loan_id"]).exists())
        counts[cid] = {"transactions": clean["transactions"], "gst_returns": clean["gst_returns"],
                       "bureau": clean["credit_bureau"], "features": len(risk["features"]), "scores": 1,
                       "decisions": 1, "offers": len(recs["products"]), "loans": len(loans),
                       "repayment_events": clean["repayment_events"], "risk_history": history}
    return {t: {cid: counts[cid][t] for cid in CUSTOMERS if counts[cid][t]} for t in TABLES}


def test_the_cli_build_writes_every_row_of_the_lake_partitioned_by_month(lake):
    shutil.rmtree(lake.warehouse_dir)
    done = cli(lake, "build")
    assert done.returncode == 0, done.stderr
    assert "built the warehouse of 3 customer(s)" in done.stdout
    for table in TABLES:
        rows = query_json(lake, f"SELECT customer_id, count(*) AS n FROM {table} GROUP BY customer_id")
        assert {r["customer_id"]: r["n"] for r in rows} == expected_rows(lake)[table], table
    assert all(expected_rows(lake)[t] for t in TABLES)   # every table has rows in this lake
    # hive layout: as_of_month from the directory, matching the month of the row's date
    months = query_json(lake, "SELECT DISTINCT as_of_month, strftime(value_date, '%Y-%m') AS m FROM transactions")
    assert months and all(r["as_of_month"] == r["m"] for r in months)
    path = lake.warehouse_parts("loans")[0][1]
    assert path.parent.name.startswith(f"{PARTITION_COLUMN}=") and path.name.startswith("part-")
    described = query_json(lake, "DESCRIBE scores")
    assert [(r["column_name"], r["column_type"]) for r in described][:3] == [
        ("customer_id", "VARCHAR"), ("as_of", "DATE"), ("pd", "DOUBLE")]
    assert not [p for p in lake.warehouse_dir.iterdir() if p.name.startswith(".staging")]


def test_a_rebuild_gives_the_same_files_and_a_customer_refresh_the_same_bytes(lake):
    first = files(lake)
    build_warehouse(lake)
    assert files(lake) == first
    removed = erase_customer_rows(lake, CUSTOMERS[0])
    assert removed["transactions"] > 0 and files(lake) != first
    written = refresh_customer(lake, CUSTOMERS[0])
    assert written["transactions"] == removed["transactions"]
    assert files(lake) == first
    done = cli(lake, "build", "--customer", CUSTOMERS[1])
    assert done.returncode == 0, done.stderr
    assert f"refreshed {CUSTOMERS[1]}" in done.stdout and files(lake) == first


def test_query_prints_a_table_and_json(lake):
    done = cli(lake, "query", "SELECT decision, count(*) AS n FROM decisions GROUP BY decision ORDER BY decision")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["decision", "n"] and lines[-1] == f"({len(lines) - 3} row{'s' if len(lines) != 4 else ''})"
    rows = query_json(lake, "SELECT customer_id, pd, as_of FROM scores ORDER BY customer_id")
    assert [r["customer_id"] for r in rows] == sorted(CUSTOMERS)
    assert all(0 <= r["pd"] <= 1 and len(r["as_of"]) == 10 for r in rows)


@pytest.mark.parametrize("sql, message", [
    ("SELEC * FROM scores", "invalid SQL"),
    ("SELECT * FROM no_such_table", "query failed: Catalog Error"),
    ("SELECT 1; SELECT 2", "exactly one SQL statement"),
])
def test_bad_sql_is_one_clear_line_and_a_failure(lake, sql, message):
    done = cli(lake, "query", sql)
    assert done.returncode == 1
    assert message in done.stderr and done.stderr.startswith("error: ") and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("sql", [
    "CREATE TABLE t AS SELECT 1",
    "INSERT INTO scores SELECT * FROM scores",
    "DROP VIEW scores",
    "COPY (SELECT * FROM scores) TO '{out}'",
    "ATTACH '{out}' AS other",
    "/* a comment */ delete from scores",
    "SET enable_external_access = true",
])
def test_statements_that_write_are_refused(lake, tmp_path, sql):
    out = tmp_path / "out.csv"
    before = files(lake)
    done = cli(lake, "query", sql.format(out=out))
    assert done.returncode == 1 and "read-only" in done.stderr and "Traceback" not in done.stderr
    assert not out.exists() and files(lake) == before


def test_a_query_may_read_the_warehouse_only(lake):
    with pytest.raises(WarehouseQueryError, match="query failed"):
        run_query(lake, "SELECT * FROM read_csv('/etc/passwd')")


def test_a_lake_without_a_warehouse_says_how_to_build_it(tmp_path):
    done = cli(Lake(tmp_path), "query", "SELECT 1")
    assert done.returncode == 1 and "warehouse build" in done.stderr


@pytest.mark.parametrize("dialect, types", [
    ("bigquery", {"STRING", "INT64", "FLOAT64", "BOOL", "DATE", "TIMESTAMP"}),
    ("snowflake", {"VARCHAR", "NUMBER(19,0)", "FLOAT", "BOOLEAN", "DATE", "TIMESTAMP_TZ"}),
])
def test_ddl_names_every_table_column_and_the_partition(dialect, types, tmp_path):
    done = cli(Lake(tmp_path), "ddl", "--dialect", dialect, "--location", "gs://b/w" if dialect == "bigquery"
               else "@stage/w")
    assert done.returncode == 0, done.stderr
    statements = done.stdout.split(";\n")
    assert sum("CREATE OR REPLACE EXTERNAL TABLE" in s for s in statements) == len(TABLES)
    for table, spec in TABLES.items():
        (statement,) = [s for s in statements if f"msme_warehouse.{table}" in s]
        for column in spec.columns:
            assert f"  {column.name} " in statement
        assert PARTITION_COLUMN in statement and f"/w/{table}" in statement
    used = {line.split()[1] for s in statements for line in s.splitlines()
            if line.startswith("  ") and len(line.split()) > 1 and line.split()[0] in
            {c.name for spec in TABLES.values() for c in spec.columns}}
    assert used == types
    assert warehouse_ddl(dialect) == cli(Lake(tmp_path), "ddl", "--dialect", dialect).stdout
    assert cli(Lake(tmp_path), "ddl", "--dialect", "oracle").returncode == 2


def test_erasure_removes_the_customers_rows_and_nothing_else(lake):
    from pipeline.consents import ConsentRegistry, erase_customer

    target = CUSTOMERS[0]
    before = {t: dict(run_query(lake, f"SELECT customer_id, count(*) FROM {t} GROUP BY 1").rows) for t in TABLES}
    assert "warehouse" in erase_customer(lake, ConsentRegistry(lake), target)
    after = {t: dict(run_query(lake, f"SELECT customer_id, count(*) FROM {t} GROUP BY 1").rows) for t in TABLES}
    assert after == {t: {c: n for c, n in rows.items() if c != target} for t, rows in before.items()}
    assert where(lake.warehouse_dir, {target}) == {target: set()}   # not in any file's bytes either
    build_warehouse(lake)   # a rebuild after erasure does not bring the customer back
    assert run_query(lake, f"SELECT count(*) FROM transactions WHERE customer_id = '{target}'").rows == [[0]]


def test_the_documented_schema_is_the_code(lake):
    doc = (PROJECT_ROOT / "docs" / "warehouse.md").read_text(encoding="utf-8")
    assert schema_markdown() in doc
