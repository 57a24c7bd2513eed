"""Forecast benchmark: our monthly forecaster against seasonal naive and statsforecast's AutoETS.

Five public monthly series shipped inside PyPI packages (nothing is downloaded): AirPassengers and the
Australian wine sales (``pmdarima.datasets``), Mauna Loa CO2 (``statsmodels.datasets.co2``, weekly,
averaged per calendar month, the few empty months interpolated), the El Nino sea-surface temperature
(``statsmodels.datasets.elnino``, one row per year) and the last 20 years of monthly sunspot numbers
(``pmdarima.datasets.load_sunspots``, a ~11-year cycle no 12-month model captures). The last 12 points
are held out; every method sees only the rest. MASE scales the errors by the in-sample MAE of the
seasonal naive forecast (m = 12). A second table repeats the comparison at four origins (held-out year
ending 0, 12, 24 and 36 months before the end) so one lucky year does not decide. Coverage is the share
of held-out points inside the 80% interval.

Then one ``forecast_cashflow`` call on the baseline demo customer is timed (target: a small part of the
2 s budget for all models, aim < 0.5 s).
"""
from __future__ import annotations

import statistics
import tempfile
import time
import warnings
from datetime import date

import numpy as np

from analytics.forecasting import forecast_from_summary, forecast_series
from pipeline.config import load_config
from pipeline.lake import Lake
from pipeline.stages import analyze_stage, clean_stage, generate_stage

HOLDOUT, SEASON = 12, 12
CUSTOMER = "CUST_MSM_00001"


def load_series() -> dict[str, np.ndarray]:
    """The benchmark series, monthly, oldest first, from files inside installed packages."""
    import pmdarima.datasets as pm
    import statsmodels.api as sm

    co2 = sm.datasets.co2.load_pandas().data["co2"].resample("MS").mean().interpolate()
    elnino = sm.datasets.elnino.load_pandas().data.drop(columns="YEAR")
    return {"airpassengers": np.asarray(pm.load_airpassengers(), float),
            "wineind": np.asarray(pm.load_wineind(), float),
            "co2 (monthly mean)": co2.to_numpy(dtype=float),
            "elnino": elnino.to_numpy(dtype=float).ravel(),
            "sunspots (last 240)": np.asarray(pm.load_sunspots(), float)[-240:]}


def scores(train: np.ndarray, test: np.ndarray, point, lower=None, upper=None) -> dict[str, float]:
    """MAPE (%), MASE and (when bounds are given) the coverage of the interval."""
    point = np.asarray(point, float)
    scale = np.mean(np.abs(train[SEASON:] - train[:-SEASON]))
    out = {"mape": float(np.mean(np.abs(test - point) / np.abs(test)) * 100),
           "mase": float(np.mean(np.abs(test - point)) / scale)}
    if lower is not None:
        out["coverage"] = float(np.mean((np.asarray(lower) <= test) & (test <= np.asarray(upper))))
    return out


def evaluate(y: np.ndarray, back: int = 0) -> dict[str, dict]:
    """Ours, seasonal naive and AutoETS on the year ending ``back`` months before the end of ``y``."""
    from statsforecast.models import AutoETS

    end = len(y) - back
    train, test = y[:end - HOLDOUT], y[end - HOLDOUT:end]
    t0 = time.perf_counter()
    ours = forecast_series(list(train), HOLDOUT, SEASON, 0.8)
    ours_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = AutoETS(season_length=SEASON).fit(train).predict(HOLDOUT, level=[80])
    ref_s = time.perf_counter() - t0
    return {"ours": {**scores(train, test, ours["forecast"], ours["lower"], ours["upper"]), "seconds": ours_s,
                     "model": ours["model"]["chosen"] if "chosen" in ours["model"] else ours["model"]["name"]},
            "seasonal naive": scores(train, test, train[-SEASON:]),
            "AutoETS": {**scores(train, test, ref["mean"], ref["lo-80"], ref["hi-80"]), "seconds": ref_s}}


def time_cashflow(config: dict) -> tuple[float, float]:
    """Median wall and CPU seconds of forecast_from_summary on the baseline customer (5 runs, 1 warm-up)."""
    with tempfile.TemporaryDirectory() as tmp:
        lake = Lake(tmp)
        generate_stage(lake, CUSTOMER, config, profile="baseline", as_of=date(2026, 11, 1))
        clean_stage(lake, CUSTOMER, config)
        analyze_stage(lake, CUSTOMER, config)
        summary = lake.read_json(lake.analytics_path(CUSTOMER, "transaction_summary"))
    forecast_from_summary(summary, date(2026, 11, 1), config, 90)
    walls, cpus = [], []
    for _ in range(5):
        w, c = time.perf_counter(), time.process_time()
        forecast_from_summary(summary, date(2026, 11, 1), config, 90)
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    """Print the forecast benchmark table, the multi-origin averages and the cash-flow timing."""
    series = load_series()
    methods = ("ours", "seasonal naive", "AutoETS")
    print("== forecast: last 12 months held out (MAPE %, MASE; cov = share inside the 80% interval)")
    print(f"{'series':22s} {'n':>4s} | {'ours MAPE':>9s} {'MASE':>6s} {'cov':>5s} | {'snaive MAPE':>11s} {'MASE':>6s}"
          f" | {'AutoETS MAPE':>12s} {'MASE':>6s} {'cov':>5s} | ours' largest-weight model")
    results = {}
    for name, y in series.items():
        r = results[name] = evaluate(y)
        o, s, a = r["ours"], r["seasonal naive"], r["AutoETS"]
        print(f"{name:22s} {len(y):4d} | {o['mape']:9.2f} {o['mase']:6.3f} {o['coverage']:5.2f} | {s['mape']:11.2f} "
              f"{s['mase']:6.3f} | {a['mape']:12.2f} {a['mase']:6.3f} {a['coverage']:5.2f} | {o['model']}")
    avg = {m: {k: float(np.mean([results[n][m][k] for n in series])) for k in ("mape", "mase")} for m in methods}
    cov = {m: float(np.mean([results[n][m]["coverage"] for n in series])) for m in ("ours", "AutoETS")}
    print(f"{'average':22s} {'':4s} | {avg['ours']['mape']:9.2f} {avg['ours']['mase']:6.3f} {cov['ours']:5.2f} | "
          f"{avg['seasonal naive']['mape']:11.2f} {avg['seasonal naive']['mase']:6.3f} | "
          f"{avg['AutoETS']['mape']:12.2f} {avg['AutoETS']['mase']:6.3f} {cov['AutoETS']:5.2f}")
    seconds = {m: sum(results[n][m]["seconds"] for n in series) for m in ("ours", "AutoETS")}
    print(f"fit + forecast time over the {len(series)} series: ours {seconds['ours']:.2f} s, "
          f"AutoETS {seconds['AutoETS']:.2f} s")
    multi = {m: {"mape": [], "mase": []} for m in methods}
    for y in series.values():
        for back in (0, 12, 24, 36):
            at = evaluate(y, back)
            for m in methods:
                for k in ("mape", "mase"):
                    multi[m][k].append(at[m][k])
    print(f"four origins x {len(series)} series, averages: " + "; ".join(
        f"{m} MAPE {np.mean(multi[m]['mape']):.2f} MASE {np.mean(multi[m]['mase']):.3f}" for m in methods))
    wall, cpu = time_cashflow(load_config())
    print(f"forecast_cashflow, baseline customer, 90 days (median of 5): {wall:.3f} s wall, {cpu:.3f} s CPU "
          "(aim < 0.5 s)")


if __name__ == "__main__":
    main()
