"""Cash-flow forecasting: monthly series forecasts and the body of ``cashflow_forecast.json``.

Writes ``analytics/<id>/cashflow_forecast.json`` (through the ``models`` step). Public API:

* :func:`forecast_series` (:mod:`.series`) — Holt-Winters (additive ETS) forecast of one monthly series with
  intervals; the candidates and their AICc weights are in :mod:`.models`;
* :func:`forecast_cashflow` / :func:`forecast_from_summary` (:mod:`.cashflow`) — monthly inflows, outflows and net
  for the next 30-180 days, with a rolling-origin back-test (:mod:`.backtest`) and what it means for a lender:
  scenarios, runway, EMI ceiling and flags (:mod:`.scenarios`);
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
