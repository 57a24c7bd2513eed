"""Cash-flow forecasting: monthly series forecasts and the body of ``cashflow_forecast.json``.

Writes ``analytics/<id>/cashflow_forecast.json`` (through the ``models`` step). Public API:

* :func:`forecast_series` (:mod:`.series`) — forecast of one monthly series with intervals: a combination of
  three families, ETS (:mod:`.ets`), Theta (:mod:`.theta`) and ARIMA (:mod:`.arima`), sharing one seasonality
  decision (:mod:`.seasonality`) and weighted by a back-test on the series itself (:mod:`.combine`,
  :mod:`.models`);
* :func:`forecast_cashflow` / :func:`forecast_from_summary` (:mod:`.cashflow`) — monthly inflows, outflows and net
  for the next 30-180 days, with a rolling-origin back-test (:mod:`.backtest`) and what it means for a lender:
  scenarios, runway, EMI ceiling and flags (:mod:`.scenarios`), and the 12 months ahead for sizing a loan on a
  year of cash flow (``annual_outlook``, :mod:`.outlook`);
* ``python -m analytics.forecasting --csv FILE --column NAME`` (:mod:`.cli`) — any monthly series from a CSV.

statsmodels is imported on first use, so the command line answers a bad file or column at once.
"""
from __future__ import annotations

from typing import Any

__all__ = ["forecast_series", "forecast_cashflow", "forecast_from_summary"]
_HOMES = {"forecast_series": "series", "forecast_cashflow": "cashflow", "forecast_from_summary": "cashflow"}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        from importlib import import_module

        return getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
