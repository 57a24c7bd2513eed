"""The lean Holt-Winters results give statsmodels' own numbers, bit for bit, for every model the families fit."""
from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
from statsmodels.tsa.holtwinters import ExponentialSmoothing

from analytics.forecasting.holt_winters import LeanExponentialSmoothing

SHAPES = [(trend, damped, seasonal) for trend, damped, seasonal in
          itertools.product((None, "add"), (False, True), (None, "add", "mul")) if trend or not damped]


def series(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return (1.0 + 0.01 * t) * (1 + 0.3 * np.sin(2 * np.pi * t / 12)) * np.exp(rng.normal(0, 0.1, n))


def same(a, b) -> bool:
    """Equal to the last bit (NaN equal to NaN), for numbers, arrays and None alike."""
    if a is None or b is None:
        return a is None and b is None
    return np.array_equal(np.asarray(a, dtype=float), np.asarray(b, dtype=float), equal_nan=True)


def both_fits(y: np.ndarray, make_kwargs: dict, fit_kwargs: dict):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return (ExponentialSmoothing(y, **make_kwargs).fit(**fit_kwargs),
                LeanExponentialSmoothing(y, **make_kwargs).fit(**fit_kwargs))


def assert_identical(ref, lean, steps=(1, 6, 13)):
    assert same(ref.fittedvalues, lean.fittedvalues)
    for key in ("smoothing_level", "smoothing_trend", "smoothing_seasonal", "damping_trend", "initial_level",
                "initial_trend", "initial_seasons"):
        assert same(ref.params[key], lean.params[key]), key
    for h in steps:
        assert same(ref.forecast(h), lean.forecast(h)), h


@pytest.mark.parametrize(("trend", "damped", "seasonal"), SHAPES)
def test_an_optimised_fit_is_statsmodels_fit(trend, damped, seasonal):
    for n, seed in ((24, 1), (36, 2), (31, 3)):
        y = series(n, seed)
        make = {"trend": trend, "damped_trend": damped, "seasonal": seasonal,
                "seasonal_periods": 12 if seasonal else None, "initialization_method": "estimated"}
        ref, lean = both_fits(y, make, {"use_brute": False, "method": "SLSQP"})
        assert_identical(ref, lean)
        assert same(ref.mle_retvals.x, lean.mle_retvals.x)
        # warm-started from the parameters found (the families' second window)
        start = ref.mle_retvals.x
        ref2, lean2 = both_fits(y * 1.01, make, {"use_brute": False, "method": "SLSQP", "start_params": start})
        assert_identical(ref2, lean2)


@pytest.mark.parametrize(("trend", "damped", "seasonal"), SHAPES)
def test_a_fit_with_known_states_is_statsmodels_fit(trend, damped, seasonal):
    y = series(30, 4)
    known = {"initial_level": 1.1}
    if trend:
        known["initial_trend"] = 0.02
    if seasonal:
        known["initial_seasonal"] = list(1 + 0.2 * np.cos(np.arange(12))) if seasonal == "mul" else \
            list(0.2 * np.cos(np.arange(12)))
    make = {"trend": trend, "damped_trend": damped, "seasonal": seasonal, "seasonal_periods": 12 if seasonal else None,
            "initialization_method": "known", **known}
    fixed = {"smoothing_level": 0.3, "smoothing_trend": 0.05 if trend else None,
             "smoothing_seasonal": 0.1 if seasonal else None, "damping_trend": 0.9 if damped else None,
             "optimized": False}
    assert_identical(*both_fits(y, make, fixed))


def test_the_theta_family_s_default_fit_is_statsmodels_fit():
    y = series(40, 5)
    ref, lean = both_fits(y, {"initial_level": y[0], "initialization_method": "known"}, {})
    assert_identical(ref, lean)
