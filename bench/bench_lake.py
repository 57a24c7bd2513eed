"""Data-lake benchmarks (issue 2 targets).

* cleaning throughput of transaction records (target: >= 100,000 records/s);
* generate + clean of the baseline customer, ~17,000 transactions (target: < 1.5 s wall time),
  measured in-process and as a whole ``python -m pipeline run`` command including interpreter start-up.
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date

from pipeline.cleaning import clean_source
from pipeline.config import PROJECT_ROOT, load_config
from pipeline.lake import Lake
from pipeline.stages import clean_stage, generate_stage

CUSTOMER = "CUST_MSM_00001"
AS_OF = date(2026, 11, 1)


def _median_time(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    """Print the lake benchmark figures."""
    config = load_config()
    with tempfile.TemporaryDirectory() as tmp:
        lake = Lake(tmp)
        gen_s = _median_time(lambda: generate_stage(lake, CUSTOMER, config, profile="baseline", as_of=AS_OF), 5)
        clean_s = _median_time(lambda: clean_stage(lake, CUSTOMER, config), 5)
        lines = lake.read_lines(lake.raw_path(CUSTOMER, "transactions"))
        batch = list(lines)
        for i in range(2, 7):  # six distinct baseline-profile customers: ~100k unique records
            other = f"CUST_BEN_{i:05d}"
            generate_stage(lake, other, config, profile="baseline", as_of=AS_OF)
            batch += lake.read_lines(lake.raw_path(other, "transactions"))
        clean_source("transactions", lines[:10])  # compile validators outside the timing
        rate_1 = len(batch) / _median_time(lambda: clean_source("transactions", batch), 5)
        rate_2 = len(batch) / _median_time(lambda: clean_source("transactions", batch, workers=2), 5)
        cmd = [sys.executable, "-m", "pipeline", "run", "--customer-id", CUSTOMER, "--steps", "generate,clean",
               "--profile", "baseline",
               "--as-of", AS_OF.strftime("%Y-%m"), "--lake", tmp]
        walls = []
        for _ in range(3):
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, cwd=PROJECT_ROOT, capture_output=True)
            walls.append(time.perf_counter() - t0)
    print("== lake (issue 2)")
    print(f"transactions in baseline raw file      : {len(lines):,} lines")
    print(f"clean throughput, 1 process            : {rate_1:,.0f} records/s over {len(batch):,} unique lines")
    print(f"clean throughput, 2 processes          : {rate_2:,.0f} records/s (target >= 100,000 on 2 cores; "
          f"the clean step uses 2 processes for deliveries of >= 50,000 lines)")
    print(f"generate baseline (in-process, median) : {gen_s:.3f} s")
    print(f"clean baseline, all sources (median)   : {clean_s:.3f} s")
    print(f"generate + clean in-process            : {gen_s + clean_s:.3f} s (target < 1.5 s)")
    print(f"`python -m pipeline run --steps generate,clean` wall (median): {statistics.median(walls):.3f} s "
          "incl. interpreter start-up (target < 1.5 s)")
