"""Run every benchmark and print its figures (``python -m bench [name ...]``)."""
import sys

from bench import bench_analytics, bench_lake

BENCHMARKS = {"lake": bench_lake.main, "analytics": bench_analytics.main}

if __name__ == "__main__":
    chosen = sys.argv[1:] or list(BENCHMARKS)
    for name in chosen:
        if name not in BENCHMARKS:
            sys.exit(f"unknown benchmark {name!r}; known: {', '.join(BENCHMARKS)}")
        BENCHMARKS[name]()
