"""The risk model sees what the analyst sees: fraud, GST compliance, OD/CC conduct and "no debt" as such.

Two levels:

* cheap checks of the synthetic portfolio's design (fraud laid over honest profiles, the latent function
  giving a fraudulent borrower a very high true PD) and of how features encode "not applicable";
* the acceptance on the DEMO model configuration: the 300-customer portfolio exactly as
  ``ensure_risk_model`` trains it (``risk_model.demo_portfolio``), trained once per session (about a
  minute on two cores), scoring the demo customers' own analytics from the ``demo_lake`` fixture.
"""
from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from analytics.metric import metric, not_applicable
from analytics.risk.features import CLEAN_FRAUD_VALUES, DSCR_CEILING, MONOTONE, customer_features
from analytics.risk.model import band_for, score_customer_risk
from analytics.risk.portfolio import latent_outcome, portfolio_ids, portfolio_profile, true_condition
from generators.profiles import FRAUD_MECHANISMS, fraud_mechanisms, get_profile

FRAUD, STABLE = "CUST_MSM_00006", "CUST_MSM_00005"
AS_OF = date(2026, 11, 1)


# ---- the portfolio and the latent function ------------------------------------------------------------
def test_fraud_is_laid_over_honest_profiles_in_every_strength(config):
    ids = portfolio_ids(600)
    profiles = {cid: portfolio_profile(cid, config) for cid in ids}
    assert profiles == {cid: portfolio_profile(cid, config) for cid in ids}          # seeded by the id
    overlays = [p for p in profiles.values() if p.name != "fraud" and fraud_mechanisms(p)]
    honest = [p for p in profiles.values() if p.name != "fraud"]
    share = config["risk_model"]["portfolio_fraud"]["share"]
    assert abs(len(overlays) / len(honest) - share) < 0.03
    assert {len(fraud_mechanisms(p)) for p in overlays} == {1, 2, 3}
    assert len({p.name for p in overlays}) >= 4                                        # over many kinds of borrower
    for p in overlays:   # only the fraud fields change: the borrower is otherwise the honest profile
        base = get_profile(p.name)
        changed = {f for f in p.__dataclass_fields__ if getattr(p, f) != getattr(base, f)}
        assert changed <= {k for m in FRAUD_MECHANISMS.values() for k in m}
    counts = Counter(p.name for p in profiles.values())
    assert counts["fraud"] + len(overlays) >= 0.15 * len(ids)                         # enough fraud to learn


def test_a_fraudulent_borrower_has_a_very_high_true_pd(config):
    latent = config["risk_model"]["latent"]
    honest = {"debt_service": 0.05, "volatility": 0.1, "growth": 0.0, "delinquency": 0.0, "fraud": 0.0,
              "card_utilisation": 0.3}
    quiet = {**latent, "hidden_sd": 0.0}
    pd_honest, _ = latent_outcome("CUST_TST_00001", honest, quiet)
    pd_fraud, _ = latent_outcome("CUST_TST_00001", {**honest, "fraud": 1.0}, quiet)
    pd_one, _ = latent_outcome("CUST_TST_00001", {**honest, "fraud": 1 / 3}, quiet)
    assert pd_honest < 0.05 and pd_fraud > 0.6 and pd_honest < pd_one < pd_fraud


def test_true_fraud_condition_counts_the_planted_mechanisms(config):
    from generators.plan import build_plan
    from generators.seeding import stable_seed

    def fraud_of(cid, profile):
        plan = build_plan(cid, stable_seed(cid), profile, AS_OF, config["generator"])
        return true_condition(plan)["fraud"]

    assert fraud_of("CUST_TST_00007", get_profile("fraud")) == 1.0
    assert fraud_of("CUST_TST_00007", get_profile("baseline")) == 0.0
    from generators.profiles import with_fraud

    assert fraud_of("CUST_TST_00007", with_fraud(get_profile("baseline"), ["itc_excess"])) == pytest.approx(1 / 3)


# ---- features: not applicable is not missing -------------------------------------------------------------
def _docs(**metrics):
    return {"transaction_summary": {"metrics": {"months_covered": metric(12, "count", "x", {}, "x"), **metrics}}}


def test_no_debt_dscr_is_the_favourable_ceiling_and_missing_stays_missing():
    na = not_applicable("ratio", "x", "not applicable: no debt service")
    assert customer_features(_docs(dscr=na), {}, AS_OF)["dscr"] == DSCR_CEILING
    assert customer_features(_docs(dscr=metric(12.8, "ratio", "x", {}, "x")), {}, AS_OF)["dscr"] == DSCR_CEILING
    assert customer_features(_docs(dscr=metric(0.6, "ratio", "x", {}, "x")), {}, AS_OF)["dscr"] == 0.6
    gap = {"value": None, "reason": "the bureau shows EMIs this statement does not debit"}
    assert customer_features(_docs(dscr=gap), {}, AS_OF)["dscr"] is None
    no_facility = not_applicable("count", "x", "not applicable: no OD/CC facility")
    features = customer_features(_docs(months_interest_unserviced=no_facility, od_cc_peak_utilisation=no_facility),
                                 {}, AS_OF)
    assert features["months_interest_unserviced"] == 0.0 and features["od_cc_peak_utilisation"] == 0.0


def test_fraud_and_compliance_inputs_have_documented_directions():
    for name in ("gst_fraud_severity", "gst_fraud_kinds", "gst_itc_excess_share", "gst_to_bank_excess",
                 "circular_flows", "gst_late_filings", "gst_avg_days_late", "negative_balance_days",
                 "od_cc_peak_utilisation", "months_interest_unserviced"):
        assert MONOTONE[name] == +1, name
    assert MONOTONE["dscr"] == -1
    assert set(CLEAN_FRAUD_VALUES) <= set(MONOTONE)


# ---- the acceptance on the demo model ------------------------------------------------------------------------
@pytest.fixture(scope="session")
def demo_model(config):
    """The demo risk model exactly as ``ensure_risk_model`` trains it: 300 portfolio customers (about 60 s)."""
    from analytics.risk.model import train_portfolio_model

    assert config["risk_model"]["demo_portfolio"] == 300
    bundle, _card = train_portfolio_model(config["risk_model"]["demo_portfolio"], config)
    return bundle


def _features(lake, customer_id):
    docs = {name: lake.read_json(lake.analytics_path(customer_id, name))
            for name in ("transaction_summary", "gst_summary", "credit_summary", "anomalies_report", "ocen_summary",
                         "ondc_summary", "insurance_summary")}
    return customer_features(docs, lake.read_json(lake.customer_meta_path(customer_id)), AS_OF)


def _pd(bundle, features, config):
    return score_customer_risk(bundle, features, config)["metrics"]["probability_of_default"]["value"]


def test_the_demo_model_responds_to_fraud(demo_model, demo_lake, config):
    features = _features(demo_lake, FRAUD)
    assert features["gst_fraud_severity"] == 3.0 and features["gst_fraud_kinds"] == 4.0  # ITC excess is the fourth
    real = _pd(demo_model, features, config)
    clean = _pd(demo_model, {**features, **CLEAN_FRAUD_VALUES}, config)
    bands = config["risk_model"]["bands"]
    # the PD never reads the credit score, so the scorecard's overlay (score capped at 549) plays no part here
    assert real >= 0.25 and band_for(real, bands) == "HIGH", real
    assert clean <= real / 2, (real, clean)
    assert band_for(clean, bands) != "HIGH", clean
    # severity alone, one step at a time, never lowers the PD (documented direction +1)
    curve = [_pd(demo_model, {**features, "gst_fraud_severity": s}, config) for s in (0.0, 1.0, 2.0, 3.0)]
    assert all(b >= a - 1e-12 for a, b in zip(curve, curve[1:])), curve


def test_no_debt_no_longer_raises_the_stable_customers_risk(demo_model, demo_lake, config):
    features = _features(demo_lake, STABLE)
    assert features["dscr"] == DSCR_CEILING
    body = score_customer_risk(demo_model, features, {**config, "risk_model": {**config["risk_model"],
                                                                                "top_drivers": 40}})
    dscr = next(d for d in body["drivers"] if d["feature"] == "dscr")
    assert dscr["shap_value"] <= 0, dscr                       # it was +0.24 log-odds when "no DSCR" was missing
    # no debt is at least as good as any covered debt
    for value in (1.0, 1.5, 2.5):
        assert _pd(demo_model, features, config) <= _pd(demo_model, {**features, "dscr": value}, config) + 1e-12


def test_stacking_and_round_tripping_reach_the_model_from_the_signals_document():
    from analytics.risk.features import customer_features

    flags = {"signals": {"metrics": {"loan_stacking": {"value": True}, "round_tripping": {"value": False}}},
             "transaction_summary": {"metrics": {"months_covered": {"value": 36}}}}
    got = customer_features(flags, {}, AS_OF)
    assert got["loan_stacking"] == 1.0 and got["round_tripping"] == 0.0
    # no signals document (an old lake), or no statement: unknown, never a made-up "clean"
    assert customer_features({}, {}, AS_OF)["loan_stacking"] is None
    no_statement = {"signals": flags["signals"]}
    assert customer_features(no_statement, {}, AS_OF)["round_tripping"] is None
