"""forecast_series, the back-test and the command line on series whose continuation is known.

The forecaster is a weighted combination of three families (ETS, Theta, ARIMA); what each family is made of is
tested in test_families.py, how they are weighted in test_combine.py."""
from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

from analytics.forecasting import forecast_series
from analytics.forecasting.backtest import error_summary, rolling_origin_backtest
from analytics.forecasting.models import SeriesForecaster
from tests.conftest import PROJECT_ROOT


def mape(actual, predicted) -> float:
    a, p = np.asarray(actual, float), np.asarray(predicted, float)
    return float(np.mean(np.abs(a - p) / np.abs(a)) * 100)


def assert_ordered(out: dict) -> None:
    for lo, mid, hi in zip(out["lower"], out["forecast"], out["upper"]):
        assert lo <= mid + 1e-9 <= hi + 2e-9


def weighted(out: dict) -> list[dict]:
    """The families that carry weight in a forecast."""
    return [c for c in out["model"]["components"] if c["weight"] > 0]


def component_names(out: dict) -> list[str]:
    """Every model name inside the weighted families, ETS candidates included."""
    names = []
    for c in weighted(out):
        names.append(c["model"])
        names += [k["model"] for k in c["details"].get("candidates", []) if k.get("weight", 1) > 0 and "model" in k]
    return names


def test_pure_seasonal_series_is_forecast_within_5_percent():
    t = np.arange(60)
    y = 100 + 30 * np.sin(2 * np.pi * t / 12)
    out = forecast_series(list(y[:48]), 12)
    assert len(out["forecast"]) == len(out["lower"]) == len(out["upper"]) == 12
    assert mape(y[48:], out["forecast"]) < 5
    assert out["model"]["seasonal"] is True and out["model"]["season_length"] == 12
    assert out["model"]["seasonality"]["p_value"] < 0.05
    families = {c["family"]: c["details"] for c in out["model"]["components"]}
    assert families["ETS"]["seasonal"] == "add" and families["Theta"]["seasonal"] == "multiplicative"
    assert families["ARIMA"]["season_length"] == 12
    assert_ordered(out)


def test_noisy_seasonal_series_beats_seasonal_naive():
    rng = np.random.default_rng(7)
    t = np.arange(72)
    y = 1000 + 5 * t + 200 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 30, 72)
    out = forecast_series(list(y[:60]), 12)
    assert mape(y[60:], out["forecast"]) < mape(y[60:], y[48:60])
    assert_ordered(out)


def test_trend_only_series_follows_the_trend():
    y = [50 + 2 * i for i in range(30)]
    out = forecast_series(y, 6)
    assert mape([50 + 2 * i for i in range(30, 36)], out["forecast"]) < 2
    assert np.all(np.diff(out["forecast"]) > 0)
    ets = next(c for c in out["model"]["components"] if c["family"] == "ETS")
    assert ets["details"]["trend"] == "add" and ets["params"]["beta"] is not None


def test_short_series_has_no_season_and_says_why():
    t = np.arange(18)
    out = forecast_series(list(100 + 30 * np.sin(2 * np.pi * t / 12)), 4)
    assert out["model"]["seasonal"] is False and out["model"]["seasonality"]["p_value"] is None
    assert all(c["details"]["season_length"] is None for c in weighted(out))
    assert any("two seasons" in n for n in out["notes"])
    assert all(math.isfinite(v) for v in out["forecast"] + out["lower"] + out["upper"])


def test_fewer_than_four_points_is_the_documented_naive_fallback():
    out = forecast_series([10.0, 12.0, 11.0], 3)
    assert out["model"]["name"] == "naive (last value)" and out["forecast"] == [11.0] * 3
    step_sd = math.sqrt((2 ** 2 + 1 ** 2) / 2)
    assert out["upper"][0] - 11.0 == pytest.approx(1.28155 * step_sd, rel=1e-4)
    assert out["upper"][2] - 11.0 == pytest.approx(1.28155 * step_sd * math.sqrt(3), rel=1e-4)
    single = forecast_series([5.0], 2)
    assert single["forecast"] == [5.0, 5.0] and single["lower"] == [None, None]
    assert any("no interval" in n for n in single["notes"])


def test_zeros_keep_additive_models_on_the_raw_scale():
    y = [0, 0, 5, 0, 3, 0, 0, 8, 0, 2, 0, 0, 4, 0, 6, 0]
    out = forecast_series(y, 3)
    assert all(c["details"].get("transform") is None for c in weighted(out))
    assert component_names(out) and not any("log" in name for name in component_names(out))
    assert all(math.isfinite(v) for v in out["forecast"]) and 0 <= out["forecast"][0] <= 8
    assert_ordered(out)


def test_negative_values_are_modelled_additively_with_widening_intervals():
    rng = np.random.default_rng(3)
    y = list(np.cumsum(rng.normal(-2, 10, 30)))  # a random walk that crosses zero
    out = forecast_series(y, 6)
    assert not any("log" in name for name in component_names(out))
    assert abs(out["forecast"][0] - y[-1]) < 30
    width = np.subtract(out["upper"], out["lower"])
    assert np.all(np.diff(width) >= -1e-9) and width[-1] > width[0] > 0


def test_gaps_are_interpolated_dropped_or_forecast_and_reported():
    y = [None, None] + [10.0 + i for i in range(20)] + [None]
    y[7], y[12] = None, float("nan")
    out = forecast_series(y, 2)
    notes = " ".join(out["notes"])
    assert "2 leading missing month(s) dropped" in notes
    assert "interpolated at positions [7, 12]" in notes
    assert "1 trailing missing month(s) filled" in notes
    # the series is 10, 11, ... by position - 2; the list's last slot (value 30) is missing, so the
    # two months after the list are 31 and 32
    assert out["forecast"] == pytest.approx([31.0, 32.0], abs=0.5)


def test_constant_series_gives_that_constant_with_zero_width():
    out = forecast_series([250.0] * 20, 4)
    assert out["model"]["name"] == "constant"
    assert out["forecast"] == out["lower"] == out["upper"] == [250.0] * 4


def test_bad_arguments_raise_value_error():
    for kwargs in ({"horizon": 0}, {"horizon": 3, "level": 1.0}, {"horizon": 3, "season_length": 0}):
        with pytest.raises(ValueError):
            forecast_series([1.0, 2.0, 3.0, 4.0], **kwargs)
    with pytest.raises(ValueError):
        forecast_series([None, float("nan")], 3)


def test_interval_coverage_is_close_to_its_level():
    """80% intervals of a local-level process cover about 80% of the next value (sampling bounds)."""
    rng = np.random.default_rng(11)
    hits = []
    for _ in range(60):
        y = 100 + np.cumsum(rng.normal(0, 1, 21)) + rng.normal(0, 1, 21)
        out = forecast_series(list(y[:20]), 1)
        hits.append(out["lower"][0] <= y[20] <= out["upper"][0])
    assert 0.65 <= np.mean(hits) <= 0.95


def test_frozen_one_step_predictions_reproduce_the_fitted_values():
    rng = np.random.default_rng(5)
    t = np.arange(40)
    y = 500 + 40 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 10, 40)
    model = SeriesForecaster().fit(list(y))
    assert set(model.families_) == {"ETS", "Theta", "ARIMA"} and model.seasonal_
    for fit in model.families_["ETS"].fits_:
        z = np.log(y) if fit.config.log else y
        fitted = z - fit.residuals
        expected = np.exp(fitted) if fit.config.log else fitted
        assert fit.one_step(y) == pytest.approx(expected, rel=1e-9)
    for family in model.families_.values():  # the frozen replay of the training data is the in-sample fit
        replay, fitted = family.one_step(y), family.fitted_
        assert np.array_equal(np.isnan(replay), np.isnan(fitted))
        assert replay[~np.isnan(replay)] == pytest.approx(fitted[~np.isnan(fitted)], rel=1e-9)
    # and the combination's one-step predictions are the weighted sum of the families'
    combined = model.one_step_ahead(list(y))
    expected = sum(w * model.families_[k].one_step(y) for k, w in model.weights_.items())
    assert np.allclose(combined, expected, equal_nan=True)


def test_backtest_never_sees_the_month_it_forecasts():
    rng = np.random.default_rng(9)
    t = np.arange(36)
    y = list(1000 + 100 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 20, 36))
    base = rolling_origin_backtest(y, n_test=6)
    assert [r["position"] for r in base["rows"]] == list(range(30, 36))
    assert base["baseline"].startswith("seasonal naive") and not base["reestimated"]
    shocked = list(y)
    shocked[33] *= 3  # month 33's own forecast must not move; month 34's must
    again = rolling_origin_backtest(shocked, n_test=6)
    assert [r["forecast"] for r in again["rows"][:4]] == [r["forecast"] for r in base["rows"][:4]]
    assert again["rows"][4]["forecast"] != base["rows"][4]["forecast"]
    assert base["rows"][0]["baseline"] == y[18]
    assert base["model_errors"]["mape"] == pytest.approx(
        mape([r["actual"] for r in base["rows"]], [r["forecast"] for r in base["rows"]]), abs=1e-3)


def test_backtest_on_short_history_uses_the_naive_baseline_and_refits_over_gaps():
    y = [100.0, 104.0, 98.0, 103.0, 107.0, 101.0, 99.0, None, 104.0, 108.0, 102.0]
    out = rolling_origin_backtest(y, n_test=6)
    assert out["available"] and out["baseline"].startswith("naive (last month)")
    assert out["reestimated"]  # the gap at position 7 stops the frozen model
    assert [r["position"] for r in out["rows"]] == [6, 8, 9, 10]  # 7 is missing; 5 has only 5 months before
    assert [r["baseline"] for r in out["rows"][:2]] == [101.0, 99.0]  # the last month observed before
    assert rolling_origin_backtest([1.0, 2.0, 3.0], n_test=6)["available"] is False


def test_error_summary_skips_zero_actuals_for_mape_but_not_smape():
    out = error_summary([0.0, 100.0, 200.0], [10.0, 110.0, 180.0])
    assert out["mape"] == pytest.approx(10.0)  # (10% + 10%) / 2, the zero month skipped
    assert out["zero_actuals_skipped"] == 1
    assert out["smape"] == pytest.approx((200 + 2 * 10 / 210 * 100 + 2 * 20 / 380 * 100) / 3, rel=1e-6)


def run_cli(*args: str):
    return subprocess.run([sys.executable, "-m", "analytics.forecasting", *args], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=120)


def test_cli_forecasts_a_csv_and_reports_model_and_params(tmp_path):
    t = np.arange(36)
    months = [f"{2022 + i // 12}-{i % 12 + 1:02d}" for i in t]
    values = [f"{100 + 30 * math.sin(2 * math.pi * i / 12):.4f}" for i in t]
    del months[20], values[20]  # a month absent from the file
    values[5] = ""  # and an empty cell
    path = tmp_path / "series.csv"
    path.write_text("month,sales\n" + "\n".join(f"{m},{v}" for m, v in zip(months, values)) + "\n")
    done = run_cli("--csv", str(path), "--column", "sales", "--horizon", "12", "--date-column", "month")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert len(out["forecast"]) == len(out["lower"]) == len(out["upper"]) == 12
    assert out["months"][0] == "2025-01" and out["months"][-1] == "2025-12"
    assert mape([100 + 30 * math.sin(2 * math.pi * i / 12) for i in range(36, 48)], out["forecast"]) < 5
    # the output contract: the same keys as before the forecaster became a combination
    assert set(out) == {"source", "forecast", "lower", "upper", "level", "model", "params", "notes", "months"}
    assert out["source"] == {"csv": str(path), "column": "sales", "n_values": 36} and out["level"] == 0.8
    assert out["model"]["name"] and out["params"]["family"] == out["model"]["family"]
    assert sum(c["weight"] for c in out["model"]["components"]) == pytest.approx(1, abs=1e-3)
    assert "interpolated at positions [5, 20]" in " ".join(out["notes"])


@pytest.mark.parametrize("content,args,message", [
    (None, ["--column", "sales"], "file not found"),
    ("month,sales\n2024-01,1\n", ["--column", "revenue"], "column 'revenue' not in"),
    ("month,sales\n2024-01,1\n2024-02,abc\n", ["--column", "sales"], "data row 2: 'abc' is not a number"),
])
def test_cli_errors_are_one_line_and_exit_1(tmp_path, content, args, message):
    path = tmp_path / "in.csv"
    if content is not None:
        path.write_text(content)
    done = run_cli("--csv", str(path), *args)
    assert done.returncode == 1
    assert done.stdout == "" and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and message in done.stderr
