"""A small runner: walks named steps in order for one customer and records each run.

Later issues register their steps (analyze, score, models) in :data:`STEPS`;
the CLI's ``run`` command and the API's pipeline jobs both go through
:func:`run_steps`, so a run looks the same wherever it was started.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from pipeline.lake import Lake, utc_now_iso, validate_customer_id
from pipeline.model_stages import models_stage, score_stage
from pipeline.reuse import forget_all
from pipeline.stages import Progress, StageError, analyze_stage, clean_stage, generate_stage

StageFn = Callable[..., dict[str, Any]]
STEPS: dict[str, StageFn] = {
    "generate": generate_stage,
    "clean": clean_stage,
    "analyze": analyze_stage,
    "score": score_stage,
    "models": models_stage,
}
DEFAULT_STEPS = ("generate", "clean", "analyze", "score", "models")


class UnknownStepError(ValueError):
    """A step name that the runner does not know."""


def parse_steps(text: str | None) -> list[str]:
    """Turn ``"generate,clean"`` into a validated list of step names."""
    names = [s.strip() for s in (text or ",".join(DEFAULT_STEPS)).split(",") if s.strip()]
    unknown = [n for n in names if n not in STEPS]
    if unknown or not names:
        raise UnknownStepError(f"unknown step(s) {', '.join(unknown) or '(none given)'}; known: {', '.join(STEPS)}")
    return names


def run_steps(lake: Lake, customer_id: str, steps: list[str], config: dict,
              progress: Progress, options: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Run ``steps`` in order; stop at the first failure and record the run in the customer's log.

    ``options`` passes extra keyword arguments to a step (e.g. the profile and
    as-of month for ``generate``).
    """
    validate_customer_id(customer_id)
    started = time.perf_counter()
    try:
        outcome = walk_steps(lake, customer_id, steps, config, progress, options)
    finally:
        forget_all()   # what the steps kept in memory for one another (pipeline.reuse) does not outlive the run
    record_run(lake, customer_id, steps, outcome, time.perf_counter() - started)
    return outcome


def walk_steps(lake: Lake, customer_id: str, steps: list[str], config: dict, progress: Progress,
               options: dict[str, dict[str, Any]] | None = None, first: int = 1,
               total: int | None = None) -> dict[str, Any]:
    """Run ``steps`` in order without recording the run; numbered ``first``.. of ``total`` in the progress lines
    (a run split between two processes, :mod:`pipeline.overlap`, numbers its halves as one run)."""
    options = options or {}
    total = total or len(steps)
    results: dict[str, Any] = {}
    status, error = "done", None
    for index, name in enumerate(steps, start=first):
        progress("info", f"[{index}/{total}] {name}: started")
        t0 = time.perf_counter()
        try:
            results[name] = STEPS[name](lake, customer_id, config, progress, **options.get(name, {}))
        except StageError as exc:
            status, error = "error", f"{name}: {exc}"
            progress("error", f"[{index}/{total}] {name}: failed: {exc}")
            break
        progress("success", f"[{index}/{total}] {name}: done in {time.perf_counter() - t0:.2f}s")
    return {"status": status, "error": error, "results": results}


def record_run(lake: Lake, customer_id: str, steps: list[str], outcome: dict[str, Any], seconds: float) -> None:
    """Append the run to the customer's run log (once per run, however many processes it took)."""
    entry = {"ts": utc_now_iso(), "steps": steps, "status": outcome["status"], "error": outcome["error"],
             "duration_s": round(seconds, 3)}
    if lake.has_customer(customer_id):
        lake.append_line(lake.run_log_path(customer_id), entry)
