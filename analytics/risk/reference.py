"""A model's reference profile: how its training data was distributed, saved beside it as the drift baseline.

:func:`reference_profile` is called once at training time (``train_risk_model``) and its result saved by
``save_risk_model`` and, for the registry's champion, ``governance.sync_lake`` at
``lake.model_drift_profile_path("risk_model")``. It holds, per model input and for the
risk score:

* the bins: for a numeric input the distinct deciles of its training values (``edges``; a value ``v`` falls
  in bin ``i`` = the number of edges below ``v``, so bin 0 is ``v <= edges[0]``) plus a ``missing`` bin; for
  a categorical input its most frequent levels, ``other`` and ``missing``;
* the share of training rows in each bin (``proportions``);
* the mean SHAP value (log-odds) of the training rows in each bin (``attribution``): the "points" a bin
  carries, so a shift of the population between bins can be turned into a shift of the score that this
  input alone explains (the CSI attribution shift, :func:`analytics.risk.drift.attribution_shift`);
* ``importance``: the mean |SHAP| of the input over the training rows, which ranks the top drivers.

No row of the training data is kept: only bin edges, shares and means.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

FORMAT = 1
DECILES = np.linspace(0.1, 0.9, 9)
MAX_LEVELS = 20
ATTRIBUTION_ROWS = 2000  # SHAP over at most this many training rows (seeded sample): the means settle well before
MISSING, OTHER = "missing", "other"


def numeric_edges(values: np.ndarray) -> list[float]:
    """The distinct deciles of the non-missing values (empty when every value is missing)."""
    present = values[~np.isnan(values)]
    if present.size == 0:
        return []
    return [float(e) for e in np.unique(np.quantile(present, DECILES))]


def numeric_bins(values: np.ndarray, edges: list[float]) -> np.ndarray:
    """Bin index of each value: the count of edges strictly below it; ``len(edges) + 1`` for a missing value."""
    index = np.searchsorted(np.asarray(edges, dtype=float), values, side="left")
    return np.where(np.isnan(values), len(edges) + 1, index)


def numeric_labels(edges: list[float]) -> list[str]:
    """Human-readable bin labels: ``<= e0``, ``e0 to e1`` ..., ``> e_last``, ``missing``."""
    if not edges:
        return ["any value", MISSING]
    shown = [f"{e:.4g}" for e in edges]
    return [f"<= {shown[0]}"] + [f"{a} to {b}" for a, b in zip(shown, shown[1:])] + [f"> {shown[-1]}", MISSING]


def categorical_bins(values: pd.Series, levels: list[str]) -> np.ndarray:
    """Bin index of each value: its level's position, ``len(levels)`` for any other level, +1 for missing."""
    position = {level: i for i, level in enumerate(levels)}
    out = [len(levels) + 1 if v is None or (isinstance(v, float) and np.isnan(v)) else
           position.get(str(v), len(levels)) for v in values]
    return np.asarray(out, dtype=int)


def proportions(bins: np.ndarray, n_bins: int) -> list[float]:
    """Share of rows in each of ``n_bins`` bins (zeros when there are no rows)."""
    counts = np.bincount(bins.astype(int), minlength=n_bins)[:n_bins]
    total = counts.sum()
    return [round(float(c / total), 6) if total else 0.0 for c in counts]


def _bin_means(bins: np.ndarray, values: np.ndarray, n_bins: int) -> list[float | None]:
    return [round(float(values[bins == i].mean()), 6) if np.any(bins == i) else None for i in range(n_bins)]


def feature_spec(column: pd.Series, kind: str) -> dict[str, Any]:
    """The bins of one input and the training shares in them."""
    if kind == "numeric":
        values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
        edges = numeric_edges(values)
        labels = numeric_labels(edges)
        return {"kind": kind, "edges": edges, "labels": labels,
                "proportions": proportions(numeric_bins(values, edges), len(labels))}
    counts = column.dropna().astype(str).value_counts()
    levels = sorted(counts.index[:MAX_LEVELS], key=lambda level: (-counts[level], level))
    labels = [*levels, OTHER, MISSING]
    return {"kind": kind, "levels": levels, "labels": labels,
            "proportions": proportions(categorical_bins(column, levels), len(labels))}


def bins_of(spec: dict[str, Any], values: list | np.ndarray | pd.Series) -> np.ndarray:
    """Bin index of each value under a saved spec (what drift monitoring applies to a scored population)."""
    if spec["kind"] == "numeric":
        array = np.asarray([np.nan if v is None else v for v in values], dtype=float)
        return numeric_bins(array, spec["edges"])
    return categorical_bins(pd.Series(list(values), dtype=object), spec["levels"])


def reference_profile(model, X: pd.DataFrame, card: dict, random_state: int = 0) -> dict[str, Any]:
    """The drift baseline of a fitted model on its training inputs ``X`` (see the module docstring)."""
    numeric = set(model.numeric_)
    features = {c: feature_spec(X[c], "numeric" if c in numeric else "categorical") for c in X.columns}
    score = 100.0 * np.asarray(model.predict_proba(X)[:, 1], dtype=float)
    edges = numeric_edges(score)
    score_spec = {"kind": "numeric", "edges": edges, "labels": numeric_labels(edges),
                  "proportions": proportions(numeric_bins(score, edges), len(edges) + 2)}
    sample = X if len(X) <= ATTRIBUTION_ROWS else X.sample(ATTRIBUTION_ROWS, random_state=random_state)
    shap_frame, _base = model.explain(sample)
    for name, spec in features.items():
        shap = shap_frame[name].to_numpy(dtype=float)
        spec["attribution"] = _bin_means(bins_of(spec, sample[name].tolist()), shap, len(spec["labels"]))
        spec["importance"] = round(float(np.abs(shap).mean()), 6)
    data = card.get("training_data", {})
    return {"format": FORMAT, "model_version": card.get("version"), "trained_at": card.get("trained_at"),
            "fingerprint": data.get("fingerprint"), "rows": int(len(X)),
            "reference_period": str(data.get("as_of") or str(card.get("trained_at", ""))[:7]),
            "attribution_rows": int(len(sample)),
            "score": {"name": "risk_score", "description": "risk score (0-100, the PD in percent)", **score_spec},
            "features": features}
