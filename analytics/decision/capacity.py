"""Repayment capacity from a year of cash flow: what a new loan's instalment may be, and why.

Definitions (every one repeated in its metric's formula; limits in ``credit_policy.capacity``):

* **Cash available for debt service (CADS)**, a month = business credits − every debit except EMIs,
  self-transfers out and returned items (``surplus + emi_debits`` of the statement's monthly table). Over the
  **trailing 12 complete months** before the as-of date.
* **Forecast CADS** = the cash-flow forecast's inflows for the next 12 months (``annual_outlook``, seasonality
  included) × the trailing operating margin (trailing CADS / trailing business credits): next year's receipts at
  this year's margin.
* **Annual CADS** = the lower of the trailing and the forecast figure (a declining business is sized on its
  forecast, a growing one on what it has shown). Sizing on a whole year is what makes a seasonal business
  lendable: its peak pays for its trough, where the P20 of a 90-day forecast sized it on the trough alone.
* **Existing obligations** = EMIs the statement shows still being debited, plus ACTIVE bureau instalment loans
  the statement does not show (paid from another account, still owed).
* **Gross income** = trailing average monthly business credits; **net income** = annual CADS / 12.
* **FOIR** gross = obligations / gross income; net = obligations / net income. **DSCR** = net income /
  obligations; with no obligations it is *not applicable* (value None, ``applicable: false``), which is not
  risk and not missing data.
* **Maximum new EMI** = max(0, min(net income / min_dscr, max_foir_gross × gross income,
  max_foir_net × net income) − existing obligations); the binding limit is named.
* **Projected annual turnover** (for working-capital limits, the turnover method) = the lower of GST turnover
  and bank business credits over the trailing 12 months × (1 + forecast growth), growth = forecast inflows /
  trailing inflows − 1 clipped to [``forecast_decline_floor``, ``forecast_growth_cap``].
"""
from __future__ import annotations

from datetime import date
from typing import Any

from analytics.collect.plan import active_obligations
from analytics.decision.policy import Policy
from analytics.metric import metric, missing

INR, RATIO = "INR", "ratio"


def _trailing_rows(bank: dict, as_of: date, months: int) -> list[dict]:
    cutoff = f"{as_of.year:04d}-{as_of.month:02d}"
    rows = sorted((r for r in bank.get("monthly") or [] if r.get("month") and r["month"] < cutoff),
                  key=lambda r: r["month"])
    return rows[-months:]


def _window(rows: list[dict]) -> dict[str, Any]:
    return {"from": rows[0]["month"], "to": rows[-1]["month"], "months": len(rows),
            "label": f"trailing {len(rows)} complete months ({rows[0]['month']} to {rows[-1]['month']})"}


def _obligations(docs: dict) -> dict:
    found = active_obligations(docs.get("transaction_summary") or {}, docs.get("credit_summary") or {})
    total = float(sum(o["amount"] for o in found))
    by_source = {"bank_statement": sum(o["amount"] for o in found if o["source"] == "bank_statement"),
                 "bureau_only": sum(o["amount"] for o in found if o["source"] == "bureau")}
    return metric(total, "INR/month", "sum(EMIs still debited in the statement) + sum(ACTIVE bureau instalments "
                  "not seen in the statement)",
                  {"obligations": [{"lender": o["lender"], "amount": o["amount"], "source": o["source"]}
                                   for o in found], **by_source},
                  "Monthly instalments already owed. Loans paid from another account (bureau only) count: they are "
                  "still owed.")


def _forecast_inflows(forecast: dict | None) -> float | None:
    outlook = (forecast or {}).get("annual_outlook") or {}
    found = (outlook.get("metrics") or {}).get("forecast_inflows_12m")
    value = found.get("value") if isinstance(found, dict) else None
    return float(value) if isinstance(value, (int, float)) else None


def _turnover_12m(docs: dict, bank_12m: float) -> tuple[float, dict]:
    gst = ((docs.get("gst_summary") or {}).get("metrics") or {}).get("turnover_12m") or {}
    gst_value = gst.get("value") if isinstance(gst, dict) else None
    present = {"bank_business_credits_12m": bank_12m}
    if isinstance(gst_value, (int, float)) and gst_value > 0:
        present["gst_turnover_12m"] = float(gst_value)
    return min(present.values()), present


def repayment_capacity(docs: dict[str, dict], forecast: dict | None, policy: Policy, as_of: date) -> dict[str, Any]:
    """``{"metrics": {...}, "notes": [...]}``: the figures a new loan is sized on, each a metric with its window.

    ``docs`` are the customer's analytics documents by name (``transaction_summary``, ``credit_summary``,
    ``gst_summary``), ``forecast`` the body of ``cashflow_forecast.json`` (None: sized on the trailing year alone,
    said in ``notes``).
    """
    cap = policy.capacity
    months = int(cap.get("trailing_months", 12))
    rows = _trailing_rows(docs.get("transaction_summary") or {}, as_of, months)
    obligations = _obligations(docs)
    notes: list[str] = []
    if not rows:
        why = "no complete month of bank statement before the as-of date"
        gone = {k: missing(INR, "see docs/decision.md", why) for k in
                ("gross_monthly_income", "cads_trailing_12m", "cads_annual", "net_monthly_income", "max_new_emi",
                 "projected_annual_turnover")}
        return {"metrics": {**gone, "existing_obligations": obligations,
                            "dscr": missing(RATIO, "net income / obligations", why),
                            "foir_gross": missing(RATIO, "obligations / gross income", why),
                            "foir_net": missing(RATIO, "obligations / net income", why)}, "notes": [why]}
    window = _window(rows)
    credits = float(sum(r.get("business_credits") or 0.0 for r in rows))
    cads_rows = [float(r.get("surplus") or 0.0) + float(r.get("emi_debits") or 0.0) for r in rows]
    cads_trailing = float(sum(cads_rows))
    scale = 12 / len(rows)  # fewer than 12 months: annualised, and said
    if len(rows) < 12:
        notes.append(f"only {len(rows)} complete months of statement: annual figures scaled by 12/{len(rows)}")
    margin = cads_trailing / credits if credits > 0 else None
    m: dict[str, dict] = {}
    m["gross_monthly_income"] = metric(credits / len(rows), INR, "sum(business credits) / months, trailing window",
                                       {"business_credits": credits, "months": len(rows)},
                                       "Average monthly business credits over the trailing year.", window=window)
    m["cads_trailing_12m"] = metric(cads_trailing * scale, INR, "sum over the trailing months of (surplus + EMI "
                                    "debits) x 12 / months", {"monthly": dict(zip([r["month"] for r in rows],
                                                                                 cads_rows)), "scale": scale},
                                    "Cash the business generated before paying any EMI over the last year.",
                                    window=window)
    inflows = _forecast_inflows(forecast)
    if inflows is not None and margin is not None:
        m["cads_forecast_12m"] = metric(inflows * margin, INR, "forecast inflows next 12 months x trailing operating "
                                        "margin", {"forecast_inflows_12m": inflows, "operating_margin": margin},
                                        "Next year's receipts (seasonal forecast) at this year's operating margin.",
                                        window={"label": "next 12 months (forecast)", "months": 12})
        annual = min(m["cads_trailing_12m"]["value"], m["cads_forecast_12m"]["value"])
        basis = "forecast" if m["cads_forecast_12m"]["value"] < m["cads_trailing_12m"]["value"] else "trailing"
    else:
        m["cads_forecast_12m"] = missing(INR, "forecast inflows next 12 months x trailing operating margin",
                                         "no 12-month cash-flow forecast" if inflows is None else
                                         "no business credits to take a margin from")
        notes.append("sized on the trailing year alone: " + m["cads_forecast_12m"]["reason"])
        annual, basis = m["cads_trailing_12m"]["value"], "trailing"
    m["cads_annual"] = metric(annual, INR, "min(trailing CADS 12m, forecast CADS 12m)",
                              {"trailing": m["cads_trailing_12m"]["value"], "forecast": m["cads_forecast_12m"]["value"],
                               "used": basis}, "The year of cash flow the loan is sized on (the lower, prudently).")
    net, gross, owed = annual / 12, m["gross_monthly_income"]["value"], obligations["value"]
    m["net_monthly_income"] = metric(net, INR, "cads_annual / 12", {"cads_annual": annual},
                                     "Monthly cash available for all debt service.")
    m["existing_obligations"] = obligations
    m.update(_ratios(net, gross, owed, window))
    m["max_new_emi"] = _max_new_emi(net, gross, owed, cap)
    m["projected_annual_turnover"] = _projected_turnover(docs, credits * scale, inflows, cap, window)
    return {"metrics": m, "window": window, "notes": notes}


def _ratios(net: float, gross: float, owed: float, window: dict) -> dict[str, dict]:
    inputs = {"existing_obligations": owed, "net_monthly_income": net, "gross_monthly_income": gross}
    out = {"foir_gross": (metric(owed / gross, RATIO, "existing obligations / gross monthly income", inputs,
                                 "Share of monthly business credits already committed to EMIs.", window=window)
                          if gross > 0 else missing(RATIO, "obligations / gross income", "no business credits")),
           "foir_net": (metric(owed / net, RATIO, "existing obligations / net monthly income", inputs,
                               "Share of the cash left after operating costs already committed to EMIs.",
                               window=window)
                        if net > 0 else missing(RATIO, "obligations / net income", "net income is not positive",
                                                inputs))}
    if owed <= 0:
        dscr = metric(None, RATIO, "net monthly income / existing obligations", inputs,
                      "Not applicable: the business services no debt today. No debt is not risk.", window=window)
        dscr.update(applicable=False, reason="not applicable: no debt service")
    else:
        dscr = metric(net / owed, RATIO, "net monthly income / existing obligations", inputs,
                      "Cash available per rupee of existing EMI; below the policy minimum there is no room for more.",
                      window=window)
        dscr["applicable"] = True
    out["dscr"] = dscr
    return out


def _max_new_emi(net: float, gross: float, owed: float, cap: dict) -> dict:
    limits = {"dscr": net / cap["min_dscr"], "foir_gross": cap["max_foir_gross"] * gross,
              "foir_net": cap["max_foir_net"] * net}
    binding = min(limits, key=limits.get)
    room = max(0.0, limits[binding] - owed)
    return metric(room, "INR/month", "max(0, min(net income / min_dscr, max_foir_gross x gross income, max_foir_net x "
                  "net income) - existing obligations)",
                  {**{f"limit_{k}": v for k, v in limits.items()}, "existing_obligations": owed, "binding": binding,
                   "min_dscr": cap["min_dscr"], "max_foir_gross": cap["max_foir_gross"],
                   "max_foir_net": cap["max_foir_net"]},
                  f"The largest new monthly instalment the year's cash flow carries (bound by {binding}).")


def _projected_turnover(docs: dict, bank_12m: float, inflows: float | None, cap: dict, window: dict) -> dict:
    verified, present = _turnover_12m(docs, bank_12m)
    lo, hi = float(cap.get("forecast_decline_floor", -0.5)), float(cap.get("forecast_growth_cap", 0.2))
    growth = 0.0 if inflows is None or bank_12m <= 0 else min(hi, max(lo, inflows / bank_12m - 1))
    return metric(verified * (1 + growth), INR, "min(GST turnover 12m, bank business credits 12m) x (1 + forecast "
                  f"growth clipped to [{lo:g}, {hi:g}])",
                  {**present, "verified_turnover_12m": verified, "forecast_inflows_12m": inflows,
                   "forecast_growth": growth},
                  "Next year's turnover both the GST returns and the bank account support, at the forecast's growth "
                  "(GST turnover excl. tax; bank credits incl. it, so the lower is usually the GST figure).",
                  window=window)
