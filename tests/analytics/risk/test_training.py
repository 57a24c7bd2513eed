"""Training from a lender's file: text categories, missing values, label handling and the errors a user sees."""
from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from analytics.risk.estimator import RiskModel
from analytics.risk.model import load_risk_model, score_customer_risk
from analytics.risk.training import RiskTrainingError, coerce_target, cross_validate
from pipeline.cli import main
from pipeline.config import PROJECT_ROOT
from pipeline.lake import Lake


def _lender_table(rows: int = 300, seed: int = 7) -> pd.DataFrame:
    """A small labelled history: numbers with gaps, a text category with gaps, an id column, good/bad target."""
    rng = np.random.default_rng(seed)
    sector = rng.choice(["retail", "textiles", "food", "transport"], rows)
    dpd = rng.choice([0, 0, 0, 30, 60, 90], rows).astype(float)
    turnover = rng.lognormal(13, 0.6, rows)
    risk = -2.0 + 0.03 * dpd + (sector == "transport") * 1.2 - 0.4 * (np.log(turnover) - 13) + rng.normal(0, 0.5, rows)
    status = np.where(rng.random(rows) < 1 / (1 + np.exp(-risk)), "bad", "good")
    table = pd.DataFrame({"loan_id": [f"L{i:06d}" for i in range(rows)], "Sector": sector,
                          "worst_dpd_12m": dpd, "annual_turnover": turnover, "status": status})
    table.loc[rng.random(rows) < 0.1, "annual_turnover"] = np.nan
    table.loc[rng.random(rows) < 0.08, "Sector"] = None
    return table


def _run(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    return status, out.getvalue(), err.getvalue()


def test_data_file_with_text_categories_missing_values_and_good_bad(tmp_path):
    csv = tmp_path / "history.csv"
    _lender_table().to_csv(csv, index=False)
    status, out, err = _run(["train-risk", "--data", str(csv), "--target", "status", "--positive", "bad", "--json",
                             "--lake", str(tmp_path / "lake")])
    assert status == 0, err
    card = json.loads(out)
    assert card["positive_label"] == "bad" and card["target"] == "status"
    assert card["training_data"]["source"] == "file" and card["training_data"]["rows"] == 300
    assert "loan_id" in card["training_data"]["columns_left_out"]
    kinds = {f["name"]: (f["kind"], f["monotone"]) for f in card["features"]}
    assert kinds == {"Sector": ("categorical", 0), "worst_dpd_12m": ("numeric", 1), "annual_turnover": ("numeric", 0)}
    assert set(card["metrics"]) >= {"roc_auc", "ks", "gini", "brier"}
    assert card["metrics"]["roc_auc"]["mean"] > 0.6
    assert card["latent_function"] is None
    bundle = load_risk_model(Lake(tmp_path / "lake"))
    risky = score_customer_risk(bundle, {"Sector": "transport", "worst_dpd_12m": 90, "annual_turnover": None})
    safe = score_customer_risk(bundle, {"Sector": "retail", "worst_dpd_12m": 0, "annual_turnover": 2e6})
    unseen = score_customer_risk(bundle, {"Sector": "mining", "worst_dpd_12m": 0, "annual_turnover": 2e6})
    assert risky["metrics"]["probability_of_default"]["value"] > safe["metrics"]["probability_of_default"]["value"]
    assert 0 < unseen["metrics"]["probability_of_default"]["value"] < 1
    assert {d["feature"] for d in risky["drivers"]} == {"Sector", "worst_dpd_12m", "annual_turnover"}


def test_parquet_and_recognised_labels(tmp_path):
    table = _lender_table(200, seed=3)
    table["status"] = np.where(table["status"] == "bad", "Default", "Paid")
    path = tmp_path / "history.parquet"
    table.to_parquet(path)
    status, out, err = _run(["train-risk", "--data", str(path), "--target", "status", "--lake", str(tmp_path)])
    assert status == 0, err
    assert "default = 'default'" in out and "5-fold stratified CV" in out


@pytest.mark.parametrize("values, positive, expected", [
    ([0, 1, 1, 0], None, [0, 1, 1, 0]),
    ([True, False, True, True], None, [1, 0, 1, 1]),
    (["good", "BAD", "good", "bad "], None, [0, 1, 0, 1]),
    (["A", "B", "B", "A"], "b", [0, 1, 1, 0]),
])
def test_target_labels(values, positive, expected):
    y, _, known = coerce_target(pd.Series(values, name="t"), positive)
    assert y.tolist() == expected and known.all()


def test_two_unknown_labels_ask_for_positive(tmp_path):
    table = _lender_table(100)
    table["status"] = np.where(table["status"] == "bad", "B", "A")
    csv = tmp_path / "h.csv"
    table.to_csv(csv, index=False)
    status, out, err = _run(["train-risk", "--data", str(csv), "--target", "status", "--lake", str(tmp_path)])
    assert status == 1 and "risk model" not in out
    assert "--positive" in err and err.count("\n") == 1
    assert not (tmp_path / "models").exists()


def test_one_class_target_is_one_line_error(tmp_path):
    table = _lender_table(100)
    table["status"] = "good"
    csv = tmp_path / "h.csv"
    table.to_csv(csv, index=False)
    result = subprocess.run([sys.executable, "-m", "pipeline", "train-risk", "--data", str(csv), "--target",
                             "status", "--positive", "good", "--lake", str(tmp_path)],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "only one class" in result.stderr and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "models").exists()


@pytest.mark.parametrize("content", [None, b"\x00\x01\x02\xff\xfe binary", b"PAR1 not really parquet"])
def test_unreadable_file_is_one_line_error(tmp_path, content):
    path = tmp_path / ("missing.csv" if content is None else "bad.parquet" if content.startswith(b"PAR1") else "bad.csv")
    if content is not None:
        path.write_bytes(content)
    status, out, err = _run(["train-risk", "--data", str(path), "--target", "status", "--lake", str(tmp_path)])
    assert status == 1 and out == ""
    assert err.startswith("error: cannot read") and err.count("\n") == 1


def test_missing_target_column_and_unlabelled_rows(tmp_path):
    table = _lender_table(150)
    with pytest.raises(RiskTrainingError, match="no column 'outcome'"):
        from analytics.risk.training import prepare_table
        prepare_table(table, "outcome", None, {})
    table.loc[:9, "status"] = None
    from analytics.risk.training import prepare_table
    prepared = prepare_table(table, "status", "bad", {})
    assert prepared["unlabelled_rows"] == 10 and len(prepared["X"]) == 140


def test_cross_validated_predictions_are_calibrated():
    from sklearn.datasets import make_classification

    X, y = make_classification(n_samples=600, n_features=8, n_informative=4, weights=[0.85], random_state=1)
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(8)])
    model = RiskModel(families=("blend",), hgb_grid=[{"max_iter": 60, "learning_rate": 0.1, "max_leaf_nodes": 8}],
                      additive_grid=[{"encoding": "woe", "C": 1.0}], calibration="sigmoid")
    oof, per_fold, final = cross_validate(model, frame, y, folds=4, seed=0)
    base = y.mean()
    brier = float(np.mean((oof - y) ** 2))
    assert brier < base * (1 - base) * 0.8
    assert abs(oof.mean() - base) < 0.03
    assert len(per_fold) == 4 and final.family_ == "blend"


def test_monotone_constraint_holds_where_the_data_bends_the_other_way():
    rng = np.random.default_rng(5)
    dpd = rng.uniform(0, 360, 1500)
    noise = rng.normal(size=1500)
    risk = np.where((dpd > 60) & (dpd < 150), 1.5, -1.5) + 0.3 * noise  # a bump: risk falls again past 150
    y = (rng.random(1500) < 1 / (1 + np.exp(-risk))).astype(int)
    frame = pd.DataFrame({"worst_dpd_12m": dpd, "other": noise})
    grid = pd.DataFrame({"worst_dpd_12m": np.linspace(0, 360, 37), "other": 0.0})
    settings = dict(families=("blend",), hgb_grid=[{"max_iter": 80, "learning_rate": 0.1, "max_leaf_nodes": 8}],
                    additive_grid=[{"encoding": "woe", "C": 1.0}])
    free = RiskModel(monotone={}, **settings).fit(frame, y).predict_proba(grid)[:, 1]
    held = RiskModel(monotone={"worst_dpd_12m": 1}, **settings).fit(frame, y).predict_proba(grid)[:, 1]
    assert np.diff(free).min() < -0.05  # the data really does bend: an unconstrained model follows it down
    assert np.diff(held).min() >= -1e-12
