"""A year ahead for sizing loans: ``annual_outlook`` in ``cashflow_forecast.json``.

Why: loan capacity is sized on a year of cash flow — the trailing twelve months and the next twelve — not on
the low quantile of a 90-day forecast, which for a seasonal business lands in the trough right after its peak.

* ``months``: the 12 calendar months after the last complete month of history, whatever ``horizon_days`` was;
* ``inflow``, ``outflow``, ``net``: ``{"point", "lower", "upper"}``, 12 values each, from the same models as the
  ``forecast`` rows (seasonality included where the series is seasonal); inflow and outflow bounds floored
  at 0; the net interval combines the two intervals with their residual correlation ``rho`` exactly as the
  ``forecast`` rows do (:mod:`.cashflow`);
* ``metrics``: ``forecast_inflows_12m``, ``forecast_outflows_12m``, ``forecast_net_12m`` (sums of the point
  forecasts), ``forecast_net_12m_lower`` (sum of the monthly lower bounds: conservative, see its explanation),
  ``trailing_net_12m`` (the actual net of the last 12 complete months) and ``seasonality_strength``
  (peak-to-trough of the inflows' seasonal profile, as a share of the average month). With fewer than 12
  months of history every metric is ``missing`` with the reason; the monthly values are still given when a
  model could be fitted.
"""
from __future__ import annotations

from typing import Any

from analytics.forecasting.seasonality import seasonal_profile
from analytics.metric import metric, missing

MONTHS = 12
SERIES = ("inflow", "outflow", "net")
UNITS = {"forecast_inflows_12m": "INR", "forecast_outflows_12m": "INR", "forecast_net_12m": "INR",
         "forecast_net_12m_lower": "INR", "trailing_net_12m": "INR", "seasonality_strength": "ratio"}
FORMULAS = {
    "forecast_inflows_12m": "sum of the 12 monthly inflow point forecasts",
    "forecast_outflows_12m": "sum of the 12 monthly outflow point forecasts",
    "forecast_net_12m": "sum of the 12 monthly net point forecasts (inflow - outflow)",
    "forecast_net_12m_lower": "sum of the 12 monthly net lower bounds (the {pct} interval's lower end)",
    "trailing_net_12m": "sum of the actual monthly net (inflow - outflow) of the last 12 complete months",
    "seasonality_strength": "(max - min) / mean of the 12 calendar-month indices of inflows (ratio to a centred "
                            "12-month moving average, averaged per calendar month)",
}


def _series(rows: list[dict], n: int = MONTHS) -> dict[str, dict[str, list[float | None]]]:
    """Per series, the 12 points and bounds of ``rows`` (None throughout when there are no rows)."""
    return {s: {b: [r[s][b] for r in rows] if rows else [None] * n for b in ("point", "lower", "upper")}
            for s in SERIES}


def _trailing_net(history: list[dict]) -> dict:
    last = history[-MONTHS:]
    months, net = [h["month"] for h in last], [h["net"] for h in last]
    gaps = [h["month"] for h in last if h["net"] is None]
    if gaps:
        return missing("INR", FORMULAS["trailing_net_12m"], f"month(s) {gaps} of the last 12 have no actual net",
                       {"months": months, "net": net})
    return metric(round(sum(net), 2), "INR", FORMULAS["trailing_net_12m"], {"months": months, "net": net},
                  f"What the business actually kept over {months[0]} to {months[-1]}: the year the forecast is "
                  "compared with.")


def _seasonality_strength(history: list[dict], m: int, seasonal: bool | None) -> dict:
    values = [h["inflow"] for h in history]
    formula = FORMULAS["seasonality_strength"]
    if len(values) < 2 * m:
        return missing("ratio", formula, f"{len(values)} months of history: a seasonal profile needs two full "
                                         f"years ({2 * m} months)")
    if any(v is None for v in values):
        return missing("ratio", formula, "a month of inflows is missing: no seasonal profile")
    first = int(history[0]["month"][5:7]) - 1  # calendar position of the first month (January = 0)
    profile = seasonal_profile(values, m, first)
    if profile is None:
        return missing("ratio", formula, "a month with no inflow: a seasonal ratio is undefined")
    names = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    peak, trough = max(range(m), key=profile.__getitem__), min(range(m), key=profile.__getitem__)
    value = max(profile) - min(profile)  # the indices average 1, so this is already over the mean
    label = (lambda i: names[i]) if m == 12 else str
    return metric(value, "ratio", formula,
                  {"profile": {label(i): round(v, 4) for i, v in enumerate(profile)}, "months": len(values),
                   "modelled_as_seasonal": seasonal},
                  f"Inflows peak in {label(peak)} at {profile[peak]:.2f}x the average month and bottom out in "
                  f"{label(trough)} at {profile[trough]:.2f}x: a swing of {value:.0%} of an average month. "
                  + ("The forecaster models this season." if seasonal else
                     ("The forecaster found no stable season (F-test on month-to-month changes), so the annual "
                      "forecast is not seasonal.")))


def annual_outlook(history: list[dict], months: list[str], rows: list[dict], level: float, m: int,
                   seasonal: dict[str, bool] | None) -> dict[str, Any]:
    """``annual_outlook`` from the complete-month ``history``, the 12 ``months`` after it and their forecast
    ``rows`` (shaped as the ``forecast`` rows: ``{"month", "inflow": {point, lower, upper}, ...}``; empty when
    no model could be fitted, the values are then None); ``seasonal``: the seasonality decision per series."""
    pct = f"{round(level * 100)}%"
    out = {"months": months, "interval_level": level, **_series(rows, len(months)),
           "seasonal": seasonal or {}, "metrics": {}, "notes": []}
    observed = [h for h in history if h["inflow"] is not None and h["outflow"] is not None]
    if len(history) < MONTHS or not rows:
        reason = (f"{len(history)} complete month(s) of history: a year ahead needs at least {MONTHS}"
                  if len(history) < MONTHS else "no forecast could be made")
        out["metrics"] = {k: missing(u, FORMULAS[k].format(pct=pct), reason) for k, u in UNITS.items()}
        return out
    series = _series(rows)
    sums = {s: round(sum(series[s]["point"]), 2) for s in SERIES}
    span = f"{months[0]} to {months[-1]}"
    out["metrics"] = {
        "forecast_inflows_12m": metric(sums["inflow"], "INR", FORMULAS["forecast_inflows_12m"],
                                       {"months": months, "inflow": series["inflow"]["point"]},
                                       f"Business credits expected over {span}."),
        "forecast_outflows_12m": metric(sums["outflow"], "INR", FORMULAS["forecast_outflows_12m"],
                                        {"months": months, "outflow": series["outflow"]["point"]},
                                        f"Outflows (existing EMIs included) expected over {span}."),
        "forecast_net_12m": metric(sums["net"], "INR", FORMULAS["forecast_net_12m"],
                                   {"months": months, "net": series["net"]["point"]},
                                   f"Cash the business is expected to keep over {span}, before any new loan."),
        "forecast_net_12m_lower": metric(
            round(sum(series["net"]["lower"]), 2), "INR", FORMULAS["forecast_net_12m_lower"].format(pct=pct),
            {"months": months, "net_lower": series["net"]["lower"], "interval_level": level},
            f"Conservative: every month at the lower end of its {pct} interval at once. Bad months do not all "
            "come together, so the year's total falls below this less often than any one month falls below its "
            "bound."),
        "trailing_net_12m": _trailing_net(history),
        "seasonality_strength": _seasonality_strength(history, m, (seasonal or {}).get("inflow")),
    }
    if len(observed) < len(history):
        gaps = len(history) - len(observed)
        out["notes"] = [f"{gaps} month(s) of history without a row were interpolated by the forecaster"]
    return out
