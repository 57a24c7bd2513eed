"""``RiskModel``: a calibrated, monotone, explainable probability-of-default estimator.

How it decides, in order (all inside ``fit``, so cross-validating the
estimator validates the whole recipe, tuning included):

1. Preprocess in one ``ColumnTransformer``: numeric columns pass through with
   their NaNs (both models handle missing values natively); text columns are
   ordinal-coded (unknown and missing become NaN) and left unconstrained.
2. Candidates: ``HistGradientBoostingClassifier`` with ``monotonic_cst`` from
   the documented directions, over a small grid; the monotone additive
   scorecard of :mod:`analytics.risk.additive` over a few penalties; and
   the blend (mean log-odds) of the best of each. Each is scored by its
   out-of-fold log loss on an inner stratified K-fold of the training rows and
   the best one is kept.
3. Calibration: a monotone 1-D map from the chosen candidate's out-of-fold
   log-odds (its *margin*) to the observed default rate (isotonic by default,
   or a sigmoid), then the candidate is refitted on all rows.

The probability of default is ``calibrator(margin(x))``. Explanations are
exact in margin space: tree SHAP for the boosted trees (``shap.TreeExplainer``,
path-dependent), exact additive Shapley values for the scorecard, their
weighted sum for the blend; ``base_value + sum(shap) == margin``. Because the
calibrator is non-decreasing, every monotone guarantee on the margin holds for
the probability too.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OrdinalEncoder
from threadpoolctl import threadpool_limits

from analytics.risk.additive import MonotoneAdditiveLogit
from analytics.risk.families import ForestLogit, LinearLogit

DEFAULT_HGB_GRID = (
    {"learning_rate": 0.05, "max_leaf_nodes": 8, "min_samples_leaf": 30, "l2_regularization": 1.0, "max_iter": 200},
    {"learning_rate": 0.1, "max_leaf_nodes": 15, "min_samples_leaf": 20, "l2_regularization": 0.1, "max_iter": 150},
)
DEFAULT_ADDITIVE_GRID = ({"encoding": "steps", "C": 0.1}, {"encoding": "woe", "C": 1.0})
DEFAULT_LR_GRID = ({"C": 0.1}, {"C": 1.0})
DEFAULT_RF_GRID = ({"n_estimators": 200, "min_samples_leaf": 10, "max_features": "sqrt"},)
SINGLE_FAMILIES = ("hgb", "additive", "lr", "rf")
PD_FLOOR, PD_CEILING = 1e-4, 1 - 1e-4
SMALL_BATCH = 2000


def split_columns(X: pd.DataFrame, categorical=None) -> tuple[list[str], list[str]]:
    """Numeric and categorical column names: text, category and boolean columns are categorical unless listed."""
    if categorical is not None:
        cats = [c for c in X.columns if c in set(categorical)]
    else:
        cats = [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c]) or pd.api.types.is_bool_dtype(X[c])]
    return [c for c in X.columns if c not in cats], cats


def as_model_frame(X: pd.DataFrame, numeric: list[str], categorical: list[str]) -> pd.DataFrame:
    """Numbers as float (NaN for missing), categories as text objects (NaN for missing), in the fitted order."""
    out = {}
    for c in numeric:
        out[c] = pd.to_numeric(X[c], errors="coerce").astype(float) if c in X else np.nan
    for c in categorical:
        col = X[c] if c in X else pd.Series(np.nan, index=X.index)
        out[c] = col.astype(object).map(lambda v: np.nan if pd.isna(v) else str(v))
    return pd.DataFrame(out, index=X.index)


class RiskModel(ClassifierMixin, BaseEstimator):
    """Monotone gradient boosting (or a monotone scorecard, or their blend) chosen by inner CV, then calibrated.

    ``families`` may also name ``lr`` (plain logistic regression) and ``rf``
    (a monotone random forest) from :mod:`analytics.risk.families`, which
    ``train-risk --families`` compares one at a time.
    """

    def __init__(self, monotone: dict | None = None, categorical=None, families=("hgb", "additive", "blend"),
                 hgb_grid=None, additive_grid=None, n_bins: int = 10, calibration: str = "isotonic",
                 inner_folds: int = 3, random_state: int = 0):
        self.monotone = monotone
        self.categorical = categorical
        self.families = families
        self.hgb_grid = hgb_grid
        self.additive_grid = additive_grid
        self.n_bins = n_bins
        self.calibration = calibration
        self.inner_folds = inner_folds
        self.random_state = random_state

    # ---- building blocks ------------------------------------------------
    def _prep(self) -> ColumnTransformer:
        encoder = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan,
                                 encoded_missing_value=np.nan)
        return ColumnTransformer([("num", "passthrough", self.numeric_), ("cat", encoder, self.categorical_)],
                                 verbose_feature_names_out=False)

    def _candidates(self) -> list[tuple[str, dict, Pipeline]]:
        cst = [int((self.monotone or {}).get(c, 0)) for c in self.numeric_] + [0] * len(self.categorical_)
        mask = [False] * len(self.numeric_) + [True] * len(self.categorical_)
        out = []
        if "hgb" in self.families or "blend" in self.families:
            for params in self.hgb_grid or DEFAULT_HGB_GRID:
                model = HistGradientBoostingClassifier(monotonic_cst=cst, early_stopping=False,
                                                       categorical_features=None, random_state=self.random_state,
                                                       **params)
                out.append(("hgb", dict(params), Pipeline([("prep", self._prep()), ("model", model)])))
        if "additive" in self.families or "blend" in self.families:
            for params in self.additive_grid or DEFAULT_ADDITIVE_GRID:
                model = MonotoneAdditiveLogit(n_bins=self.n_bins, monotonic_cst=cst, categorical_mask=mask, **params)
                out.append(("additive", {**params, "n_bins": self.n_bins},
                            Pipeline([("prep", self._prep()), ("model", model)])))
        if "lr" in self.families:
            for params in DEFAULT_LR_GRID:
                out.append(("lr", dict(params), Pipeline([("prep", self._prep()),
                                                          ("model", LinearLogit(categorical_mask=mask, **params))])))
        if "rf" in self.families:
            for params in DEFAULT_RF_GRID:
                model = ForestLogit(monotonic_cst=cst, random_state=self.random_state, **params)
                out.append(("rf", dict(params), Pipeline([("prep", self._prep()), ("model", model)])))
        return out

    def _select(self, X: pd.DataFrame, y: np.ndarray) -> tuple[list[tuple], np.ndarray, list[dict]]:
        """Inner-CV every candidate; return the chosen (family, params, pipeline, weight) parts and their OOF margin."""
        candidates = self._candidates()
        folds = max(2, min(self.inner_folds, int(np.bincount(y, minlength=2).min())))
        splitter = StratifiedKFold(folds, shuffle=True, random_state=self.random_state)
        oof = np.zeros((len(candidates), len(y)))
        for train, test in splitter.split(X, y):
            for k, (_, _, pipe) in enumerate(candidates):
                oof[k, test] = clone(pipe).fit(X.iloc[train], y[train]).decision_function(X.iloc[test])
        table, options = [], []
        for k, (family, params, _) in enumerate(candidates):
            table.append({"family": family, "params": params, **_scores(y, oof[k])})
        for family in SINGLE_FAMILIES:
            ks = [k for k, c in enumerate(candidates) if c[0] == family]
            if ks and family in self.families:
                options += [([(k, 1.0)], oof[k]) for k in ks]
        best_h = min((k for k, c in enumerate(candidates) if c[0] == "hgb"), default=None,
                     key=lambda k: table[k]["log_loss"])
        best_a = min((k for k, c in enumerate(candidates) if c[0] == "additive"), default=None,
                     key=lambda k: table[k]["log_loss"])
        if "blend" in self.families and best_h is not None and best_a is not None:
            margin = 0.5 * (oof[best_h] + oof[best_a])
            table.append({"family": "blend", "params": {"parts": [table[best_h]["params"], table[best_a]["params"]]},
                          **_scores(y, margin)})
            options.append(([(best_h, 0.5), (best_a, 0.5)], margin))
        chosen, margin = min(options, key=lambda o: log_loss(y, expit(o[1]), labels=[0, 1]))
        parts = [(candidates[k][0], candidates[k][1], candidates[k][2], w) for k, w in chosen]
        return parts, margin, table

    def _fit_calibrator(self, margin: np.ndarray, y: np.ndarray):
        if self.calibration == "sigmoid":
            platt = LogisticRegression(C=1e6).fit(margin.reshape(-1, 1), y)
            if platt.coef_[0, 0] > 0:  # a non-increasing map would break monotonicity; fall back to isotonic
                return platt
        return IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(margin, y)

    # ---- the estimator API ------------------------------------------------
    def fit(self, X: pd.DataFrame, y):
        """Choose the candidate by inner CV, fit the calibrator on its out-of-fold margins, refit on all rows."""
        X = pd.DataFrame(X).reset_index(drop=True)
        y = np.asarray(y).astype(int)
        if set(np.unique(y)) != {0, 1}:
            raise ValueError("the target needs both classes (0 and 1)")
        self.numeric_, self.categorical_ = split_columns(X, self.categorical)
        self.feature_names_in_ = np.array(self.numeric_ + self.categorical_, dtype=object)
        self.n_features_in_ = len(self.feature_names_in_)
        self.classes_ = np.array([0, 1])
        self.monotonic_cst_ = {c: int((self.monotone or {}).get(c, 0)) for c in self.numeric_}
        frame = as_model_frame(X, self.numeric_, self.categorical_)
        parts, margin, self.selection_ = self._select(frame, y)
        self.calibrator_ = self._fit_calibrator(margin, y)
        self.parts_ = [(family, params, clone(pipe).fit(frame, y), w) for family, params, pipe, w in parts]
        self.family_ = "blend" if len(self.parts_) > 1 else self.parts_[0][0]
        self.params_ = [p for _, p, _, _ in self.parts_]
        self.base_rate_ = float(y.mean())
        return self

    def _frame(self, X) -> pd.DataFrame:
        return as_model_frame(pd.DataFrame(X), self.numeric_, self.categorical_)

    def decision_function(self, X) -> np.ndarray:
        """The uncalibrated log-odds (margin) that the SHAP values explain."""
        frame = self._frame(X)
        with threadpool_limits(1 if len(frame) < SMALL_BATCH else None):  # thread start-up dwarfs a few rows
            return sum(w * pipe.decision_function(frame) for _, _, pipe, w in self.parts_)

    def calibrate(self, margin) -> np.ndarray:
        """Calibrated probability of default for given margins (monotone non-decreasing)."""
        margin = np.asarray(margin, dtype=float)
        if isinstance(self.calibrator_, IsotonicRegression):
            p = self.calibrator_.predict(margin)
        else:
            p = self.calibrator_.predict_proba(margin.reshape(-1, 1))[:, 1]
        return np.clip(p, PD_FLOOR, PD_CEILING)

    def predict_proba(self, X) -> np.ndarray:
        """Calibrated probabilities ``[P(good), P(default)]``."""
        p = self.calibrate(self.decision_function(X))
        return np.column_stack([1 - p, p])

    def predict(self, X) -> np.ndarray:
        """1 where the calibrated probability of default is at least one half."""
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(int)

    def explain(self, X) -> tuple[pd.DataFrame, float]:
        """SHAP values per input column in margin space and the base value: ``base + row sum == margin``."""
        frame = self._frame(X)
        total = np.zeros((len(frame), self.n_features_in_))
        base = 0.0
        for family, _, pipe, w in self.parts_:
            prepared = pipe[:-1].transform(frame)
            if family == "hgb":
                from analytics.risk.explainer import load_shap  # numba and shap: only explanations need them

                explainer = load_shap().TreeExplainer(pipe[-1])
                values = np.asarray(explainer.shap_values(prepared)).reshape(len(frame), -1)
                expected = float(np.ravel(explainer.expected_value)[0])
            else:
                values, expected = pipe[-1].contributions(prepared)
            total += w * values
            base += w * expected
        return pd.DataFrame(total, columns=list(self.feature_names_in_), index=frame.index), base


def _scores(y: np.ndarray, margin: np.ndarray) -> dict[str, float]:
    p = expit(margin)
    return {"log_loss": round(float(log_loss(y, p, labels=[0, 1])), 6),
            "roc_auc": round(float(roc_auc_score(y, margin)), 6)}
