"""Model outputs that need neither the risk model nor another model output.

The ``models`` step computes them with the rest (:func:`analytics.models_registry.run_models`), but because they
depend only on the clean records and the ``analyze`` documents, another process may compute them at the same
time as this one scores: a ``run`` split over two processes (:mod:`pipeline.overlap`) has its first process,
idle once the data steps are done, compute them while the second scores. This module imports only what they
need (pandas, no scikit-learn, shap or statsmodels), so that first process never pays for the model libraries.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from analytics.bank.statement import prepare_transactions
from analytics.reconciliation.report import reconcile
from analytics.registry import CustomerData

# name -> its body from the clean records, the statement as the model outputs read it, and the analytics documents
INDEPENDENT_OUTPUTS: dict[str, Callable[[CustomerData, pd.DataFrame, dict, dict], dict[str, Any]]] = {
    "reconciliation": lambda data, txns, docs, config: reconcile(data.records, txns, docs, config),
}


def model_transactions(data: CustomerData) -> pd.DataFrame:
    """The statement frame the model outputs read: every line, self-transfers marked from the account holders
    (not from the owners named in the customer record, as ``analyze`` also does)."""
    records = data.records
    return prepare_transactions(records.get("transactions", []), records.get("accounts", []))


def independent_output(name: str, data: CustomerData, docs: dict[str, dict], config: dict) -> dict[str, Any]:
    """The body of one of :data:`INDEPENDENT_OUTPUTS`, exactly as :func:`~analytics.models_registry.run_models`
    computes it from the same inputs."""
    return INDEPENDENT_OUTPUTS[name](data, model_transactions(data), docs, config)
