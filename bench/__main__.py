"""Run every benchmark and print its figures (``python -m bench [name ...]``)."""
import sys

from bench import (bench_analytics, bench_api, bench_forecast, bench_frontend, bench_lake, bench_models,
                   bench_models_quality, bench_risk)

BENCHMARKS = {"lake": bench_lake.main, "analytics": bench_analytics.main, "risk": bench_risk.main, "models": bench_models.main,
              "forecast": bench_forecast.main,
              "models_quality": bench_models_quality.main, "api": bench_api.main,
              "frontend": bench_frontend.main}
# ---- batch on Dask (bench/bench_batch.py): 1,000 customers on 1 then 2 workers, about 20 minutes ----
from bench import bench_batch  # noqa: E402
BENCHMARKS["batch"] = bench_batch.main
# ---- loan monitoring (bench/bench_events.py): repayment events through HTTP, risk_update latency, counts ----
from bench import bench_events  # noqa: E402
BENCHMARKS["events"] = bench_events.main

if __name__ == "__main__":
    chosen = sys.argv[1:] or list(BENCHMARKS)
    for name in chosen:
        if name not in BENCHMARKS:
            sys.exit(f"unknown benchmark {name!r}; known: {', '.join(BENCHMARKS)}")
        BENCHMARKS[name]()
