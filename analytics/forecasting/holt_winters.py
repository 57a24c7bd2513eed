"""statsmodels' Holt-Winters model with a lean result: the same numbers, without the pandas summary tables.

``ExponentialSmoothing.fit`` optimises the parameters and then calls ``_predict`` once to run the smoothing
recursions over the data; ``results.forecast(steps)`` calls it again with a horizon. Besides the recursions,
``_predict`` builds a pandas table of the parameters and a results wrapper, which costs about 1.5 ms a call —
more than the recursions and a good share of a forecast that fits some 60 candidates. :class:`LeanExponentialSmoothing`
runs the very same recursions (the statements of statsmodels 0.15's ``_predict``, in its order, so every value
is bit-for-bit what statsmodels computes; tests/analytics/forecasting/test_holt_winters.py checks that against
statsmodels itself) and returns :class:`SmoothingResult`, which holds what the forecasting families read:
``params``, ``fittedvalues``, ``forecast(steps)`` (and ``mle_retvals``). Box-Cox and ``remove_bias``, which
the families never ask for, go through statsmodels unchanged.

The recursions below follow statsmodels (BSD-3-Clause, Copyright (C) 2006, Jonathan E. Taylor; 2009-2019
statsmodels Developers).
"""
from __future__ import annotations

from typing import Any

import numpy as np
from statsmodels.tsa.holtwinters import ExponentialSmoothing

_TRENDED = {"mul": np.multiply, "add": np.add, None: lambda lvl, b: lvl}
_DETREND = {"mul": np.divide, "add": np.subtract, None: lambda lvl, b: 0}
_DAMPEN = {"mul": np.power, "add": np.multiply, None: lambda b, phi: 0}


class SmoothingResult:
    """The outcome of one smoothing pass: parameters as statsmodels names them, fitted values, forecasts."""

    def __init__(self, model: LeanExponentialSmoothing, params: dict[str, Any], fittedfcast: np.ndarray, h: int):
        self.model, self.params, self.fittedfcast = model, params, fittedfcast
        self.fittedvalues = fittedfcast[: -h - 1]
        self.mle_retvals = None

    @property
    def _results(self) -> SmoothingResult:
        """statsmodels' ``fit`` stores the optimiser's report on ``result._results``: this object itself."""
        return self

    def forecast(self, steps: int = 1) -> np.ndarray:
        """The next ``steps`` values after the data, as ``HoltWintersResults.forecast`` gives them."""
        nobs = self.model.nobs
        return self.model._predict(h=steps, **self.params).fittedfcast[nobs:nobs + steps]


class LeanExponentialSmoothing(ExponentialSmoothing):
    """``ExponentialSmoothing`` whose fits and forecasts return :class:`SmoothingResult`."""

    def _predict(self, h=None, smoothing_level=None, smoothing_trend=None, smoothing_seasonal=None,
                 initial_level=None, initial_trend=None, damping_trend=None, initial_seasons=None,
                 use_boxcox=None, lamda=None, remove_bias=None, is_optimized=None):
        """statsmodels' smoothing recursions (see the module docstring); Box-Cox or bias removal: statsmodels."""
        if use_boxcox not in (None, False) or remove_bias:
            return super()._predict(h=h, smoothing_level=smoothing_level, smoothing_trend=smoothing_trend,
                                    smoothing_seasonal=smoothing_seasonal, initial_level=initial_level,
                                    initial_trend=initial_trend, damping_trend=damping_trend,
                                    initial_seasons=initial_seasons, use_boxcox=use_boxcox, lamda=lamda,
                                    remove_bias=remove_bias, is_optimized=is_optimized)
        fittedfcast, params = _smooth(self, h, smoothing_level, smoothing_trend, smoothing_seasonal, damping_trend,
                                      initial_level, initial_trend, initial_seasons)
        return SmoothingResult(self, {**params, "use_boxcox": use_boxcox, "lamda": None, "remove_bias": remove_bias},
                               fittedfcast, h)


def _smooth(model: ExponentialSmoothing, h: int, alpha, beta, gamma, phi, initial_level, initial_trend,
            initial_seasons) -> tuple[np.ndarray, dict[str, Any]]:
    """The body of statsmodels' ``_predict`` without Box-Cox: (fitted values then ``h + 1`` forecasts, params)."""
    data = model.endog
    damped = model.damped_trend
    has_seasonal = model.has_seasonal
    has_trend = model.has_trend
    trend = model.trend
    seasonal = model.seasonal
    m = model.seasonal_periods
    phi = phi if damped else 1.0
    y = data.squeeze()
    if np.ndim(y) != 1:
        raise NotImplementedError("Only 1 dimensional data supported")
    nobs = model.nobs
    y_alpha = np.zeros((nobs,))
    y_gamma = np.zeros((nobs,))
    alphac = 1 - alpha
    y_alpha[:] = alpha * y
    betac = 1 - beta if beta is not None else 0
    gammac = 1 - gamma if gamma is not None else 0
    if has_seasonal:
        y_gamma[:] = gamma * y
    lvls = np.zeros((nobs + h + 1,))
    b = np.zeros((nobs + h + 1,))
    s = np.zeros((nobs + h + m + 1,))
    lvls[0] = initial_level
    b[0] = initial_trend
    s[:m] = initial_seasons
    phi_h = np.cumsum(np.repeat(phi, h + 1) ** np.arange(1, h + 1 + 1)) if damped else np.arange(1, h + 1 + 1)
    trended, detrend, dampen = _TRENDED[trend], _DETREND[trend], _DAMPEN[trend]
    if seasonal == "mul":
        for i in range(1, nobs + 1):
            lvls[i] = y_alpha[i - 1] / s[i - 1] + (alphac * trended(lvls[i - 1], dampen(b[i - 1], phi)))
            if has_trend:
                b[i] = (beta * detrend(lvls[i], lvls[i - 1])) + (betac * dampen(b[i - 1], phi))
            s[i + m - 1] = y_gamma[i - 1] / trended(lvls[i - 1], dampen(b[i - 1], phi)) + (gammac * s[i - 1])
    elif seasonal == "add":
        for i in range(1, nobs + 1):
            lvls[i] = (y_alpha[i - 1] - (alpha * s[i - 1])
                       + (alphac * trended(lvls[i - 1], dampen(b[i - 1], phi))))
            if has_trend:
                b[i] = (beta * detrend(lvls[i], lvls[i - 1])) + (betac * dampen(b[i - 1], phi))
            s[i + m - 1] = (y_gamma[i - 1] - (gamma * trended(lvls[i - 1], dampen(b[i - 1], phi)))
                            + (gammac * s[i - 1]))
    else:
        for i in range(1, nobs + 1):
            lvls[i] = y_alpha[i - 1] + (alphac * trended(lvls[i - 1], dampen(b[i - 1], phi)))
            if has_trend:
                b[i] = (beta * detrend(lvls[i], lvls[i - 1])) + (betac * dampen(b[i - 1], phi))
    lvls[nobs:] = lvls[nobs]
    if has_trend:
        b[:nobs] = dampen(b[:nobs], phi)
        b[nobs:] = dampen(b[nobs], phi_h)
    level_and_trend = trended(lvls, b)
    if seasonal is not None:
        s[nobs + m - 1:] = [s[(nobs - 1) + j % m] for j in range(h + 1 + 1)]
        fitted = level_and_trend * s[:-m] if seasonal == "mul" else level_and_trend + s[:-m]
    else:
        fitted = level_and_trend
    params = {"smoothing_level": alpha, "smoothing_trend": beta, "smoothing_seasonal": gamma,
              "damping_trend": phi if damped else np.nan, "initial_level": lvls[0],
              "initial_trend": b[0] / phi if phi > 0 else 0, "initial_seasons": s[:m]}
    return fitted, params
