"""The risk model end to end: a 120-customer synthetic portfolio trained through the CLI once per session.

Checks the model card, exact SHAP additivity, the documented monotone directions,
calibration on held-out predictions, and that scoring loads the saved model
without training it again.
"""
from __future__ import annotations

import contextlib
import io
import json
import math

import numpy as np
import pandas as pd
import pytest

from analytics.risk.features import FEATURE_NAMES, FEATURES, customer_features
from analytics.risk.model import ensure_risk_model, load_risk_model, risk_model_document, score_customer_risk
from analytics.risk.portfolio import portfolio_as_of, portfolio_config
from pipeline.cli import main
from pipeline.config import PROJECT_ROOT
from pipeline.lake import Lake

PORTFOLIO = 120
SCORED = ("CUST_TST_00001", "CUST_TST_00002", "CUST_TST_00003", "CUST_TST_00004", "CUST_TST_00005")


@pytest.fixture(scope="session")
def trained(tmp_path_factory):
    """``train-risk --portfolio 120 --json`` into a fresh lake: (lake, card printed on stdout)."""
    root = tmp_path_factory.mktemp("risk_lake")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["train-risk", "--portfolio", str(PORTFOLIO), "--json", "--lake", str(root)])
    assert status == 0, err.getvalue()
    return Lake(root), json.loads(out.getvalue())


@pytest.fixture(scope="session")
def scored_customers(config):
    """Analytics documents of five customers outside the training portfolio, computed in memory."""
    from analytics.registry import CustomerData, analyze_customer
    from generators.registry import generate_customer

    cfg = portfolio_config(config)
    out = {}
    for cid in SCORED:
        g = generate_customer(cid, None, portfolio_as_of(config), cfg)
        docs = analyze_customer(CustomerData(cid, g.as_of, g.records, g.customer, g.consent), cfg, "test", "now")
        out[cid] = (docs, g.customer, g.as_of)
    return out


def _features(scored_customers, cid):
    docs, customer, as_of = scored_customers[cid]
    return customer_features(docs, customer, as_of)


def test_json_card_from_the_portfolio_command(trained):
    lake, card = trained
    assert card == json.loads(lake.model_path("risk_model", "json").read_text())
    data = card["training_data"]
    assert data["source"] == "portfolio" and data["rows"] == PORTFOLIO
    assert 0 < data["positives"] < PORTFOLIO
    assert len(data["fingerprint"]) == 64 and int(data["fingerprint"], 16) >= 0
    for key in ("roc_auc", "ks", "gini", "brier"):
        assert set(card["metrics"][key]) == {"mean", "std"}
        assert card["metrics"][key]["std"] >= 0
    assert card["metrics"]["gini"]["mean"] == pytest.approx(2 * card["metrics"]["roc_auc"]["mean"] - 1, abs=1e-5)
    assert [f["name"] for f in card["features"]] == list(FEATURE_NAMES)
    assert {f["name"]: f["monotone"] for f in card["features"]} == {f.name: f.monotone for f in FEATURES}
    assert card["target"] == "default" and card["positive_label"] == "1"
    assert card["latent_function"]["reference"].startswith("docs/risk_model.md")
    assert set(card["latent_function"]["coefficients"]) >= {"intercept", "debt_service", "delinquency", "fraud"}
    assert [d["decile"] for d in card["calibration"]] == list(range(1, 11))
    assert sum(d["rows"] for d in card["calibration"]) == PORTFOLIO
    assert card["version"] and card["trained_at"].endswith("+00:00")


def test_documented_directions():
    directions = {f.name: f.monotone for f in FEATURES}
    assert 30 <= len(FEATURES) <= 45 and len(set(directions)) == len(FEATURES)
    for name in ("worst_dpd_12m", "worst_dpd_24m", "foir", "inward_bounces", "outward_bounces", "enquiries_3m",
                 "gst_fraud_severity", "circular_flows", "loan_stacking", "round_tripping"):
        assert directions[name] == +1, name
    for name in ("bureau_score", "surplus_ratio", "dscr", "vintage_months"):
        assert directions[name] == -1, name
    doc = (PROJECT_ROOT / "docs" / "risk_model.md").read_text()
    for f in FEATURES:
        sign = {1: "+1", -1: "−1", 0: "0"}[f.monotone]
        assert f"| `{f.name}` |" in doc and doc.split(f"| `{f.name}` |")[1].split("|")[1].strip() == sign, f.name


def test_missing_stays_missing_never_zero(scored_customers):
    docs, customer, as_of = scored_customers["CUST_TST_00001"]
    assert all(v is None for v in customer_features({}, {}, as_of).values())
    without_gst = {k: v for k, v in docs.items() if k != "gst_summary"}
    values = customer_features(without_gst, customer, as_of)
    assert values["gst_late_filings"] is None and values["gst_fraud_severity"] is None
    assert values["bureau_score"] is not None and values["foir"] is not None
    full = customer_features(docs, customer, as_of)
    assert sum(v is not None for v in full.values()) >= 30
    assert all(v is None or (isinstance(v, float) and math.isfinite(v)) for v in full.values())


def test_shap_values_sum_to_the_margin(trained, scored_customers):
    lake, _ = trained
    bundle = load_risk_model(lake)
    model = bundle["model"]
    for cid in SCORED:
        features = _features(scored_customers, cid)
        frame = pd.DataFrame([features]).astype(float)
        shap_values, base = model.explain(frame)
        margin = float(model.decision_function(frame)[0])
        assert base + float(shap_values.iloc[0].sum()) == pytest.approx(margin, abs=1e-6), cid
        body = score_customer_risk(bundle, features)
        total = body["base_value"] + sum(d["shap_value"] for d in body["drivers"]) + body["other_features_shap"]
        assert total == pytest.approx(body["margin"], abs=1e-4)
        assert body["margin"] == pytest.approx(margin, abs=1e-5)
        assert len(body["drivers"]) == 10
        magnitudes = [abs(d["shap_value"]) for d in body["drivers"]]
        assert magnitudes == sorted(magnitudes, reverse=True)
        for d in body["drivers"]:
            assert d["direction"] == ("raised risk" if d["shap_value"] > 0 else "lowered risk")
            assert d["description"] in d["text"] and d["direction"] in d["text"]


def _pd_curve(bundle, features, name, values):
    """Calibrated PDs of one customer with one input set to each of ``values``, the rest held fixed."""
    rows = pd.DataFrame([{**features, name: v} for v in values]).astype(float)
    return bundle["model"].predict_proba(rows)[:, 1].tolist()


@pytest.mark.parametrize("name, values", [
    ("worst_dpd_12m", [0, 5, 30, 60, 90, 180, 360]),
    ("foir", [0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.2, 2.0]),
    ("inward_bounces", [0, 1, 2, 4, 8, 15]),
    ("bureau_score", [880, 820, 760, 700, 640, 580, 500, 350]),  # falling score: PD must never fall
    ("dscr", [5.0, 2.5, 1.5, 1.0, 0.5]),                          # 5.0 is also "no debt service"
    ("gst_fraud_severity", [0, 1, 2, 3]),
    ("gst_fraud_kinds", [0, 1, 2, 3]),
    ("negative_balance_days", [0, 5, 30, 120, 400]),
    ("months_interest_unserviced", [0, 1, 3, 6]),
])
def test_a_worse_value_never_lowers_the_pd(trained, scored_customers, name, values):
    bundle = load_risk_model(trained[0])
    for cid in SCORED:
        features = _features(scored_customers, cid)
        curve = _pd_curve(bundle, features, name, values)
        assert all(b >= a - 1e-12 for a, b in zip(curve, curve[1:])), (cid, curve)
        reported = score_customer_risk(bundle, {**features, name: values[-1]})
        assert reported["metrics"]["probability_of_default"]["value"] == pytest.approx(curve[-1], abs=6e-5)


def test_monotone_features_move_the_pd_somewhere(trained, scored_customers):
    bundle = load_risk_model(trained[0])
    features = _features(scored_customers, "CUST_TST_00001")
    moved = [name for name, low, high in (("worst_dpd_12m", 0, 360), ("foir", 0.0, 2.0), ("inward_bounces", 0, 15),
                                          ("bureau_score", 880, 350), ("dpd_30_plus_count", 0, 20))
             if np.subtract(*_pd_curve(bundle, features, name, [high, low])) > 0]
    assert moved, "no documented risk feature changes the PD at all"


def test_calibration_on_held_out_predictions(trained):
    card = trained[1]
    m = card["metrics"]
    assert m["brier"]["mean"] < m["base_rate_brier"]
    assert abs(m["mean_predicted"] - m["base_rate"]) < 0.05
    deciles = card["calibration"]
    observed = sum(d["observed_rate"] * d["rows"] for d in deciles) / sum(d["rows"] for d in deciles)
    assert observed == pytest.approx(m["base_rate"], abs=1e-6)
    assert deciles[-1]["observed_rate"] > deciles[0]["observed_rate"]
    assert all(d["min_pd"] <= d["mean_predicted"] <= d["max_pd"] for d in deciles)


def test_scoring_loads_the_saved_model_and_never_retrains(trained, scored_customers, config):
    lake, card = trained
    path = lake.model_path("risk_model")
    before = (path.stat().st_mtime_ns, lake.model_path("risk_model", "json").read_bytes())
    messages = []
    bundle = ensure_risk_model(lake, config, lambda level, message: messages.append(message))
    assert messages == []
    docs, customer, as_of = scored_customers["CUST_TST_00002"]
    body = risk_model_document(bundle, docs, customer, as_of)
    assert (path.stat().st_mtime_ns, lake.model_path("risk_model", "json").read_bytes()) == before
    assert body["model"]["trained_at"] == card["trained_at"] and body["model"]["version"] == card["version"]
    assert body["model"]["metrics"]["roc_auc"] == card["metrics"]["roc_auc"]
    pd_value = body["metrics"]["probability_of_default"]["value"]
    assert 0 < pd_value < 1
    assert body["metrics"]["risk_score"]["value"] == pytest.approx(100 * pd_value, abs=0.051)
    assert body["metrics"]["risk_band"]["value"] in ("LOW", "MODERATE", "ELEVATED", "HIGH")
    assert set(body["features"]) == set(FEATURE_NAMES)
    for key in ("value", "unit", "formula", "inputs", "explanation"):
        assert key in body["metrics"]["probability_of_default"]
