"""Analytics benchmark (issue 3 target): ``analyze`` for the baseline customer in under 1 s wall time.

Measured two ways: the analyze stage in-process (load clean layer, compute, write twelve documents) and the
whole ``python -m pipeline analyze`` command, which adds interpreter start-up and importing pandas.
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date

from pipeline.config import PROJECT_ROOT, load_config
from pipeline.lake import Lake
from pipeline.stages import analyze_stage, clean_stage, generate_stage

CUSTOMER = "CUST_MSM_00001"


def main() -> None:
    """Print the analytics benchmark figures."""
    config = load_config()
    with tempfile.TemporaryDirectory() as tmp:
        lake = Lake(tmp)
        generate_stage(lake, CUSTOMER, config, profile="baseline", as_of=date(2026, 11, 1))
        clean_stage(lake, CUSTOMER, config)
        transactions = len(lake.read_clean(CUSTOMER, "transactions"))
        analyze_stage(lake, CUSTOMER, config)  # warm imports
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            analyze_stage(lake, CUSTOMER, config)
            times.append(time.perf_counter() - t0)
        walls = []
        for _ in range(3):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "pipeline", "analyze", "--customer-id", CUSTOMER, "--lake", tmp],
                           check=True, cwd=PROJECT_ROOT, capture_output=True)
            walls.append(time.perf_counter() - t0)
    print("== analytics (issue 3)")
    print(f"clean transactions analysed            : {transactions:,}")
    print(f"analyze baseline in-process (median)   : {statistics.median(times):.3f} s")
    print(f"`python -m pipeline analyze` wall      : {statistics.median(walls):.3f} s incl. start-up and imports "
          "(target < 1 s)")
