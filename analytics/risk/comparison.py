"""``train-risk --families``: several model families trained and compared on the same folds in one run.

Every family goes through the one training path (:func:`analytics.risk.training.fit_risk_model`) with
``risk_model.families`` set to that family alone; the outer folds come from the same seeded stratified
split of the same rows, so the per-fold ROC AUC, KS, Gini and Brier are compared fold for fold.

* ``lr`` — plain logistic regression (standardised numbers, weight-of-evidence categories);
* ``scorecard`` — the monotone additive scorecard (:mod:`analytics.risk.additive`);
* ``hgb`` — monotone histogram gradient boosting;
* ``rf`` — a monotone random forest;
* ``blend`` — the mean log-odds of the best boosted trees and the best scorecard (the default recipe).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from analytics.risk.families import FAMILY_ALIASES
from analytics.risk.training import METRIC_NAMES, RiskTrainingError, TrainedModel, fit_risk_model

FAMILIES = tuple(FAMILY_ALIASES)


def parse_families(text: str) -> list[str]:
    """``"lr,hgb"`` -> ``["lr", "hgb"]``; an unknown or repeated name is a :class:`RiskTrainingError`."""
    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [n for n in names if n not in FAMILY_ALIASES]
    if not names or unknown:
        raise RiskTrainingError(f"unknown model famil{'ies' if len(unknown) > 1 else 'y'} "
                                f"{', '.join(unknown) or '(none given)'}; choose from {', '.join(FAMILIES)}")
    if len(set(names)) != len(names):
        raise RiskTrainingError(f"--families names a family twice: {text}")
    return names


def family_config(config: dict, label: str) -> dict:
    """``config`` with ``risk_model.families`` restricted to one family."""
    return {**config, "risk_model": {**config.get("risk_model", {}), "families": [FAMILY_ALIASES[label]]}}


def compare_families(table, target: str, positive: Any, config: dict, labels: list[str], *, source: str,
                     source_detail: dict | None = None,
                     progress: Callable[[str, str], None] | None = None) -> dict[str, TrainedModel]:
    """Train each family on the same rows and the same outer folds; label -> trained model, in the given order."""
    say = progress or (lambda level, message: None)
    out = {}
    for label in labels:
        say("info", f"training family {label}")
        out[label] = fit_risk_model(table, target, positive, family_config(config, label), source=source,
                                    source_detail=source_detail)
    return out


def comparison_rows(results: dict[str, TrainedModel]) -> list[dict[str, Any]]:
    """One row per family: the held-out mean and standard deviation of each metric over the folds."""
    return [{"family": label, **{k: dict(t.card["metrics"][k]) for k in METRIC_NAMES}} for label, t in results.items()]


def format_comparison(rows: list[dict], versions: dict[str, int], champion: int | None) -> str:
    """The comparison as a terminal table: family, registered version, and mean ± sd of each metric."""
    head = f"{'family':<10} {'version':>7}  " + "  ".join(f"{k:>17}" for k in ("ROC AUC", "KS", "Gini", "Brier"))
    lines = [f"{len(rows)} families on the same folds (held-out, mean ± sd over the folds):", head]
    for row in rows:
        version = versions.get(row["family"])
        mark = "*" if version is not None and version == champion else " "
        cells = "  ".join(f"{row[k]['mean']:>8.4f} ± {row[k]['std']:<6.4f}" for k in METRIC_NAMES)
        lines.append(f"{row['family']:<10} {version if version is not None else '-':>6}{mark}  {cells}")
    lines.append("* = the champion (scores and decides); the others are challengers, reported side by side")
    return "\n".join(lines)
