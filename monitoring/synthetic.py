"""A synthetic repayment history for training the behavioural model: it proves the machinery, nothing more.

No lender has shared labelled repayment histories with this project, so the
behavioural model is trained on histories simulated from the lake's own
booked loans, with outcomes drawn from a documented latent function
(``docs/monitoring.md``; every coefficient is in ``config.json``
``monitoring.model``). A model trained this way can only rediscover that
function: its validation metrics say the training code works, not that the
model predicts real defaults. Retrain on a lender's real history with the
same trainer before relying on it.

One row is one loan observed at one moment:

1. Pick a template: a booked loan of the lake with its customer's analytics
   inputs (FOIR, income CV, revolving utilisation, underwriting PD). Jitter the
   inputs (log-normal for FOIR and CV, normal for utilisation, normal on the
   log-odds for the PD); a share of rows is made secured with a collateral
   worth ``principal / U(0.45, 1.0)``; a share hides the underwriting PD (as a
   customer never scored would).
2. Months on book ``m`` ~ U{1..min(tenure, max_months_on_book)}. A borrower
   stress ``s = stress_sd·N(0,1) + Σ weight·(input − centre)``; a
   *deteriorating* share adds ``trend`` to the stress of the last three
   instalments, a *recovering* share adds it to all but the last three.
3. Each instalment is in trouble with probability
   ``σ(trouble_intercept + trouble_slope·s_k)``; trouble is a bounce
   (``bounce_share``), a part payment (``partial_share``) or a late payment; a
   bounce or part payment is cured later with probability ``cure_rate``;
   delays are ``1 + Geometric(1/late_days_mean)`` days. Otherwise the EMI is
   paid on time.
4. The events go through the same :class:`monitoring.features.LoanState` that
   serving uses, observed at a day in the month after the last instalment, so
   training and scoring features are computed by one piece of code.
5. Default in the next 12 months ~ Bernoulli(σ(z)) with
   ``z = intercept + dpd_now_per_30·min(dpd_now,120)/30
   + worst_delay_long_per_30·min(worst_delay_long,120)/30
   + worst_delay_short_per_30·min(worst_delay_short,120)/30 + bounced·bounced_count_long
   + partial·partial_count_long + underwriting_logit·(logit(PD_uw) − logit(0.06)) + foir·FOIR
   + income_cv·CV + revolving_utilisation·util + ltv_above_0_8·max(0, LTV − 0.8) + stress·s_last
   + N(0, hidden_sd)`` (a missing input contributes 0).
"""
from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from monitoring.features import FEATURE_NAMES, LoanState

TARGET = "defaulted"
CENTRES = {"underwriting_logit": math.log(0.06 / 0.94), "foir": 0.5, "income_cv": 0.3, "revolving_utilisation": 0.5}


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _jitter(inputs: dict[str, Any], rng: np.random.Generator) -> tuple[dict[str, Any], float]:
    """Varied analytics inputs around a template's, and the true underwriting PD (shown or not later)."""
    out = dict(inputs)
    for name, spread in (("foir", 0.35), ("income_cv", 0.35)):
        if out.get(name) is not None:
            out[name] = float(min(3.0, out[name] * rng.lognormal(0.0, spread)))
    if out.get("revolving_utilisation") is not None:
        out["revolving_utilisation"] = float(np.clip(out["revolving_utilisation"] + rng.normal(0, 0.15), 0, 1.5))
    base = inputs.get("underwriting_pd")
    logit = _logit(base) + rng.normal(0, 0.7) if base is not None else rng.normal(CENTRES["underwriting_logit"], 0.9)
    true_pd = _sigmoid(logit)
    out["underwriting_pd"] = true_pd
    return out, true_pd


def _at(day: date) -> str:
    return f"{day.isoformat()}T11:00:00+05:30"


def _instalment_events(k: int, row: dict, stress: float, syn: dict, rng: np.random.Generator,
                       prefix: str) -> list[dict]:
    """The events of one instalment under a given stress."""
    due = date.fromisoformat(row["due_date"])
    base = {"due_date": row["due_date"], "amount_due": row["amount"], "channel": "ENACH"}
    p_trouble = _sigmoid(syn["trouble_intercept"] + syn["trouble_slope"] * stress)

    def delay() -> int:
        return 1 + int(rng.geometric(1.0 / max(1.0, syn["late_days_mean"])))

    if rng.random() >= p_trouble:
        day = due - timedelta(days=int(rng.integers(0, 3)))
        return [{**base, "event_id": f"{prefix}-{k}-0", "status": "PAID", "paid_at": _at(day),
                 "amount_paid": row["amount"], "ts": _at(day)}]
    kind = rng.random()
    cured = rng.random() < syn["cure_rate"]
    if kind < syn["bounce_share"]:
        events = [{**base, "event_id": f"{prefix}-{k}-0", "status": "BOUNCED", "paid_at": None, "amount_paid": 0.0,
                   "ts": _at(due)}]
        if cured:
            day = due + timedelta(days=delay())
            events.append({**base, "event_id": f"{prefix}-{k}-1", "status": "LATE", "paid_at": _at(day),
                           "amount_paid": row["amount"], "ts": _at(day)})
        return events
    if kind < syn["bounce_share"] + syn["partial_share"]:
        share = float(rng.uniform(0.3, 0.9))
        day = due + timedelta(days=int(rng.integers(0, 3)))
        events = [{**base, "event_id": f"{prefix}-{k}-0", "status": "PARTIAL", "paid_at": _at(day),
                   "amount_paid": round(row["amount"] * share, 2), "ts": _at(day)}]
        if cured:
            later = due + timedelta(days=delay())
            events.append({**base, "event_id": f"{prefix}-{k}-1", "status": "LATE", "paid_at": _at(later),
                           "amount_paid": round(row["amount"] * (1 - share), 2), "ts": _at(later)})
        return events
    day = due + timedelta(days=delay())
    return [{**base, "event_id": f"{prefix}-{k}-0", "status": "LATE", "paid_at": _at(day),
             "amount_paid": row["amount"], "ts": _at(day)}]


def _stress_path(m: int, inputs: dict, true_pd: float, syn: dict, rng: np.random.Generator) -> list[float]:
    weights = syn["stress_weights"]
    s0 = syn["stress_sd"] * rng.normal() \
        + weights["underwriting_logit"] * (_logit(true_pd) - CENTRES["underwriting_logit"])
    for name in ("foir", "income_cv", "revolving_utilisation"):
        if inputs.get(name) is not None:
            s0 += weights[name] * (min(inputs[name], 2.0) - CENTRES[name])
    shape = rng.random()
    recent = lambda k: k >= m - 3  # noqa: E731 - the last three instalments
    if shape < syn["deteriorating_share"]:
        return [s0 + (syn["trend"] if recent(k) else 0.0) for k in range(m)]
    if shape < syn["deteriorating_share"] + syn["recovering_share"]:
        return [s0 + (0.0 if recent(k) else syn["trend"]) for k in range(m)]
    return [s0] * m


def latent_z(features: dict[str, Any], true_pd: float, stress: float, latent: dict) -> float:
    """The documented latent log-odds of default, before the hidden noise (a missing input contributes 0)."""
    def value(name: str) -> float:
        v = features.get(name)
        return 0.0 if v is None else float(v)

    return (latent["intercept"]
            + latent["dpd_now_per_30"] * min(value("dpd_now"), 120) / 30
            + latent["worst_delay_long_per_30"] * min(value("worst_delay_long"), 120) / 30
            + latent["worst_delay_short_per_30"] * min(value("worst_delay_short"), 120) / 30
            + latent["bounced"] * value("bounced_count_long") + latent["partial"] * value("partial_count_long")
            + latent["underwriting_logit"] * (_logit(true_pd) - CENTRES["underwriting_logit"])
            + latent["foir"] * value("foir") + latent["income_cv"] * value("income_cv")
            + latent["revolving_utilisation"] * value("revolving_utilisation")
            + latent["ltv_above_0_8"] * max(0.0, value("ltv") - 0.8) + latent["stress"] * stress)


def synthetic_history(templates: list[dict], config: dict, rows: int | None = None) -> pd.DataFrame:
    """``rows`` simulated loan observations (the model inputs and ``defaulted``) from template loans.

    ``templates`` are ``{"loan": <loan record>, "inputs": <customer analytics inputs>}``.
    """
    if not templates:
        raise ValueError("no booked loans to base a synthetic repayment history on: book loans first "
                         "(python -m monitoring build-loans --all)")
    model = config["monitoring"]["model"]
    syn, latent = model["synthetic"], model["latent"]
    windows = tuple(config["monitoring"].get("windows_days", {}).get(k, d) for k, d in (("short", 91), ("long", 183)))
    rng = np.random.default_rng(int(model.get("random_state", 0)))
    n = int(rows or model.get("training_rows", 4000))
    ordered = sorted(templates, key=lambda t: t["loan"]["loan_id"])
    out = []
    for i in range(n):
        template = ordered[int(rng.integers(len(ordered)))]
        loan = dict(template["loan"])
        if rng.random() < syn["secured_share"] and not loan.get("secured"):
            loan.update(secured=True, collateral_value=loan["principal"] / float(rng.uniform(0.45, 1.0)))
        inputs, true_pd = _jitter(template["inputs"], rng)
        if rng.random() < syn["missing_underwriting_share"]:
            inputs["underwriting_pd"] = None
        m = int(rng.integers(1, min(len(loan["schedule"]), int(syn["max_months_on_book"])) + 1))
        stresses = _stress_path(m, inputs, true_pd, syn, rng)
        state = LoanState(loan)
        clock = (date.fromisoformat(loan["schedule"][m - 1]["due_date"]) + timedelta(days=int(rng.integers(0, 28))))
        clock_iso = clock.isoformat()
        for k in range(m):
            for event in _instalment_events(k, loan["schedule"][k], stresses[k], syn, rng, f"S{i}"):
                if event["ts"][:10] <= clock_iso:
                    state.apply(event)
        features = state.features(inputs, windows, clock_iso)
        z = latent_z(features, true_pd, stresses[-1], latent) + rng.normal(0, latent["hidden_sd"])
        out.append({**{name: features[name] for name in FEATURE_NAMES}, TARGET: int(rng.random() < _sigmoid(z))})
    return pd.DataFrame(out, columns=[*FEATURE_NAMES, TARGET]).astype({name: float for name in FEATURE_NAMES})
