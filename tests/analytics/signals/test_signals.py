"""The signals document: every signal a metric with its lines, flagged where the generator planted it, and
read by the credit score's overlays."""
import pytest

from analytics.signals import SIGNAL_NAMES
from bench.bench_quality import TARGET, customer_quality


def _signals(lake, customer_id):
    return lake.read_json(lake.analytics_path(customer_id, "signals"))


def test_every_signal_is_a_metric_with_its_formula(demo_lake, config):
    for customer_id in config["demo_customers"]:
        doc = _signals(demo_lake, customer_id)
        assert doc["name"] == "signals" and doc["customer_id"] == customer_id
        assert set(doc["metrics"]) == set(SIGNAL_NAMES)
        for name, m in doc["metrics"].items():
            assert {"value", "unit", "formula", "inputs", "explanation", "flagged"} <= set(m), (customer_id, name)
        assert doc["flagged"] == [n for n in SIGNAL_NAMES if doc["metrics"][n]["flagged"]]


def test_planted_customers_are_flagged_and_clean_ones_are_not(demo_lake):
    fraud = _signals(demo_lake, "CUST_MSM_00006")["metrics"]
    assert fraud["loan_stacking"]["value"] is True and fraud["round_tripping"]["value"] is True
    assert fraud["multi_hop_circular"]["value"] >= 3
    ids = set(fraud["round_tripping"]["inputs"]["record_ids"])
    assert {t for i in fraud["multi_hop_circular"]["items"] for t in i["txn_ids"]} <= ids
    stable = _signals(demo_lake, "CUST_MSM_00005")["metrics"]
    assert stable["round_tripping"]["value"] is False and stable["loan_stacking"]["value"] is False
    assert stable["multi_hop_circular"]["value"] == 0 and not stable["related_party_flows"]["items"]
    assert stable["self_credits"]["items"] and not stable["self_credits"]["flagged"]


def test_the_credit_score_caps_a_stacked_or_round_tripping_customer(demo_lake):
    score = demo_lake.read_json(demo_lake.analytics_path("CUST_MSM_00003", "credit_score"))
    overlays = {o["id"]: o for o in score["overlays"]}
    assert overlays["O4_LOAN_STACKING"]["source"] == "signals.loan_stacking"
    assert score["score"]["value"] <= 649
    declining = demo_lake.read_json(demo_lake.analytics_path("CUST_MSM_00007", "credit_score"))
    assert "O5_ROUND_TRIPPING" in {o["id"] for o in declining["overlays"]} and declining["score"]["value"] <= 599
    clean = demo_lake.read_json(demo_lake.analytics_path("CUST_MSM_00005", "credit_score"))
    assert not {"O4_LOAN_STACKING", "O5_ROUND_TRIPPING"} & {o["id"] for o in clean["overlays"]}


@pytest.mark.parametrize("pattern", ["categories", "bounce_attribution", "related_party", "multi_hop_circular",
                                     "self_credits", "loan_stacking"])
def test_quality_against_the_planted_truth_holds_the_target(demo_lake, config, pattern):
    tp = fp = fn = 0
    for customer_id in config["demo_customers"]:
        counts = customer_quality(demo_lake, customer_id).get(pattern) or {"tp": 0, "fp": 0, "fn": 0}
        tp, fp, fn = tp + counts["tp"], fp + counts["fp"], fn + counts["fn"]
    assert tp > 0
    assert tp / (tp + fp) >= TARGET and tp / (tp + fn) >= TARGET
