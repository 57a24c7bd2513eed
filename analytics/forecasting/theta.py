"""The Theta family: the classical Theta method (Assimakopoulos & Nikolopoulos 2000), winner of M3's monthly data.

As statsmodels' ``ThetaModel`` computes it (Hyndman & Billah 2003: simple exponential smoothing with drift),
written out here because the back-test needs its one-step predictions with everything fitted kept fixed:

1. seasonal series (:func:`.seasonality.is_seasonal`): divide by the indices of a classical multiplicative
   decomposition (``statsmodels.tsa.seasonal.seasonal_decompose``; additive, subtracting, when a value is <= 0);
2. ``b0`` = the OLS slope of the adjusted series ``x`` on time;
3. ``alpha`` = the SES smoothing parameter fitted to ``x`` with the first value as initial level;
4. forecast ``h`` steps after ``n`` points: ``L_n + b0 / 2 * (h - 1 + (1 - (1 - alpha)^n) / alpha)`` (``L_n`` the
   SES level), times (plus) the seasonal index of that month.

Interval: the method is an ARIMA(0,1,1) with drift, so ``var_h = sigma^2 * (1 + (h - 1) * alpha^2)`` on the
adjusted scale, ``sigma^2`` the mean squared one-step error of ``x``; the bounds are then re-seasonalised.
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from scipy.signal import lfilter
from scipy.stats import norm

from analytics.forecasting.family import FamilyFitError, clean

MIN_POINTS = 4


class ThetaFamily:
    """Theta method (theta = 2) on the seasonally adjusted series: ``fit(y)``, then ``predict`` / ``one_step``."""

    name = "Theta"

    def __init__(self, season_length: int, seasonal: bool, positive: bool):
        self.season_length, self.seasonal, self.positive = season_length, seasonal, positive

    def _adjust(self, y: np.ndarray) -> np.ndarray:
        idx = self.indices_[np.arange(len(y)) % self.season_length] if self.indices_ is not None else None
        if idx is None:
            return np.asarray(y, dtype=float)
        return y / idx if self.decomposition_ == "multiplicative" else y - idx

    def _reseason(self, x: np.ndarray, start: int) -> np.ndarray:
        if self.indices_ is None:
            return x
        idx = self.indices_[(start + np.arange(len(x))) % self.season_length]
        return x * idx if self.decomposition_ == "multiplicative" else x + idx

    def _drift_factor(self, t: np.ndarray) -> np.ndarray:
        """``(1 - (1 - alpha)^t) / alpha``, which tends to ``t`` as alpha -> 0."""
        a = self.alpha_
        return t.astype(float) if a < 1e-8 else (1 - (1 - a) ** t) / a

    def _levels(self, x: np.ndarray) -> np.ndarray:
        """SES levels ``L_0 .. L_len(x)`` (``L_0 = x0`` fitted, ``L_t`` after ``t`` values)."""
        a = self.alpha_
        after, _ = lfilter([a], [1, -(1 - a)], x, zi=[(1 - a) * self.x0_])
        return np.concatenate([[self.x0_], after])

    def fit(self, y: np.ndarray) -> ThetaFamily:
        """Decompose (if seasonal), fit the drift and the SES parameter; FamilyFitError below 4 points."""
        n, m = len(y), self.season_length
        if n < MIN_POINTS:
            raise FamilyFitError(f"Theta needs {MIN_POINTS} points, got {n}")
        self.indices_, self.decomposition_ = None, None
        if self.seasonal and n >= 2 * m:
            from statsmodels.tsa.seasonal import seasonal_decompose

            kind = "multiplicative" if np.all(y > 0) else "additive"
            seasonal = seasonal_decompose(y, model=kind, period=m).seasonal
            if kind == "multiplicative" and seasonal.min() <= 0:
                kind, seasonal = "additive", seasonal_decompose(y, model="additive", period=m).seasonal
            self.indices_, self.decomposition_ = np.asarray(seasonal[:m], dtype=float), kind
        x = self._adjust(y)
        t = np.arange(n, dtype=float)
        self.b0_ = float(np.polyfit(t, x, 1)[0])
        from analytics.forecasting.holt_winters import LeanExponentialSmoothing

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ses = LeanExponentialSmoothing(x, initial_level=x[0], initialization_method="known").fit()
        self.alpha_, self.x0_, self.n_ = float(ses.params["smoothing_level"]), float(x[0]), n
        self.last_level_ = float(self._levels(x)[-1])
        x_pred = self._one_step_adjusted(x)
        resid = x[1:] - x_pred[1:n]
        self.sigma2_ = float(np.mean(resid ** 2)) if resid.size else 0.0
        self.fitted_ = self._reseason(x_pred[:n], 0)
        return self

    def _one_step_adjusted(self, x: np.ndarray) -> np.ndarray:
        """Predictions of ``x_t`` from ``x[:t]`` for t = 0 .. len(x): ``L_t + b0 / 2 * drift(t)``."""
        levels = self._levels(x)
        return levels + self.b0_ / 2 * self._drift_factor(np.arange(len(levels)))

    def predict(self, steps: int, level: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Point forecast and the central ``level`` interval for the next ``steps`` months."""
        n, a = self.n_, self.alpha_
        h = np.arange(1, steps + 1)
        x_hat = self.last_level_ + self.b0_ / 2 * (h - 1 + self._drift_factor(np.array([n]))[0])
        half = norm.ppf(0.5 + level / 2) * np.sqrt(self.sigma2_ * (1 + (h - 1) * a ** 2))
        point, lower, upper = (self._reseason(v, n) for v in (x_hat, x_hat - half, x_hat + half))
        return point, np.minimum(lower, upper), np.maximum(lower, upper)

    def one_step(self, y: np.ndarray) -> np.ndarray:
        """Frozen one-step predictions over ``y`` (a longer version of the series fitted)."""
        return self._reseason(self._one_step_adjusted(self._adjust(y))[:len(y)], 0)

    def params(self) -> dict[str, Any]:
        """alpha, the drift b0 (per month, adjusted scale), the seasonal indices and sigma2."""
        return {"model": self.describe()["model"], "alpha": clean(self.alpha_), "b0": clean(self.b0_),
                "theta": 2.0, "seasonal_indices": None if self.indices_ is None else [clean(v) for v in self.indices_],
                "decomposition": self.decomposition_, "sigma2": clean(self.sigma2_)}

    def describe(self) -> dict[str, Any]:
        """The method and whether (and how) the series was seasonally adjusted."""
        adjusted = (f"{self.decomposition_} classical decomposition, m = {self.season_length}"
                    if self.indices_ is not None else "no seasonal adjustment")
        return {"model": f"Theta(2), {adjusted}", "seasonal": self.decomposition_,
                "season_length": self.season_length if self.indices_ is not None else None}
