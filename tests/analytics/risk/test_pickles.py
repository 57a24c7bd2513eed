"""A model bundle saved before the analytics packages existed still loads."""
import io
import sys

import joblib
import pytest

from analytics.risk import estimator
from analytics.risk.estimator import RiskModel
from analytics.risk.pickles import LEGACY_MODULES, load_bundle


def legacy_bytes(obj) -> bytes:
    """``obj`` pickled as the earlier release did: its class under ``analytics.risk_model_estimator``."""
    sys.modules["analytics.risk_model_estimator"] = estimator
    RiskModel.__module__ = "analytics.risk_model_estimator"
    try:
        buffer = io.BytesIO()
        joblib.dump(obj, buffer)
        return buffer.getvalue()
    finally:
        RiskModel.__module__ = "analytics.risk.estimator"
        del sys.modules["analytics.risk_model_estimator"]


def test_a_bundle_pickled_under_the_old_module_names_loads(tmp_path):
    path = tmp_path / "risk_model.joblib"
    path.write_bytes(legacy_bytes({"model": RiskModel(), "card": {"version": "old"}}))
    assert b"analytics.risk_model_estimator" in path.read_bytes()
    with pytest.raises(ModuleNotFoundError):  # what a plain load says: that module is gone
        joblib.load(path)
    bundle = load_bundle(path)
    assert isinstance(bundle["model"], RiskModel) and bundle["card"]["version"] == "old"
    assert not set(LEGACY_MODULES) & set(sys.modules)  # the aliases live only while loading
