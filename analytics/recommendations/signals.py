"""Need signals: what the customer's data says it needs money for, each a 0–1 metric with its evidence.

Thresholds and scales are ``recommendations.signals`` in config.json.

* **seasonality** = min(1, (peak − trough of the GST seasonality index) / ``seasonality_full_spread``);
  without GST, min(1, income CV / ``cv_full``). Seasonal businesses need working capital and overdrafts.
* **growth** = the lower of GST year-on-year growth and bank business-credit growth (last 12 months vs the
  12 before) — growth must show in both the return and the bank; strength = min(1, max(0, growth) /
  ``growth_full``). Growing businesses need expansion and equipment finance.
* **receivables** strength = B2B share of GSTR-1 sales × (months with B2B invoices of the last 12) / 12.
* **dip**: last 3 complete months of business credits ÷ the same 3 months a year earlier (seasonality-neutral);
  *temporary* when that ratio is at most ``dip_threshold`` and the 12 months before the dip were at least
  ``pre_dip_min_ratio`` × the 12 before them (a business already in decline is not in a temporary dip).
  Strength = min(1, (1 − ratio) / ``dip_full``) for a temporary dip, else 0.
* **ABB stability**: mean, CV and positive months of the monthly ABB over the last ``abb_months`` months.
* **relationship**: active bureau facilities of the ``relationship_tradeline_types`` and their outstanding.
* **capex**: any bureau tradeline of the ``capex_tradeline_types`` (equipment, vehicles): an asset-heavy
  business that has financed assets before.
"""
from __future__ import annotations

import statistics
from datetime import date
from typing import Any

from analytics.metric import metric, missing
from analytics.recommendations.facts import doc_metric, value

Series = tuple[list[str], list[float], list[float | None]]


def _bank_series(docs: dict, as_of: date | None) -> Series:
    """Complete months of the statement: months, business credits, ABB.

    The month of the as-of date (``as_of`` or the document envelope's) is dropped: it is partial, and a
    half month would read as a dip. Without any as-of date every monthly row is used.
    """
    ts = docs.get("transaction_summary") or {}
    cut = as_of.isoformat()[:7] if as_of else str(ts.get("as_of") or "")[:7]
    rows = [r for r in ts.get("monthly") or [] if "business_credits" in r and (not cut or r["month"] < cut)]
    return [r["month"] for r in rows], [float(r["business_credits"]) for r in rows], [r.get("abb") for r in rows]


def _seasonality(docs: dict, s: dict) -> dict:
    indices = [e["index"]["value"] for e in (docs.get("gst_summary") or {}).get("seasonality_index") or []
               if isinstance(e.get("index"), dict) and e["index"].get("value") is not None]
    if len(indices) >= 2:
        spread = max(indices) - min(indices)
        return metric(min(1.0, spread / s["seasonality_full_spread"]), "strength (0-1)",
                      "min(1, (max - min GST seasonality index) / seasonality_full_spread)",
                      {"peak_index": max(indices), "trough_index": min(indices),
                       "seasonality_full_spread": s["seasonality_full_spread"]},
                      "How far the best calendar month runs above the worst.")
    cv = value(doc_metric(docs, "transaction_summary", "income_cv"))
    if cv is None:
        return missing("strength (0-1)", "GST seasonality spread, else income CV", "no GST seasonality or income CV")
    return metric(min(1.0, cv / s["cv_full"]), "strength (0-1)", "min(1, income_cv / cv_full) (no GST seasonality)",
                  {"income_cv": cv, "cv_full": s["cv_full"]}, "Variability of monthly bank inflows.")


def _growth(docs: dict, series: Series, s: dict) -> tuple[dict, dict]:
    gst = value(doc_metric(docs, "gst_summary", "yoy_growth"))
    _, credits, _ = series
    bank = None
    if len(credits) >= 24 and sum(credits[-24:-12]) > 0:
        bank = sum(credits[-12:]) / sum(credits[-24:-12]) - 1
    present = {k: v for k, v in (("gst_yoy_growth", gst), ("bank_credit_growth", bank)) if v is not None}
    formula = "min(GST yoy_growth, bank business credits last 12 months / previous 12 - 1)"
    if not present:
        reason = "needs 24 months of GSTR-3B or of bank statement"
        return missing("ratio", formula, reason), missing("strength (0-1)", "growth / growth_full", reason)
    g = min(present.values())
    growth = metric(g, "ratio", formula, present, "Turnover growth seen in both the GST return and the bank.")
    return growth, metric(min(1.0, max(0.0, g) / s["growth_full"]), "strength (0-1)",
                          "min(1, max(0, growth) / growth_full)", {"growth": g, "growth_full": s["growth_full"]},
                          "How strongly the business is growing.")


def _receivables(docs: dict) -> dict:
    share = value(doc_metric(docs, "receivables_summary", "b2b_share_12m"))
    months = value(doc_metric(docs, "receivables_summary", "b2b_months_12m"))
    formula = "b2b_share_12m x b2b_months_12m / 12"
    if share is None or months is None:
        return missing("strength (0-1)", formula, "no receivables_summary (B2B invoices from GSTR-1)")
    return metric(share * months / 12, "strength (0-1)", formula, {"b2b_share_12m": share, "b2b_months_12m": months},
                  "How much of the business is regular invoicing to GST-registered buyers.")


def _dip(series: Series, s: dict) -> dict[str, dict]:
    months, bc, _ = series
    formula = "Σ business credits of the last 3 months / Σ of the same 3 months a year earlier"
    if len(bc) < 15 or sum(bc[-15:-12]) <= 0:
        reason = f"needs 15 complete months of statement with credits a year ago, have {len(bc)}"
        return {"dip_ratio": missing("ratio", formula, reason), "temporary_dip": missing("flag", formula, reason),
                "dip": missing("strength (0-1)", formula, reason)}
    ratio = sum(bc[-3:]) / sum(bc[-15:-12])
    dip_ratio = metric(ratio, "ratio", formula, {"last_3_months": months[-3:], "last_3": sum(bc[-3:]),
                                                 "year_earlier": months[-15:-12], "year_earlier_3": sum(bc[-15:-12])},
                       "Recent inflows against the same season last year.")
    pre_formula = "Σ business credits of the 12 months before the last 3 / Σ of the 12 months before those"
    if len(bc) < 27 or sum(bc[-27:-15]) <= 0:
        reason = f"needs 27 complete months to tell a temporary dip from a decline, have {len(bc)}"
        return {"dip_ratio": dip_ratio, "temporary_dip": missing("flag", pre_formula, reason),
                "dip": missing("strength (0-1)", pre_formula, reason)}
    pre = sum(bc[-15:-3]) / sum(bc[-27:-15])
    temporary = ratio <= s["dip_threshold"] and pre >= s["pre_dip_min_ratio"]
    flag = metric(temporary, "flag", f"dip_ratio <= {s['dip_threshold']} and pre_dip_ratio >= {s['pre_dip_min_ratio']}",
                  {"dip_ratio": ratio, "pre_dip_ratio": pre, "dip_threshold": s["dip_threshold"],
                   "pre_dip_min_ratio": s["pre_dip_min_ratio"]},
                  "A recent fall in inflows after a year that was holding up.")
    strength = min(1.0, (1 - ratio) / s["dip_full"]) if temporary else 0.0
    return {"dip_ratio": dip_ratio, "pre_dip_ratio": metric(pre, "ratio", pre_formula, {}, "The year before the dip."),
            "temporary_dip": flag,
            "dip": metric(strength, "strength (0-1)", "min(1, (1 - dip_ratio) / dip_full) if temporary_dip else 0",
                          {"dip_ratio": ratio, "dip_full": s["dip_full"], "temporary_dip": temporary},
                          "How deep a temporary dip is.")}


def _abb(series: Series, s: dict) -> dict[str, dict]:
    months, _, abb = series
    n = int(s["abb_months"])
    rows = [(m, float(a)) for m, a in zip(months[-n:], abb[-n:]) if a is not None]
    if not rows:
        reason = "no monthly ABB in the statement"
        return {k: missing(u, "monthly ABB", reason) for k, u in
                (("abb_recent", "INR"), ("abb_cv", "ratio"), ("positive_abb_months", "months"))}
    vals = [a for _, a in rows]
    mean = statistics.fmean(vals)
    ins = {"months": [m for m, _ in rows], "abb": vals}
    cv_formula = f"population std / mean of monthly ABB, last {n} months"
    return {"abb_recent": metric(mean, "INR", f"mean of monthly ABB over the last {n} complete months", ins,
                                 "Recent average bank balance (fixed-day balances)."),
            "abb_cv": (metric(statistics.pstdev(vals) / mean, "ratio", cv_formula, ins, "How much the ABB swings.")
                       if mean > 0 else missing("ratio", cv_formula, f"mean ABB {mean:,.0f} is not positive", ins)),
            "positive_abb_months": metric(sum(1 for a in vals if a > 0), "months", f"months with ABB > 0, last {n}",
                                          ins, "Months the account held money rather than running on overdraft.")}


def _bureau(docs: dict, s: dict) -> dict[str, dict]:
    credit = docs.get("credit_summary") or {}
    if not credit.get("report"):
        reason = "no bureau report"
        return {"business_facilities": missing("count", "active business tradelines", reason),
                "business_outstanding": missing("INR", "Σ currentBalance of active business tradelines", reason),
                "capex_history": missing("flag", "any equipment/vehicle tradeline", reason)}
    lines = credit.get("tradelines") or []
    rel = [t for t in lines
           if t.get("status") == "ACTIVE" and t.get("accountType") in s["relationship_tradeline_types"]]
    capex = [t for t in lines if t.get("accountType") in s["capex_tradeline_types"]]
    outstanding = sum(max(float(t.get("currentBalance") or 0), 0.0) for t in rel)
    ids = lambda ts: [f"{t.get('lender')}/{t.get('accountType')}" for t in ts]
    return {"business_facilities": metric(len(rel), "count", "active tradelines of relationship_tradeline_types",
                                          {"tradelines": ids(rel), "types": s["relationship_tradeline_types"]},
                                          "Business credit facilities running today: the existing relationship."),
            "business_outstanding": metric(outstanding, "INR", "Σ max(currentBalance, 0) of those facilities",
                                           {"tradelines": ids(rel)}, "Business credit outstanding today."),
            "capex_history": metric(bool(capex), "flag", "any tradeline of capex_tradeline_types",
                                    {"tradelines": ids(capex), "types": s["capex_tradeline_types"]},
                                    "The business has financed equipment or vehicles before.")}


def gather_signals(docs: dict, config: dict, as_of: date | None = None) -> dict[str, dict]:
    """``{name: metric}``: need signals (0–1 strengths) and the product-specific evidence behind them.

    Why: a recommendation should say *why this product for this customer*; each
    strength is a documented function of the customer's own data.
    """
    s = config["recommendations"]["signals"]
    series = _bank_series(docs, as_of)
    growth, growth_strength = _growth(docs, series, s)
    out: dict[str, Any] = {"seasonality": _seasonality(docs, s), "growth_rate": growth, "growth": growth_strength,
                           "receivables": _receivables(docs)}
    for key in ("invoice_pool", "b2b_months_12m", "top_buyer_share", "pool_buyers"):
        found = doc_metric(docs, "receivables_summary", key)
        out[key] = ({**found, "source": f"receivables_summary.metrics.{key}"} if found else
                    missing("INR" if key == "invoice_pool" else "count", f"receivables_summary.metrics.{key}",
                            "no receivables_summary (B2B invoices from GSTR-1)"))
    out.update(_dip(series, s))
    out.update(_abb(series, s))
    out.update(_bureau(docs, s))
    out["capex"] = (metric(1.0 if out["capex_history"]["value"] else 0.0, "strength (0-1)", "1 if capex_history else 0",
                           {"capex_history": out["capex_history"]["value"]}, "Financed-asset history as a need signal.")
                    if out["capex_history"]["value"] is not None else
                    missing("strength (0-1)", "1 if capex_history else 0", out["capex_history"]["explanation"]))
    out["base"] = metric(1.0, "strength (0-1)", "1", {}, "Every operating business has this need.")
    return out
