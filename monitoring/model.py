"""The behavioural default model: trained like the underwriting model, scored in batches, with alert reasons.

Training is the underwriting model's one code path,
:func:`analytics.risk.training.train_risk_model` (stratified K-fold
validation, the monotone blend of gradient boosting and a WOE scorecard,
calibration, a model card), on the synthetic repayment history of
:mod:`monitoring.synthetic`. Every input has a documented direction
(:data:`monitoring.features.MONOTONE`, all +1), so more days past due, more
bounces or a higher underwriting PD can never lower the PD.

How the underwriting PD and the behaviour are combined: the underwriting
model's PD (``risk_model.json``, when the customer was scored) is one input of
the behavioural model, next to the repayment features and the latest
analytics. The monitoring PD is ``calibrator(margin(x))`` of that one model,
so the weight the underwriting view gets is learned, and it shrinks as
repayment evidence builds up exactly as far as the training data says it
should. A customer never scored has the input missing, which both halves of
the model treat as a learned missing-value branch/bin (nothing is imputed).

The bundle is saved at ``lake.model_path("behaviour_model")`` with its card at
``lake.model_path("behaviour_model", "json")``.
"""
from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import ThreadpoolController

from analytics.risk.estimator import as_model_frame
from analytics.risk.model import band_for
from analytics.risk.pickles import dump_bundle, load_bundle
from analytics.risk.training import TrainedModel, fit_risk_model
from monitoring.features import MONOTONE, customer_inputs, describe
from monitoring.synthetic import TARGET, synthetic_history
from pipeline.lake import Lake, LakeError

MODEL_NAME = "behaviour_model"
COMBINATION = ("The underwriting PD (analytics risk_model.probability_of_default) is an input of the behavioural "
               "model; PD = calibrator(margin(behavioural features, latest analytics, underwriting PD)); a missing "
               "underwriting PD takes the model's learned missing-value path.")
Progress = Callable[[str, str], None]


class BehaviourModelError(Exception):
    """The behavioural model cannot be trained or loaded; the message says what to do."""


def _trainer_config(config: dict) -> dict:
    """The underwriting trainer's settings with the monitoring model's overrides (``monitoring.model.trainer``)."""
    overrides = config.get("monitoring", {}).get("model", {}).get("trainer", {})
    return {**config, "risk_model": {**config.get("risk_model", {}), **overrides}}


def read_customer_documents(lake: Lake, customer_id: str) -> dict[str, dict | None]:
    """The analytics documents the monitoring inputs are read from (None for those not computed)."""
    out: dict[str, dict | None] = {}
    for name in ("transaction_summary", "credit_summary", "risk_model"):
        path = lake.analytics_path(customer_id, name)
        try:
            out[name] = lake.read_json(path) if path.exists() else None
        except LakeError:
            out[name] = None
    return out


def templates_from_lake(lake: Lake, config: dict) -> list[dict]:
    """Every booked loan of the lake with its customer's analytics inputs: the seeds of the synthetic history."""
    from monitoring.loans import load_loans

    inputs: dict[str, dict] = {}
    out = []
    for loan in load_loans(lake, config=config):
        cid = loan["customer_id"]
        if cid not in inputs:
            inputs[cid] = customer_inputs(read_customer_documents(lake, cid))
        out.append({"loan": loan, "inputs": inputs[cid]})
    return out


def template_summary(templates: list[dict]) -> dict[str, Any]:
    """What the card says of the loans the history was seeded from: how many, and one SHA-256 over their ids.

    Never the ids themselves: a model outlives the customers it was trained on, and after a customer is erased
    (DPDP) nothing in the lake may name them or their loans. The hash still tells whether two models were
    seeded from the same loan book.
    """
    ids = sorted(str(t["loan"]["loan_id"]) for t in templates)
    digest = hashlib.sha256("\n".join(ids).encode()).hexdigest()
    return {"template_loans": len(ids), "template_customers": len({t["loan"].get("customer_id") for t in templates}),
            "template_loans_sha256": digest}


def train_behaviour_model(lake: Lake, config: dict, rows: int | None = None,
                          progress: Progress | None = None) -> tuple[dict, dict]:
    """Simulate the repayment history from the lake's loans and train on it; returns ``(bundle, card)`` (untracked)."""
    trained = fit_behaviour_model(lake, config, rows, progress)
    return trained.bundle, trained.card


def fit_behaviour_model(lake: Lake, config: dict, rows: int | None = None,
                        progress: Progress | None = None) -> TrainedModel:
    """Simulate the repayment history from the lake's loans and train on it, keeping what tracking needs."""
    say = progress or (lambda level, message: None)
    templates = templates_from_lake(lake, config)
    if not templates:
        raise BehaviourModelError(f"no booked loans in {lake.root} to base the synthetic repayment history on: "
                                  "run the pipeline for customers with disbursed OCEN loans first")
    table = synthetic_history(templates, config, rows)
    say("info", f"synthetic repayment history: {len(table)} loan observations from {len(templates)} booked loans, "
                f"{int(table[TARGET].sum())} defaults (latent function, docs/monitoring.md)")
    model_cfg = config["monitoring"]["model"]
    trained = fit_risk_model(table, TARGET, 1, _trainer_config(config), source="synthetic_repayments",
                             source_detail={**template_summary(templates), "random_state": model_cfg.get("random_state")},
                             monotone=MONOTONE)
    card = trained.card
    for feature in card["features"]:
        feature["description"] = describe(feature["name"])
    card["model"] = MODEL_NAME
    card["combination"] = COMBINATION
    card["latent_function"] = {"reference": "docs/monitoring.md", "module": "monitoring/synthetic.py",
                               "coefficients": dict(model_cfg["latent"]), "behaviour": dict(model_cfg["synthetic"]),
                               "note": "synthetic outcomes from a documented latent function: this proves the "
                                       "machinery only, not real-world accuracy; retrain on a lender's history"}
    trained.bundle["card"] = card
    return trained


def publish_behaviour_model(lake: Lake, config: dict, trained: TrainedModel, progress: Progress | None = None,
                            actor: str = "cli") -> dict:
    """Track the training as an MLflow run, register it as ``msme-behaviour`` (champion) and save it in the lake.

    The run holds counts and hashes of the loans the history was seeded from, never their ids
    (:func:`template_summary`), so nothing in the tracking store names a customer or a loan.
    """
    from analytics.risk.families import family_label
    from analytics.risk.governance import publish_models

    return publish_models(lake, config, MODEL_NAME, {family_label(trained.bundle["model"].family_): trained},
                          source="python -m monitoring train", champion="always",
                          prepare=lambda bundle: attach_bands(bundle, config),
                          progress=progress, actor=actor)


def save_behaviour_model(lake: Lake, bundle: dict, config: dict | None = None) -> None:
    """Write the bundle (joblib) and its card (JSON) atomically through the lake."""
    if config is not None:
        attach_bands(bundle, config)
    lake.write_bytes(lake.model_path(MODEL_NAME), dump_bundle(bundle))
    lake.write_json(lake.model_path(MODEL_NAME, "json"), bundle["card"])


def load_behaviour_model(lake: Lake) -> dict | None:
    """The saved bundle, or None when no behavioural model has been trained in this lake."""
    path = lake.model_path(MODEL_NAME)
    if not path.exists():
        return None
    try:
        bundle = load_bundle(path)
    except Exception as exc:  # noqa: BLE001 - any unpickling failure means the same thing to the user
        raise BehaviourModelError(f"cannot load the behavioural model at {path}: {exc}; "
                                  "train it again with `python -m monitoring train`") from exc
    if not isinstance(bundle, dict) or "model" not in bundle or bundle.get("card", {}).get("model") != MODEL_NAME:
        raise BehaviourModelError(f"{path} is not a behavioural model; train it with `python -m monitoring train`")
    return bundle


def ensure_behaviour_model(lake: Lake, config: dict, progress: Progress | None = None) -> dict:
    """The saved behavioural model; if none is saved yet, train it once from the lake's loans and save it."""
    bundle = load_behaviour_model(lake)
    if bundle is not None:
        return bundle
    say = progress or (lambda level, message: None)
    say("info", "no behavioural model in this lake yet: training it once on a synthetic repayment history")
    trained = fit_behaviour_model(lake, config, progress=say)
    publish_behaviour_model(lake, config, trained, say, actor="ensure_behaviour_model")
    card = trained.card
    say("success", f"behavioural model {card['version']} saved (CV ROC AUC {card['metrics']['roc_auc']['mean']:.3f})")
    return load_behaviour_model(lake)


def attach_bands(bundle: dict, config: dict) -> None:
    """The monitoring bands of ``config`` travel with the bundle."""
    bundle["bands"] = [dict(b) for b in _bands(config)]


def _bands(config: dict) -> list[dict]:
    return config.get("monitoring", {}).get("bands") or config.get("risk_model", {}).get("bands")


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=0, abs_tol=1e-9)


class BehaviourScorer:
    """Scores many loans in one vectorised call and explains band crossings."""

    def __init__(self, bundle: dict, config: dict):
        self.bundle = bundle
        self.model = bundle["model"]
        self.columns = list(self.model.feature_names_in_)
        self.bands = _bands(config) or bundle.get("bands")
        self.top = int(config.get("monitoring", {}).get("alert_reasons", 3))
        self.version = bundle["card"]["version"]
        self._threads = ThreadpoolController()

    def _frame(self, rows: list[dict]) -> pd.DataFrame:
        data = {c: np.array([np.nan if r.get(c) is None else float(r[c]) for r in rows], dtype=float)
                for c in self.columns}
        return pd.DataFrame(data)

    def margins(self, rows: list[dict]) -> np.ndarray:
        """The model's log-odds for each feature row (what ``RiskModel.decision_function`` computes).

        The weighted parts are summed here under a thread limit whose OpenMP
        library was discovered once, instead of re-discovering the loaded
        libraries on every call: a batch of a few rows is scored in a few ms.
        """
        frame = self._frame(rows)
        parts = getattr(self.model, "parts_", None)
        if parts is None:
            return np.asarray(self.model.decision_function(frame), dtype=float)
        if self.model.categorical_ or list(self.model.numeric_) != self.columns:
            frame = as_model_frame(frame, self.model.numeric_, self.model.categorical_)  # else already float, in order
        with self._threads.limit(limits=1, user_api="openmp"):
            return np.asarray(sum(w * pipe.decision_function(frame) for _, _, pipe, w in parts), dtype=float)

    def score(self, rows: list[dict]) -> list[tuple[float, str]]:
        """(PD, band) for each feature row, in one call."""
        if not rows:
            return []
        pds = self.model.calibrate(self.margins(rows))
        return [(round(float(p), 6), band_for(float(p), self.bands)) for p in pds]

    def reasons(self, pairs: list[tuple[dict, dict]]) -> list[list[dict]]:
        """For each (previous, current) feature pair, the inputs that moved the score most, in words.

        Each changed input is put back into the previous row alone; its effect
        is the change of the log-odds it causes on its own (one vectorised call
        for every pair). The inputs whose effect points the way the score
        moved are listed first, largest first.
        """
        rows, spans = [], []
        for previous, current in pairs:
            changed = [c for c in self.columns if not _same(previous.get(c), current.get(c))]
            spans.append((len(rows), changed))
            rows.append(previous)
            rows.extend({**previous, c: current.get(c)} for c in changed)
            rows.append(current)
        if not rows:
            return []
        margins = self.margins(rows)
        out = []
        for (start, changed), (previous, current) in zip(spans, pairs):
            base, total = margins[start], margins[start + len(changed) + 1]
            sign = 1.0 if total >= base else -1.0
            effects = [(c, float(margins[start + 1 + i] - base)) for i, c in enumerate(changed)]
            effects.sort(key=lambda item: (-(sign * item[1]), item[0]))
            out.append([self._reason(c, previous.get(c), current.get(c), e) for c, e in effects[:self.top]])
        return out

    @staticmethod
    def _reason(name: str, before: Any, after: Any, effect: float) -> dict[str, Any]:
        def shown(v: Any) -> str:
            if v is None:
                return "not available"
            return f"{int(v)}" if float(v).is_integer() else f"{float(v):.3g}"

        direction = "raised" if effect > 0 else ("lowered" if effect < 0 else "did not change")
        return {"feature": name, "description": describe(name), "from": before, "to": after,
                "effect": round(effect, 4),
                "text": f"{describe(name)} went from {shown(before)} to {shown(after)}; on its own this {direction} "
                        f"the risk ({effect:+.2f} on the log-odds scale)"}
