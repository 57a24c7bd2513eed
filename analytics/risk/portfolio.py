"""A synthetic training portfolio: features from the analytics layer, outcomes from a documented latent function.

Each portfolio customer (``CUST_TRN_00001`` ...) is generated in memory with a
profile from the stable hash of its id (:func:`portfolio_profile`: an honest
profile may carry one to three of the fraud profile's planted mechanisms, so
fraud is seen apart from financial weakness and in several strengths) and a
reduced transaction volume
(``risk_model.portfolio_transactions_per_month``), analysed with
:func:`analytics.registry.analyze_customer` exactly as a real customer is, and
turned into model inputs by :func:`analytics.risk.features.customer_features`.
Nothing is written to the lake: the mess/clean round trip adds nothing here.

The outcome is drawn from the customer's TRUE condition as the generator
planned it (never from the analytics), through the latent function written
down in ``docs/risk_model.md``::

    z  = intercept + b_dsr * debt_service + b_vol * volatility + b_growth * growth
         + b_del * delinquency + b_fraud * fraud + b_util * card_utilisation + hidden
    PD = 1 / (1 + exp(-z));   default = 1 if u < PD

with ``hidden ~ N(0, hidden_sd)`` and ``u ~ U(0, 1)`` drawn from streams seeded
by the customer id. A model trained on this proves the machinery works end to
end; it says nothing about accuracy on real borrowers.
"""
from __future__ import annotations

import copy
import math
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from analytics.risk.features import FEATURE_NAMES, customer_features

TARGET = "default"
ID_PREFIX = "CUST_TRN_"
LATENT_DOC = "docs/risk_model.md#the-latent-function-of-the-synthetic-portfolio"


def portfolio_ids(n: int, prefix: str = ID_PREFIX) -> list[str]:
    """``CUST_TRN_00001`` ... ``CUST_TRN_<n>``: the ids of an n-customer training portfolio."""
    if not 1 <= n <= 99_999:
        raise ValueError(f"portfolio size must be between 1 and 99999, got {n}")
    return [f"{prefix}{i:05d}" for i in range(1, n + 1)]


def portfolio_config(config: dict) -> dict:
    """The config with every profile's transaction volume cut to ``risk_model.portfolio_transactions_per_month``."""
    out = copy.deepcopy(config)
    tpm = int(config.get("risk_model", {}).get("portfolio_transactions_per_month", 10))
    out.setdefault("generator", {})["transactions_per_month"] = {
        name: tpm for name in _profile_names()}
    return out


def _profile_names() -> tuple[str, ...]:
    from generators.profiles import PROFILE_NAMES

    return PROFILE_NAMES


def portfolio_as_of(config: dict) -> date:
    """The as-of month of the synthetic portfolio (``risk_model.portfolio_as_of``, YYYY-MM)."""
    text = str(config.get("risk_model", {}).get("portfolio_as_of", "2026-11"))
    year, month = text.split("-")[:2]
    return date(int(year), int(month), 1)


# ---- the true condition and the latent function ---------------------------
def portfolio_profile(customer_id: str, config: dict):
    """The :class:`~generators.profiles.Profile` a portfolio customer is generated with.

    The profile comes from the id's stable hash, as for any customer. An honest
    profile then carries, with probability ``risk_model.portfolio_fraud.share``
    (a stream seeded by the id), one, two or three of the fraud profile's planted
    mechanisms (fictitious invoices, ITC excess, circular flows), chosen at random.
    Why: with fraud only in the fraud profile, every fraud signal moves with that
    profile's other traits and the model cannot tell which one carries the risk;
    fraud laid over every kind of borrower, in every strength, can be learnt as such.
    """
    from generators.profiles import FRAUD_MECHANISMS, fraud_mechanisms, get_profile, with_fraud
    from generators.registry import profile_for
    from generators.seeding import random_for, stable_seed

    spec = get_profile(profile_for(customer_id, config))
    share = float((config.get("risk_model", {}).get("portfolio_fraud") or {}).get("share", 0.0))
    if fraud_mechanisms(spec) or share <= 0:
        return spec
    rng = random_for(stable_seed(customer_id), "risk_model.fraud_overlay")
    if rng.random() >= share:
        return spec
    names = sorted(FRAUD_MECHANISMS)
    return with_fraud(spec, sorted(rng.sample(names, rng.randint(1, len(names)))))


def true_condition(plan) -> dict[str, float]:
    """What the generator decided about a borrower, as the six numbers the latent function reads.

    * ``debt_service``: EMIs due in the last 12 months on every live loan (bank, OCEN
      and outside loans) / true gross business receipts of those months;
    * ``volatility``: standard deviation of month-on-month log changes of true sales;
    * ``growth``: ln(true sales of the last 12 months / the first 12 months);
    * ``delinquency``: months with DPD on outside loans + EMIs that bounced;
    * ``fraud``: the share of the three fraud mechanisms planted, 0 to 1: (fictitious
      invoices planted + ITC excess planted + min(1, circular round trips / 5)) / 3;
    * ``card_utilisation``: mean utilisation of credit cards.
    """
    from generators.plan_credit import abs_month

    end = abs_month(plan.end_ord)
    last12 = range(end - 12, end)
    emis = sum(loan.emi for loan in plan.loans if loan.source != "closed"
               for a in last12 if loan.first_emi <= a <= loan.last_emi)
    receipts = sum(plan.credit_est[-12:])
    sales = np.asarray(plan.sales, dtype=float)
    cards = [line.utilisation for line in plan.revolving if line.kind == "CREDIT_CARD"]
    return {
        "debt_service": emis / receipts if receipts > 0 else 0.0,
        "volatility": float(np.std(np.diff(np.log(sales)))) if len(sales) > 2 else 0.0,
        "growth": math.log(sales[-12:].sum() / sales[:12].sum()) if len(sales) >= 24 else 0.0,
        "delinquency": float(sum(len(loan.dpd) + len(loan.bounces) for loan in plan.loans)),
        "fraud": (float(plan.profile.fake_invoice_ratio > 0) + float(plan.profile.itc_high_share > 0)
                  + min(1.0, len(plan.circular) / 5.0)) / 3.0,
        "card_utilisation": float(np.mean(cards)) if cards else 0.0,
    }


def latent_outcome(customer_id: str, condition: dict[str, float], latent: dict[str, float]) -> tuple[float, int]:
    """The true probability of default and the drawn outcome, both reproducible from the customer id."""
    from generators.seeding import random_for, stable_seed

    seed = stable_seed(customer_id)
    z = float(latent["intercept"]) + sum(float(latent[k]) * condition[k] for k in condition)
    z += random_for(seed, "risk_model.hidden").gauss(0.0, float(latent.get("hidden_sd", 0.0)))
    pd_true = 1.0 / (1.0 + math.exp(-z))
    return pd_true, int(random_for(seed, "risk_model.outcome").random() < pd_true)


# ---- one customer, then the portfolio -------------------------------------
def portfolio_row(customer_id: str, config: dict, as_of: date) -> dict[str, Any]:
    """Generate one customer in memory, analyse it, and return its features, true PD and outcome."""
    from analytics.registry import CustomerData, analyze_customer
    from generators.plan import build_plan
    from generators.profiles import fraud_mechanisms
    from generators.registry import generate_customer
    from generators.seeding import stable_seed

    spec = portfolio_profile(customer_id, config)
    generated = generate_customer(customer_id, None, as_of, config, spec=spec)
    docs = analyze_customer(CustomerData(customer_id, generated.as_of, generated.records, generated.customer,
                                         generated.consent), config, str(config.get("version", "0")), "portfolio",
                           skip=("earnings_spendings", "smart_collect"))
    features = customer_features(docs, generated.customer, generated.as_of)
    plan = build_plan(customer_id, stable_seed(customer_id), spec, generated.as_of, config.get("generator", {}))
    condition = true_condition(plan)
    pd_true, outcome = latent_outcome(customer_id, condition, config["risk_model"]["latent"])
    return {"customer_id": customer_id, "profile": generated.profile,
            "fraud_mechanisms": "+".join(fraud_mechanisms(spec)) or None, **features,
            **{f"true_{k}": v for k, v in condition.items()}, "true_pd": pd_true, TARGET: outcome}


def _rows(args: tuple[list[str], dict, date]) -> list[dict[str, Any]]:
    ids, config, as_of = args
    return [portfolio_row(cid, config, as_of) for cid in ids]


def build_portfolio(n: int, config: dict, workers: int | None = None, ids: list[str] | None = None) -> pd.DataFrame:
    """The training table of an n-customer synthetic portfolio (features, truth columns, ``default``).

    Feature building is CPU-bound pandas work, so it is spread over
    ``risk_model.portfolio_workers`` forked processes in chunks.
    """
    ids = ids or portfolio_ids(n)
    cfg = portfolio_config(config)
    as_of = portfolio_as_of(config)
    workers = workers or int(config.get("risk_model", {}).get("portfolio_workers", 2))
    if workers <= 1 or len(ids) < 20:
        rows = _rows((ids, cfg, as_of))
    else:
        size = max(5, min(50, len(ids) // (workers * 4)))
        chunks = [(ids[i:i + size], cfg, as_of) for i in range(0, len(ids), size)]
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            rows = [row for part in pool.map(_rows, chunks) for row in part]
    table = pd.DataFrame(rows)
    for name in FEATURE_NAMES:
        table[name] = pd.to_numeric(table[name], errors="coerce").astype(float)
    return table


def training_columns(table: pd.DataFrame) -> pd.DataFrame:
    """The model's inputs and the target only: ids, profiles, fraud mechanisms and truth never reach the model."""
    return table[list(FEATURE_NAMES) + [TARGET]]
