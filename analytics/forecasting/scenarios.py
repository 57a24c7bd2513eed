"""What a forecast means for a lender: scenarios, cash runway, a suggested EMI ceiling and risk flags.

Definitions (each repeated in the metric's formula):

* **Scenarios** per future month: ``base`` = the net point forecast (inflow point - outflow point);
  ``pessimistic`` = the net's lower bound, i.e. low inflows with high outflows combined through their
  residual correlation ``rho``: ``net - sqrt(a^2 + b^2 - 2 rho a b)`` (``a`` = inflow point - inflow lower,
  ``b`` = outflow upper - outflow point); ``optimistic`` = the net's upper bound, symmetrically. With
  ``rho = -1`` this is "inflow lower - outflow upper" exactly; real businesses spend more when they sell
  more (rho > 0), and ignoring that would call most healthy borrowers short of cash. By construction
  ``pessimistic <= base <= optimistic`` month by month.
* **Runway**: starting from the available funds (current balance + OD/CC drawing limit), the balance after
  each month adds that scenario's net. Runway is the months until it first goes below zero, linear within
  the month. If it never does within the horizon the value is null with the reason ("more than N months"),
  never an extrapolated number; 0 when the account is already beyond its limit.
* **Suggested max EMI** = ``emi_buffer`` (0.5) x the mean over the horizon of the monthly net at the
  ``emi_surplus_quantile`` (P20), floored at 0. Outflows already include the EMIs being paid, so this is
  room for a NEW instalment. The P20 comes from the net interval assuming normal errors.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from scipy.stats import norm

from analytics.metric import metric, missing

SCENARIO_DEFINITIONS = {
    "base": "net point forecast = inflow point - outflow point",
    "optimistic": "net upper bound: net + sqrt(a_up^2 + b_down^2 - 2 rho a_up b_down), a_up = inflow upper - "
                  "inflow point, b_down = outflow point - outflow lower",
    "pessimistic": "net lower bound: net - sqrt(a^2 + b^2 - 2 rho a b), a = inflow point - inflow lower, "
                   "b = outflow upper - outflow point",
}
SCENARIO_BOUND = {"base": "point", "optimistic": "upper", "pessimistic": "lower"}


def build_scenarios(rows: list[dict], available_funds: float | None) -> dict[str, dict]:
    """Monthly net, cumulative net and projected funds per scenario, from the per-month forecast rows."""
    out = {}
    for name, definition in SCENARIO_DEFINITIONS.items():
        net = [r["net"][SCENARIO_BOUND[name]] for r in rows]
        cumulative = np.cumsum(net).tolist()
        out[name] = {"definition": definition, "months": [r["month"] for r in rows],
                     "monthly_net": [round(v, 2) for v in net], "cumulative_net": [round(v, 2) for v in cumulative],
                     "total_net": round(cumulative[-1], 2) if cumulative else 0.0,
                     "projected_funds": None if available_funds is None else
                     [round(available_funds + c, 2) for c in cumulative]}
    return out


def runway_metric(scenario: str, plan: dict, available_funds: float | None, funds_inputs: dict) -> dict:
    """Months until available funds run out under one scenario, as a metric (null beyond the horizon)."""
    formula = ("first month where available funds + cumulative scenario net < 0, linear within the month; "
               "available funds = current balance + OD/CC limit")
    h = len(plan["monthly_net"])
    inputs = {**funds_inputs, "months": plan["months"], "monthly_net": plan["monthly_net"]}
    if available_funds is None:
        return missing("months", formula, "current balance unknown: no runway", inputs)
    if available_funds < 0:
        return metric(0.0, "months", formula, inputs,
                      f"Already beyond the limit: available funds are {available_funds:,.0f} before any forecast.")
    before = available_funds
    for k, after in enumerate(plan["projected_funds"]):
        if after < 0:
            months = k + before / (before - after)
            return metric(months, "months", formula, inputs,
                          f"Under the {scenario} scenario funds run out in month {k + 1} ({plan['months'][k]}).")
        before = after
    return missing("months", formula, f"funds stay above zero through the {h}-month horizon under the {scenario} "
                   f"scenario: runway is more than {h} months (not extrapolated)", inputs)


def suggested_emi(rows: list[dict], level: float, cfg: dict) -> dict:
    """Half (``emi_buffer``) of the average P20 (``emi_surplus_quantile``) monthly net, never negative."""
    q, buffer = float(cfg["emi_surplus_quantile"]), float(cfg["emi_buffer"])
    scale = norm.ppf(1 - q) / norm.ppf(0.5 + level / 2)
    quantile_net = [round(float(r["net"]["point"] - (r["net"]["point"] - r["net"]["lower"]) * scale), 2) for r in rows]
    mean_q = float(np.mean(quantile_net)) if quantile_net else 0.0
    formula = f"max(0, {buffer} x mean over forecast months of the P{round(q * 100)} monthly net)"
    inputs = {"months": [r["month"] for r in rows], f"p{round(q * 100)}_monthly_net": quantile_net,
              "buffer": buffer}
    return metric(max(0.0, buffer * mean_q), "INR", formula, inputs,
                  "Ceiling for a NEW monthly instalment: existing EMIs are already inside the outflows. "
                  "0 when even a conservative month leaves no surplus.")


def _flag(code: str, severity: str, reason: str, value: Any = None) -> dict:
    return {"code": code, "severity": severity, "reason": reason, "value": value}


def risk_flags(plans: dict, runway: dict, backtest: dict, history: list[dict], rows: list[dict],
               available_funds: float | None, cfg: dict) -> list[dict]:
    """Reasons to distrust the borrower's cash position or the forecast itself, each with its number."""
    flags = []
    base_total = plans["base"]["total_net"]
    if base_total < 0:
        flags.append(_flag("negative_base_net", "high", f"the base forecast loses {-base_total:,.0f} INR over "
                           f"{len(rows)} month(s)", base_total))
    pess = runway["pessimistic"]["value"]
    warn = float(cfg["runway_warning_months"])
    if pess is not None and pess < warn:
        flags.append(_flag("short_pessimistic_runway", "high", f"funds run out in {pess:.1f} month(s) under the "
                           f"pessimistic scenario (< {warn:g})", round(pess, 2)))
    if available_funds is not None and available_funds < 0:
        flags.append(_flag("beyond_limit", "high", "the balance is already beyond the OD/CC limit",
                           round(available_funds, 2)))
    mape = backtest.get("mape")
    if mape is not None and mape > float(cfg["low_confidence_mape_pct"]):
        flags.append(_flag("low_confidence", "medium", f"back-test MAPE {mape:.1f}% > "
                           f"{cfg['low_confidence_mape_pct']}%: the forecast is unreliable", mape))
    naive = backtest.get("baseline_mape")
    if mape is not None and naive is not None and mape > naive:
        flags.append(_flag("worse_than_naive", "low", f"back-test MAPE {mape:.1f}% is worse than the naive "
                           f"baseline's {naive:.1f}%", mape))
    recent = [h["inflow"] for h in history[-12:] if h["inflow"] is not None]
    if len(recent) >= 3 and rows:
        past, future = float(np.mean(recent)), float(np.mean([r["inflow"]["point"] for r in rows]))
        change = (future - past) / past if past > 0 else 0.0
        if change < -float(cfg["decline_threshold"]):
            flags.append(_flag("declining_inflows", "medium", f"forecast monthly inflow {future:,.0f} is "
                               f"{-change:.0%} below the last {len(recent)} months' mean {past:,.0f}",
                               round(change, 4)))
    if len(history) < 12:
        flags.append(_flag("short_history", "low", f"only {len(history)} complete month(s) of history: "
                           "no seasonal model, wide uncertainty", len(history)))
    return flags
