"""Run benchmarks and print their figures.

    python -m bench                      # every benchmark of the default set, in table order
    python -m bench lake risk            # these
    python -m bench outputs --against X  # one benchmark with its own options (its --help lists them)

Each benchmark is a module of this package with a ``main`` function; it is imported only when it runs, so one
benchmark's heavy dependencies never slow another's start.
"""
from __future__ import annotations

import importlib
import inspect
import sys
from typing import NamedTuple


class Benchmark(NamedTuple):
    module: str
    measures: str
    default: bool = True  # part of a bare ``python -m bench``


BENCHMARKS: dict[str, Benchmark] = {
    "lake": Benchmark("bench.bench_lake", "clean throughput (records/s) and generate + clean wall time"),
    "speed": Benchmark("bench.bench_speed", "clean records/s in one process (large customer, transactions), "
                                          "whole `run` wall incl. start-up, import-time offenders"),
    "analytics": Benchmark("bench.bench_analytics", "analyze for the baseline customer, in-process and CLI"),
    "risk": Benchmark("bench.bench_risk", "risk model vs logistic regression and optbinning on public credit data"),
    "models": Benchmark("bench.bench_models", "score + models steps for the baseline customer"),
    "forecast": Benchmark("bench.bench_forecast", "forecaster vs seasonal naive, Holt-Winters and AutoETS on 18 real "
                                                "monthly series"),
    "models_quality": Benchmark("bench.bench_models_quality",
                                "reconciliation and ML anomalies against the generator's truth"),
    "api": Benchmark("bench.bench_api", "REST throughput and p99 under wrk, Socket.IO log latency"),
    "frontend": Benchmark("bench.bench_frontend", "dashboard bundle sizes and time to interactive"),
    "batch": Benchmark("bench.bench_batch", "1,000 customers on Dask, 1 and 2 workers (about 20 minutes)"),
    "events": Benchmark("bench.bench_events", "repayment events/s and event -> risk_update latency"),
    "categorise": Benchmark("bench.bench_categorise", "narration categoriser: leaf accuracy per bank on 482 hand-labelled "
                                                    "lines (held-out 30% apart), OTHER debit share per lake customer"),
    "quality": Benchmark("bench.bench_quality", "precision and recall of every planted pattern per demo customer "
                                              "(--stress: noisier data)"),
    "decisions": Benchmark("bench.bench_decisions", "the ten demo customers' decisions, with their checks"),
    "warehouse": Benchmark("bench.bench_warehouse", "Parquet warehouse of 10,000 cloned customers: build time, each "
                                                  "portfolio view's query time, peak memory, size on disk"),
    "outputs": Benchmark("bench.bench_outputs", "the demo lake built by this checkout vs a git revision", False),
}


def run(name: str, options: list[str]) -> int:
    """Import and run one benchmark; options go to benchmarks whose ``main`` takes ``argv``."""
    main = importlib.import_module(BENCHMARKS[name].module).main
    takes_argv = bool(inspect.signature(main).parameters)
    if options and not takes_argv:
        print(f"benchmark {name!r} takes no options", file=sys.stderr)
        return 2
    status = main(options) if takes_argv else main()
    return status if isinstance(status, int) else 0


def cli(argv: list[str]) -> int:
    """Leading names choose benchmarks; options after a single name are that benchmark's own."""
    names = [a for a in argv if not a.startswith("-")] if not any(a.startswith("-") for a in argv) \
        else argv[:1]
    options = argv[len(names):]
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown or (options and len(names) != 1):
        known = ", ".join(f"{n} ({b.measures})" for n, b in BENCHMARKS.items())
        print(f"usage: python -m bench [name ...] | python -m bench NAME [options]\n"
              f"unknown benchmark {unknown[0]!r}; known: {known}" if unknown else
              "options go after exactly one benchmark name", file=sys.stderr)
        return 2
    worst = 0
    for name in names or [n for n, b in BENCHMARKS.items() if b.default]:
        worst = max(worst, run(name, options))
    return worst


if __name__ == "__main__":
    sys.exit(cli(sys.argv[1:]))
