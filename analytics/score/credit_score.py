"""An explainable 300–900 MSME credit score built from documented components.

The score is a weighted sum of six components, each scored 0–100 from the
customer's own analytics by piecewise-linear tables (see
``docs/credit_methodology.md``). A factor whose data is missing is left out
and its weight shared among the present factors of its component; a component
with no data at all is left out the same way and flagged, never filled with a
made-up value. A factor that does not apply (DSCR without any debt service:
the metric says ``applicable: false``) is left out the same way and reported
as not applicable, never as missing data. Policy overlays (GST fraud, write-offs) cap the score after the
sum. Reason codes rank each factor by how far it moved the score from a
neutral 50 points.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from analytics.metric import metric, missing
from analytics.score.tables import BANDS, COMPONENTS, OVERLAYS, Factor, band_for, interpolate

SCORE_MIN, SCORE_MAX = 300, 900


@dataclass
class FactorResult:
    factor: Factor
    value: float | None
    points: float | None
    source_metric: dict | None


def _metric_value(bodies: dict, document: str, key: str) -> tuple[Any, dict | None]:
    found = bodies.get(document, {}).get("metrics", {}).get(key)
    if isinstance(found, dict):
        return found.get("value"), found
    return None, None


def _derived_value(bodies: dict, customer: dict, as_of: date, key: str) -> tuple[Any, dict | None]:
    """Inputs the score needs that no analyzer publishes directly."""
    if key == "vintage_months":
        started = customer.get("incorporation_date")
        if started:
            d0 = date.fromisoformat(str(started)[:10])
            months = (as_of.year - d0.year) * 12 + as_of.month - d0.month
            return months, metric(months, "months", "months between incorporation and as-of date",
                                  {"incorporation_date": str(started)[:10], "as_of": as_of.isoformat()},
                                  "Business vintage from the incorporation date on record.")
        value, source = _metric_value(bodies, "credit_summary", "oldest_tradeline_months")
        return value, source
    if key == "business_credit_growth":
        rows = [r for r in bodies.get("transaction_summary", {}).get("monthly", []) if "business_credits" in r]
        if len(rows) < 24:
            return None, missing("ratio", "(last 12 months business credits / previous 12) - 1",
                                 f"needs 24 months of statement, have {len(rows)}")
        last = sum(r["business_credits"] for r in rows[-12:])
        prev = sum(r["business_credits"] for r in rows[-24:-12])
        if prev <= 0:
            return None, missing("ratio", "(last 12 / previous 12) - 1", "no business credits in the earlier year")
        growth = last / prev - 1
        return growth, metric(growth, "ratio", "(last 12 months business credits / previous 12) - 1",
                              {"last_12m": last, "previous_12m": prev},
                              "Year-on-year growth of business credits in the bank statement.")
    if key == "gst_fraud_severity":
        gst = bodies.get("gst_summary", {})
        if not gst.get("monthly"):  # no returns: the GST component must not score on bank-only checks
            return None, None
        return gst.get("fraud_indicators", {}).get("severity"), None
    if key == "abb_to_monthly_debits":
        abb, _ = _metric_value(bodies, "transaction_summary", "abb")
        debits, _ = _metric_value(bodies, "transaction_summary", "avg_monthly_debits")
        if abb is None or not debits:
            return None, missing("ratio", "ABB / average monthly debits", "ABB or monthly debits not available")
        ratio = abb / debits
        return ratio, metric(ratio, "ratio", "ABB / average monthly debits", {"abb": abb, "avg_monthly_debits": debits},
                             "How many months of spending the average balance covers.")
    raise KeyError(key)


def _factor_value(bodies: dict, customer: dict, as_of: date, factor: Factor) -> tuple[Any, dict | None]:
    if factor.document == "derived":
        return _derived_value(bodies, customer, as_of, factor.key)
    return _metric_value(bodies, factor.document, factor.key)


def _score_factor(factor: Factor, value: Any) -> float | None:
    if value is None:
        return None
    if factor.categories is not None:
        return factor.categories.get(str(value))
    if isinstance(value, bool):
        value = float(value)
    return interpolate(factor.points, float(value))


def score_customer(bodies: dict[str, dict], customer: dict, as_of: date, config: dict) -> dict[str, Any]:
    """The body of ``credit_score.json``: score, band, components with points and reason codes."""
    components_out, factor_rows = [], []
    weighted, weight_used = 0.0, 0.0
    for component in COMPONENTS:
        results = []
        for factor in component.factors:
            value, source = _factor_value(bodies, customer, as_of, factor)
            results.append(FactorResult(factor, value, _score_factor(factor, value), source))
        present = [r for r in results if r.points is not None]
        present_weight = sum(r.factor.weight for r in present)
        if not present:
            components_out.append({"id": component.id, "title": component.title, "weight": component.weight,
                                   "points": missing("points (0-100)", component.formula,
                                                     "no data for any factor of this component"),
                                   "factors": [_factor_out(r, None) for r in results]})
            continue
        points = sum(r.points * r.factor.weight for r in present) / present_weight
        weighted += points * component.weight
        weight_used += component.weight
        for r in present:
            share = component.weight * r.factor.weight / present_weight
            factor_rows.append((r, share))
        components_out.append({
            "id": component.id, "title": component.title, "weight": component.weight,
            "points": metric(points, "points (0-100)", component.formula,
                             {r.factor.key: r.points for r in present},
                             f"{component.title}: weighted average of its factors' points."),
            "factors": [_factor_out(r, component.weight * r.factor.weight / present_weight if r.points is not None
                                    else None) for r in results],
        })
    if weight_used == 0:
        nothing = missing("score (300-900)", "300 + 600 x weighted points / 100", "no data to score: every component is missing")
        return {"score": nothing, "metrics": {"score": nothing},
                "band": None, "components": components_out, "reasons": {"raised": [], "lowered": []},
                "overlays": [], "methodology": "docs/credit_methodology.md"}
    base_points = weighted / weight_used
    raw_score = SCORE_MIN + (SCORE_MAX - SCORE_MIN) * base_points / 100
    overlays = _apply_overlays(bodies)
    cap = min([o["cap"] for o in overlays], default=SCORE_MAX)
    final = int(round(min(raw_score, cap)))
    band = band_for(final)
    reasons = _reason_codes([(r, share * 100 / weight_used) for r, share in factor_rows])
    missing_components = [c["id"] for c in components_out if c["points"]["value"] is None]
    sufficiency = _sufficiency(bodies, missing_components, config)
    score_metric = metric(final, "score (300-900)", "min(300 + 600 x sum(weight x points) / sum(weights) / 100, overlay cap)",
                        {"weighted_points": base_points, "raw_score": raw_score, "cap": cap if overlays else None,
                         "components_used": [c["id"] for c in components_out if c["points"]["value"] is not None]},
                        "Weighted points of the six components mapped onto 300-900, then capped by policy overlays.")
    return {
        "score": score_metric,
        "metrics": {"score": score_metric, **{f"{c['id']}_points": c["points"] for c in components_out}},
        "band": {"code": band["code"], "label": band["label"], "range": [band["min"], band["max"]]},
        "bands": BANDS,
        "components": components_out,
        "missing_components": missing_components,
        "data_sufficiency": sufficiency,
        "overlays": overlays,
        "reasons": reasons,
        "methodology": "docs/credit_methodology.md",
    }


def _sufficiency(bodies: dict, missing_components: list[str], config: dict) -> dict[str, Any]:
    """Whether there is enough data behind the score for it to decide anything on its own."""
    rules = {"min_statement_months": 6, "max_missing_components": 2, **config.get("analytics", {}).get("credit_score", {})}
    months, _ = _metric_value(bodies, "transaction_summary", "months_covered")
    reasons = []
    if months is None or months < rules["min_statement_months"]:
        reasons.append(f"only {months or 0} months of bank statement (policy minimum {rules['min_statement_months']})")
    if len(missing_components) > rules["max_missing_components"]:
        reasons.append(f"{len(missing_components)} of 6 components have no data ({', '.join(missing_components)})")
    return {"sufficient": not reasons, "reasons": reasons, "rules": rules}


def _factor_out(result: FactorResult, share: float | None) -> dict[str, Any]:
    f = result.factor
    out = {"key": f.key, "title": f.title, "source": f"{f.document}.{f.key}", "value": result.value,
           "points": None if result.points is None else round(result.points, 2),
           "weight_in_score": None if share is None else round(share / 100, 4),
           "scoring": f.describe(), "reason": None if result.points is not None else "data not available"}
    source = result.source_metric or {}
    if result.points is None and source.get("applicable") is False:
        out.update(reason=source.get("reason") or "not applicable", applicable=False)
    return out


def _apply_overlays(bodies: dict) -> list[dict]:
    applied = []
    for overlay in OVERLAYS:
        value, _ = _metric_value(bodies, overlay.document, overlay.key) if overlay.document != "gst_summary" else (
            bodies.get("gst_summary", {}).get("fraud_indicators", {}).get("severity"), None)
        if value in overlay.trigger_values:
            applied.append({"id": overlay.id, "cap": overlay.cap, "reason": overlay.reason,
                            "source": f"{overlay.document}.{overlay.key}", "value": value})
    return applied


def _reason_codes(rows: list[tuple[FactorResult, float]]) -> dict[str, list[dict]]:
    """Rank factors by how many score points they moved away from a neutral 50 points."""
    impacts = []
    for result, weight_pct in rows:
        impact = (result.points - 50) / 100 * weight_pct / 100 * (SCORE_MAX - SCORE_MIN)
        impacts.append({"code": result.factor.code, "factor": result.factor.key, "title": result.factor.title,
                        "value": result.value, "points": round(result.points, 1), "impact": round(impact, 1),
                        "text": result.factor.sentence(result.value, result.points)})
    raised = sorted((i for i in impacts if i["impact"] > 0), key=lambda i: -i["impact"])[:5]
    lowered = sorted((i for i in impacts if i["impact"] < 0), key=lambda i: i["impact"])[:5]
    return {"raised": raised, "lowered": lowered}
