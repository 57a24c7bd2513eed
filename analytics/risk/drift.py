"""Population stability: how far a month's scored population has moved from the model's training data.

Pure functions over a reference profile (:mod:`analytics.risk.reference`) and the rows scored in a month.

* **PSI** (population stability index) of a distribution over the reference bins::

      PSI = sum over bins of (a - e) * ln(a / e)

  with ``e`` the training share and ``a`` the month's share of a bin, each floored at ``epsilon`` so an
  empty bin counts as a small share instead of dividing by zero. It is computed for the risk score and
  for every model input.
* **CSI** (characteristic stability index) of a top driver is the same sum over that input's bins; its
  **attribution shift** ``sum (a - e) * points`` (``points`` = the mean SHAP log-odds of the training rows
  in the bin) is how much the month's mean log-odds moved because this input's distribution moved.
* **Status** from the thresholds in ``config.json`` ``monitoring.drift``: below ``watch`` is ``stable``,
  from ``watch`` ``watch``, from ``act`` ``act``; a month with fewer than ``min_scored`` customers is
  ``insufficient`` (PSI on a handful of rows is noise: its expected value on a sample of ``n`` from the
  same population is about ``(bins - 1) / n``). A month's status is the worst of the score's and its
  top drivers'.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from analytics.risk.reference import bins_of, proportions

STATUSES = ("stable", "watch", "act")
INSUFFICIENT = "insufficient"
DEFAULTS = {"watch": 0.10, "act": 0.25, "epsilon": 0.0001, "min_scored": 30, "top_drivers": 5}
CALCULATION = ("PSI = sum over the reference bins of (a - e) * ln(a / e), where e is the share of the model's "
               "training rows in a bin and a the share of the month's scored customers in it, each floored at "
               "epsilon ({epsilon}) so an empty bin does not divide by zero. Bins: the distinct deciles of the "
               "training values plus a 'missing' bin (numeric inputs and the risk score), or the training's most "
               "frequent levels plus 'other' and 'missing' (categorical inputs). CSI is the same sum for one "
               "input; its attribution shift is sum (a - e) * points, points = the mean SHAP log-odds of the "
               "training rows in the bin. Status: stable below {watch}, watch from {watch}, act from {act}; "
               "fewer than {min_scored} customers scored in a month is 'insufficient'. Months are the as-of "
               "month of each customer's latest risk_model.json.")


def drift_settings(config: dict) -> dict[str, Any]:
    """``monitoring.drift`` from config with the defaults above for anything left out."""
    return {**DEFAULTS, **(config.get("monitoring", {}).get("drift") or {})}


def psi(expected: Iterable[float], actual: Iterable[float], epsilon: float = DEFAULTS["epsilon"]) -> float:
    """Population stability index of ``actual`` shares against ``expected`` shares over the same bins."""
    e_list, a_list = list(expected), list(actual)
    if len(e_list) != len(a_list):
        raise ValueError(f"expected {len(e_list)} bins, got {len(a_list)}")
    total = 0.0
    for e, a in zip(e_list, a_list):
        e, a = max(float(e), epsilon), max(float(a), epsilon)
        total += (a - e) * math.log(a / e)
    return total


def status_of(value: float | None, settings: dict[str, Any]) -> str:
    """``stable`` / ``watch`` / ``act`` by the thresholds (None, i.e. nothing to compare, is ``insufficient``)."""
    if value is None:
        return INSUFFICIENT
    if value >= float(settings["act"]):
        return "act"
    return "watch" if value >= float(settings["watch"]) else "stable"


def worst(statuses: Iterable[str]) -> str:
    """The most severe of some statuses (``insufficient`` only when there is nothing else)."""
    ranked = [s for s in statuses if s in STATUSES]
    return max(ranked, key=STATUSES.index) if ranked else INSUFFICIENT


def attribution_shift(expected: list[float], actual: list[float], points: list[float | None]) -> float:
    """``sum (a - e) * points`` over the bins (a bin without training rows carries no points)."""
    return sum((a - e) * (p or 0.0) for e, a, p in zip(expected, actual, points))


def distribution_psi(spec: dict[str, Any], values: list, epsilon: float) -> tuple[float, list[float]]:
    """PSI of some values against a reference spec, and the values' shares in the spec's bins."""
    shares = proportions(bins_of(spec, values), len(spec["labels"]))
    return psi(spec["proportions"], shares, epsilon), shares


def top_drivers(reference: dict[str, Any], n: int) -> list[str]:
    """The ``n`` inputs with the largest mean |SHAP| on the training data (ties by name)."""
    ranked = sorted(reference["features"].items(), key=lambda kv: (-(kv[1].get("importance") or 0.0), kv[0]))
    return [name for name, _ in ranked[:n]]


def month_drift(reference: dict[str, Any], rows: list[dict[str, Any]], settings: dict[str, Any],
                descriptions: dict[str, str] | None = None) -> dict[str, Any]:
    """One month's drift: score PSI, every input's PSI (largest first), the top drivers' CSI, and a status.

    ``rows`` are the month's scored customers: ``{"score": float | None, "features": {name: value}}``; the
    score PSI counts only rows with a score by this model (``score`` not None).
    """
    epsilon = float(settings["epsilon"])
    scores = [r["score"] for r in rows if r.get("score") is not None]
    enough = len(rows) >= int(settings["min_scored"])
    score_psi = distribution_psi(reference["score"], scores, epsilon)[0] if scores else None
    features = []
    for name, spec in reference["features"].items():
        value, shares = distribution_psi(spec, [(r.get("features") or {}).get(name) for r in rows], epsilon)
        features.append({"feature": name, "description": (descriptions or {}).get(name, name),
                         "psi": round(value, 6), "status": status_of(value if enough else None, settings),
                         "shares": shares})
    features.sort(key=lambda f: (-f["psi"], f["feature"]))
    by_name = {f["feature"]: f for f in features}
    drivers = []
    for name in top_drivers(reference, int(settings["top_drivers"])):
        spec, found = reference["features"][name], by_name[name]
        drivers.append({"feature": name, "description": found["description"], "csi": found["psi"],
                        "status": found["status"], "importance": spec.get("importance"),
                        "attribution_shift": round(attribution_shift(spec["proportions"], found["shares"],
                                                                     spec.get("attribution") or []), 6),
                        "bins": [{"bin": label, "expected": e, "actual": a, "points": p}
                                 for label, e, a, p in zip(spec["labels"], spec["proportions"], found["shares"],
                                                           spec.get("attribution") or [None] * len(spec["labels"]))]})
    for f in features:
        del f["shares"]
    score_status = status_of(score_psi if enough and score_psi is not None else None, settings)
    status = worst([score_status, *(d["status"] for d in drivers)]) if enough else INSUFFICIENT
    return {"n_scored": len(rows), "n_scored_by_model": len(scores),
            "score_psi": None if score_psi is None else round(score_psi, 6), "score_status": score_status,
            "status": status, "summary": summary_text(status, score_psi, drivers, len(rows), settings),
            "features": features, "top_drivers": drivers}


def summary_text(status: str, score_psi: float | None, drivers: list[dict], n: int, settings: dict) -> str:
    """What the month's status means for a credit analyst, in one or two sentences."""
    if status == INSUFFICIENT:
        return (f"Only {n} customers were scored this month; at least {settings['min_scored']} are needed before "
                "a shift can be told apart from chance.")
    moved = [d["description"] for d in drivers if d["status"] != "stable"]
    drivers_text = f" The main inputs that moved: {', '.join(moved)}." if moved else ""
    score_text = "" if score_psi is None else f" Score PSI {score_psi:.3f}."
    if status == "act":
        return ("The customers scored this month differ markedly from those the model was trained on: its PDs may "
                "no longer be reliable. Review the model (recalibrate or retrain) before relying on its bands."
                + score_text + drivers_text)
    if status == "watch":
        return ("The customers scored this month have shifted somewhat from the training data. The model can still "
                "be used; watch the next months and the inputs listed." + score_text + drivers_text)
    return "The customers scored this month look like those the model was trained on." + score_text


def calculation_note(settings: dict[str, Any]) -> str:
    """How every figure of the report was computed (shown with the figures)."""
    return CALCULATION.format(**settings)
