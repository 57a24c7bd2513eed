"""Models benchmark (issue 4 target): scoring plus all models for the baseline customer in under 2 s.

The risk model is trained once beforehand (as ``make run`` does); the figure is the ``score`` step (risk model
with SHAP drivers + credit score) plus the ``models`` step (forecast, reconciliation, ML anomalies,
recommendations), in-process and as one ``python -m pipeline run --steps score,models`` command.
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
from pipeline.model_stages import models_stage, score_stage
from pipeline.runner import run_steps

CUSTOMER = "CUST_MSM_00001"


def main() -> None:
    """Print the models benchmark figures."""
    config = load_config()
    with tempfile.TemporaryDirectory() as tmp:
        lake = Lake(tmp)
        run_steps(lake, CUSTOMER, ["generate", "clean", "analyze"], config, lambda *_: None,
                  {"generate": {"profile": "baseline", "as_of": date(2026, 11, 1)}})
        t0 = time.perf_counter()
        score_stage(lake, CUSTOMER, config)  # trains the demo model once: not part of the figure
        train_s = time.perf_counter() - t0
        score_times, model_times = [], []
        for _ in range(3):
            t0 = time.perf_counter()
            score_stage(lake, CUSTOMER, config)
            t1 = time.perf_counter()
            models_stage(lake, CUSTOMER, config)
            score_times.append(t1 - t0)
            model_times.append(time.perf_counter() - t1)
        walls = []
        for _ in range(2):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "pipeline", "run", "--customer-id", CUSTOMER, "--steps",
                            "score,models", "--lake", tmp], check=True, cwd=PROJECT_ROOT, capture_output=True)
            walls.append(time.perf_counter() - t0)
    score_s, models_s = statistics.median(score_times), statistics.median(model_times)
    print("== models (issue 4)")
    print(f"demo risk model trained once in           : {train_s:.1f} s (first score on a lake without a model)")
    print(f"score step (risk model + credit score)    : {score_s:.3f} s")
    print(f"models step (forecast, recon, ML, recs)   : {models_s:.3f} s")
    print(f"score + models in-process                 : {score_s + models_s:.3f} s (target < 2 s)")
    print(f"`python -m pipeline run --steps score,models`: {statistics.median(walls):.3f} s incl. start-up and imports")
