"""The model families ``train-risk --families`` compares, besides boosted trees and the monotone scorecard.

Each is a scikit-learn classifier on the ordinal-coded frame ``RiskModel``
prepares (numbers with NaN for missing, category codes flagged by
``categorical_mask``), with a ``decision_function`` (log-odds, the *margin*
``RiskModel`` calibrates and blends) and ``contributions(X) -> (values,
base)`` whose rows sum to the margin, so every family explains a PD the same
way:

* :class:`LinearLogit` (``lr``): plain logistic regression. Numeric columns are
  standardised with a missing-value indicator; a categorical column is
  replaced by its levels' smoothed weight of evidence. Exact Shapley values of
  a linear model: ``coef * (z - mean z)`` summed back to each input column.
* :class:`ForestLogit` (``rf``): a random forest (missing values handled by
  the trees, monotone directions as ``monotonic_cst``). Its margin is the
  log-odds of the forest's probability; tree SHAP explains the probability, and
  the values are rescaled by ``(margin - base) / (p - E[p])`` so they sum to the
  margin (signs and ranking are tree SHAP's; the scale is a linearisation).
"""
from __future__ import annotations

import numpy as np
from scipy.special import logit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression

#: the CLI's family names -> ``RiskModel`` families (the scorecard is ``additive`` inside the estimator)
FAMILY_ALIASES = {"lr": "lr", "scorecard": "additive", "hgb": "hgb", "rf": "rf", "blend": "blend"}
PROB_FLOOR = 1e-4


def family_label(family: str) -> str:
    """The name a family has on the command line and in the registry (``additive`` is the ``scorecard``)."""
    return "scorecard" if family == "additive" else family


class LinearLogit(ClassifierMixin, BaseEstimator):
    """Logistic regression on standardised numbers (+ missing indicators) and weight-of-evidence categories."""

    def __init__(self, C: float = 1.0, categorical_mask=None, max_iter: int = 1000):
        self.C = C
        self.categorical_mask = categorical_mask
        self.max_iter = max_iter

    def _design(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        blocks = []
        for j, kind in enumerate(self.kinds_):
            col = X[:, j]
            if kind == "cat":
                levels, woe = self.woe_[j]
                coded = np.zeros(len(col))
                for level, value in zip(levels, woe):
                    coded[col == level] = value
                blocks.append(coded)
            else:
                missing = np.isnan(col)
                blocks.append(np.where(missing, self.center_[j], col))
                blocks.append(missing.astype(float))
        design = np.column_stack(blocks) if blocks else np.zeros((len(X), 0))
        return (design - self.mean_) / self.scale_

    def fit(self, X, y):
        """Learn the encodings and scales from the training rows, then the penalised logistic regression."""
        X = np.asarray(X, dtype=float)
        y = np.asarray(y).astype(int)
        mask = np.zeros(X.shape[1], bool) if self.categorical_mask is None else np.asarray(self.categorical_mask, bool)
        self.kinds_ = ["cat" if m else "num" for m in mask]
        self.center_, self.woe_, self.owner_ = {}, {}, []
        bad, good = y.sum(), len(y) - y.sum()
        for j, kind in enumerate(self.kinds_):
            col = X[:, j]
            if kind == "cat":
                levels = np.unique(col[~np.isnan(col)])
                woe = [float(np.log((y[col == lv].sum() + 0.5) / (bad + 1))
                             - np.log(((col == lv).sum() - y[col == lv].sum() + 0.5) / (good + 1))) for lv in levels]
                self.woe_[j] = (levels, np.array(woe))
                self.owner_.append(j)
            else:
                present = col[~np.isnan(col)]
                self.center_[j] = float(np.median(present)) if present.size else 0.0
                self.owner_ += [j, j]
        self.mean_, self.scale_ = 0.0, 1.0
        raw = self._design(X)
        self.mean_ = raw.mean(axis=0)
        self.scale_ = np.where(raw.std(axis=0) > 0, raw.std(axis=0), 1.0)
        design = (raw - self.mean_) / self.scale_
        self.model_ = LogisticRegression(C=self.C, max_iter=self.max_iter).fit(design, y)
        self.design_mean_ = design.mean(axis=0)
        self.classes_ = np.array([0, 1])
        return self

    def decision_function(self, X) -> np.ndarray:
        """The log-odds of default."""
        return self.model_.decision_function(self._design(X))

    def predict_proba(self, X) -> np.ndarray:
        """``[P(good), P(default)]`` (uncalibrated)."""
        p = 1 / (1 + np.exp(-self.decision_function(X)))
        return np.column_stack([1 - p, p])

    def contributions(self, X) -> tuple[np.ndarray, float]:
        """Exact Shapley values per input column (against the training mean) and the base value."""
        terms = (self._design(X) - self.design_mean_) * self.model_.coef_[0]
        out = np.zeros((terms.shape[0], len(self.kinds_)))
        for k, j in enumerate(self.owner_):
            out[:, j] += terms[:, k]
        base = float(self.model_.intercept_[0] + self.design_mean_ @ self.model_.coef_[0])
        return out, base


class ForestLogit(ClassifierMixin, BaseEstimator):
    """A random forest whose margin is the log-odds of its probability, explained by rescaled tree SHAP."""

    def __init__(self, n_estimators: int = 200, min_samples_leaf: int = 10, max_features: str | float = "sqrt",
                 monotonic_cst=None, random_state: int = 0):
        self.n_estimators = n_estimators
        self.min_samples_leaf = min_samples_leaf
        self.max_features = max_features
        self.monotonic_cst = monotonic_cst
        self.random_state = random_state

    def fit(self, X, y):
        """Grow the forest (one thread: folds already run in parallel processes)."""
        self.forest_ = RandomForestClassifier(n_estimators=self.n_estimators, min_samples_leaf=self.min_samples_leaf,
                                              max_features=self.max_features, monotonic_cst=self.monotonic_cst,
                                              random_state=self.random_state, n_jobs=1)
        self.forest_.fit(np.asarray(X, dtype=float), np.asarray(y).astype(int))
        self.classes_ = np.array([0, 1])
        return self

    def _p(self, X) -> np.ndarray:
        return np.clip(self.forest_.predict_proba(np.asarray(X, dtype=float))[:, 1], PROB_FLOOR, 1 - PROB_FLOOR)

    def decision_function(self, X) -> np.ndarray:
        """The log-odds of the forest's probability of default (clipped away from 0 and 1)."""
        return logit(self._p(X))

    def predict_proba(self, X) -> np.ndarray:
        """``[P(good), P(default)]`` (uncalibrated)."""
        p = self._p(X)
        return np.column_stack([1 - p, p])

    def contributions(self, X) -> tuple[np.ndarray, float]:
        """Tree SHAP of the probability, rescaled to log-odds so that ``base + row sum == margin``."""
        from analytics.risk.explainer import load_shap  # numba and shap: only explanations need them

        X = np.asarray(X, dtype=float)
        explainer = load_shap().TreeExplainer(self.forest_)
        values = np.asarray(explainer.shap_values(X))
        values = values[:, :, 1] if values.ndim == 3 else values
        expected = float(np.ravel(explainer.expected_value)[-1])
        base = float(logit(np.clip(expected, PROB_FLOOR, 1 - PROB_FLOOR)))
        gap = values.sum(axis=1)   # the forest's own p - E[p] (before the clip)
        margin = self.decision_function(X)
        scale = np.where(np.abs(gap) > 1e-12, (margin - base) / np.where(np.abs(gap) > 1e-12, gap, 1.0), 0.0)
        scaled = values * scale[:, None]
        flat = np.abs(gap) <= 1e-12   # at the mean PD: spread the (tiny) margin gap evenly
        if flat.any():
            scaled[flat] = ((margin - base)[flat] / max(X.shape[1], 1))[:, None]
        return scaled, base
