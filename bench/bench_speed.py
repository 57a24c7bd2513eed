"""Speed benchmark (issue 15, point 8): cleaning throughput in one process, and a whole ``run`` with start-up.

* cleaning throughput, one process, of a large generated customer (the baseline profile at six times its
  transaction volume, every source) and of its transactions alone (target: >= 100,000 records/s);
* the wall time of ``python -m pipeline run`` (all five steps) for the baseline customer, interpreter start-up
  included (target: < 3 s); the demo risk model is trained by one untimed run first, as ``make run`` does;
* the top import-time offenders of that command (``python -X importtime``), cumulative, top-level only.

The machine is shared, so every figure is measured several times; the best and the median are printed, in wall
time and in CPU time (which other processes on the machine disturb far less).

    python -m bench speed [--repeat N] [--lake DIR] [--skip-run]

``--lake DIR`` keeps the run's lake (and its trained model) between invocations, so only the first pays
for training. bench/SPEED.md has the before/after figures, where the time goes and what is left.
"""
from __future__ import annotations

import argparse
import copy
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from pipeline.cleaning import clean_source
from pipeline.config import PROJECT_ROOT, load_config
from pipeline.lake import SOURCES, Lake
from pipeline.stages import generate_stage

CUSTOMER = "CUST_MSM_00001"
LARGE = "CUST_BEN_00001"
AS_OF = "2026-11"
PACKAGES = ("pipeline", "analytics", "generators", "monitoring", "api_panel", "bench")
SCALE = 6  # the large customer: the baseline profile with six times its transactions a month


def _best_median(times: list[float]) -> tuple[float, float]:
    return min(times), statistics.median(times)


def _timed(func, repeat: int, clock=time.perf_counter) -> list[float]:
    times = []
    for _ in range(repeat):
        t0 = clock()
        func()
        times.append(clock() - t0)
    return times


def _children_cpu() -> float:
    """User + system CPU seconds of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def large_customer(lake: Lake, config: dict) -> dict[str, list[bytes]]:
    """Generate the large customer and return its raw lines by source."""
    config = copy.deepcopy(config)
    per_month = config["generator"]["transactions_per_month"]
    per_month["baseline"] = per_month["baseline"] * SCALE
    generate_stage(lake, LARGE, config, profile="baseline", as_of=date(2026, 11, 1))
    return {s: lake.read_lines(lake.raw_path(LARGE, s)) for s in SOURCES if lake.raw_path(LARGE, s).exists()}


def clean_throughput(raw: dict[str, list[bytes]], repeat: int) -> None:
    """Print records/s of cleaning every source, and transactions alone, in this one process."""
    for source, lines in raw.items():
        clean_source(source, lines[:20])  # compile the validators outside the timing
    total = sum(map(len, raw.values()))
    n = len(raw["transactions"])
    print(f"large customer: {total:,} raw lines ({n:,} transactions), {len(raw)} sources")
    for clock, label in ((time.perf_counter, "wall"), (time.process_time, "CPU ")):
        every = _timed(lambda: [clean_source(s, lines) for s, lines in raw.items()], repeat, clock)
        txns = _timed(lambda: clean_source("transactions", raw["transactions"]), repeat, clock)
        (best, median), (t_best, t_median) = _best_median(every), _best_median(txns)
        print(f"clean, every source, 1 process, {label}: best {total / best:>9,.0f} records/s, median "
              f"{total / median:>9,.0f} records/s ({repeat} runs; target >= 100,000)")
        print(f"clean, transactions, 1 process, {label}: best {n / t_best:>9,.0f} records/s, median "
              f"{n / t_median:>9,.0f} records/s ({repeat} runs)")


def _run_command(lake_dir: str, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", "run", "--customer-id", CUSTOMER, "--profile", "baseline",
            "--as-of", AS_OF, "--lake", lake_dir, *extra]


_STEP_DONE = re.compile(r"\[\d+/\d+\] (\w+): done in ([\d.]+)s")


def run_wall(lake_dir: str, repeat: int, extra: tuple[str, ...] = ()) -> None:
    """Print the wall time of the whole five-step ``run`` command, including interpreter start-up, and each step's.

    The steps' times are the runner's own (``[i/5] step: done in X s``, lazy imports of the step included);
    what is left of the wall is interpreter start-up, the CLI's imports, writing the run log and, in a run
    split over two processes (the default, :mod:`pipeline.overlap`), waiting for the second process to
    finish importing the model steps' libraries. ``--processes 1`` is measured too, for comparison.
    """
    # our modules' bytecode, as `make install` leaves it (else each command compiles ~160 modules first)
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", *PACKAGES], check=True, cwd=PROJECT_ROOT,
                   capture_output=True)
    if not (Path(lake_dir) / "models").is_dir():
        t0 = time.perf_counter()
        subprocess.run(_run_command(lake_dir), check=True, cwd=PROJECT_ROOT, capture_output=True)
        print(f"first run (trains the demo risk model, not counted): {time.perf_counter() - t0:.1f} s")
    walls, cpus, steps = [], [], {}
    for _ in range(repeat):
        t0, cpu0 = time.perf_counter(), _children_cpu()
        done = subprocess.run(_run_command(lake_dir, *extra), check=True, cwd=PROJECT_ROOT, capture_output=True,
                              text=True)
        walls.append(time.perf_counter() - t0)
        cpus.append(_children_cpu() - cpu0)
        for name, seconds in _STEP_DONE.findall(done.stdout + done.stderr):
            steps.setdefault(name, []).append(float(seconds))
    best, median = _best_median(walls)
    print(f"`{' '.join(['python', *_run_command('LAKE', *extra)[1:]])}`")
    print(f"  wall incl. start-up: best {best:.2f} s, median {median:.2f} s ({repeat} runs; target < 3 s)")
    print(f"  CPU (user + sys) of the command: best {min(cpus):.2f} s, median {statistics.median(cpus):.2f} s"
          " (both processes; steadier than wall on a shared machine)")
    in_steps = [sum(times[i] for times in steps.values()) for i in range(repeat)] if steps else [0.0] * repeat
    outside = [w - s for w, s in zip(walls, in_steps)]
    print(f"  outside the steps (start-up, CLI imports, run log, waiting for the second process's imports): "
          f"best {min(outside):.2f} s, median {statistics.median(outside):.2f} s")
    for name, times in steps.items():
        print(f"  step {name:<9}: best {min(times):.2f} s, median {statistics.median(times):.2f} s")


def import_offenders(lake_dir: str, top: int = 12) -> None:
    """Print the slowest top-level imports of one ``run`` (cumulative microseconds from -X importtime)."""
    command = [sys.executable, "-X", "importtime", *_run_command(lake_dir, "--processes", "1")[1:]]
    done = subprocess.run(command, check=True, cwd=PROJECT_ROOT, capture_output=True, text=True)
    rows = []
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit() and not parts[2].startswith("  "):
            rows.append((int(parts[1]), parts[2].strip()))
    print(f"-X importtime: {sum(us for us, _ in rows) / 1e6:.2f} s importing; top-level offenders (cumulative):")
    for us, name in sorted(rows, reverse=True)[:top]:
        print(f"  {us / 1e3:8.0f} ms  {name}")


def main(argv: list[str] | None = None) -> int:
    """Print the speed figures."""
    parser = argparse.ArgumentParser(prog="python -m bench speed", description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="measurements per figure (default 5)")
    parser.add_argument("--lake", help="lake directory for the run figures, kept between invocations")
    parser.add_argument("--skip-run", action="store_true", help="cleaning throughput only")
    args = parser.parse_args(argv or [])
    config = load_config()
    print("== speed (issue 15, point 8)")
    with tempfile.TemporaryDirectory() as tmp:
        clean_throughput(large_customer(Lake(tmp), config), args.repeat)
        if not args.skip_run:
            lake_dir = args.lake or str(Path(tmp) / "run")
            run_wall(lake_dir, args.repeat, ("--processes", "2"))
            run_wall(lake_dir, args.repeat, ("--processes", "1"))
            import_offenders(lake_dir)
    return 0
