"""How the families are weighted: a back-test on the data given, never on what is forecast."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from analytics.forecasting import combine, forecast_series
from analytics.forecasting.combine import backtest_windows, inverse_error_weights, scaled_error
from analytics.forecasting.models import SeriesForecaster


def growing_seasonal(n: int = 72, seed: int = 0) -> list[float]:
    """Exponential growth with a multiplicative season: an ARIMA on log(y) is the right model; the Theta method,
    whose drift is half a straight line's slope, is the wrong one."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return list(100 * 1.04 ** t * (1 + 0.25 * np.sin(2 * np.pi * t / 12)) * np.exp(rng.normal(0, 0.02, n)))


def test_windows_are_years_from_the_start_and_need_two_seasons_when_seasonal():
    assert backtest_windows(36, 12, True) == [(24, 12)]
    assert backtest_windows(36, 12, False) == [(12, 12), (24, 12)]
    assert backtest_windows(30, 12, False) == [(12, 12), (24, 6)]  # shares its training sets with 36 months
    assert backtest_windows(130, 12, True) == [(108, 12), (120, 10)]
    assert backtest_windows(26, 12, True) == []  # 2 months after two seasons: too short for a window
    assert backtest_windows(100, 12, True, max_windows=0) == []


def test_scaled_error_is_mase_against_the_seasonal_naive_in_sample():
    train = np.array([10.0, 20.0] * 12 + [14.0, 22.0])  # seasonal naive in-sample errors: 0 ... 0, 4, 2
    scale = (4 + 2) / 14
    assert scaled_error(train, np.array([12.0, 20.0]), np.array([10.0, 21.0]), 12) == pytest.approx(1.5 / scale)
    short = np.array([1.0, 3.0, 2.0])  # within the first year: the naive forecast's errors, 2 and 1
    assert scaled_error(short, np.array([4.0]), np.array([2.5]), 12) == pytest.approx(1.5 / 1.5)


def test_inverse_error_weights_sum_to_one_and_follow_the_errors():
    w = inverse_error_weights({"ETS": 0.5, "Theta": 1.0, "ARIMA": 2.0})
    assert sum(w.values()) == pytest.approx(1)
    assert w == pytest.approx({"ETS": 4 / 7, "Theta": 2 / 7, "ARIMA": 1 / 7})
    assert inverse_error_weights({"ETS": 0.0, "Theta": 1.0}) == {"ETS": 1.0, "Theta": 0.0}
    assert inverse_error_weights({"ETS": math.inf, "Theta": 1.0}) == {"ETS": 0.0, "Theta": 1.0}
    assert inverse_error_weights({"ETS": math.inf, "Theta": math.inf}) == {"ETS": 0.5, "Theta": 0.5}


def test_backtest_gives_the_right_family_the_most_weight():
    model = SeriesForecaster().fit(growing_seasonal())
    w = model.weights_
    assert sum(w.values()) == pytest.approx(1) and all(0 <= v <= 1 for v in w.values())
    assert model.seasonal_ and len(model.backtest_["windows"]) == 2
    assert max(w, key=w.get) == "ARIMA" and min(w, key=w.get) == "Theta"
    mase = {k: np.mean(v) for k, v in model.backtest_["mase"].items()}
    assert mase["ARIMA"] < mase["ETS"] < mase["Theta"]
    assert w == pytest.approx({k: (1 / e) / sum(1 / x for x in mase.values()) for k, e in mase.items()}, rel=1e-6)
    # the description a loan officer can read says the same
    described = {c["family"]: (c["weight"], c["backtest_mase"]) for c in model.describe()["components"]}
    assert described["ARIMA"][0] == pytest.approx(w["ARIMA"], abs=1e-4)
    assert described["Theta"][1] == pytest.approx(mase["Theta"], rel=1e-5)


def test_backtest_never_sees_the_months_after_its_windows(monkeypatch):
    """Each window's fit gets only the months before the window: record what every family was fitted to."""
    seen = []
    real = combine.make_family

    def recording(name, *args, **kwargs):
        family = real(name, *args, **kwargs)
        fit = family.fit
        family.fit = lambda y: (seen.append((name, len(y))), fit(y))[1]
        return family

    monkeypatch.setattr(combine, "make_family", recording)
    y = growing_seasonal(60)
    model = SeriesForecaster().fit(y)
    assert [(w["origin"], w["months"]) for w in model.backtest_["windows"]] == [(36, 12), (48, 12)]
    assert sorted({n for _, n in seen}) == [36, 48, 60]  # the two windows' training data, then all of it
    assert seen[-3:] == [("ETS", 60), ("Theta", 60), ("ARIMA", 60)]


def test_memory_reuses_fits_without_changing_the_answer():
    y = growing_seasonal(48)
    memory = {}
    first = SeriesForecaster(memory=memory).fit(y).predict(12)
    fits = len(memory)
    again = SeriesForecaster(memory=memory).fit(y).predict(12)
    assert len(memory) == fits and json.dumps(again) == json.dumps(first)
    assert json.dumps(SeriesForecaster().fit(y).predict(12)) == json.dumps(first)


def test_forecast_series_is_deterministic():
    y = growing_seasonal(60, seed=3)
    runs = [json.dumps(forecast_series(y, 12), sort_keys=True) for _ in range(2)]
    assert runs[0] == runs[1]


def test_too_short_for_a_backtest_weights_equally():
    y = [100.0, 104.0, 98.0, 103.0, 107.0, 101.0, 99.0, 104.0, 108.0, 102.0]
    model = SeriesForecaster().fit(y)
    assert model.backtest_["windows"] == [] and "ARIMA" in model.families_
    assert model.weights_ == pytest.approx({k: 1 / 3 for k in ("ETS", "Theta", "ARIMA")})
    assert "weighted equally" in " ".join(model.notes_)
