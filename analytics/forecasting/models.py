"""Forecasts of one monthly series: ETS, Theta and ARIMA, weighted by a back-test on the series itself.

``SeriesForecaster(season_length, level).fit(values).predict(horizon)``:

1. gaps: leading missing months are dropped, interior ones linearly interpolated, trailing ones forecast by
   the model; all are reported in ``notes``;
2. one seasonality decision for the series (:func:`.seasonality.is_seasonal`), shared by every family;
3. three families (:mod:`.ets`, :mod:`.theta`, :mod:`.arima`), each with its own small model choice;
4. their weights from a rolling-origin back-test on the data given, never on what is forecast
   (:mod:`.combine`): inverse MASE over the last one or two years;
5. the forecast is the weighted average of the families' forecasts, its bounds the weighted average of their
   bounds (quantile averaging, Lichtendahl et al. 2013), at the requested level.

Fewer than 4 observed points: the naive forecast (last value), interval from the month-to-month changes as a
random walk (none from a single point). A constant series: that constant with a zero-width interval.
"""
from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
from scipy.stats import norm
from threadpoolctl import threadpool_limits

from analytics.forecasting.combine import FAMILIES, backtest_windows, family_backtest, fit_family, inverse_error_weights
from analytics.forecasting.family import FamilyFitError, clean, log_scale_ok
from analytics.forecasting.seasonality import seasonality_test

MIN_MODEL_POINTS = 4
MIN_WEIGHT = 1e-3
_ONE_THREAD = threading.local()


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """BLAS on one thread inside the block: the optimisers' tiny LAPACK calls are 10-20x slower when OpenBLAS
    spins threads. Inside an outer such block (same thread) it does nothing, so a forecast of several series
    looks the loaded libraries up once, not once per series (each look-up costs some 5 ms)."""
    if getattr(_ONE_THREAD, "on", False):
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        _ONE_THREAD.on = True
        try:
            yield
        finally:
            _ONE_THREAD.on = False


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


class SeriesForecaster:
    """Fit a monthly series (``fit``), then forecast it (``predict``): a back-test-weighted ETS/Theta/ARIMA mix.

    ``weights`` (family name -> weight) skips the back-test and uses those weights (a re-fit at a later origin
    of a model already weighted); ``families`` restricts the families tried; ``memory`` (a dict) shares fitted
    families between forecasters of the same series, e.g. the cash-flow forecast and its own back-test.
    """

    def __init__(self, season_length: int = 12, level: float = 0.8, families: tuple[str, ...] | None = None,
                 weights: dict[str, float] | None = None, max_windows: int = 2, memory: dict | None = None):
        self.season_length = season_length
        self.level = level
        self.families = families
        self.weights = weights
        self.max_windows = max_windows
        self.memory = memory

    def fit(self, values: list[float | None]) -> SeriesForecaster:
        """Decide seasonality, back-test the families on ``values``, fit them to all of it, weight them."""
        y, self.trailing_gap_, self.notes_, self.offset_ = prepare_values(values)
        self.y_, self.families_, self.weights_, self.kind_ = y, {}, {}, "combination"
        self.backtest_, self.seasonal_, self.seasonality_ = {"windows": [], "mase": {}}, False, None
        if len(y) < MIN_MODEL_POINTS:
            self.kind_ = "naive"
            self.notes_.append(f"only {len(y)} observed point(s): naive forecast (last value), no model")
            return self
        if np.ptp(y) == 0:
            self.kind_ = "constant"
            self.notes_.append("the series is constant: forecast is that value, with a zero-width interval")
            return self
        m = self.season_length
        self.seasonality_ = seasonality_test(y, m)
        self.seasonal_, positive = self.seasonality_["seasonal"], log_scale_ok(y)
        names = [n for n in (self.families or tuple(FAMILIES)) if not self.weights or self.weights.get(n, 0) > 0]
        start: dict = {}
        with one_blas_thread():
            if self.weights is None:
                windows = backtest_windows(len(y), m, self.seasonal_, self.max_windows)
                errors, start = family_backtest(y, names, m, self.seasonal_, positive, windows, self.level,
                                                self.memory)
                self.backtest_ = {"windows": [{"origin": o, "months": h} for o, h in windows],
                                  "mase": {k: [clean(e) if math.isfinite(e) else None for e in v]
                                           for k, v in errors.items()}}
            for name in names:
                try:
                    self.families_[name] = fit_family(name, y, m, self.seasonal_, positive, start.get(name, {}),
                                                      self.memory)
                except FamilyFitError as exc:
                    self.notes_.append(f"{name} not used: {exc}")
        if not self.families_:
            raise ValueError("no forecasting family could be fitted")
        self.weights_ = self._weights()
        if len(y) < 2 * m:
            self.notes_.append(f"{len(y)} points < two seasons ({2 * m}): no seasonal model")
        for family in self.families_.values():
            if getattr(family, "note_", None):
                self.notes_.append(family.note_)
        return self

    def _weights(self) -> dict[str, float]:
        if self.weights is not None:
            raw = {k: float(self.weights.get(k, 0.0)) for k in self.families_}
        elif self.backtest_["windows"]:
            mean = {k: (float(np.mean(v)) if all(e is not None for e in v) else math.inf)
                    for k, v in self.backtest_["mase"].items() if k in self.families_}
            raw = inverse_error_weights(mean)
        else:
            self.notes_.append("too short for a back-test: the families are weighted equally")
            raw = {k: 1.0 for k in self.families_}
        raw = {k: (v if v >= MIN_WEIGHT else 0.0) for k, v in raw.items()}
        total = sum(raw.values())
        if total == 0:
            raw, total = {k: 1.0 for k in self.families_}, float(len(self.families_))
        return {k: v / total for k, v in raw.items()}

    def _parts(self) -> list[tuple[float, Any]]:
        return [(w, self.families_[k]) for k, w in self.weights_.items() if w > 0]

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
        parts = [(w, f.predict(steps, self.level)) for w, f in self._parts()]
        point, lower, upper = (sum(w * p[i] for w, p in parts) for i in range(3))
        return point, np.minimum(lower, point), np.maximum(upper, point)

    def predict(self, horizon: int) -> dict[str, Any]:
        """``horizon`` point forecasts after the last month given (trailing gaps are forecast first)."""
        point, lower, upper = self._raw_predict(self.trailing_gap_ + horizon)
        notes = list(self.notes_)
        g = self.trailing_gap_
        if g:
            notes.append(f"{g} trailing missing month(s) filled with forecasts {np.round(point[:g], 4).tolist()}")
        if lower is None:
            notes.append("one observed point: no interval can be estimated")
        bounds = (lambda a: [None] * horizon) if lower is None else (lambda a: [clean(v) for v in a[g:]])
        return {"forecast": [clean(v) for v in point[g:]], "lower": bounds(lower), "upper": bounds(upper),
                "level": self.level, "model": self.describe(), "params": self.params(), "notes": notes}

    def one_step_ahead(self, values: list[float | None]) -> list[float] | None:
        """One-step predictions for every position of ``values`` (a longer version of the series fitted),
        everything fitted kept fixed: what a back-test without re-estimation needs. None when the frozen
        model cannot run over them (a gap after the start, a log model meeting a value <= 0)."""
        tail = values[self.offset_:]
        if self.kind_ != "combination" or any(v is None or math.isnan(v) for v in tail):
            return None
        y = np.asarray(tail, dtype=float)
        preds = [(w, f.one_step(y)) for w, f in self._parts()]
        if any(p is None for _, p in preds):
            return None
        pred = sum(w * p for w, p in preds)
        return [math.nan] * self.offset_ + [float(v) for v in pred]

    @property
    def residuals_(self) -> np.ndarray | None:
        """In-sample one-step errors of the combination (NaN where a family has no prediction yet)."""
        if self.kind_ != "combination":
            return None
        return self.y_ - sum(w * f.fitted_ for w, f in self._parts())

    @property
    def best_(self) -> str | None:
        """The family with the largest weight (None for the naive and constant fallbacks)."""
        return max(self.weights_, key=lambda k: (self.weights_[k], k)) if self.weights_ else None

    def params(self) -> dict[str, Any]:
        """Fitted parameters of the largest-weight family (naive fallback: last value and step sd)."""
        if self.best_ is not None:
            return {"family": self.best_, **self.families_[self.best_].params()}
        if self.kind_ == "naive" and len(self.y_) >= 2:
            return {"last_value": clean(self.y_[-1]),
                    "step_sd": clean(math.sqrt(float(np.mean(np.square(np.diff(self.y_))))))}
        return {"last_value": clean(self.y_[-1])}

    def seasonality(self) -> dict[str, Any]:
        """The seasonality decision and the test behind it (:func:`.seasonality.seasonality_test`)."""
        test = getattr(self, "seasonality_", None) or seasonality_test(self.y_, self.season_length)
        return {k: (clean(v) if isinstance(v, float) else v) for k, v in test.items()}

    def describe(self) -> dict[str, Any]:
        """What was fitted: the weights, each family's back-test error and model, the seasonality decision."""
        if self.best_ is None:
            name = {"naive": "naive (last value)", "constant": "constant"}[self.kind_]
            return {"name": name, "n_obs": len(self.y_), "components": []}
        used = [k for k, w in self.weights_.items() if w > 0]
        best = self.families_[self.best_].describe()
        windows = self.backtest_["windows"]
        return {"name": best["model"] if len(used) == 1 else f"weighted combination of {', '.join(used)}",
                "chosen": best["model"], "family": self.best_, "n_obs": len(self.y_),
                "seasonal": bool(self.seasonal_), "season_length": self.season_length if self.seasonal_ else None,
                "seasonality": self.seasonality(),
                "selection": ("given weights" if self.weights is not None else
                              "weights ~ 1 / MASE of a rolling-origin back-test on the fitted data "
                              f"({len(windows)} window(s) of up to {self.season_length} months)" if windows else
                              "equal weights: too short for a back-test"),
                "backtest": self.backtest_,
                "components": [{"family": k, "model": f.describe()["model"], "weight": round(self.weights_[k], 4),
                                "backtest_mase": self._mean_mase(k), "details": f.describe(),
                                **({"params": f.params()} if self.weights_[k] > 0 else {})}
                               for k, f in self.families_.items()]}

    def _mean_mase(self, name: str) -> float | None:
        errs = self.backtest_["mase"].get(name)
        if not errs or any(e is None for e in errs):
            return None
        return clean(float(np.mean(errs)))
