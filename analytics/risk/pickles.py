"""Loading pickled model bundles, including those saved before the analytics packages existed.

A joblib bundle names the module of every class in it. Models saved before the analytics layer became packages
name ``analytics.risk_model_estimator`` and ``analytics.risk_model_additive``; a lender's lake keeps those files, and
retraining is not an upgrade step, so while one is loaded the old module names point at their new homes.
"""
from __future__ import annotations

import importlib
import sys
import threading
from pathlib import Path
from typing import Any

LEGACY_MODULES = {
    "analytics.risk_model_estimator": "analytics.risk.estimator",
    "analytics.risk_model_additive": "analytics.risk.additive",
}
_LOCK = threading.Lock()


def load_bundle(path: Path) -> Any:
    """Unpickle a joblib bundle, resolving the module names of earlier releases (:data:`LEGACY_MODULES`)."""
    import joblib

    with _LOCK:
        added = [old for old in LEGACY_MODULES if old not in sys.modules]
        for old in added:
            sys.modules[old] = importlib.import_module(LEGACY_MODULES[old])
        try:
            return joblib.load(path)
        finally:
            for old in added:
                sys.modules.pop(old, None)


def dump_bundle(bundle: Any) -> bytes:
    """A bundle as the bytes of a compressed joblib file (what the lake stores and MLflow keeps as an artefact)."""
    import io

    import joblib

    buffer = io.BytesIO()
    joblib.dump(bundle, buffer, compress=3)
    return buffer.getvalue()
