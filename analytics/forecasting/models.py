"""Holt-Winters forecasts of one monthly series: a few candidate configurations, weighted by AICc.

Every candidate is an additive-error exponential-smoothing model (statsmodels' ``ExponentialSmoothing``,
initial states estimated with the smoothing parameters by least squares) with

* trend: none, additive, or additive damped;
* season: none, or additive with ``season_length`` (a candidate only with two full seasons, >= 24 months);
* scale: the raw values, or ``log(y)`` when every value is > 0 (and none below 5% of the median) — an
  additive model of ``log(y)`` is a multiplicative model of ``y``, which suits series whose swings grow
  with their level. Zeros or negative values (net cash flow) keep the raw, additive-only candidates.

AICc is computed on the scale of ``y`` for every candidate (the log candidates carry the Jacobian
``2 * sum(log y)``); a candidate needs more points than parameters + 2 to have an AICc at all. The
forecast is the Akaike-weighted average of the candidates (``w ~ exp(-dAICc / 2)``) inside each family
(raw, log), the two families averaged with equal weight; the "chosen" model reported is the one with the
largest weight. Why not the single AICc winner: on four public monthly series and four forecast origins
each (bench/bench_forecast.py) the single winner was less accurate, mostly because the in-sample
likelihood prefers the log family even where the raw one forecasts better; weighting is the standard
remedy (Burnham & Anderson 2002; Kolassa 2011, IJF 27(2)). The combination's bounds are the weighted
average of the components' bounds (quantile averaging). Intervals are the analytic ETS(A,*,*) ones (Hyndman et al. 2008,
class 1): ``var_h = sigma^2 * (1 + sum_{j<h} c_j^2)`` with ``c_j = alpha * (1 + beta * (phi + ... + phi^j))
+ gamma * [j mod m == 0]``; a log model's bounds are exponentiated (quantiles survive the transform) and
its point forecast is the back-transformed median ``exp(mean of log y)``.

Fewer than 4 observed points: the naive forecast (last value), interval from the month-to-month changes
as a random walk (none from a single point). Gaps: leading missing months are dropped, interior ones
linearly interpolated, trailing ones forecast by the model; all are reported in ``notes``.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.stats import norm
from statsmodels.tsa.holtwinters import ExponentialSmoothing
from threadpoolctl import threadpool_limits

MIN_MODEL_POINTS = 4
# log candidates need every value > 0 and none below this share of the median: a near-zero month would
# become a huge outlier on the log scale and blow the interval up multiplicatively
LOG_MIN_SHARE_OF_MEDIAN = 0.05


@dataclass(frozen=True)
class ModelConfig:
    """One candidate: trend (none/additive/damped), additive season or not, raw or log scale."""

    trend: bool = False
    damped: bool = False
    seasonal: bool = False
    log: bool = False

    @property
    def name(self) -> str:
        trend = "Ad" if self.damped else ("A" if self.trend else "N")
        return f"ETS(A,{trend},{'A' if self.seasonal else 'N'})" + (" on log(y)" if self.log else "")

    def n_params(self, season_length: int) -> int:
        """Estimated parameters: alpha + level, beta + trend, phi, gamma + (m - 1) seasonal states."""
        return 2 + 2 * self.trend + self.damped + season_length * self.seasonal


def candidate_configs(n: int, season_length: int, positive: bool) -> list[ModelConfig]:
    """The configurations worth trying on ``n`` points: season only with two full seasons, log only if > 0."""
    trends = [(False, False), (True, True), (True, False)]
    seasons = [False, True] if season_length > 1 and n >= 2 * season_length else [False]
    logs = [False, True] if positive else [False]
    return [ModelConfig(t, d, s, lg) for lg in logs for s in seasons for t, d in trends]


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
            model = ExponentialSmoothing(
                (z - self.center) / self.spread, trend="add" if c.trend else None, damped_trend=c.damped,
                seasonal="add" if c.seasonal else None,
                seasonal_periods=self.season_length if c.seasonal else None, initialization_method="known",
                **known)
            res = model.fit(smoothing_level=rp["smoothing_level"],
                            smoothing_trend=rp["smoothing_trend"] if c.trend else None,
                            smoothing_seasonal=rp["smoothing_seasonal"] if c.seasonal else None,
                            damping_trend=rp["damping_trend"] if c.damped else None, optimized=False)
        pred = self.center + self.spread * np.asarray(res.fittedvalues, dtype=float)
        return np.exp(pred) if c.log else pred


def _clean(value: Any) -> float | None:
    value = float(value)
    return None if math.isnan(value) else round(value, 6)


def fit_config(y: np.ndarray, config: ModelConfig, season_length: int) -> FittedModel | None:
    """Fit one candidate to ``y``; None when statsmodels cannot fit it (too few points, no convergence)."""
    z = np.log(y) if config.log else y
    center, spread = float(np.mean(z)), float(np.std(z)) or 1.0
    m = season_length if config.seasonal else 1
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = ExponentialSmoothing(  # fitted on the standardised series: a well-scaled optimisation
                (z - center) / spread, trend="add" if config.trend else None, damped_trend=config.damped,
                seasonal="add" if config.seasonal else None, seasonal_periods=m if config.seasonal else None,
                initialization_method="estimated")
            result = model.fit(use_brute=False, method="SLSQP")
    except (ValueError, np.linalg.LinAlgError):
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
    rp = result.params
    params = {"alpha": _clean(rp["smoothing_level"]),
              "beta": _clean(rp["smoothing_trend"]) if config.trend else None,
              "gamma": _clean(rp["smoothing_seasonal"]) if config.seasonal else None,
              "phi": _clean(rp["damping_trend"]) if config.damped else None,
              "initial_level": _clean(center + spread * rp["initial_level"]),
              "initial_trend": _clean(spread * rp["initial_trend"]) if config.trend else None,
              "initial_seasons": [_clean(spread * v) for v in rp["initial_seasons"]] if config.seasonal else None,
              "sigma2": _clean(sigma2), "scale": "log(y)" if config.log else "y"}
    return FittedModel(config, season_length, params, sigma2, aicc, resid, result, center, spread)


def prepare_values(values: list[float | None]) -> tuple[np.ndarray, int, list[str], int]:
    """Observed series with interior gaps interpolated: (y, trailing gap count, notes, leading gap count)."""
    arr = np.array([np.nan if v is None else float(v) for v in values], dtype=float)
    if np.isinf(arr).any():
        raise ValueError("values must be finite numbers or None")
    observed = np.flatnonzero(~np.isnan(arr))
    if observed.size == 0:
        raise ValueError("the series has no observed value")
    first, last = int(observed[0]), int(observed[-1])
    notes = []
    if first:
        notes.append(f"{first} leading missing month(s) dropped")
    y = arr[first:last + 1]
    gaps = np.flatnonzero(np.isnan(y))
    if gaps.size:
        y = y.copy()
        y[gaps] = np.interp(gaps, np.flatnonzero(~np.isnan(y)), y[~np.isnan(y)])
        notes.append(f"{gaps.size} missing month(s) linearly interpolated at positions "
                     f"{[int(g) + first for g in gaps]}")
    trailing = len(arr) - 1 - last
    return y, trailing, notes, first


def combination_weights(fits: list[FittedModel], min_weight: float = 1e-3) -> np.ndarray:
    """Akaike weights within each family (raw, log), the families weighted equally; tiny weights dropped.

    ``w_i = exp(-(AICc_i - AICc_min) / 2)`` normalised inside the family (Burnham & Anderson 2002; Kolassa
    2011 for exponential smoothing). Candidates without a finite AICc get no weight.
    """
    weights = np.zeros(len(fits))
    families = sorted({f.config.log for f in fits if math.isfinite(f.aicc)})
    for family in families:
        idx = [i for i, f in enumerate(fits) if f.config.log == family and math.isfinite(f.aicc)]
        aicc = np.array([fits[i].aicc for i in idx])
        w = np.exp(-(aicc - aicc.min()) / 2)
        weights[idx] = w / w.sum() / len(families)
    weights[weights < min_weight] = 0.0
    return weights / weights.sum() if weights.sum() > 0 else weights


class SeriesForecaster:
    """Fit a monthly series (``fit``), then forecast it (``predict``): an AICc-weighted ETS combination."""

    def __init__(self, season_length: int = 12, level: float = 0.8, configs: list[ModelConfig] | None = None):
        self.season_length = season_length
        self.level = level
        self.configs = configs

    def fit(self, values: list[float | None]) -> "SeriesForecaster":
        """Fit every candidate and weight them; ``configs`` (if given) restricts the candidates (back-tests)."""
        y, self.trailing_gap_, self.notes_, self.offset_ = prepare_values(values)
        self.y_, self.fits_, self.weights_, self.kind_ = y, [], np.zeros(0), "ets"
        if len(y) < MIN_MODEL_POINTS:
            self.kind_ = "naive"
            self.notes_.append(f"only {len(y)} observed point(s): naive forecast (last value), no model")
            return self
        if np.ptp(y) == 0:
            self.kind_ = "constant"
            self.notes_.append("the series is constant: forecast is that value, with a zero-width interval")
            return self
        positive = bool(np.all(y > 0) and y.min() >= LOG_MIN_SHARE_OF_MEDIAN * np.median(y))
        configs = self.configs or candidate_configs(len(y), self.season_length, positive)
        # one BLAS thread: the optimiser's tiny LAPACK calls are 10-20x slower when OpenBLAS spins threads
        with threadpool_limits(limits=1, user_api="blas"):
            self.fits_ = [f for f in (fit_config(y, c, self.season_length) for c in configs) if f is not None]
        if not self.fits_:
            raise ValueError("no candidate model could be fitted")
        self.weights_ = combination_weights(self.fits_)
        if self.weights_.sum() == 0:  # too few points for any AICc: keep the simplest model fitted
            self.notes_.append("too few points for AICc: the simplest candidate fitted was kept")
            simplest = min(range(len(self.fits_)), key=lambda i: self.fits_[i].config.n_params(self.season_length))
            self.weights_[simplest] = 1.0
        if len(y) < 2 * self.season_length:
            self.notes_.append(f"{len(y)} points < two seasons ({2 * self.season_length}): no seasonal model")
        return self

    def _raw_predict(self, steps: int) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
        y = self.y_
        if self.kind_ == "constant":
            flat = np.full(steps, y[-1])
            return flat, flat, flat
        if self.kind_ == "naive":
            point = np.full(steps, y[-1])
            if len(y) < 2:
                return point, None, None
            sd = math.sqrt(float(np.mean(np.square(np.diff(y)))))
            half = norm.ppf(0.5 + self.level / 2) * sd * np.sqrt(np.arange(1, steps + 1))
            return point, point - half, point + half
        parts = [(w, f.predict(steps, self.level)) for w, f in zip(self.weights_, self.fits_) if w > 0]
        # the combination's bounds are the weighted average of the components' bounds (quantile averaging)
        return tuple(sum(w * p[i] for w, p in parts) for i in range(3))

    def predict(self, horizon: int) -> dict[str, Any]:
        """``horizon`` point forecasts after the last month given (trailing gaps are forecast first)."""
        point, lower, upper = self._raw_predict(self.trailing_gap_ + horizon)
        notes = list(self.notes_)
        g = self.trailing_gap_
        if g:
            notes.append(f"{g} trailing missing month(s) filled with forecasts {np.round(point[:g], 4).tolist()}")
        if lower is None:
            notes.append("one observed point: no interval can be estimated")
        bounds = (lambda a: [None] * horizon) if lower is None else (lambda a: [_clean(v) for v in a[g:]])
        return {"forecast": [_clean(v) for v in point[g:]], "lower": bounds(lower), "upper": bounds(upper),
                "level": self.level, "model": self.describe(), "params": self.params(), "notes": notes}

    def one_step_ahead(self, values: list[float | None]) -> list[float] | None:
        """One-step predictions for every position of ``values`` (a longer version of the series fitted),
        parameters and weights frozen: what a back-test without re-estimation needs. None when the
        frozen model cannot run over them (a gap after the start, a log model meeting a value <= 0)."""
        tail = values[self.offset_:]
        if self.kind_ != "ets" or any(v is None or math.isnan(v) for v in tail):
            return None
        y = np.asarray(tail, dtype=float)
        parts = [(w, f) for w, f in zip(self.weights_, self.fits_) if w > 0]
        if any(f.config.log for _, f in parts) and np.any(y <= 0):
            return None
        pred = sum(w * f.one_step(y) for w, f in parts)
        return [math.nan] * self.offset_ + [float(v) for v in pred]

    @property
    def best_(self) -> FittedModel | None:
        """The candidate with the largest weight (None for the naive and constant fallbacks)."""
        return self.fits_[int(np.argmax(self.weights_))] if self.fits_ else None

    @property
    def configs_(self) -> list[ModelConfig]:
        """The configurations that carry weight: what a back-test re-estimates at each origin."""
        return [f.config for w, f in zip(self.weights_, self.fits_) if w > 0]

    def params(self) -> dict[str, Any]:
        """Fitted parameters (alpha, beta, gamma, phi, initial states, sigma2) of the largest-weight model."""
        if self.best_ is not None:
            return {"model": self.best_.config.name, **self.best_.params}
        if self.kind_ == "naive" and len(self.y_) >= 2:
            return {"last_value": _clean(self.y_[-1]),
                    "step_sd": _clean(math.sqrt(float(np.mean(np.square(np.diff(self.y_))))))}
        return {"last_value": _clean(self.y_[-1])}

    def describe(self) -> dict[str, Any]:
        """What was fitted: the chosen (largest-weight) model, and every candidate with AICc, weight, params."""
        if self.best_ is None:
            name = {"naive": "naive (last value)", "constant": "constant"}[self.kind_]
            return {"name": name, "n_obs": len(self.y_), "components": []}
        used = int(np.count_nonzero(self.weights_))
        c = self.best_.config
        return {"name": c.name if used == 1 else f"AICc-weighted combination of {used} ETS models",
                "chosen": c.name, "trend": "add" if c.trend else None, "damped": c.damped,
                "seasonal": "add" if c.seasonal else None,
                "season_length": self.season_length if c.seasonal else None,
                "transform": "log" if c.log else None, "n_obs": len(self.y_),
                "selection": "Akaike weights by AICc within the raw and the log family, families weighted "
                             "equally, weights < 0.001 dropped",
                "components": [{"model": f.config.name, "weight": round(float(w), 4),
                                "aicc": _clean(f.aicc) if math.isfinite(f.aicc) else None,
                                **({"params": f.params} if w > 0 else {})}
                               for w, f in zip(self.weights_, self.fits_)]}
