"""The ETS family: additive-error exponential-smoothing candidates, weighted by AICc.

Every candidate is statsmodels' ``ExponentialSmoothing`` (initial states estimated with the smoothing
parameters by least squares, i.e. Gaussian maximum likelihood) with

* trend: none, additive, or additive damped;
* season (``season_length``) when the series is seasonal (:func:`.seasonality.is_seasonal`), none otherwise.
  The test decides, not AICc: with two or three years of data AICc, which counts the ``m`` initial seasonal
  states as parameters, drops a season the data plainly has;
* scale: for a series with a value <= 0 (or one below 5% of the median), the raw values with an additive
  season; for a positive series, the raw values with a multiplicative season (Holt-Winters' multiplicative
  method: business seasons grow with the business) and ``log(y)`` with an additive season (a multiplicative
  model of ``y`` whose errors grow with the level too).

AICc is computed on the scale of ``y`` for every candidate (the log candidates carry the Jacobian
``2 * sum(log y)``); a candidate needs more points than parameters + 2 to have one. The family's forecast is
the Akaike-weighted average (``w ~ exp(-dAICc / 2)``, Burnham & Anderson 2002; Kolassa 2011) inside each of the
raw and log groups, the two groups averaged with equal weight (the in-sample likelihood prefers one group by a
wide margin even where the other forecasts as well). Bounds are the weighted average of the candidates' bounds
(quantile averaging). Intervals are the analytic ETS(A,*,*) ones (Hyndman et al. 2008, class 1): ``var_h =
sigma^2 * (1 + sum_{j<h} c_j^2)``, ``c_j = alpha * (1 + beta * (phi + ... + phi^j)) + gamma * [j mod m == 0]``; a
log candidate's bounds are exponentiated and its point forecast is the back-transformed median; a multiplicative
season's ``sigma^2`` is that of the relative errors (error / fitted), so its interval scales with the forecast.
Fits are warm-started from the parameters a fit of the same candidate to a prefix of the series found (the
back-test's earlier windows), which saves a good part of the optimiser's iterations. The model is statsmodels'
with a lean result (:mod:`.holt_winters`: the same numbers without its pandas tables).
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.stats import norm
from analytics.forecasting.family import FamilyFitError, clean
from analytics.forecasting.holt_winters import LeanExponentialSmoothing


@dataclass(frozen=True)
class ModelConfig:
    """One candidate: trend (none/additive/damped), additive season or not, raw or log scale."""

    trend: bool = False
    damped: bool = False
    seasonal: bool = False
    log: bool = False
    multiplicative: bool = False  # a multiplicative season on the raw scale (seasonal, positive series only)

    @property
    def name(self) -> str:
        """Hyndman's ETS(error, trend, season) label, e.g. ``ETS(A,Ad,M)``, plus " on log(y)"."""
        trend = "Ad" if self.damped else ("A" if self.trend else "N")
        season = ("M" if self.multiplicative else "A") if self.seasonal else "N"
        return f"ETS(A,{trend},{season})" + (" on log(y)" if self.log else "")

    def n_params(self, season_length: int) -> int:
        """Estimated parameters: alpha + level, beta + trend, phi, gamma + (m - 1) seasonal states."""
        return 2 + 2 * self.trend + self.damped + season_length * self.seasonal


def candidate_configs(n: int, season_length: int, positive: bool, seasonal: bool) -> list[ModelConfig]:
    """The configurations worth trying on ``n`` points, three trends each: seasonal ones when ``seasonal`` (and
    two full seasons), non-seasonal ones otherwise; for a positive series, the season on the raw scale is
    multiplicative and the log scale is tried too."""
    trends = [(False, False), (True, True), (True, False)]
    season = seasonal and season_length > 1 and n >= 2 * season_length
    kinds = [(False, season and positive)] + ([(True, False)] if positive else [])
    return [ModelConfig(t, d, season, lg, mul) for lg, mul in kinds for t, d in trends]


@dataclass
class FittedModel:
    """One fitted candidate with what its forecasts and AICc need."""

    config: ModelConfig
    season_length: int
    params: dict[str, Any]
    sigma2: float
    aicc: float
    residuals: np.ndarray
    _result: Any = field(repr=False)
    center: float = 0.0
    spread: float = 1.0

    def predict(self, steps: int, level: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Point forecast and the central ``level`` interval for the next ``steps`` months."""
        z_mean = self.center + self.spread * np.asarray(self._result.forecast(steps), dtype=float)
        p = self.params
        alpha, gamma = p["alpha"], p.get("gamma") or 0.0
        beta, phi = p.get("beta") or 0.0, p.get("phi") or 1.0
        m = self.season_length
        c = [alpha * (1 + beta * sum(phi ** i for i in range(1, j + 1)))
             + (gamma if self.config.seasonal and j % m == 0 else 0.0) for j in range(1, steps)]
        var = self.sigma2 * (1 + np.concatenate([[0.0], np.cumsum(np.square(c))]))
        half = norm.ppf(0.5 + level / 2) * np.sqrt(var)
        if self.config.multiplicative:  # sigma2 is the variance of the relative errors: the interval scales
            half = half * z_mean
        lower, upper = z_mean - half, z_mean + half
        if self.config.log:
            return np.exp(z_mean), np.exp(lower), np.exp(upper)
        return z_mean, lower, upper

    def one_step(self, y: np.ndarray) -> np.ndarray:
        """One-step-ahead predictions over ``y`` (which starts where the training data started) with the
        parameters and initial states fixed as fitted: position ``t`` uses only ``y[:t]``."""
        z = np.log(y) if self.config.log else y
        rp, c = self._result.params, self.config
        known = {"initial_level": rp["initial_level"]}
        if c.trend:
            known["initial_trend"] = rp["initial_trend"]
        if c.seasonal:
            known["initial_seasonal"] = rp["initial_seasons"]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = LeanExponentialSmoothing(
                (z - self.center) / self.spread, trend="add" if c.trend else None, damped_trend=c.damped,
                seasonal=_season(c), seasonal_periods=self.season_length if c.seasonal else None,
                initialization_method="known",
                **known)
            res = model.fit(smoothing_level=rp["smoothing_level"],
                            smoothing_trend=rp["smoothing_trend"] if c.trend else None,
                            smoothing_seasonal=rp["smoothing_seasonal"] if c.seasonal else None,
                            damping_trend=rp["damping_trend"] if c.damped else None, optimized=False)
        pred = self.center + self.spread * np.asarray(res.fittedvalues, dtype=float)
        return np.exp(pred) if c.log else pred


def _season(config: ModelConfig) -> str | None:
    return ("mul" if config.multiplicative else "add") if config.seasonal else None


def _start_vector(start: dict, config: ModelConfig, center: float, spread: float) -> np.ndarray:
    """A previous fit's parameters (``FittedModel.params``) in statsmodels' order, on this fit's standardised scale."""
    vec = [start["alpha"]]
    vec += [start["beta"]] if config.trend else []
    vec += [start["gamma"]] if config.seasonal else []
    vec += [(start["initial_level"] - center) / spread]
    vec += [start["initial_trend"] / spread] if config.trend else []
    vec += [start["phi"]] if config.damped else []
    ratio = 1.0 if config.multiplicative else spread  # multiplicative seasonal states are ratios: not rescaled
    vec += [v / ratio for v in start["initial_seasons"]] if config.seasonal else []
    return np.asarray(vec, dtype=float)


def fit_config(y: np.ndarray, config: ModelConfig, season_length: int, start: dict | None = None) -> FittedModel | None:
    """Fit one candidate to ``y``, from ``start`` (a fit of the same candidate to a prefix of ``y``) when given;
    None when statsmodels cannot fit it (too few points, no convergence)."""
    z = np.log(y) if config.log else y
    # fitted on the standardised series: a well-scaled optimisation; a multiplicative season needs the values
    # positive, so it is only divided by their mean
    center, spread = (0.0, float(np.mean(z))) if config.multiplicative else (float(np.mean(z)), float(np.std(z)) or 1.0)
    m = season_length if config.seasonal else 1
    result = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = LeanExponentialSmoothing(
            (z - center) / spread, trend="add" if config.trend else None, damped_trend=config.damped,
            seasonal=_season(config), seasonal_periods=m if config.seasonal else None,
            initialization_method="estimated")
        for begin in ([_start_vector(start, config, center, spread)] if start else []) + [None]:
            try:
                result = model.fit(use_brute=False, method="SLSQP", start_params=begin)
                break
            except (ValueError, np.linalg.LinAlgError):
                continue
    if result is None:
        return None
    resid = np.asarray(z - (center + spread * result.fittedvalues), dtype=float)
    if not np.all(np.isfinite(resid)):
        return None
    n, k = len(z), config.n_params(season_length) + 1  # + sigma^2
    scale = float(np.mean(np.abs(z))) or 1.0
    sse = max(float(resid @ resid), n * (1e-9 * scale) ** 2)  # a perfect fit must not give log(0)
    minus_2ll = n * (math.log(2 * math.pi * sse / n) + 1) + (2 * float(np.sum(z)) if config.log else 0.0)
    aicc = minus_2ll + 2 * k + 2 * k * (k + 1) / (n - k - 1) if n - k - 1 > 0 else math.inf
    sigma2 = sse / max(n - k + 1, 1)
    if config.multiplicative:  # relative errors: the interval of a multiplicative season grows with the level
        fitted = z - resid
        sigma2 = float(np.sum((resid / fitted) ** 2)) / max(n - k + 1, 1)
    rp = result.params
    ratio = 1.0 if config.multiplicative else spread
    params = {"alpha": clean(rp["smoothing_level"]),
              "beta": clean(rp["smoothing_trend"]) if config.trend else None,
              "gamma": clean(rp["smoothing_seasonal"]) if config.seasonal else None,
              "phi": clean(rp["damping_trend"]) if config.damped else None,
              "initial_level": clean(center + spread * rp["initial_level"]),
              "initial_trend": clean(spread * rp["initial_trend"]) if config.trend else None,
              "initial_seasons": [clean(ratio * v) for v in rp["initial_seasons"]] if config.seasonal else None,
              "sigma2": clean(sigma2), "scale": "log(y)" if config.log else "y",
              **({"sigma2_is": "relative (error / fitted)"} if config.multiplicative else {})}
    return FittedModel(config, season_length, params, sigma2, aicc, resid, result, center, spread)


def combination_weights(fits: list[FittedModel], min_weight: float = 1e-3) -> np.ndarray:
    """Akaike weights within each group (raw scale, log scale), the groups weighted equally; tiny weights dropped.

    ``w_i = exp(-(AICc_i - AICc_min) / 2)`` normalised inside the group (Burnham & Anderson 2002; Kolassa
    2011 for exponential smoothing). Candidates without a finite AICc get no weight.
    """
    weights = np.zeros(len(fits))
    groups = sorted({f.config.log for f in fits if math.isfinite(f.aicc)})
    for group in groups:
        idx = [i for i, f in enumerate(fits) if f.config.log == group and math.isfinite(f.aicc)]
        aicc = np.array([fits[i].aicc for i in idx])
        w = np.exp(-(aicc - aicc.min()) / 2)
        weights[idx] = w / w.sum() / len(groups)
    weights[weights < min_weight] = 0.0
    return weights / weights.sum() if weights.sum() > 0 else weights


class EtsFamily:
    """AICc-weighted ETS candidates of one series: ``fit(y)``, then ``predict`` / ``one_step``."""

    name = "ETS"

    def __init__(self, season_length: int, seasonal: bool, positive: bool, start: dict | None = None,
                 configs: list[ModelConfig] | None = None):
        self.season_length, self.seasonal, self.positive, self.configs = season_length, seasonal, positive, configs
        self.start = start or {}

    def fit(self, y: np.ndarray) -> EtsFamily:
        """Fit every candidate (warm-started from ``start``, candidate name -> the params of a fit to a prefix
        of ``y``) and weight them by AICc; FamilyFitError when none can be fitted."""
        configs = self.configs or candidate_configs(len(y), self.season_length, self.positive, self.seasonal)
        self.fits_ = [f for f in (fit_config(y, c, self.season_length, self.start.get(c.name)) for c in configs)
                      if f is not None]
        self.start_params_ = {f.config.name: f.params for f in self.fits_}
        if not self.fits_:
            raise FamilyFitError("no ETS candidate could be fitted")
        self.weights_ = combination_weights(self.fits_)
        self.note_ = None
        if self.weights_.sum() == 0:  # too few points for any AICc: keep the simplest model fitted
            self.note_ = "too few points for AICc: the simplest ETS candidate fitted was kept"
            simplest = min(range(len(self.fits_)), key=lambda i: self.fits_[i].config.n_params(self.season_length))
            self.weights_[simplest] = 1.0
        fitted = [(w, np.exp(np.log(y) - f.residuals) if f.config.log else y - f.residuals)
                  for w, f in zip(self.weights_, self.fits_) if w > 0]
        self.fitted_ = sum(w * v for w, v in fitted)
        return self

    def _parts(self) -> list[tuple[float, FittedModel]]:
        return [(float(w), f) for w, f in zip(self.weights_, self.fits_) if w > 0]

    def predict(self, steps: int, level: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Weighted point forecasts and bounds (quantile averaging) of the candidates with weight."""
        parts = [(w, f.predict(steps, level)) for w, f in self._parts()]
        return tuple(sum(w * p[i] for w, p in parts) for i in range(3))

    def one_step(self, y: np.ndarray) -> np.ndarray | None:
        """Frozen one-step predictions over ``y`` (see :meth:`FittedModel.one_step`); None when a log
        candidate meets a value <= 0."""
        parts = self._parts()
        if any(f.config.log for _, f in parts) and np.any(y <= 0):
            return None
        return sum(w * f.one_step(y) for w, f in parts)

    @property
    def best_(self) -> FittedModel:
        """The candidate with the largest AICc weight."""
        return self.fits_[int(np.argmax(self.weights_))]

    @property
    def configs_(self) -> list[ModelConfig]:
        """The configurations that carry weight."""
        return [f.config for _, f in self._parts()]

    def params(self) -> dict[str, Any]:
        """alpha, beta, gamma, phi, initial states and sigma2 of the largest-weight candidate."""
        return {"model": self.best_.config.name, **self.best_.params}

    def describe(self) -> dict[str, Any]:
        """The largest-weight candidate's structure, and every candidate with its AICc and weight."""
        c = self.best_.config
        used = len(self._parts())
        return {"model": c.name if used == 1 else f"AICc-weighted combination of {used} ETS models",
                "chosen": c.name, "trend": "add" if c.trend else None, "damped": c.damped,
                "seasonal": "add" if c.seasonal else None,
                "season_length": self.season_length if c.seasonal else None,
                "transform": "log" if c.log else None,
                "selection": "Akaike weights by AICc within the raw and the log group, groups weighted equally, "
                             "weights < 0.001 dropped",
                "candidates": [{"model": f.config.name, "weight": round(float(w), 4),
                                "aicc": clean(f.aicc) if math.isfinite(f.aicc) else None,
                                **({"params": f.params} if w > 0 else {})}
                               for w, f in zip(self.weights_, self.fits_)]}
