"""Runs the advanced models and the decision for one customer: forecast, reconciliation, ML anomalies,
recommendations, the credit decision (and the first page's recommendation, which repeats it).

Pure like :mod:`analytics.registry`: clean records and the analytics (and
risk-model) documents in, one body per output out; the pipeline's ``models``
stage loads and writes.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from analytics.anomalies.ml import detect_ml_anomalies
from analytics.decision.capacity import repayment_capacity
from analytics.decision.decide import as_recommendation, decide
from analytics.decision.policy import load_policy
from analytics.forecasting.cashflow import forecast_from_summary
from analytics.independent_outputs import INDEPENDENT_OUTPUTS, model_transactions
from analytics.recommendations.receivables import summarize_receivables
from analytics.recommendations.recommend import recommend_products
from analytics.registry import CustomerData

MODEL_OUTPUTS = ("cashflow_forecast", "reconciliation", "enhanced_anomalies", "recommendations", "decision")
ENVELOPE = ("customer_id", "as_of", "generated_at", "code_version", "name")


def run_models(data: CustomerData, docs: dict[str, dict], config: dict,
               computed_elsewhere: Callable[[str], dict | None] | None = None) -> dict[str, dict[str, Any]]:
    """Bodies of :data:`MODEL_OUTPUTS`, plus ``overall_summary`` with the final decision as its recommendation.

    ``computed_elsewhere(name)`` may give the body of an :data:`INDEPENDENT_OUTPUTS` entry computed by another
    process from the same inputs (None: compute it here); it is asked only after everything else that does not
    need it, so the other process has had the most time.
    """
    records = data.records
    txns = model_transactions(data)
    forecast = forecast_from_summary(docs.get("transaction_summary", {}), data.as_of, config)
    bodies = {"cashflow_forecast": forecast, "enhanced_anomalies": detect_ml_anomalies(txns, docs, config)}
    for name, compute in INDEPENDENT_OUTPUTS.items():
        given = computed_elsewhere(name) if computed_elsewhere else None
        bodies[name] = given if given is not None else compute(data, txns, docs, config)
    receivables = summarize_receivables(records.get("gst_returns", []), data.as_of, config)
    policy = load_policy(config)
    capacity = repayment_capacity(docs, forecast, policy, data.as_of)
    bodies["recommendations"] = recommend_products({**docs, "receivables_summary": receivables},
                                                   docs.get("risk_model"), forecast, config, as_of=data.as_of,
                                                   capacity=capacity)
    bodies["decision"] = decide(docs, docs.get("risk_model"), bodies["recommendations"], data.consent, policy)
    if "overall_summary" in docs:
        overall = {k: v for k, v in docs["overall_summary"].items() if k not in ENVELOPE}
        bodies["overall_summary"] = {**overall, "recommendation": as_recommendation(bodies["decision"], "final"),
                                     "key_metrics": _lending_ratios(overall.get("key_metrics") or {}, capacity)}
    return {name: bodies[name] for name in (*MODEL_OUTPUTS, "overall_summary") if name in bodies}


LENDING_RATIOS = (("foir", "foir_gross", "FOIR (all EMIs, trailing 12 months)"),
                  ("dscr", "dscr", "DSCR (all EMIs, trailing 12 months)"))


def _lending_ratios(key_metrics: dict, capacity: dict) -> dict:
    """The first page's FOIR and DSCR as the decision computed them (all EMIs, bureau-only loans included, over
    the trailing year), so the officer sees one figure for each on every screen."""
    out = dict(key_metrics)
    for key, source, label in LENDING_RATIOS:
        found = (capacity.get("metrics") or {}).get(source)
        if isinstance(found, dict):
            out[key] = {**found, "label": label, "source": f"decision.capacity.{source}"}
    return out
