"""Batch benchmark (issue 7 target: 1,000 generated customers through generate, clean, analyze, score and models
in < 10 minutes, with the speed-up from 1 to 2 Dask workers reported).

``python -m bench.bench_batch [--n 1000] [--workers 1,2]``: N customers ``CUST_BEN_00001``… (profiles by the
id's stable hash, as ``generate`` picks them: a mix of all eight), as of a fixed month, on a LocalCluster of
each worker count, each in a fresh lake. The risk model is trained once before any timing and copied into
every lake, so the figures are the batch alone; cluster start-up is timed separately.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from pipeline.batch import BatchItem, dask_client, run_batch
from pipeline.config import load_config
from pipeline.lake import Lake
from pipeline.runner import DEFAULT_STEPS

TARGET_N, TARGET_S = 1000, 600.0


def _train_once(config: dict, root: Path) -> Lake:
    from analytics.risk.model import ensure_risk_model

    lake = Lake(root / "model_source")
    t0 = time.perf_counter()
    ensure_risk_model(lake, config)
    print(f"risk model trained once (demo portfolio of {config['risk_model']['demo_portfolio']}) in "
          f"{time.perf_counter() - t0:.1f}s: not part of the figures below", flush=True)
    return lake


def _one_run(config: dict, root: Path, model_source: Lake, n: int, workers: int, as_of: date) -> dict:
    lake = Lake(root / f"lake_{workers}w")
    shutil.copytree(model_source.models_dir, lake.models_dir)
    items = [BatchItem(f"CUST_BEN_{i:05d}") for i in range(1, n + 1)]
    step = max(1, n // 10)

    def report(level: str, message: str) -> None:
        counted = message.startswith("[") and message.split("/", 1)[0][1:].isdigit()
        if level == "error" or not counted or int(message.split("/", 1)[0][1:]) % step == 0:
            print(f"  {message}", flush=True)

    t0 = time.perf_counter()
    with dask_client(workers=workers) as client:
        startup = time.perf_counter() - t0
        summary = run_batch(client, lake, config, items, list(DEFAULT_STEPS), report, as_of)
    shutil.rmtree(lake.root, ignore_errors=True)
    cpu = sum(r.get("cpu_s", 0.0) for r in summary["results"])
    return {"workers": workers, "startup_s": startup, "cpu_s": cpu, "load": os.getloadavg(), **summary}


def main(argv: list[str] | None = None) -> None:
    """Print wall time, customers/s and speed-up of the batch on 1 and 2 workers."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_batch", description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=TARGET_N, help=f"customers (default {TARGET_N})")
    parser.add_argument("--workers", default="1,2", help="worker counts to compare (default 1,2)")
    parser.add_argument("--as-of", default="2026-11", help="as-of month of the generated data, YYYY-MM")
    args = parser.parse_args([] if argv is None else argv)
    counts = [int(w) for w in args.workers.split(",")]
    year, month = (int(x) for x in args.as_of.split("-"))
    config = load_config()
    print(f"== batch benchmark: {args.n} customers, steps {','.join(DEFAULT_STEPS)}, LocalCluster of "
          f"{' and '.join(map(str, counts))} single-threaded worker process(es)", flush=True)
    runs = []
    with tempfile.TemporaryDirectory(prefix="bench_batch_") as tmp:
        source = _train_once(config, Path(tmp))
        for workers in counts:
            print(f"-- {workers} worker(s)", flush=True)
            runs.append(_one_run(config, Path(tmp), source, args.n, workers, date(year, month, 1)))
    base = runs[0]["elapsed_s"]
    print(f"\n{'workers':>7} {'wall s':>9} {'cust/s':>8} {'speed-up':>8} {'failed':>6} {'start-up s':>10} "
          f"{'task CPU s':>10} {'CPU s/cust':>10} {'load 1m':>7}")
    for run in runs:
        print(f"{run['workers']:>7} {run['elapsed_s']:>9.1f} {run['customers_per_s']:>8.2f} "
              f"{base / run['elapsed_s']:>7.2f}x {run['failed']:>6} {run['startup_s']:>10.1f} "
              f"{run['cpu_s']:>10.1f} {run['cpu_s'] / args.n:>10.3f} {run['load'][0]:>7.2f}")
    print(f"(task CPU s: CPU time of the worker processes inside the tasks; wall time well above task CPU / workers, "
          f"or a 1-minute load average above {os.cpu_count()}, means other processes shared the machine's "
          f"{os.cpu_count()} cores)")
    best = min(runs, key=lambda run: run["elapsed_s"])
    if args.n == TARGET_N:
        verdict = "PASS" if best["elapsed_s"] < TARGET_S else "FAIL"
        print(f"target: {TARGET_N} customers in < {TARGET_S / 60:.0f} min -> {best['elapsed_s'] / 60:.1f} min on "
              f"{best['workers']} worker(s): {verdict}")
    else:
        projected = best["elapsed_s"] * TARGET_N / args.n
        print(f"target: {TARGET_N} customers in < {TARGET_S / 60:.0f} min -> EXTRAPOLATED (linear from n={args.n}, "
              f"not measured): {projected / 60:.1f} min on {best['workers']} worker(s)")
    if any(run["failed"] for run in runs):
        sys.exit("some customers failed: see the errors above")


if __name__ == "__main__":
    main(sys.argv[1:])
