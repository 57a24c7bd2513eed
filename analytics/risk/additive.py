"""Scorecard-like additive logistic models with monotone shapes, and their exact attributions.

Every column is cut into bins learned from the training rows: numeric columns
at their quantiles (plus a "missing" bin), categorical (ordinal-coded) columns
by level (levels seen fewer than ``min_category_count`` times share an "other"
bin, plus "missing"). The log-odds are ``intercept + sum_j f_j(x_j)`` where
``f_j`` is a step function of the column's bin. Two encodings:

* ``steps``: indicator columns ``x > t_k`` (a staircase) fitted freely; for a
  monotone column each step height is bounded to one sign (>= 0 for +1,
  <= 0 for -1), so the staircase only rises (or only falls).
* ``woe``: the classic scorecard — each bin's smoothed weight of evidence
  ``ln((bad_b + 0.5)/(B + 1)) - ln((good_b + 0.5)/(G + 1))``, made monotone by
  pool-adjacent-violators for a monotone column, times one non-negative
  coefficient per column.

Coefficients are fitted by L-BFGS-B on the L2-penalised log loss (penalty
``1 / (2 C)``, scikit-learn's convention). Because the model is additive, the
exact Shapley value of column ``j`` against the training data is
``f_j(x_j) - mean(f_j(X_j))``; the base value is the intercept plus the mean
contributions, so attributions always sum to the margin.
"""
from __future__ import annotations

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.isotonic import IsotonicRegression


class MonotoneAdditiveLogit(ClassifierMixin, BaseEstimator):
    """Additive logistic regression on binned columns, monotone where asked, with exact per-column contributions."""

    def __init__(self, C: float = 0.3, n_bins: int = 10, monotonic_cst=None, categorical_mask=None,
                 min_category_count: int = 10, encoding: str = "steps", woe_trend: str = "auto",
                 max_iter: int = 1000):
        self.C = C
        self.woe_trend = woe_trend
        self.n_bins = n_bins
        self.monotonic_cst = monotonic_cst
        self.categorical_mask = categorical_mask
        self.min_category_count = min_category_count
        self.encoding = encoding
        self.max_iter = max_iter

    # ---- binning ------------------------------------------------------
    def _layout(self, X: np.ndarray) -> list[tuple[str, np.ndarray]]:
        """For each column: ("num", thresholds) or ("cat", frequent levels), from the training rows."""
        cat = np.zeros(X.shape[1], bool) if self.categorical_mask is None else np.asarray(self.categorical_mask, bool)
        layout = []
        for j in range(X.shape[1]):
            present = X[~np.isnan(X[:, j]), j]
            if cat[j]:
                levels, counts = np.unique(present, return_counts=True)
                layout.append(("cat", levels[counts >= self.min_category_count]))
            elif present.size:
                qs = np.quantile(present, np.linspace(0, 1, self.n_bins + 1)[1:-1])
                layout.append(("num", np.unique(qs[qs < present.max()])))
            else:
                layout.append(("num", np.empty(0)))
        return layout

    @staticmethod
    def _bins(col: np.ndarray, kind: str, points: np.ndarray) -> np.ndarray:
        """Bin of each value: ordered bins, then "other" (categorical only), then "missing" last."""
        missing = np.isnan(col)
        if kind == "num":
            out = np.searchsorted(points, np.where(missing, -np.inf, col), side="left")
            return np.where(missing, len(points) + 1, out)
        match = col[:, None] == points[None, :]
        out = np.where(match.any(axis=1), match.argmax(axis=1), len(points))
        return np.where(missing, len(points) + 1, out)

    def _woe_table(self, bins: np.ndarray, y: np.ndarray, n_bins: int, kind: str, sign: int) -> np.ndarray:
        bad = np.bincount(bins, weights=y, minlength=n_bins)
        total = np.bincount(bins, minlength=n_bins).astype(float)
        good = total - bad
        woe = np.log((bad + 0.5) / (bad.sum() + 1)) - np.log((good + 0.5) / (good.sum() + 1))
        ordered = n_bins - 2 if kind == "cat" else n_bins - 1  # the bins with an order (not other/missing)
        if kind == "num" and sign == 0 and self.woe_trend == "auto" and ordered > 2:
            seen = total[:ordered] > 0
            idx = np.arange(ordered)[seen]
            sign = 1 if np.cov(idx, woe[:ordered][seen], aweights=total[:ordered][seen])[0, 1] >= 0 else -1
        if kind == "num" and sign != 0 and ordered > 1:
            seen = total[:ordered] > 0
            iso = IsotonicRegression(increasing=sign > 0)
            idx = np.arange(ordered)
            woe[:ordered][seen] = iso.fit(idx[seen], woe[:ordered][seen], sample_weight=total[:ordered][seen]) \
                .predict(idx[seen])
        woe[total == 0] = 0.0  # a bin never seen in training carries no evidence
        return woe

    def _design(self, X: np.ndarray) -> np.ndarray:
        blocks = []
        for j, (kind, points) in enumerate(self.layout_):
            bins = self._bins(X[:, j], kind, points)
            if self.encoding == "woe":
                blocks.append(self.woe_[j][bins][:, None])
            elif kind == "num":
                blocks.append(np.column_stack([(bins > k) & (bins <= len(points)) for k in range(len(points))]
                                              + [bins == len(points) + 1]).astype(float))
            else:
                blocks.append(np.column_stack([bins == k for k in range(len(points))]
                                              + [bins == len(points) + 1]).astype(float))
        return np.hstack(blocks) if blocks else np.zeros((X.shape[0], 0))

    # ---- fitting ------------------------------------------------------
    def fit(self, X, y):
        """Learn the bins, the encoding and the (sign-bounded) coefficients."""
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        self.n_features_in_ = X.shape[1]
        self.classes_ = np.array([0, 1])
        self.layout_ = self._layout(X)
        cst = np.zeros(X.shape[1], int) if self.monotonic_cst is None else np.asarray(self.monotonic_cst, int)
        bounds, self.slices_, start = [], [], 0
        self.woe_ = []
        for j, (kind, points) in enumerate(self.layout_):
            sign = int(cst[j]) if kind == "num" else 0
            if self.encoding == "woe":
                n_bins = len(points) + (3 if kind == "cat" else 2)
                self.woe_.append(self._woe_table(self._bins(X[:, j], kind, points), y, n_bins, kind, sign))
                width, col_bounds = 1, [(0.0, None)]
            else:
                step = (0.0, None) if sign > 0 else (None, 0.0) if sign < 0 else (None, None)
                width = len(points) + 1
                col_bounds = [step if kind == "num" else (None, None)] * len(points) + [(None, None)]
            bounds += col_bounds
            self.slices_.append(slice(start, start + width))
            start += width
        design = self._design(X)
        penalty = 1.0 / max(self.C, 1e-12)

        def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
            w, b = theta[:-1], theta[-1]
            z = design @ w + b
            residual = expit(z) - y
            value = np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * penalty * w @ w
            return value, np.append(design.T @ residual + penalty * w, residual.sum())

        prior = np.clip(y.mean(), 1e-6, 1 - 1e-6)
        start_w = np.full(design.shape[1], 0.5 if self.encoding == "woe" else 0.0)
        result = minimize(loss, np.append(start_w, np.log(prior / (1 - prior))), jac=True, method="L-BFGS-B",
                          bounds=bounds + [(None, None)], options={"maxiter": self.max_iter})
        self.coef_, self.intercept_ = result.x[:-1], float(result.x[-1])
        self.converged_ = bool(result.success)
        self.mean_contributions_ = self._column_terms(X).mean(axis=0)
        return self

    # ---- predicting ---------------------------------------------------
    def _column_terms(self, X) -> np.ndarray:
        design = self._design(np.asarray(X, dtype=float))
        if not self.slices_:
            return np.zeros((len(design), 0))
        return np.column_stack([design[:, s] @ self.coef_[s] for s in self.slices_])

    def decision_function(self, X) -> np.ndarray:
        """Log-odds of the positive class."""
        return self.intercept_ + self._column_terms(X).sum(axis=1)

    def predict_proba(self, X) -> np.ndarray:
        """Uncalibrated probabilities from the log-odds."""
        p = expit(self.decision_function(X))
        return np.column_stack([1 - p, p])

    def predict(self, X) -> np.ndarray:
        """Class 1 where the probability is at least one half."""
        return (self.decision_function(X) >= 0).astype(int)

    def contributions(self, X) -> tuple[np.ndarray, float]:
        """Exact Shapley values per column (against the training data) and the base value; they sum to the margin."""
        terms = self._column_terms(X)
        return terms - self.mean_contributions_, float(self.intercept_ + self.mean_contributions_.sum())
