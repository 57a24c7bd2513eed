"""Precision and recall of every planted pattern against the generator's truth, per demo customer.

    python -m bench quality            # the ten demo customers, as generated for the demo (target >= 0.9)
    python -m bench quality --stress   # the same with noisier narrations and amounts (target >= 0.8)
    python -m bench quality --lake P   # an existing lake (its injected.json truth), no generation

A pattern is a kind of case the generators plant and write to ``truth`` in ``logs/<id>/injected.json``
(categories, bounce attribution, related-party and multi-hop round trips, self credits, loan stacking,
window dressing, reconciliation as it really is, ITC excess, and whatever else an evaluator is registered
for). Each area's evaluator (``bench.quality_<area>``) returns true positives, false positives and false
negatives per pattern; here they are summed per customer and over all customers and held to the issue's
targets. The stress variant (``generators/stress.py``) mangles narrations as PDF extraction and core banking
do and lets each hop of a round trip keep a larger cut. Truth is read by the bench only; analytics never
sees it.
"""
from __future__ import annotations

import argparse
import tempfile
from collections import defaultdict
from pathlib import Path

from bench import (quality_bank, quality_categories, quality_dressing, quality_gst, quality_reconciliation,
                   quality_signals)
from bench.bench_models_quality import build_demo_lake
from pipeline.config import load_config
from pipeline.lake import Lake

EVALUATORS = (quality_categories.evaluate, quality_bank.evaluate, quality_signals.evaluate,
              quality_dressing.evaluate, quality_reconciliation.evaluate, quality_gst.evaluate)
TARGET = 0.9
STRESS_TARGET = 0.8


def ratio(num: int, den: int) -> float | None:
    """``num / den``, or None when nothing was there to measure."""
    return num / den if den else None


def customer_quality(lake: Lake, customer_id: str) -> dict[str, dict[str, int]]:
    """``{pattern: {tp, fp, fn}}`` of one customer over every evaluator."""
    out: dict[str, dict[str, int]] = {}
    for evaluate in EVALUATORS:
        out.update(evaluate(lake, customer_id))
    return out


def _fmt(value: float | None) -> str:
    return "   -  " if value is None else f"{value:6.3f}"


def report(lake: Lake, customers: list[str], target: float = TARGET) -> int:
    """Print the per-customer and overall table; 1 when a pattern misses ``target``, else 0."""
    totals: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    print(f"{'customer':<15} {'pattern':<22} {'tp':>5} {'fp':>4} {'fn':>4} {'prec':>6} {'recall':>6}")
    for customer_id in customers:
        for pattern, c in sorted(customer_quality(lake, customer_id).items()):
            for k in ("tp", "fp", "fn"):
                totals[pattern][k] += c[k]
            if c["tp"] + c["fp"] + c["fn"]:
                print(f"{customer_id:<15} {pattern:<22} {c['tp']:>5} {c['fp']:>4} {c['fn']:>4} "
                      f"{_fmt(ratio(c['tp'], c['tp'] + c['fp']))} {_fmt(ratio(c['tp'], c['tp'] + c['fn']))}")
    print(f"== all customers: target precision and recall >= {target}")
    failed = 0
    for pattern, c in sorted(totals.items()):
        p, r = ratio(c["tp"], c["tp"] + c["fp"]), ratio(c["tp"], c["tp"] + c["fn"])
        ok = all(v is None or v >= target for v in (p, r))
        failed += not ok
        print(f"{'ALL':<15} {pattern:<22} {c['tp']:>5} {c['fp']:>4} {c['fn']:>4} {_fmt(p)} {_fmt(r)}  "
              f"{'ok' if ok else 'BELOW TARGET'}")
    return 1 if failed else 0


def main(argv: list[str]) -> int:
    """Build (or read) the demo lake, then print precision and recall per pattern."""
    parser = argparse.ArgumentParser(prog="python -m bench quality", description=__doc__.splitlines()[0])
    parser.add_argument("--lake", type=Path, help="measure an existing lake instead of generating one")
    parser.add_argument("--stress", action="store_true",
                        help=f"generate with noisier narrations and amounts (generators/stress.py), target {STRESS_TARGET}")
    args = parser.parse_args(argv)
    config = load_config()
    if args.stress:
        config = {**config, "generator": {**config.get("generator", {}), "stress": True}}
    customers = list(config["demo_customers"])
    if args.lake:
        lake = Lake(args.lake)
        return report(lake, [c for c in customers if lake.log_path(c, "injected").exists()])
    with tempfile.TemporaryDirectory() as tmp:
        lake = Lake(tmp)
        build_demo_lake(lake, config)
        return report(lake, customers, STRESS_TARGET if args.stress else TARGET)
