"""Runs the advanced models and the decision for one customer: forecast, reconciliation, ML anomalies,
recommendations, the credit decision (and the first page's recommendation, which repeats it).

Pure like :mod:`analytics.registry`: clean records and the analytics (and
risk-model) documents in, one body per output out; the pipeline's ``models``
stage loads and writes.
"""
from __future__ import annotations

from typing import Any, Protocol

from analytics.decision.capacity import repayment_capacity
from analytics.decision.decide import as_recommendation, decide
from analytics.decision.policy import load_policy
from analytics.independent_outputs import INDEPENDENT_OUTPUTS, model_transactions
from analytics.recommendations.receivables import summarize_receivables
from analytics.recommendations.recommend import recommend_products
from analytics.registry import CustomerData

MODEL_OUTPUTS = ("cashflow_forecast", "reconciliation", "enhanced_anomalies", "recommendations", "decision")
ENVELOPE = ("customer_id", "as_of", "generated_at", "code_version", "name")


class ComputedElsewhere(Protocol):
    """Outputs other processes are computing from the same inputs (:mod:`pipeline.overlap`)."""

    names: frozenset[str]

    def __call__(self, name: str) -> dict | None:
        """The body of ``name`` when it arrives; None if it did not (the caller computes it)."""


def run_models(data: CustomerData, docs: dict[str, dict], config: dict,
               computed_elsewhere: ComputedElsewhere | None = None) -> dict[str, dict[str, Any]]:
    """Bodies of :data:`MODEL_OUTPUTS`, plus ``overall_summary`` with the final decision as its recommendation.

    ``computed_elsewhere`` names :data:`INDEPENDENT_OUTPUTS` other processes are computing: those are taken from
    it after everything computed here (so they have had the most time), and computed here if they never came.
    """
    records = data.records
    txns = model_transactions(data)
    away = computed_elsewhere.names if computed_elsewhere is not None else frozenset()
    bodies = {name: compute(data, txns, docs, config)
              for name, compute in INDEPENDENT_OUTPUTS.items() if name not in away}
    for name, compute in INDEPENDENT_OUTPUTS.items():
        if name in away:
            given = computed_elsewhere(name)
            bodies[name] = given if given is not None else compute(data, txns, docs, config)
    forecast = bodies["cashflow_forecast"]
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
