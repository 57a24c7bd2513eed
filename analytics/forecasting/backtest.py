"""Honest accuracy of the series forecaster: a rolling-origin back-test beside a seasonal-naive baseline.

For each of the last ``n_test`` months ``t`` the forecaster forecasts ONE step (month ``t``) from the
months before ``t`` only; the error is taken against the actual. The model — candidates, weights,
parameters, initial states, family weights — is fitted once, on the data before the first back-test month; at
each later origin its states are updated with the actuals up to ``t - 1`` and nothing is re-estimated
("rolling origin without recalibration", Tashman 2000). Where the frozen model cannot run (a gap in the test
months, a log model meeting a value <= 0), the families are re-fitted at every origin with the weights found at
the first one (``reestimated: true``). Nothing fitted ever sees the month it forecasts.

The baseline is the seasonal naive forecast (the same month a year earlier) when the first origin has at
least ``season_length`` months behind it, else the naive forecast (the last month), and the result says
which. MAPE skips months whose actual is zero (counted in ``zero_actuals_skipped``); sMAPE
(``2|e| / (|actual| + |forecast|)``, 0 when both are 0) is given beside it because it is defined there.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from analytics.forecasting.models import SeriesForecaster

METHOD = ("rolling origin, 1-step-ahead: for each of the last {n} months, forecast it from the months before "
          "it; the model is fitted once on the data before the first of them, then only its states roll on")


def error_summary(actual: list[float], predicted: list[float]) -> dict[str, Any]:
    """MAPE (%; zero actuals skipped), sMAPE (%), MAE and the count of forecasts scored."""
    a, p = np.asarray(actual, dtype=float), np.asarray(predicted, dtype=float)
    nonzero = a != 0
    denom = np.abs(a) + np.abs(p)
    smape = np.where(denom > 0, 2 * np.abs(a - p) / np.where(denom > 0, denom, 1), 0.0)
    return {
        "mape": round(float(np.mean(np.abs((a - p)[nonzero] / a[nonzero])) * 100), 4) if nonzero.any() else None,
        "smape": round(float(np.mean(smape) * 100), 4) if a.size else None,
        "mae": round(float(np.mean(np.abs(a - p))), 4) if a.size else None,
        "n": int(a.size), "zero_actuals_skipped": int(a.size - nonzero.sum()),
    }


def _baseline(observed: list[float | None], t: int, season_length: int, seasonal: bool) -> float | None:
    if seasonal and t >= season_length and observed[t - season_length] is not None:
        return float(observed[t - season_length])
    before = [v for v in observed[:t] if v is not None]
    return float(before[-1]) if before else None


def rolling_origin_backtest(values: list[float | None], season_length: int = 12, n_test: int = 6,
                            level: float = 0.8, min_train: int = 6, memory: dict | None = None) -> dict[str, Any]:
    """One-step rolling-origin back-test over the last ``n_test`` months; rows, MAPEs and the baseline's.

    Origins whose actual is missing are skipped; fewer origins are used when the history is short
    (each needs ``min_train`` observed months before it). Returns ``available: False`` with a reason
    when no origin qualifies. ``memory``: fitted families shared with other forecasters of the same series.
    """
    vals = [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in values]
    n = len(vals)
    origins = [t for t in range(max(0, n - n_test), n)
               if vals[t] is not None and sum(v is not None for v in vals[:t]) >= min_train]
    if not origins:
        return {"available": False, "reason": f"fewer than {min_train + 1} observed months: no back-test",
                "method": METHOD.format(n=n_test), "rows": []}
    seasonal_baseline = origins[0] >= season_length
    baseline_kind = ("seasonal naive (same month one year earlier)" if seasonal_baseline else
                     f"naive (last month): fewer than {season_length + 1} months for a seasonal naive")
    first = SeriesForecaster(season_length, level, memory=memory).fit(vals[:origins[0]])
    frozen = first.one_step_ahead(vals)
    weights = first.weights_ or None
    rows = []
    for t in origins:
        if frozen is not None:
            forecast = frozen[t]
        else:  # re-estimate at this origin (the frozen model cannot run over a gap or a value <= 0)
            model = first if t == origins[0] else SeriesForecaster(season_length, level, weights=weights).fit(vals[:t])
            forecast = model.predict(1)["forecast"][0]
        rows.append({"position": t, "actual": vals[t], "forecast": round(float(forecast), 6),
                     "baseline": _baseline(vals, t, season_length, seasonal_baseline)})
    scored = [r for r in rows if r["baseline"] is not None]
    return {
        "available": True, "method": METHOD.format(n=len(origins)), "baseline": baseline_kind,
        "reestimated": frozen is None,
        "configurations": [c["model"] for c in first.describe()["components"] if c["weight"] > 0]
        or [first.describe()["name"]],
        "rows": rows,
        "model_errors": error_summary([r["actual"] for r in rows], [r["forecast"] for r in rows]),
        "baseline_errors": error_summary([r["actual"] for r in scored], [r["baseline"] for r in scored]),
    }
