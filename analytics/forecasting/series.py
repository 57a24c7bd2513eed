"""Forecast one monthly series: ETS, Theta and ARIMA weighted by a back-test on the series, with intervals.

How the families are fitted and weighted is in :mod:`analytics.forecasting.models`; this is the checked entry
point the command line, the cash-flow forecast's callers and the benchmark use.
"""
from __future__ import annotations

from typing import Any


def forecast_series(values: list[float | None], horizon: int, season_length: int = 12,
                    level: float = 0.8) -> dict[str, Any]:
    """Forecast ``horizon`` months after ``values`` (None/NaN = missing month) with a ``level`` interval.

    Returns ``forecast``, ``lower``, ``upper`` (lists of ``horizon``), ``level``, ``model`` (the seasonality
    decision, every family's back-test error, weight, model and parameters; ``chosen``/``family``: the
    largest-weight one), ``params`` (the parameters of the largest-weight family's model) and ``notes`` (gaps
    filled, fallbacks used). Why a combination: averaging ETS, Theta and ARIMA is on average more accurate than
    any single one (bench/FORECAST.md). ValueError for bad arguments.
    """
    if isinstance(horizon, bool) or not isinstance(horizon, int) or horizon < 1:
        raise ValueError(f"horizon must be a positive integer, got {horizon!r}")
    if isinstance(season_length, bool) or not isinstance(season_length, int) or season_length < 1:
        raise ValueError(f"season_length must be a positive integer, got {season_length!r}")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level!r}")
    from analytics.forecasting.models import SeriesForecaster

    return SeriesForecaster(season_length, level).fit(list(values)).predict(horizon)
