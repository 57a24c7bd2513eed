"""The body of ``cashflow_forecast.json``: monthly inflows, outflows and net for the next 30-180 days.

Series (from ``transaction_summary["monthly"]``, complete calendar months before ``as_of`` only):

* **inflow** = ``business_credits`` (credits less self-transfers, loan disbursals, reversals, refunds).
* **outflow** = ``business_credits - surplus``, i.e. every debit except self-transfers out and returned
  items (existing EMIs included); ``debit_value`` when a row lacks those columns.
* **net** = inflow - outflow (the monthly surplus). Its point forecast is the difference of the two point
  forecasts; its interval combines theirs as normal errors with the correlation ``rho`` of the two
  models' in-sample one-step residuals: ``half = sqrt(a^2 + b^2 - 2 rho a b)`` (``a``, ``b`` the inflow
  and outflow half-widths on the matching sides).

Each of inflow and outflow is forecast by :class:`analytics.forecasting.models.SeriesForecaster` (ETS, Theta
and ARIMA weighted by a back-test on the series) and back-tested by
:func:`analytics.forecasting.backtest.rolling_origin_backtest`; the two share their fitted models where their
training data coincide (``memory``). The horizon is ``ceil(horizon_days / 30)`` months, starting with the month
after the last complete one. Scenarios, runway, the EMI ceiling and flags are defined in
:mod:`analytics.forecasting.scenarios`; ``annual_outlook``, the 12 months after the last complete one whatever
the horizon (the same forecast, continued), in :mod:`analytics.forecasting.outlook`.
"""
from __future__ import annotations

import math
from datetime import date
from typing import Any

import numpy as np

from analytics.forecasting.backtest import error_summary, rolling_origin_backtest
from analytics.forecasting.models import SeriesForecaster, one_blas_thread
from analytics.forecasting.outlook import MONTHS as OUTLOOK_MONTHS
from analytics.forecasting.outlook import annual_outlook
from analytics.forecasting.scenarios import build_scenarios, risk_flags, runway_metric, suggested_emi
from analytics.metric import metric, missing

DEFAULTS = {"min_horizon_days": 30, "max_horizon_days": 180, "days_per_month": 30, "season_length": 12,
            "interval_level": 0.8, "backtest_months": 6, "min_history_months": 2, "emi_surplus_quantile": 0.2,
            "emi_buffer": 0.5, "runway_warning_months": 3, "low_confidence_mape_pct": 30, "decline_threshold": 0.1}
SCENARIOS = ("base", "optimistic", "pessimistic")


def forecast_settings(config: dict) -> dict:
    """``config["analytics"]["forecast"]`` over the defaults above."""
    return {**DEFAULTS, **config.get("analytics", {}).get("forecast", {})}


def horizon_months(horizon_days: int, cfg: dict) -> int:
    """Months to forecast for ``horizon_days``; ValueError outside the configured 30-180 days."""
    lo, hi = int(cfg["min_horizon_days"]), int(cfg["max_horizon_days"])
    if isinstance(horizon_days, bool) or not isinstance(horizon_days, int) or not lo <= horizon_days <= hi:
        raise ValueError(f"horizon_days must be an integer between {lo} and {hi}, got {horizon_days!r}")
    return math.ceil(horizon_days / int(cfg["days_per_month"]))


def _month_index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def _month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def monthly_history(monthly_rows: list[dict], as_of: date) -> tuple[list[dict], list[str], str]:
    """Complete months before ``as_of``, gaps as None; returns (rows, notes, outflow basis)."""
    cutoff = as_of.year * 12 + as_of.month - 1  # months with an index >= cutoff are not complete
    rows = sorted((r for r in monthly_rows if r.get("month")), key=lambda r: r["month"])
    notes = []
    partial = [r["month"] for r in rows if _month_index(r["month"]) >= cutoff]
    if partial:
        notes.append(f"month(s) {partial} not complete before {as_of.isoformat()}: left out")
    rows = [r for r in rows if _month_index(r["month"]) < cutoff]
    by_month = {_month_index(r["month"]): r for r in rows}
    use_surplus = all(r.get("surplus") is not None and r.get("business_credits") is not None for r in rows)
    basis = ("business_credits - surplus (debits except self-transfers out and returned items)" if use_surplus
             else "debit_value (every debit: the rows carry no surplus column)")
    history = []
    for idx in range(min(by_month), max(by_month) + 1) if by_month else []:
        r = by_month.get(idx)
        inflow = None if r is None or r.get("business_credits") is None else float(r["business_credits"])
        if r is None:
            outflow = None
        elif use_surplus:
            outflow = float(r["business_credits"]) - float(r["surplus"])
        else:
            outflow = None if r.get("debit_value") is None else float(r["debit_value"])
        net = None if inflow is None or outflow is None else round(inflow - outflow, 2)
        history.append({"month": _month_label(idx), "inflow": inflow,
                        "outflow": None if outflow is None else round(outflow, 2), "net": net, "filled": r is None})
    gaps = [h["month"] for h in history if h["filled"]]
    if gaps:
        notes.append(f"month(s) {gaps} have no row: interpolated by the forecaster")
    return history, notes, basis


def _residual_correlation(a: SeriesForecaster, b: SeriesForecaster) -> float:
    """Correlation of the two combinations' in-sample one-step errors over the months both have; 0 when
    fewer than 3 such months or either is constant."""
    ra, rb = a.residuals_, b.residuals_
    if ra is None or rb is None:
        return 0.0
    n = min(len(ra), len(rb))
    ra, rb = ra[-n:], rb[-n:]
    both = np.isfinite(ra) & np.isfinite(rb)
    ra, rb = ra[both], rb[both]
    if ra.size < 3 or np.std(ra) == 0 or np.std(rb) == 0:
        return 0.0
    return float(np.clip(np.corrcoef(ra, rb)[0, 1], -1, 1))


def _bounds(fc: dict, i: int) -> dict:
    """Point and bounds of month ``i``, floored at 0: money in or out of an account is never negative."""
    point = max(0.0, fc["forecast"][i])
    lower, upper = fc["lower"][i], fc["upper"][i]
    return {"point": round(point, 2), "lower": round(point if lower is None else min(point, max(0.0, lower)), 2),
            "upper": round(point if upper is None else max(point, upper), 2)}


def _forecast_rows(months: list[str], inflow: dict, outflow: dict, rho: float) -> list[dict]:
    rows = []
    for i, month in enumerate(months):
        fi, fo = _bounds(inflow, i), _bounds(outflow, i)
        point = fi["point"] - fo["point"]
        down = math.sqrt(max(0.0, (fi["point"] - fi["lower"]) ** 2 + (fo["upper"] - fo["point"]) ** 2
                             - 2 * rho * (fi["point"] - fi["lower"]) * (fo["upper"] - fo["point"])))
        up = math.sqrt(max(0.0, (fi["upper"] - fi["point"]) ** 2 + (fo["point"] - fo["lower"]) ** 2
                           - 2 * rho * (fi["upper"] - fi["point"]) * (fo["point"] - fo["lower"])))
        rows.append({"month": month, "inflow": fi, "outflow": fo,
                     "net": {"point": round(point, 2), "lower": round(point - down, 2), "upper": round(point + up, 2)}})
    return rows


def _backtests(history: list[dict], cfg: dict, memory: dict[str, dict]) -> dict[str, Any]:
    m, n, level = int(cfg["season_length"]), int(cfg["backtest_months"]), float(cfg["interval_level"])
    out = {k: rolling_origin_backtest([h[k] for h in history], m, n, level, memory=memory[k])
           for k in ("inflow", "outflow")}
    if not (out["inflow"]["available"] and out["outflow"]["available"]):
        return {**out, "available": False, "mape": None, "baseline_mape": None,
                "reason": out["inflow"].get("reason") or out["outflow"].get("reason")}
    pooled = {k: [r for s in ("inflow", "outflow") for r in out[s]["rows"] if r[k] is not None]
              for k in ("forecast", "baseline")}
    model = error_summary([r["actual"] for r in pooled["forecast"]], [r["forecast"] for r in pooled["forecast"]])
    base = error_summary([r["actual"] for r in pooled["baseline"]], [r["baseline"] for r in pooled["baseline"]])
    outs = {r["position"]: r for r in out["outflow"]["rows"]}
    net_rows = [(i["actual"] - o["actual"], i["forecast"] - o["forecast"],
                 None if i["baseline"] is None or o["baseline"] is None else i["baseline"] - o["baseline"])
                for i in out["inflow"]["rows"] if (o := outs.get(i["position"])) is not None]
    net_base = [r for r in net_rows if r[2] is not None]
    for s in ("inflow", "outflow"):
        for r in out[s]["rows"]:
            r["month"] = history[r.pop("position")]["month"]
    return {**out, "available": True, "method": out["inflow"]["method"], "baseline": out["inflow"]["baseline"],
            "mape": model["mape"], "smape": model["smape"], "baseline_mape": base["mape"],
            "baseline_smape": base["smape"],
            "net": {"model_mae": error_summary([r[0] for r in net_rows], [r[1] for r in net_rows])["mae"],
                    "baseline_mae": error_summary([r[0] for r in net_base], [r[2] for r in net_base])["mae"],
                    "note": "net crosses zero, so its error is given as MAE in INR, not a percentage"}}


def _metrics(rows, plans, runway, emi, backtest, h) -> dict[str, dict]:
    months = [r["month"] for r in rows]
    totals = {k: round(sum(r[k]["point"] for r in rows), 2) for k in ("inflow", "outflow", "net")}
    m = {f"forecast_{k}_total": metric(totals[k], "INR", f"sum of the {h} monthly {k} point forecasts",
                                        {"months": months, k: [r[k]["point"] for r in rows]},
                                        f"Forecast {k} over the next {h} month(s).") for k in totals}
    m.update({f"runway_months_{s}": runway[s] for s in SCENARIOS})
    m["suggested_max_emi"] = emi
    formula = "mean(|actual - forecast| / |actual|) x 100 over the back-test months of inflow and outflow"
    if not backtest["available"]:
        m["backtest_mape"] = missing("%", formula, backtest["reason"])
        m["seasonal_naive_mape"] = missing("%", formula, backtest["reason"])
        return m
    ins = {"months": [r["month"] for r in backtest["inflow"]["rows"]], "smape": backtest["smape"]}
    m["backtest_mape"] = (metric(backtest["mape"], "%", formula, ins, "Accuracy of 1-step forecasts made "
                                 f"without the month forecast ({backtest['method']}).")
                          if backtest["mape"] is not None else missing("%", formula, "every actual was zero"))
    m["seasonal_naive_mape"] = (metric(backtest["baseline_mape"], "%", formula.replace("forecast", "baseline"),
                                       {**ins, "smape": backtest["baseline_smape"]},
                                       f"The same months forecast by the {backtest['baseline']}: the bar to beat.")
                                if backtest["baseline_mape"] is not None else missing("%", formula, "no baseline"))
    return m


def forecast_cashflow(monthly_rows: list[dict], as_of: date, config: dict, horizon_days: int = 90,
                      current_balance: float | None = None, od_limit: float = 0.0) -> dict[str, Any]:
    """Forecast monthly inflow/outflow/net ``horizon_days`` ahead with scenarios, runway, EMI room, flags, and
    the 12 months ahead (``annual_outlook``).

    Why: a lender sizes a loan on the cash the business will have, not only on what it had. ValueError
    for a horizon outside 30-180 days. See the module docstrings for every definition.
    """
    cfg = forecast_settings(config)
    h = horizon_months(horizon_days, cfg)
    history, notes, basis = monthly_history(monthly_rows, as_of)
    level, m = float(cfg["interval_level"]), int(cfg["season_length"])
    funds = None if current_balance is None else float(current_balance) + float(od_limit or 0.0)
    funds_inputs = {"current_balance": current_balance, "od_limit": float(od_limit or 0.0), "available_funds": funds}
    head = {"horizon_days": horizon_days, "horizon_months": h, "interval_level": level, "notes": notes,
            "basis": {"inflow": "business_credits", "outflow": basis, "net": "inflow - outflow", **funds_inputs}}
    observed = [x for x in history if x["inflow"] is not None and x["outflow"] is not None]
    if len(observed) < int(cfg["min_history_months"]):
        reason = f"{len(observed)} complete month(s) of history: at least {cfg['min_history_months']} are needed"
        units = {"forecast_inflow_total": "INR", "forecast_outflow_total": "INR", "forecast_net_total": "INR",
                 "suggested_max_emi": "INR", "backtest_mape": "%", "seasonal_naive_mape": "%",
                 **{f"runway_months_{s}": "months" for s in SCENARIOS}}
        start = _month_index(history[-1]["month"]) + 1 if history else as_of.year * 12 + as_of.month - 1
        outlook = annual_outlook(history, [_month_label(start + i) for i in range(OUTLOOK_MONTHS)], [], level, m,
                                 None)
        return {**head, "reason": reason, "metrics": {k: missing(u, "not computed", reason) for k, u in units.items()},
                "history": history, "forecast": [], "scenarios": {}, "runway": {}, "risk_flags": [],
                "suggested_max_emi": missing("INR", "not computed", reason), "model": {}, "backtest": {},
                "annual_outlook": outlook}
    if history[-1]["month"] < _month_label(as_of.year * 12 + as_of.month - 2):
        notes.append(f"history ends {history[-1]['month']}, before the month preceding {as_of.isoformat()}")
    memory: dict[str, dict] = {"inflow": {}, "outflow": {}}  # fits shared by the forecast and its back-test
    with one_blas_thread():   # every fit of the forecast and its back-test
        fitted = {k: SeriesForecaster(m, level, memory=memory[k]).fit([x[k] for x in history])
                  for k in ("inflow", "outflow")}
        backtest = _backtests(history, cfg, memory)
    steps = max(h, OUTLOOK_MONTHS)  # one forecast serves the horizon and the year ahead
    fcs = {k: f.predict(steps) for k, f in fitted.items()}
    rho = _residual_correlation(fitted["inflow"], fitted["outflow"])
    last = _month_index(history[-1]["month"])
    every = _forecast_rows([_month_label(last + i) for i in range(1, steps + 1)], fcs["inflow"], fcs["outflow"], rho)
    rows, year = every[:h], every[:OUTLOOK_MONTHS]
    plans = build_scenarios(rows, funds)
    runway = {s: runway_metric(s, plans[s], funds, funds_inputs) for s in SCENARIOS}
    emi = suggested_emi(rows, level, cfg)
    for k, fc in fcs.items():
        notes.extend(f"{k}: {n}" for n in fc["notes"])
    model = {k: {**fc["model"], "params": fc["params"]} for k, fc in fcs.items()}
    model["net"] = {"method": "inflow point - outflow point; interval from both intervals with the residual "
                              "correlation rho", "residual_correlation": round(rho, 4)}
    return {**head, "metrics": _metrics(rows, plans, runway, emi, backtest, h), "history": history,
            "forecast": rows, "scenarios": plans, "runway": runway, "suggested_max_emi": emi,
            "risk_flags": risk_flags(plans, runway, backtest, history, rows, funds, cfg),
            "model": model, "backtest": backtest,
            "annual_outlook": annual_outlook(history, [r["month"] for r in year], year, level, m,
                                             {k: bool(f.seasonal_) for k, f in fitted.items()})}


def forecast_from_summary(transaction_summary: dict, as_of: date, config: dict,
                          horizon_days: int | None = None) -> dict[str, Any]:
    """:func:`forecast_cashflow` fed from a ``transaction_summary`` document: monthly rows, the last EOD
    balance as the current balance and the sum of OD/CC drawing limits (``od_limit`` when absent)."""
    eod = transaction_summary.get("eod_balance") or []
    limit = sum(float(a.get("drawing_limit") or a.get("od_limit") or 0.0)
                for a in transaction_summary.get("accounts") or [] if a.get("facility") in ("OD", "CC"))
    days = horizon_days if horizon_days is not None else int(forecast_settings(config).get("horizon_days", 90))
    return forecast_cashflow(transaction_summary.get("monthly") or [], as_of, config, days,
                             current_balance=eod[-1]["balance"] if eod else None, od_limit=limit)
