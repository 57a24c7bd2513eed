"""Weights of the forecasting families, from a rolling-origin back-test on the data being fitted.

Windows: the series' years counted from its first month (``m`` = the season length, 12, months each; the last
one may be shorter, at least 3 months), the latest ``max_windows`` of them; a window's origin needs ``2m``
months before it when the series is seasonal (two full seasons, what the seasonal models need), ``m``
otherwise. Counting from the start rather than the end means that a series and the same series a few months
shorter (the cash-flow forecast and its own back-test) share their windows' training data, so their fits are
computed once (``memory``). At each window every family is fitted to the months before the window only — with
the seasonality decision made on the whole series fitted — and forecasts the window.

Error: MASE, the mean absolute error over the window divided by the in-sample mean absolute error of the
seasonal naive forecast (the naive one within the first year) on the months before it; averaged over windows.

Weights: ``w_f ~ 1 / MASE_f`` (inverse-error weighting, Bates & Granger 1969; Stock & Watson 2004). A family
that failed at a window gets no weight; without any window every family fitted gets the same weight. Why a
combination: averaging ETS, Theta and ARIMA is more accurate on average than any one of them (M3, M4:
Makridakis et al. 2020), and the back-test lets a family that plainly does not fit the series fade out.
"""
from __future__ import annotations

import math

import numpy as np

from analytics.forecasting.arima import ArimaFamily
from analytics.forecasting.ets import EtsFamily
from analytics.forecasting.family import FamilyFitError
from analytics.forecasting.theta import ThetaFamily

FAMILIES = {"ETS": EtsFamily, "Theta": ThetaFamily, "ARIMA": ArimaFamily}
MIN_WINDOW = 3


def make_family(name: str, season_length: int, seasonal: bool, positive: bool, start: dict | None = None):
    """A new, unfitted family object (``start``: warm-start parameters by candidate, from a fit of the same family
    to a prefix of the series; Theta, which costs nothing, takes none)."""
    if name == "Theta":
        return ThetaFamily(season_length, seasonal, positive)
    return FAMILIES[name](season_length, seasonal, positive, start)


def backtest_windows(n: int, m: int, seasonal: bool, max_windows: int = 2) -> list[tuple[int, int]]:
    """``(origin, length)`` of each back-test window, earliest first (see the module docstring)."""
    min_train = 2 * m if seasonal else max(m, 8)
    origins = [o for o in range(min_train, n, m) if n - o >= MIN_WINDOW]
    return [(o, min(m, n - o)) for o in origins[-max_windows:]] if max_windows > 0 else []


def _frozen(value):
    """A hashable, exact copy of nested dicts / lists / arrays of numbers (a warm start, as a memory key)."""
    if isinstance(value, dict):
        return tuple((k, _frozen(v)) for k, v in sorted(value.items()))
    if isinstance(value, (list, tuple, np.ndarray)):
        return tuple(_frozen(v) for v in value)
    return value.item() if isinstance(value, np.generic) else value


def fit_family(name: str, y: np.ndarray, m: int, seasonal: bool, positive: bool, start: dict,
               memory: dict | None = None):
    """A family fitted to ``y``, taken from ``memory`` when the same fit (family, settings, data, warm start)
    was already made there; FamilyFitError when it cannot be fitted (remembered too)."""
    key = (name, m, seasonal, positive, y.tobytes(), _frozen(start))
    if memory is not None and key in memory:
        found = memory[key]
        if isinstance(found, FamilyFitError):
            raise found
        return found
    try:
        family = make_family(name, m, seasonal, positive, start).fit(y)
    except FamilyFitError as exc:
        if memory is not None:
            memory[key] = exc
        raise
    if memory is not None:
        memory[key] = family
    return family


def scaled_error(train: np.ndarray, actual: np.ndarray, forecast: np.ndarray, m: int) -> float:
    """MASE of ``forecast`` against ``actual``, scaled by the in-sample (seasonal) naive MAE of ``train``."""
    lag = m if len(train) > m else 1
    scale = float(np.mean(np.abs(train[lag:] - train[:-lag]))) if len(train) > lag else 0.0
    if scale == 0:
        scale = float(np.mean(np.abs(train))) or 1.0
    return float(np.mean(np.abs(actual - forecast))) / scale


def family_backtest(y: np.ndarray, names: list[str], m: int, seasonal: bool, positive: bool,
                    windows: list[tuple[int, int]], level: float,
                    memory: dict | None = None) -> tuple[dict[str, list[float]], dict]:
    """Each family's MASE per window (``inf`` where it could not be fitted), and each family's warm-start
    parameters from its latest fit (the next window's, then the final fit's starting point)."""
    errors: dict[str, list[float]] = {name: [] for name in names}
    start: dict[str, dict] = {}
    for origin, length in windows:
        train, actual = y[:origin], y[origin:origin + length]
        for name in names:
            try:
                family = fit_family(name, train, m, seasonal, positive, start.get(name, {}), memory)
                point = family.predict(length, level)[0]
            except FamilyFitError:
                errors[name].append(math.inf)
                continue
            start[name] = getattr(family, "start_params_", {})
            err = scaled_error(train, actual, point, m)
            errors[name].append(err if math.isfinite(err) else math.inf)
    return errors, start


def inverse_error_weights(errors: dict[str, float]) -> dict[str, float]:
    """``w ~ 1 / error`` over the families with a finite error (all the weight to an error of 0); equal weights
    when no family has a finite error."""
    finite = {k: v for k, v in errors.items() if math.isfinite(v)}
    if not finite:
        return {k: 1 / len(errors) for k in errors} if errors else {}
    zero = [k for k, v in finite.items() if v <= 1e-12]
    if zero:
        raw = {k: (1.0 if k in zero else 0.0) for k in errors}
    else:
        raw = {k: (1 / finite[k] if k in finite else 0.0) for k in errors}
    total = sum(raw.values())
    return {k: v / total for k, v in raw.items()}
