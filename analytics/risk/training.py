"""One training path for every risk model: validate with stratified CV, fit on all rows, write the model card.

:func:`train_risk_model` takes any table with a binary target, whether it came
from the synthetic portfolio or from a lender's labelled history, and returns
``(bundle, card)``. Validation is a stratified K-fold over the whole recipe
(the estimator tunes and calibrates inside each training fold), so the card's
ROC AUC, KS, Gini and Brier and the decile calibration table are computed on
held-out predictions only. The folds and the final fit run in parallel
processes (``risk_model.n_jobs``), each single-threaded.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import brier_score_loss, roc_auc_score, roc_curve
from sklearn.model_selection import StratifiedKFold

from analytics.risk.estimator import RiskModel, split_columns
from analytics.risk.features import MONOTONE, describe
from analytics.risk.reference import reference_profile

FORMAT = 1
METRIC_NAMES = ("roc_auc", "ks", "gini", "brier")
POSITIVE_WORDS = ("1", "true", "yes", "bad", "default", "defaulted")


class RiskTrainingError(ValueError):
    """The table or target cannot train a model; the message says what to change."""


# ---- the target ------------------------------------------------------------
def _label(value: Any) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, float, np.integer, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value).strip().lower()


def coerce_target(values: pd.Series, positive: Any = None) -> tuple[np.ndarray, str, np.ndarray]:
    """The target as 0/1 with 1 = default, the positive label used, and which rows had a label.

    ``positive`` names the default class; without it ``1``, ``true``, ``yes``,
    ``bad``, ``default`` and ``defaulted`` are recognised. One class only, more
    than two, or two labels of which none is recognisable, is an error that
    says what to pass.
    """
    known = values.notna() & (values.astype(str).str.strip() != "")
    labels = values[known].map(_label)
    classes = sorted(set(labels))
    if len(classes) < 2:
        raise RiskTrainingError(f"target {values.name!r} has only one class ({', '.join(classes) or 'no labels'}); "
                                "training needs both defaults and non-defaults")
    if len(classes) > 2:
        shown = ", ".join(classes[:6]) + (" ..." if len(classes) > 6 else "")
        raise RiskTrainingError(f"target {values.name!r} has {len(classes)} classes ({shown}); it must be binary")
    if positive is not None:
        wanted = _label(positive)
        if wanted not in classes:
            raise RiskTrainingError(f"--positive {positive!r} is not a value of target {values.name!r} "
                                    f"(values: {', '.join(classes)})")
    else:
        found = [c for c in classes if c in POSITIVE_WORDS]
        if len(found) != 1:
            raise RiskTrainingError(f"cannot tell which value of target {values.name!r} means default "
                                    f"(values: {', '.join(classes)}); name it with --positive")
        wanted = found[0]
    y = (labels == wanted).astype(int).to_numpy()
    return y, wanted, known.to_numpy()


def prepare_table(table: pd.DataFrame, target: str, positive: Any, config: dict) -> dict[str, Any]:
    """Split a table into model inputs and a 0/1 target; leave out id-like text columns and empty columns."""
    if target not in table.columns:
        raise RiskTrainingError(f"no column {target!r} in the table (columns: {', '.join(map(str, table.columns))})")
    y, label, known = coerce_target(table[target], positive)
    X = table.loc[known, [c for c in table.columns if c != target]].reset_index(drop=True)
    max_levels = int(config.get("risk_model", {}).get("max_categories", 50))
    numeric, categorical = split_columns(X)
    dropped = {c: "no values" for c in X.columns if X[c].isna().all()}
    for c in categorical:
        levels = X[c].nunique(dropna=True)
        if c not in dropped and levels > max_levels and levels > 0.5 * len(X):
            dropped[c] = f"{levels} distinct text values (an identifier, not a category)"
    X = X.drop(columns=list(dropped))
    if X.shape[1] == 0:
        raise RiskTrainingError("no usable input columns besides the target")
    minority = int(min(y.sum(), len(y) - y.sum()))
    folds = int(config.get("risk_model", {}).get("cv_folds", 5))
    if minority < folds:
        raise RiskTrainingError(f"the smaller class has {minority} rows; {folds}-fold validation needs at least {folds}")
    return {"X": X, "y": y, "positive_label": label, "dropped_columns": dropped,
            "unlabelled_rows": int((~known).sum())}


# ---- metrics -----------------------------------------------------------------
def ks_statistic(y: np.ndarray, p: np.ndarray) -> float:
    """Kolmogorov-Smirnov: the largest gap between the score distributions of defaults and non-defaults."""
    fpr, tpr, _ = roc_curve(y, p)
    return float(np.max(tpr - fpr))


def fold_metrics(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    """ROC AUC, KS, Gini (= 2 AUC - 1) and Brier score of one set of predictions."""
    auc = float(roc_auc_score(y, p))
    return {"roc_auc": auc, "ks": ks_statistic(y, p), "gini": 2 * auc - 1, "brier": float(brier_score_loss(y, p))}


def calibration_table(y: np.ndarray, p: np.ndarray, bins: int = 10) -> list[dict[str, Any]]:
    """Held-out predictions cut into deciles of predicted PD: mean predicted vs observed default rate."""
    order = np.argsort(p, kind="stable")
    out = []
    for decile, idx in enumerate(np.array_split(order, bins), start=1):
        if len(idx) == 0:
            continue
        out.append({"decile": decile, "rows": int(len(idx)), "min_pd": round(float(p[idx].min()), 6),
                    "max_pd": round(float(p[idx].max()), 6), "mean_predicted": round(float(p[idx].mean()), 6),
                    "observed_rate": round(float(y[idx].mean()), 6), "defaults": int(y[idx].sum())})
    return out


def fingerprint(table: pd.DataFrame) -> str:
    """SHA-256 of the training table as CSV (columns, order and values), to tie a model to its data."""
    return hashlib.sha256(table.to_csv(index=False).encode("utf-8")).hexdigest()


# ---- training ----------------------------------------------------------------
@dataclass
class TrainedModel:
    """One training's results: the saved bundle and card, and what tracking and drift need of its data.

    ``X`` is the model's input table (identifier-like columns already left out),
    ``y`` the 0/1 target, ``oof`` the held-out PDs of the cross-validation and
    ``per_fold`` each fold's ROC AUC, KS, Gini and Brier.
    """

    bundle: dict
    card: dict
    X: pd.DataFrame
    y: np.ndarray
    oof: np.ndarray
    per_fold: list[dict[str, float]]

    def training_pd(self) -> np.ndarray:
        """The fitted model's PD for every training row: the reference a scored population is compared with."""
        return self.bundle["model"].predict_proba(self.X)[:, 1]


def make_estimator(config: dict, monotone: dict[str, int]) -> RiskModel:
    """The estimator with the settings of ``config["risk_model"]``."""
    rm = config.get("risk_model", {})
    return RiskModel(monotone=monotone, families=tuple(rm.get("families", ("blend",))),
                     hgb_grid=[dict(g) for g in rm["hgb_grid"]] if rm.get("hgb_grid") else None,
                     additive_grid=[dict(g) for g in rm["additive_grid"]] if rm.get("additive_grid") else None,
                     n_bins=int(rm.get("n_bins", 10)), calibration=rm.get("calibration", "sigmoid"),
                     inner_folds=int(rm.get("inner_folds", 3)), random_state=int(rm.get("random_state", 0)))


def _fit_one(estimator: RiskModel, X: pd.DataFrame, y: np.ndarray, train, test):
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):  # folds run side by side; nested OpenMP threads only fight over 2 cores
        model = clone(estimator).fit(X.iloc[train], y[train])
    return model if test is None else model.predict_proba(X.iloc[test])[:, 1]


def cross_validate(estimator: RiskModel, X: pd.DataFrame, y: np.ndarray, folds: int, seed: int,
                   n_jobs: int = 1) -> tuple[np.ndarray, list[dict[str, float]], RiskModel]:
    """Out-of-fold PDs, per-fold metrics, and the final model fitted on all rows (all jobs in one parallel batch)."""
    from joblib import Parallel, delayed

    splits = list(StratifiedKFold(folds, shuffle=True, random_state=seed).split(X, y))
    jobs = [(train, test) for train, test in splits] + [(np.arange(len(y)), None)]
    results = Parallel(n_jobs=n_jobs)(delayed(_fit_one)(estimator, X, y, tr, te) for tr, te in jobs)
    oof = np.zeros(len(y))
    per_fold = []
    for (_, test), p in zip(splits, results[:-1]):
        oof[test] = p
        per_fold.append(fold_metrics(y[test], p))
    return oof, per_fold, results[-1]


def _summary(per_fold: list[dict[str, float]]) -> dict[str, dict[str, float]]:
    return {k: {"mean": round(float(np.mean([f[k] for f in per_fold])), 6),
                "std": round(float(np.std([f[k] for f in per_fold])), 6)} for k in METRIC_NAMES}


def train_risk_model(table: pd.DataFrame, target: str, positive: Any = None, config: dict | None = None,
                     source: str = "file", source_detail: dict | None = None,
                     monotone: dict[str, int] | None = None) -> tuple[dict, dict]:
    """Validate (stratified K-fold), fit on every row and describe the model; returns ``(bundle, card)``.

    :func:`fit_risk_model` does the work and also returns the data tracking needs.
    """
    trained = fit_risk_model(table, target, positive, config, source, source_detail, monotone)
    return trained.bundle, trained.card


def fit_risk_model(table: pd.DataFrame, target: str, positive: Any = None, config: dict | None = None,
                   source: str = "file", source_detail: dict | None = None,
                   monotone: dict[str, int] | None = None) -> TrainedModel:
    """Validate (stratified K-fold), fit on every row and describe the model, keeping the data and held-out PDs.

    Columns whose names match :data:`analytics.risk.features.FEATURES` get their
    documented monotone direction; ``monotone`` adds (or overrides) directions
    for other columns (the behavioural monitoring model uses it); any other
    column is unconstrained.
    """
    config = config or {}
    rm = config.get("risk_model", {})
    prepared = prepare_table(table, target, positive, config)
    X, y = prepared["X"], prepared["y"]
    numeric, categorical = split_columns(X)
    directions = {**MONOTONE, **(monotone or {})}
    monotone = {c: directions[c] for c in numeric if directions.get(c)}
    estimator = make_estimator(config, monotone)
    folds, seed = int(rm.get("cv_folds", 5)), int(rm.get("random_state", 0))
    oof, per_fold, model = cross_validate(estimator, X, y, folds, seed, int(rm.get("n_jobs", 1)))
    trained_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    digest = fingerprint(pd.concat([X, pd.Series(y, name=target)], axis=1))
    base_rate = float(y.mean())
    card = {
        "version": f"{rm.get('version', '1')}+{trained_at[:19].replace('-', '').replace(':', '')}.{digest[:8]}",
        "trained_at": trained_at,
        "training_data": {"source": source, "rows": int(len(y)), "positives": int(y.sum()),
                          "fingerprint": digest, "unlabelled_rows_dropped": prepared["unlabelled_rows"],
                          "columns_left_out": prepared["dropped_columns"], **(source_detail or {})},
        "target": target,
        "positive_label": prepared["positive_label"],
        "features": [{"name": c, "kind": "numeric" if c in numeric else "categorical", "description": describe(c),
                      "monotone": int(monotone.get(c, 0))} for c in model.feature_names_in_],
        "metrics": {**_summary(per_fold), "folds": folds, "held_out_rows": int(len(y)),
                    "base_rate": round(base_rate, 6),
                    "base_rate_brier": round(base_rate * (1 - base_rate), 6),
                    "mean_predicted": round(float(oof.mean()), 6)},
        "calibration": calibration_table(y, oof),
        "params": {"estimator": "RiskModel", "family": model.family_, "chosen": model.params_,
                   "calibration": estimator.calibration, "inner_folds": estimator.inner_folds,
                   "cv_folds": folds, "random_state": seed, "selection": model.selection_,
                   "libraries": _versions()},
        "latent_function": None,
    }
    bundle = {"format": FORMAT, "model": model, "card": card}
    bundle["reference"] = reference_profile(model, X, card, seed)  # the drift baseline, saved beside the model
    return TrainedModel(bundle, card, X, y, oof, per_fold)


def _versions() -> dict[str, str]:
    import sklearn

    from analytics.risk.explainer import load_shap

    return {"scikit-learn": sklearn.__version__, "shap": load_shap().__version__, "numpy": np.__version__,
            "pandas": pd.__version__}


def finite_or_none(value: Any) -> Any:
    """A float that JSON can carry: NaN and infinities become None."""
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    return value
