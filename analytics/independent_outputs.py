"""Model outputs that need neither the risk model nor another model output.

The ``models`` step computes them with the rest (:func:`analytics.models_registry.run_models`), but because they
depend only on the clean records and the ``analyze`` documents, other processes may compute them at the same
time as one scores: a ``run`` split over two processes (:mod:`pipeline.overlap`) has its first process, idle
once the data steps are done, compute the reconciliation (pandas only) while the second scores. Each output
imports its library only when computed, so importing this module costs only pandas: the first process never
pays for scikit-learn or statsmodels.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from analytics.bank.statement import prepare_transactions
from analytics.registry import CustomerData


def _forecast(data: CustomerData, txns: pd.DataFrame, docs: dict, config: dict) -> dict[str, Any]:
    from analytics.forecasting.cashflow import forecast_from_summary   # statsmodels

    return forecast_from_summary(docs.get("transaction_summary", {}), data.as_of, config)


def _reconciliation(data: CustomerData, txns: pd.DataFrame, docs: dict, config: dict) -> dict[str, Any]:
    from analytics.reconciliation.report import reconcile   # pandas only

    return reconcile(data.records, txns, docs, config)


def _ml_anomalies(data: CustomerData, txns: pd.DataFrame, docs: dict, config: dict) -> dict[str, Any]:
    from analytics.anomalies.ml import detect_ml_anomalies   # scikit-learn

    return detect_ml_anomalies(txns, docs, config)


# name -> its body from the clean records, the statement as the model outputs read it, and the analytics documents
INDEPENDENT_OUTPUTS: dict[str, Callable[[CustomerData, pd.DataFrame, dict, dict], dict[str, Any]]] = {
    "cashflow_forecast": _forecast,
    "reconciliation": _reconciliation,
    "enhanced_anomalies": _ml_anomalies,
}


def model_transactions(data: CustomerData) -> pd.DataFrame:
    """The statement frame the model outputs read: every line, self-transfers marked from the account holders
    (not from the owners named in the customer record, as ``analyze`` also does)."""
    records = data.records
    return prepare_transactions(records.get("transactions", []), records.get("accounts", []))


def independent_outputs(names: tuple[str, ...], data: CustomerData, docs: dict[str, dict],
                        config: dict) -> dict[str, dict[str, Any]]:
    """The bodies of ``names`` (of :data:`INDEPENDENT_OUTPUTS`), exactly as
    :func:`~analytics.models_registry.run_models` computes them from the same inputs."""
    txns = model_transactions(data)
    return {name: INDEPENDENT_OUTPUTS[name](data, txns, docs, config) for name in names}
