"""The score and models steps end to end on demo customers, with a persisted risk model."""
import pytest

from pipeline.model_stages import models_stage, score_stage

CUSTOMERS = ["CUST_MSM_00005", "CUST_MSM_00006", "CUST_MSM_00003"]


@pytest.fixture(scope="module")
def modelled(demo_lake, config, small_risk_model):
    small_risk_model(demo_lake)
    model_file = demo_lake.model_path("risk_model")
    before = model_file.stat().st_mtime_ns
    for customer_id in CUSTOMERS:
        score_stage(demo_lake, customer_id, config)
        models_stage(demo_lake, customer_id, config)
    assert model_file.stat().st_mtime_ns == before  # scoring loaded the model, it never retrained
    return demo_lake


def doc(lake, customer_id, name):
    return lake.read_json(lake.analytics_path(customer_id, name))


@pytest.mark.parametrize("customer_id", CUSTOMERS)
def test_risk_model_output_is_additive_and_explained(modelled, customer_id):
    risk = doc(modelled, customer_id, "risk_model")
    drivers = risk["drivers"]
    assert 0 < len(drivers) <= 10
    assert all(d["direction"] in ("raised risk", "lowered risk") and d["text"] for d in drivers)
    total = risk["base_value"] + sum(d["shap_value"] for d in drivers) + risk["other_features_shap"]
    # the stored values are rounded to 6 decimals: the exact identity (1e-6) is tested in memory in
    # tests/analytics/risk/test_model.py; here each of the ~12 stored terms may be off by 5e-7
    assert abs(total - risk["margin"]) < (len(drivers) + 2) * 5e-7
    assert 0 <= risk["metrics"]["probability_of_default"]["value"] <= 1
    assert set(risk["model"]["metrics"]) >= {"roc_auc", "ks", "gini", "brier"}


def test_riskier_profiles_get_higher_pd(modelled):
    pd_of = {c: doc(modelled, c, "risk_model")["metrics"]["probability_of_default"]["value"] for c in CUSTOMERS}
    assert pd_of["CUST_MSM_00005"] < pd_of["CUST_MSM_00003"]
    assert pd_of["CUST_MSM_00005"] < pd_of["CUST_MSM_00006"]


@pytest.mark.parametrize("customer_id", CUSTOMERS)
def test_models_outputs_are_written_with_their_envelope(modelled, customer_id):
    for name in ("cashflow_forecast", "reconciliation", "enhanced_anomalies", "recommendations"):
        document = doc(modelled, customer_id, name)
        assert document["customer_id"] == customer_id and document["name"] == name and document["metrics"]


@pytest.mark.parametrize("customer_id", CUSTOMERS)
def test_every_recommendation_emi_follows_from_amount_rate_and_tenure(modelled, customer_id):
    products = doc(modelled, customer_id, "recommendations")["products"]
    assert len(products) == 6
    for product in products:
        amount, rate, emi = (product[k]["value"] for k in ("amount", "annual_rate", "emi"))
        tenure = product["tenure_months"]["value"]
        if amount is None or emi is None:
            continue
        r = rate / 12
        if product["repayment"]["kind"] == "annuity":
            expected = amount * r * (1 + r) ** tenure / ((1 + r) ** tenure - 1)
        else:  # interest-only overdraft, bullet invoice discounting: monthly interest on the amount
            expected = amount * r
        assert abs(emi - expected) <= 1, (product["id"], emi, expected)


def test_fraud_customer_gets_no_product_and_a_high_risk_reconciliation(modelled):
    recs = doc(modelled, "CUST_MSM_00006", "recommendations")
    assert recs["metrics"]["eligible_products"]["value"] == 0
    assert doc(modelled, "CUST_MSM_00006", "reconciliation")["risk_level"] == "HIGH"
