"""The three forecasting families and the seasonality test they share, each against a reference or a known answer."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

from analytics.forecasting.arima import ArimaFamily
from analytics.forecasting.ets import EtsFamily, candidate_configs
from analytics.forecasting.family import FamilyFitError
from analytics.forecasting.seasonality import seasonal_profile, seasonality_test
from analytics.forecasting.theta import ThetaFamily


def seasonal_series(n: int, seed: int = 1, growth: float = 1.01) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return 200 * growth ** t * (1 + 0.25 * np.sin(2 * np.pi * t / 12)) * np.exp(rng.normal(0, 0.03, n))


def test_seasonality_test_separates_a_season_from_a_trend_and_a_cycle():
    assert seasonality_test(seasonal_series(36), 12)["seasonal"]
    rng = np.random.default_rng(2)
    walk = 1000 + np.cumsum(rng.normal(5, 20, 60))  # a drifting random walk: trend, no season
    out = seasonality_test(walk, 12)
    assert not out["seasonal"] and out["p_value"] > 0.05
    cycle = 100 + 50 * np.sin(2 * np.pi * np.arange(120) / 130)  # an 11-year-like cycle, no 12-month season
    assert not seasonality_test(cycle + rng.normal(0, 2, 120), 12)["seasonal"]
    short = seasonality_test(seasonal_series(23), 12)  # fewer than two seasons: never seasonal, no statistic
    assert not short["seasonal"] and short["p_value"] is None


def test_seasonal_profile_recovers_a_known_multiplicative_season():
    t = np.arange(48)
    factors = 1 + 0.3 * np.sin(2 * np.pi * t / 12)
    y = 1000 * 1.005 ** t * factors
    profile = seasonal_profile(y, 12, first_position=0)
    assert len(profile) == 12 and np.mean(profile) == pytest.approx(1.0)
    # the index of each calendar month is its factor (the slow trend leaves a small error)
    assert profile == pytest.approx(list(factors[:12] / factors[:12].mean()), abs=0.01)
    shifted = seasonal_profile(y[3:], 12, first_position=3)  # starting in April changes nothing
    assert shifted == pytest.approx(profile, abs=0.01)
    assert seasonal_profile(np.r_[y[:30], 0.0, y[31:]], 12) is None


def test_theta_is_statsmodels_theta_model():
    from statsmodels.tsa.forecasting.theta import ThetaModel

    y = seasonal_series(60)
    for seasonal in (True, False):
        ours = ThetaFamily(12, seasonal, True).fit(y)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = ThetaModel(y, period=12, deseasonalize=seasonal, use_test=False).fit()
        assert ours.predict(12, 0.8)[0] == pytest.approx(np.asarray(ref.forecast(12)), rel=1e-4)
        assert ours.alpha_ == pytest.approx(float(ref.params["alpha"]), abs=1e-3)


def test_theta_one_step_from_the_end_is_its_first_forecast():
    y = seasonal_series(48)
    model = ThetaFamily(12, True, True).fit(y[:40])
    point = model.predict(1, 0.8)[0][0]
    assert model.one_step(y)[40] == pytest.approx(point, rel=1e-12)


def airline_process(n: int, seed: int, theta: float = -0.4, seasonal_theta: float = -0.6) -> np.ndarray:
    """exp of an ARIMA(0,1,1)(0,1,1)_12 path: the model the seasonal ARIMA candidates are built around."""
    from scipy.signal import lfilter

    rng = np.random.default_rng(seed)
    ma = np.zeros(14)
    ma[[0, 1, 12, 13]] = 1.0, theta, seasonal_theta, theta * seasonal_theta
    w = lfilter(ma, [1.0], rng.normal(0, 0.03, n + 13))[13:]
    z = np.log(200) + 0.1 * np.sin(2 * np.pi * np.arange(n) / 12)
    for t in range(13, n):
        z[t] = w[t] + z[t - 1] + z[t - 12] - z[t - 13]
    return np.exp(z)


def test_arima_css_agrees_with_statsmodels_exact_likelihood():
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    for seed in (0, 3):
        y = airline_process(96, seed)
        ours = ArimaFamily(12, True, True, d=1).fit(y)
        assert ours.spec_.key == "(0, 1, 1)"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = SARIMAX(np.log(y), order=(0, 1, 1), seasonal_order=(0, 1, 1, 12)).fit(disp=False)
        assert ours.params_ == pytest.approx([-0.4, -0.6], abs=0.15)  # the simulated coefficients
        forecast = ref.get_forecast(12)
        point, lower, upper = ours.predict(12, 0.8)
        assert point == pytest.approx(np.exp(np.asarray(forecast.predicted_mean)), rel=0.02)
        bounds = np.exp(np.asarray(forecast.conf_int(alpha=0.2)))
        assert np.mean((upper - lower) / (bounds[:, 1] - bounds[:, 0])) == pytest.approx(1, abs=0.15)
        assert np.all(np.diff(np.log(upper / lower)) > 0)  # on the log scale modelled, intervals widen


def test_arima_differences_a_walk_but_not_a_stationary_series():
    rng = np.random.default_rng(8)
    noise = rng.normal(0, 1, 120)
    ar1 = np.zeros(120)
    for t in range(1, 120):
        ar1[t] = 0.5 * ar1[t - 1] + noise[t]
    stationary = ArimaFamily(12, False, False).fit(50 + ar1)
    assert stationary.spec_.d == 0 and stationary.params()["mean"] == pytest.approx(50, abs=0.6)
    assert stationary.predict(60, 0.8)[0][-1] == pytest.approx(50, abs=0.6)  # forecasts return to the mean
    walk = ArimaFamily(12, False, False).fit(50 + np.cumsum(noise))
    assert walk.spec_.d == 1


def test_arima_picks_drift_for_a_trending_walk_and_replays_its_fit():
    rng = np.random.default_rng(6)
    y = 100 + np.cumsum(2 + rng.normal(0, 1, 60))
    model = ArimaFamily(12, False, False).fit(y)
    assert model.spec_.d == 1 and model.spec_.mu and model.params()["drift"] == pytest.approx(2, abs=0.5)
    assert model.predict(1, 0.8)[0][0] == pytest.approx(y[-1] + model.params()["drift"], abs=1.5)
    replay = model.one_step(y)
    assert np.isnan(replay[0]) and replay[1:] == pytest.approx(model.fitted_[1:], rel=1e-12)
    with pytest.raises(FamilyFitError):
        ArimaFamily(12, True, True).fit(seasonal_series(19))  # 7 months after a seasonal difference


def test_ets_candidates_follow_the_seasonality_decision():
    names = [c.name for c in candidate_configs(36, 12, True, True)]
    # a positive series: a multiplicative season on the raw scale, an additive one on the log scale
    assert names == ["ETS(A,N,M)", "ETS(A,Ad,M)", "ETS(A,A,M)",
                     "ETS(A,N,A) on log(y)", "ETS(A,Ad,A) on log(y)", "ETS(A,A,A) on log(y)"]
    assert [c.name for c in candidate_configs(36, 12, False, True)] == ["ETS(A,N,A)", "ETS(A,Ad,A)", "ETS(A,A,A)"]
    assert all(",N)" in c.name for c in candidate_configs(36, 12, False, False))
    assert all(",N)" in c.name for c in candidate_configs(20, 12, True, True))  # two seasons needed
    family = EtsFamily(12, True, True).fit(seasonal_series(48))
    assert family.weights_.sum() == pytest.approx(1) and all(f.config.seasonal for f in family.fits_)


def test_ets_warm_start_reaches_the_same_fit():
    y = seasonal_series(48, seed=3)
    prefix = EtsFamily(12, True, True).fit(y[:36])
    cold, warm = EtsFamily(12, True, True).fit(y), EtsFamily(12, True, True, start=prefix.start_params_).fit(y)
    assert [f.config for f in warm.fits_] == [f.config for f in cold.fits_]
    assert warm.predict(12, 0.8)[0] == pytest.approx(cold.predict(12, 0.8)[0], rel=0.02)
