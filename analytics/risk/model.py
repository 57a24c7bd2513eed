"""The explainable risk model: train once, persist, and score customers with reason codes.

Public API (see ``docs/risk_model.md``):

* :func:`train_risk_model` (from :mod:`analytics.risk.training`) — the one
  training path, for a lender's table or the synthetic portfolio;
* :func:`train_portfolio_model` — build the synthetic portfolio and train on it;
* :func:`save_risk_model` / :func:`load_risk_model` — the joblib bundle at
  ``lake.model_path("risk_model")`` and its card at ``lake.model_path("risk_model", "json")``;
* :func:`score_customer_risk` — a probability of default, a 0-100 risk score
  (0 = lowest risk, 100 = highest; it is the PD in percent), a band from the
  PD cut-offs in config, and the top drivers by |SHAP| in plain words;
* :func:`ensure_risk_model` / :func:`risk_model_document` — what the pipeline
  calls: load (or, once, train the demo model) and write ``risk_model.json``.

Scoring never trains: it only reads the saved bundle.
"""
from __future__ import annotations

import math
import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from analytics.metric import metric, missing
from analytics.risk.estimator import RiskModel
from analytics.risk.families import family_label
from analytics.risk.features import FEATURE_NAMES, FEATURES, customer_features, describe, format_value
from analytics.risk.pickles import dump_bundle, load_bundle
from analytics.risk.training import RiskTrainingError, TrainedModel, finite_or_none, fit_risk_model, train_risk_model

__all__ = ["FEATURES", "RiskModel", "RiskTrainingError", "train_risk_model", "train_portfolio_model",
           "save_risk_model", "load_risk_model", "score_customer_risk", "ensure_risk_model", "risk_model_document",
           "MODEL_NAME", "DEFAULT_BANDS"]

MODEL_NAME = "risk_model"
DEFAULT_BANDS = ({"band": "LOW", "max_pd": 0.05}, {"band": "MODERATE", "max_pd": 0.12},
                 {"band": "ELEVATED", "max_pd": 0.25}, {"band": "HIGH", "max_pd": 1.0})
LATENT_FORMULA = ("z = intercept + debt_service*b1 + volatility*b2 + growth*b3 + delinquency*b4 + fraud*b5 "
                  "+ card_utilisation*b6 + N(0, hidden_sd); PD = 1/(1+exp(-z)); default = U(0,1) < PD")
Progress = Callable[[str, str], None]


# ---- training and persistence ------------------------------------------------
def portfolio_training_table(n: int, config: dict, progress: Progress | None = None) -> tuple[pd.DataFrame, dict]:
    """An n-customer synthetic portfolio built in memory: its training columns and the card's source details."""
    from analytics.risk.portfolio import TARGET, build_portfolio, training_columns

    say = progress or (lambda level, message: None)
    say("info", f"building a synthetic training portfolio of {n} customers from the generators and analytics")
    table = build_portfolio(n, config)
    say("info", f"training on {len(table)} customers, {int(table[TARGET].sum())} defaults (latent function)")
    rm = config.get("risk_model", {})
    detail = {"customers": f"{table['customer_id'].iloc[0]}..{table['customer_id'].iloc[-1]}",
              "as_of": str(rm.get("portfolio_as_of")),
              "transactions_per_month": rm.get("portfolio_transactions_per_month")}
    return training_columns(table), detail


def with_latent_function(card: dict, config: dict) -> dict:
    """Mark a card as trained on synthetic outcomes: the documented latent function and its coefficients."""
    from analytics.risk.portfolio import LATENT_DOC

    card["latent_function"] = {"reference": LATENT_DOC, "formula": LATENT_FORMULA,
                               "coefficients": dict(config["risk_model"]["latent"]),
                               "note": "synthetic outcomes: proves the machinery, not real-world accuracy"}
    return card


def fit_portfolio_model(n: int, config: dict, progress: Progress | None = None) -> TrainedModel:
    """Build an n-customer synthetic portfolio in memory and train on it (the ``--portfolio`` path)."""
    from analytics.risk.portfolio import TARGET

    table, detail = portfolio_training_table(n, config, progress)
    trained = fit_risk_model(table, TARGET, 1, config, source="portfolio", source_detail=detail)
    with_latent_function(trained.card, config)
    return trained


def train_portfolio_model(n: int, config: dict, progress: Progress | None = None) -> tuple[dict, dict]:
    """:func:`fit_portfolio_model` as ``(bundle, card)``, untracked (test fixtures and benchmarks)."""
    trained = fit_portfolio_model(n, config, progress)
    return trained.bundle, trained.card


def attach_bands(bundle: dict, config: dict) -> None:
    """The PD bands of ``config`` travel with the bundle, so a score read later names the same bands."""
    bundle["bands"] = [dict(b) for b in config.get("risk_model", {}).get("bands", DEFAULT_BANDS)]


def publish_risk_model(lake, config: dict, results: dict[str, TrainedModel], progress: Progress | None = None,
                       comparison: list[dict] | None = None, actor: str = "cli") -> dict:
    """Track, register and save trained risk models (:func:`analytics.risk.governance.publish_models`)."""
    from analytics.risk.governance import publish_models

    return publish_models(lake, config, MODEL_NAME, results, source="python -m pipeline train-risk",
                          prepare=lambda bundle: attach_bands(bundle, config), progress=progress,
                          comparison=comparison, actor=actor)


def save_risk_model(lake, bundle: dict, config: dict | None = None) -> None:
    """Write the bundle (joblib) and its card (JSON) atomically through the lake."""
    if config is not None:
        attach_bands(bundle, config)
    lake.write_bytes(lake.model_path(MODEL_NAME), dump_bundle(bundle))
    lake.write_json(lake.model_path(MODEL_NAME, "json"), bundle["card"])
    if bundle.get("reference"):  # the drift baseline (analytics/risk/reference.py), read by monitoring/drift.py
        lake.write_json(lake.model_drift_profile_path(MODEL_NAME), bundle["reference"])


_LOADED: dict[str, tuple[tuple[int, int, int], dict]] = {}  # path -> (file stamp, bundle): one load per process
_LOADED_LOCK = threading.Lock()


def load_risk_model(lake) -> dict | None:
    """The saved bundle, or None when no model has been trained in this lake.

    Unpickling the bundle costs about a quarter of a second; a batch worker
    scores hundreds of customers, so the bundle is kept per process and
    loaded again only when the file's stamp (inode, mtime, size) changes.
    Callers treat it as read-only.
    """
    from pipeline.lake import LakeError
    from pipeline.reuse import file_stamp

    path = lake.model_path(MODEL_NAME)
    stamp = file_stamp(path)
    if stamp is None:
        return None
    cached = _LOADED.get(str(path))
    if cached is not None and cached[0] == stamp:
        return cached[1]
    try:
        bundle = load_bundle(path)
    except Exception as exc:  # noqa: BLE001 - any unpickling failure means the same thing to the user
        raise LakeError(f"cannot load the risk model at {path}: {type(exc).__name__}: {exc}; "
                        "train it again with `python -m pipeline train-risk`") from exc
    if not isinstance(bundle, dict) or not isinstance(bundle.get("model"), RiskModel):
        raise LakeError(f"{path} is not a risk model bundle; train it again with `python -m pipeline train-risk`")
    with _LOADED_LOCK:
        _LOADED.clear()  # one lake's model at a time is what a process scores with
        _LOADED[str(path)] = (stamp, bundle)
    return bundle


# ---- scoring -------------------------------------------------------------------
def band_for(pd_value: float, bands) -> str:
    """The band whose ``max_pd`` is the first at or above the PD (bands in increasing order)."""
    for band in bands:
        if pd_value < float(band["max_pd"]) or band is bands[-1]:
            return str(band["band"])
    return str(bands[-1]["band"])


def _row(model: RiskModel, features: dict[str, Any]) -> pd.DataFrame:
    data = {}
    for name in model.numeric_:
        value = features.get(name)
        data[name] = [np.nan if value is None else float(value)]
    for name in model.categorical_:
        value = features.get(name)
        data[name] = [np.nan if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)]
    return pd.DataFrame(data)


def _driver(name: str, value: Any, shap_value: float) -> dict[str, Any]:
    direction = "raised risk" if shap_value > 0 else "lowered risk"
    shown = format_value(value, name)
    text = (f"{describe(name)} is {shown}; this {direction} "
            f"({shap_value:+.2f} on the log-odds scale)")
    return {"feature": name, "description": describe(name), "value": finite_or_none(value),
            "shap_value": round(float(shap_value), 6), "direction": direction, "text": text}


def score_customer_risk(bundle: dict, features: dict[str, Any], config: dict | None = None) -> dict[str, Any]:
    """Probability of default, risk score, band and the top drivers for one customer's features.

    ``features`` maps input names to values (None for missing). The SHAP
    values are in log-odds (margin) space: ``base_value + sum(all shap) ==
    margin``; the calibrated PD is ``calibrator(margin)``.
    """
    model: RiskModel = bundle["model"]
    card = bundle["card"]
    rm = (config or {}).get("risk_model", {})
    bands = rm.get("bands") or bundle.get("bands") or DEFAULT_BANDS
    top = int(rm.get("top_drivers", 10))
    row = _row(model, features)
    with threadpool_limits(1):  # one row: OpenMP threads only add start-up cost
        margin = float(model.decision_function(row)[0])
        shap_frame, base = model.explain(row)
    pd_value = float(model.calibrate(np.array([margin]))[0])
    shap_row = shap_frame.iloc[0]
    order = sorted(shap_row.index, key=lambda c: (-abs(float(shap_row[c])), c))
    drivers = [_driver(c, features.get(c), float(shap_row[c])) for c in order[:top]]
    rest = float(shap_row[order[top:]].sum()) if len(order) > top else 0.0
    band = band_for(pd_value, bands)
    cutoffs = {b["band"]: b["max_pd"] for b in bands}
    score = round(100.0 * pd_value, 1)
    return {
        "metrics": {
            "probability_of_default": metric(pd_value, "probability", "calibrator(margin), margin = model log-odds",
                                             {"margin": margin, "calibration": model.calibration},
                                             "Calibrated probability that this customer defaults, from the risk "
                                             "model's log-odds through a monotone calibration map."),
            "risk_score": metric(score, "score (0-100)", "100 x probability_of_default",
                                 {"probability_of_default": pd_value},
                                 "Risk on a 0-100 scale: 0 is the lowest risk, 100 the highest (the PD in percent)."),
            "risk_band": metric(band, "band", "first band whose PD cut-off is above the PD",
                                {"probability_of_default": pd_value, "cutoffs": cutoffs},
                                "LOW / MODERATE / ELEVATED / HIGH by the PD cut-offs in config.json risk_model.bands."),
        },
        "drivers": drivers,
        "base_value": round(base, 6),
        "margin": round(margin, 6),
        "other_features_shap": round(rest, 6),
        "explanation": ("SHAP values are in log-odds: base_value + the shap_value of every input (the drivers listed "
                        "plus other_features_shap) = margin; probability_of_default = calibrator(margin)."),
        "model": {"version": card["version"], "trained_at": card["trained_at"], "metrics": card["metrics"],
                  "family": card["params"]["family"], "training_source": card["training_data"]["source"],
                  "training_rows": card["training_data"]["rows"], **registry_identity(bundle)},
    }


def registry_identity(bundle: dict) -> dict[str, Any]:
    """The registered model behind a champion bundle: name, registered version, alias and MLflow run id.

    All None for a bundle saved without the registry (an older lake, or a test fixture).
    """
    found = bundle.get("registry") or {}
    return {"name": found.get("name"), "registered_version": found.get("version"),
            "alias": "champion" if found else None, "run_id": found.get("run_id")}


def challenger_pds(challengers: list[tuple[dict, dict]], features: dict[str, Any]) -> list[dict[str, Any]]:
    """Each challenger's PD and band for the same features, for comparison only (the decision uses the champion).

    A challenger whose inputs are not the analytics features gets ``pd: None`` and the reason.
    """
    out = []
    for entry, bundle in challengers:
        model: RiskModel = bundle["model"]
        row = {"name": entry["name"], "version": entry["version"], "family": entry.get("family"),
               "alias": entry.get("alias"), "run_id": entry.get("run_id")}
        if not set(model.feature_names_in_) <= set(FEATURE_NAMES):
            out.append({**row, "pd": None, "band": None, "reason": "trained on columns that are not the analytics "
                                                                   "features"})
            continue
        pd_value = float(model.calibrate(model.decision_function(_row(model, features)))[0])
        out.append({**row, "pd": round(pd_value, 6), "band": band_for(pd_value, bundle.get("bands") or DEFAULT_BANDS)})
    return out


# ---- what the pipeline calls ----------------------------------------------------
def ensure_risk_model(lake, config: dict, progress: Progress | None = None) -> dict:
    """The saved risk model; if none is saved yet, train the demo model once from a synthetic portfolio and save it."""
    bundle = load_risk_model(lake)
    if bundle is not None:
        return bundle
    say = progress or (lambda level, message: None)
    n = int(config.get("risk_model", {}).get("demo_portfolio", 300))
    say("info", f"no risk model saved in this lake yet: training the demo model once on a synthetic portfolio of "
                f"{n} customers (outcomes from a documented latent function, see docs/risk_model.md)")
    trained = fit_portfolio_model(n, config, say)
    publish_risk_model(lake, config, {family_label(trained.bundle["model"].family_): trained}, say,
                       actor="ensure_risk_model")
    card = trained.card
    say("success", f"risk model {card['version']} saved (CV ROC AUC {card['metrics']['roc_auc']['mean']:.3f})")
    return load_risk_model(lake)


def risk_model_document(bundle: dict, docs: dict[str, dict], customer: dict, as_of: date,
                        config: dict | None = None,
                        challengers: list[tuple[dict, dict]] | None = None) -> dict[str, Any]:
    """The body of ``risk_model.json``: the features used, the PD, score, band and drivers.

    With ``challengers`` (``(entry, bundle)`` pairs from :func:`analytics.risk.registry.challenger_bundles`)
    the body also lists their PDs under ``challengers``; nothing else changes.
    """
    features = customer_features(docs, customer, as_of)
    model: RiskModel = bundle["model"]
    inputs = list(model.feature_names_in_)
    known = [c for c in inputs if c in FEATURE_NAMES]
    if len(known) < max(1, len(inputs) // 2):
        reason = ("the saved risk model was trained on a table whose columns are not the analytics features "
                  f"({', '.join(inputs[:5])}...); train one with --portfolio or on a table of these features")
        return {"features": features, "metrics": {
            "probability_of_default": missing("probability", "calibrator(margin)", reason),
            "risk_score": missing("score (0-100)", "100 x probability_of_default", reason),
            "risk_band": missing("band", "PD cut-offs", reason)}, "drivers": [],
            "model": {"version": bundle["card"]["version"], "trained_at": bundle["card"]["trained_at"],
                      **registry_identity(bundle)}}
    body = score_customer_risk(bundle, features, config)
    if challengers:
        body["challengers"] = challenger_pds(challengers, features)
    return {"features": features, **body}
