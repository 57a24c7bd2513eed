"""The I/O edge of the ``score`` and ``models`` steps.

``score``: the persisted risk model (trained once from a synthetic portfolio
on a lake that has none) scores the customer, and the credit score is
recomputed from the same analytics documents. ``models``: the forecast,
reconciliation, ML anomalies and product recommendations. Each step computes
everything before writing anything, so a failure leaves the previous outputs.
"""
from __future__ import annotations

from typing import Any

from pipeline.lake import Lake, LakeError, utc_now_iso
from pipeline.stages import Progress, StageError, _quiet, load_customer_data


def _analytics_documents(lake: Lake, customer_id: str, names: tuple[str, ...]) -> dict[str, dict]:
    docs = {}
    for name in names:
        path = lake.analytics_path(customer_id, name)
        if path.exists():
            try:
                docs[name] = lake.read_json(path)
            except LakeError:
                continue
    return docs


def _write(lake: Lake, data, bodies: dict[str, dict], config: dict) -> list[str]:
    from analytics.registry import with_envelope

    generated_at, version = utc_now_iso(), str(config.get("version", "0"))
    documents = {name: with_envelope(name, body, data, version, generated_at) for name, body in bodies.items()}
    for name, document in documents.items():
        lake.write_json(lake.analytics_path(data.customer_id, name), document)
    return sorted(documents)


def score_stage(lake: Lake, customer_id: str, config: dict, progress: Progress = _quiet) -> dict[str, Any]:
    """Risk model (PD, band, SHAP drivers) and credit score for one customer."""
    from analytics.registry import OUTPUT_NAMES
    from analytics.risk.model import ensure_risk_model, risk_model_document
    from analytics.risk.registry import challenger_bundles
    from analytics.score.credit_score import score_customer

    data = load_customer_data(lake, customer_id)
    docs = _analytics_documents(lake, customer_id, OUTPUT_NAMES)
    if "transaction_summary" not in docs:
        raise StageError(f"no analytics for {customer_id}: run analyze first")
    bundle = ensure_risk_model(lake, config, progress)
    challengers = challenger_bundles(lake) if config.get("model_registry", {}).get("score_challengers", True) else None
    risk = risk_model_document(bundle, docs, data.customer, data.as_of, challengers=challengers)
    credit = score_customer(docs, data.customer, data.as_of, config)
    written = _write(lake, data, {"risk_model": risk, "credit_score": credit}, config)
    pd_value = risk["metrics"]["probability_of_default"]["value"]
    shown = f"PD {pd_value:.1%}, band {risk['metrics']['risk_band']['value']}" if pd_value is not None else \
        f"no PD ({risk['metrics']['probability_of_default'].get('reason', 'model features not available')})"
    progress("success", f"risk model: {shown}; credit score {credit['score']['value']}")
    return {"documents": written, "probability_of_default": pd_value}


def models_stage(lake: Lake, customer_id: str, config: dict, progress: Progress = _quiet,
                 computed_elsewhere: Any = None) -> dict[str, Any]:
    """Cash-flow forecast, reconciliation, ML anomalies and product recommendations for one customer.

    ``computed_elsewhere`` (:class:`analytics.models_registry.ComputedElsewhere`) gives bodies other processes
    computed with :func:`independent_model_outputs`."""
    from analytics.models_registry import run_models
    from analytics.registry import OUTPUT_NAMES

    data = load_customer_data(lake, customer_id)
    docs = _analytics_documents(lake, customer_id, (*OUTPUT_NAMES, "risk_model"))
    if "transaction_summary" not in docs:
        raise StageError(f"no analytics for {customer_id}: run analyze first")
    if "risk_model" not in docs:
        progress("warning", "no risk model output yet: recommendations price from the credit-score band")
    bodies = run_models(data, docs, config, computed_elsewhere)
    written = _write(lake, data, bodies, config)
    recs = bodies["recommendations"]["metrics"]["eligible_products"]["value"]
    recon = bodies["reconciliation"]["metrics"]
    rate = next((m["value"] for k, m in recon.items() if "rate" in k and isinstance(m, dict)), None)
    progress("success", f"models: forecast, reconciliation (rate {rate}), ML anomalies, "
                        f"{recs} eligible product(s)")
    return {"documents": written}


def independent_model_outputs(lake: Lake, customer_id: str, config: dict, names: tuple[str, ...]) -> dict[str, dict]:
    """Those of the ``models`` step's outputs that need no risk model
    (:data:`analytics.independent_outputs.INDEPENDENT_OUTPUTS`) named in ``names``, computed from the clean layer
    and the ``analyze`` documents as that step would: a split ``run`` (:mod:`pipeline.overlap`) computes them in
    other processes while one scores. Imports only the libraries those outputs need."""
    from analytics.independent_outputs import independent_outputs
    from analytics.registry import OUTPUT_NAMES

    data = load_customer_data(lake, customer_id)
    docs = _analytics_documents(lake, customer_id, tuple(OUTPUT_NAMES))
    return independent_outputs(names, data, docs, config)
