"""Warehouse at scale: build the Parquet warehouse for 10,000 customers and run every portfolio view.

    python -m bench warehouse [--customers 10000] [--templates LAKE] [--keep DIR]

How the 10,000-customer book is made (running the whole pipeline for 10,000 customers would take hours on
this machine): a few template customers are made by the real pipeline (three demo customers generated,
cleaned, analysed, scored with a small underwriting model and decided; their loans booked and a repayment
event a month ingested, one loan bouncing), or read from ``--templates`` (a lake whose customers have run every
step). Their warehouse rows are extracted once (the real extraction), then every synthetic customer
``CUST_SYN_NNNNN`` is a clone of one template at the row level, perturbed by a stable hash of its id: money
columns scaled by 0.5-1.5, every date and timestamp shifted back by 0-364 days (so the as-of months and the
vintage cohorts spread over a year), the PD scaled by 0.6-1.6 (capped at 0.99), the sector drawn from twelve,
loan and event ids made unique. The build then runs the real code path (:func:`build_warehouse`, bucket by
bucket, staging and swap) with the clones as its row source, so what is timed is writing and querying the
warehouse, not extracting 10,000 customers from their JSON files; the extraction time per template customer is
printed apart. Determinism: the same templates give the same rows.

Prints: rows per table, build time, each view's query time (and rows), peak memory (ru_maxrss of this
process: build and DuckDB included), and the warehouse's size on disk.
"""
from __future__ import annotations

import argparse
import copy
import resource
import shutil
import tempfile
import time
import zlib
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.config import load_config
from pipeline.lake import Lake
from pipeline.warehouse.build import build_warehouse, read_customer
from pipeline.warehouse.extract import customer_rows
from pipeline.warehouse.portfolio_views import portfolio_views, run_view
from pipeline.warehouse.schema import DATE, FLOAT, PARTITION_COLUMN, TABLES, TIMESTAMP

TEMPLATES = {"CUST_MSM_00002": "high_seasonality", "CUST_MSM_00003": "high_debt", "CUST_MSM_00006": "fraud"}
SECTORS = ("Food Processing", "Textiles", "Auto Components", "Pharmaceuticals", "Electricals & Hardware",
           "Furniture", "Plastics", "Printing & Packaging", "Chemicals", "Logistics", "Retail Trade", "IT Services")
MONEY_WORDS = ("amount", "balance", "value", "principal", "emi", "turnover", "paid", "due", "overdue")
IDS = {"loans": ("loan_id",), "repayment_events": ("loan_id", "event_id"), "risk_history": ("loan_id",)}


def _hash(customer_id: str, salt: str) -> float:
    """A number in [0, 1) fixed by the customer id (the same on every run and machine)."""
    return zlib.crc32(f"{salt}:{customer_id}".encode()) / 2 ** 32


def prepare_templates(root: Path) -> Lake:
    """Three demo customers through every step of the real pipeline, loans booked, monthly events ingested."""
    from analytics.risk.model import save_risk_model, train_portfolio_model
    from monitoring.booking import accept_demo_recommendations
    from monitoring.ingest import monitor_for
    from monitoring.loans import load_loans
    from monitoring.model import ensure_behaviour_model
    from pipeline.runner import run_steps

    config = copy.deepcopy(load_config())
    model = config["monitoring"]["model"]
    config["monitoring"]["model"] = {**model, "training_rows": 1500, "trainer": {**model.get("trainer", {}),
                                                                               "cv_folds": 3}}
    lake = Lake(root)
    bundle, _ = train_portfolio_model(80, config)
    save_risk_model(lake, bundle, config)
    for customer_id, profile in TEMPLATES.items():
        outcome = run_steps(lake, customer_id, ["generate", "clean", "analyze", "score", "models"], config,
                            lambda *_: None, {"generate": {"profile": profile, "as_of": date(2026, 11, 1)}})
        assert outcome["status"] == "done", outcome
    accept_demo_recommendations(lake, config)
    loans = load_loans(lake, config=config)
    ensure_behaviour_model(lake, config)
    monitor = monitor_for(lake, config)
    for k in range(12):
        events = []
        for n, loan in enumerate(loans):
            if k < len(loan["schedule"]):
                row = loan["schedule"][k]
                late = n == 1 and k >= 3
                events.append({"event_id": f"B-{loan['loan_id']}-{k}", "loan_id": loan["loan_id"],
                               "customer_id": loan["customer_id"], "due_date": row["due_date"],
                               "amount_due": row["amount"], "channel": "ENACH",
                               "status": "BOUNCED" if late else "PAID", "ts": f"{row['due_date']}T11:00:00+05:30",
                               "paid_at": None if late else f"{row['due_date']}T11:00:00+05:30",
                               "amount_paid": 0.0 if late else row["amount"]})
        monitor.ingest(events)
    return lake


def _shift(column: pa.ChunkedArray, days: int) -> pa.ChunkedArray:
    if column.type == DATE:
        return pc.cast(pc.subtract(pc.cast(column, pa.int32()), pa.scalar(days, pa.int32())), DATE)
    return pc.cast(pc.subtract(pc.cast(column, pa.int64()), pa.scalar(days * 86_400_000_000, pa.int64())), TIMESTAMP)


def clone(template: dict[str, pa.Table], customer_id: str) -> dict[str, pa.Table]:
    """A template customer's rows under a new id, perturbed by the id's hash (see the module docstring)."""
    scale, days = 0.5 + _hash(customer_id, "amount"), int(_hash(customer_id, "days") * 365)
    pd_scale, sector = 0.6 + _hash(customer_id, "pd"), SECTORS[int(_hash(customer_id, "sector") * len(SECTORS))]
    out = {}
    for table, rows in template.items():
        spec = TABLES[table]
        columns = {}
        for column in spec.columns:
            data = rows.column(column.name)
            if column.name == "customer_id":
                data = pa.chunked_array([pa.array([customer_id] * rows.num_rows, pa.string())])
            elif column.name in IDS.get(table, ()):
                data = pc.binary_join_element_wise(pa.scalar(customer_id[-5:]), data, "-")
            elif column.name == "pd":
                data = pc.min_element_wise(pc.multiply(data, pd_scale), 0.99)
            elif column.name == "sector":
                data = pa.chunked_array([pa.array([sector] * rows.num_rows, pa.string())])
            elif column.type == FLOAT and any(word in column.name for word in MONEY_WORDS):
                data = pc.round(pc.multiply(data, scale), 2)
            elif column.type in (DATE, TIMESTAMP) and days:
                data = _shift(data, days)
            columns[column.name] = data
        shifted = pa.table(columns, schema=spec.schema)
        month_of = shifted.column(spec.month_of)
        months = pc.strftime(month_of, "%Y-%m") if month_of.type == DATE else rows.column(PARTITION_COLUMN)
        out[table] = shifted.append_column(PARTITION_COLUMN, months)
    return out


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    """Build the warehouse of ``--customers`` cloned customers, run every portfolio view, print the figures."""
    parser = argparse.ArgumentParser(prog="python -m bench warehouse", description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--templates", type=Path, help="a lake whose customers ran every step (default: made now)")
    parser.add_argument("--keep", type=Path, help="build the warehouse in this lake directory and keep it")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-warehouse-"))
    try:
        started = time.perf_counter()
        templates_lake = Lake(args.templates) if args.templates else prepare_templates(work / "templates")
        if not args.templates:
            print(f"templates made by the pipeline in {time.perf_counter() - started:.1f}s")
        names = [c for c in templates_lake.customers()
                 if templates_lake.analytics_path(c, "risk_model").exists()]
        started = time.perf_counter()
        templates = [customer_rows(read_customer(templates_lake, c)) for c in names]
        extract_s = (time.perf_counter() - started) / max(1, len(names))
        print(f"{len(names)} template customers; extraction from the lake {extract_s * 1000:.0f} ms a customer "
              f"({', '.join(f'{t} {sum(r[t].num_rows for r in templates) // len(names)}' for t in TABLES)} "
              "rows a customer on average)")
        ids = [f"CUST_SYN_{i:05d}" for i in range(1, args.customers + 1)]
        lake = Lake(args.keep or work / "lake")
        started = time.perf_counter()
        manifest = build_warehouse(lake, ids, lambda cid: clone(templates[int(cid[-5:]) % len(templates)], cid))
        build_s = time.perf_counter() - started
        peak_build = _peak_mb()
        rows = manifest["rows"]
        print(f"build: {args.customers:,} customers, {sum(rows.values()):,} rows in {build_s:.1f}s "
              f"({sum(rows.values()) / build_s:,.0f} rows/s); peak RSS {peak_build:,.0f} MB")
        print("  " + ", ".join(f"{t} {n:,}" for t, n in rows.items()))
        print(f"on disk: {_size(lake.warehouse_dir) / 2 ** 20:,.1f} MiB in "
              f"{sum(1 for _ in lake.warehouse_dir.rglob('*.parquet')):,} Parquet files")
        for name in portfolio_views():
            started = time.perf_counter()
            result = run_view(lake, name)
            print(f"view {name}: {(time.perf_counter() - started) * 1000:,.0f} ms, {len(result['rows'])} rows")
        print(f"peak RSS after the views: {_peak_mb():,.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0
