"""Runs the advanced models for one customer: forecast, reconciliation, ML anomalies, recommendations.

Pure like :mod:`analytics.registry`: clean records and the analytics (and
risk-model) documents in, one body per output out; the pipeline's ``models``
stage loads and writes.
"""
from __future__ import annotations

from typing import Any

from analytics.anomalies.ml import detect_ml_anomalies
from analytics.bank.statement import prepare_transactions
from analytics.forecasting.cashflow import forecast_from_summary
from analytics.recommendations.receivables import summarize_receivables
from analytics.recommendations.recommend import recommend_products
from analytics.reconciliation.report import reconcile
from analytics.registry import CustomerData

MODEL_OUTPUTS = ("cashflow_forecast", "reconciliation", "enhanced_anomalies", "recommendations")


def run_models(data: CustomerData, docs: dict[str, dict], config: dict) -> dict[str, dict[str, Any]]:
    """Bodies of ``cashflow_forecast``, ``reconciliation``, ``enhanced_anomalies`` and ``recommendations``."""
    records = data.records
    txns = prepare_transactions(records.get("transactions", []), records.get("accounts", []))
    forecast = forecast_from_summary(docs.get("transaction_summary", {}), data.as_of, config)
    bodies = {
        "cashflow_forecast": forecast,
        "reconciliation": reconcile(records, txns, docs, config),
        "enhanced_anomalies": detect_ml_anomalies(txns, docs, config),
    }
    receivables = summarize_receivables(records.get("gst_returns", []), data.as_of, config)
    bodies["recommendations"] = recommend_products({**docs, "receivables_summary": receivables},
                                                   docs.get("risk_model"), forecast, config, as_of=data.as_of)
    return bodies
