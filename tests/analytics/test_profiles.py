"""The analytics on the ten demo customers: each profile shows up where a credit officer would look."""
import pytest

from analytics.registry import OUTPUT_NAMES

DEMO = {f"CUST_MSM_{i:05d}": p for i, p in enumerate(
    ["baseline", "high_seasonality", "high_debt", "high_growth", "stable_income", "fraud", "declining",
     "customer_concentration", "high_growth", "high_seasonality"], start=1)}


def doc(lake, customer_id, name):
    return lake.read_json(lake.analytics_path(customer_id, name))


def value(lake, customer_id, name, key):
    return doc(lake, customer_id, name)["metrics"][key]["value"]


def walk_metrics(node, path="$"):
    """Yield every metric object in a document (dicts carrying value+formula)."""
    if isinstance(node, dict):
        if "value" in node and "formula" in node:
            yield path, node
            return
        for key, child in node.items():
            yield from walk_metrics(child, f"{path}.{key}")
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from walk_metrics(child, f"{path}[{i}]")


@pytest.mark.parametrize("customer_id", list(DEMO))
def test_every_document_is_written_with_its_envelope_and_metadata(demo_lake, customer_id):
    for name in OUTPUT_NAMES:
        document = doc(demo_lake, customer_id, name)
        assert document["customer_id"] == customer_id and document["as_of"] == "2026-11-01"
        assert document["generated_at"] and document["code_version"]
        assert "metrics" in document, name
        found = list(walk_metrics(document))
        assert found, name
        for path, m in found:
            assert {"value", "unit", "formula", "inputs", "explanation"} <= set(m), (name, path)
            if m["value"] is None:
                assert m.get("reason") or m["explanation"], (name, path)


def test_only_the_fraud_customer_gets_high_fraud_severity(demo_lake):
    for customer_id, profile in DEMO.items():
        fraud = doc(demo_lake, customer_id, "gst_summary")["fraud_indicators"]
        if profile == "fraud":
            assert fraud["severity"] == "HIGH"
            assert len({i["code"] for i in fraud["indicators"]}) >= 3
        else:
            assert fraud["severity"] != "HIGH", customer_id


def test_growth_has_the_right_sign(demo_lake):
    for customer_id, profile in DEMO.items():
        growth = value(demo_lake, customer_id, "gst_summary", "yoy_growth")
        if profile == "high_growth":
            assert growth > 0.3, customer_id
        if profile == "declining":
            assert growth < -0.2, customer_id


def test_high_debt_has_foir_above_half(demo_lake):
    assert value(demo_lake, "CUST_MSM_00003", "transaction_summary", "foir") > 0.5


def test_concentration_top_counterparty_above_half(demo_lake):
    assert value(demo_lake, "CUST_MSM_00008", "transaction_summary", "top_counterparty_share") > 0.5


def test_stable_income_has_the_lowest_income_cv(demo_lake):
    cvs = {cid: value(demo_lake, cid, "transaction_summary", "income_cv") for cid in DEMO}
    assert min(cvs, key=cvs.get) == "CUST_MSM_00005"


def test_scores_rank_strong_profiles_above_weak_ones(demo_lake):
    score = {cid: doc(demo_lake, cid, "credit_score")["score"]["value"] for cid in DEMO}
    strong = ["CUST_MSM_00005", "CUST_MSM_00004", "CUST_MSM_00009"]
    weak = ["CUST_MSM_00003", "CUST_MSM_00007", "CUST_MSM_00006"]
    assert min(score[c] for c in strong) > max(score[c] for c in weak), score
    for cid in score:
        assert 300 <= score[cid] <= 900


def test_score_reasons_are_in_words_and_consistent(demo_lake):
    for customer_id in DEMO:
        score = doc(demo_lake, customer_id, "credit_score")
        reasons = score["reasons"]
        assert reasons["raised"] or reasons["lowered"]
        assert all(r["impact"] > 0 and r["text"] for r in reasons["raised"])
        assert all(r["impact"] < 0 and r["text"] for r in reasons["lowered"])
        weights = sum(c["weight"] for c in score["components"] if c["points"]["value"] is not None)
        weighted = sum(c["weight"] * c["points"]["value"] for c in score["components"] if c["points"]["value"] is not None)
        raw = 300 + 600 * weighted / weights / 100
        cap = min([o["cap"] for o in score["overlays"]], default=900)
        assert score["score"]["value"] == round(min(raw, cap))


def test_fraud_customer_is_declined_and_alerted(demo_lake):
    overall = doc(demo_lake, "CUST_MSM_00006", "overall_summary")
    assert overall["recommendation"]["decision"] == "DECLINE"
    assert overall["alerts"][0]["kind"] == "fraud" and overall["alerts"][0]["severity"] == "HIGH"
    rules = {r["id"]: r for r in doc(demo_lake, "CUST_MSM_00006", "anomalies_report")["rules"]}
    assert rules["circular_flow"]["count"]["value"] >= 3
    assert rules["duplicate_txn_id"]["count"]["value"] >= 2


def test_smart_collect_plans_the_high_debt_emis(demo_lake):
    plan = doc(demo_lake, "CUST_MSM_00003", "smart_collect")
    assert len(plan["obligations"]) >= 2
    for ob in plan["obligations"]:
        assert len(ob["next_dues"]) == 3 and all(d["due_date"] >= "2026-11-01" for d in ob["next_dues"])
        assert 0 < ob["success_probability"]["value"] < 1
        assert ob["recommended_method"] in ("NACH", "e-mandate", "UPI Autopay") and ob["method_reason"]
        assert len(ob["history"]) == 12
    statuses = {h["status"] for ob in plan["obligations"] for h in ob["history"]}
    assert "paid_on_time" in statuses


def test_late_filing_alone_is_a_compliance_finding_not_fraud(demo_lake):
    for customer_id in ("CUST_MSM_00003", "CUST_MSM_00007"):   # high_debt and declining: late, but honest
        gst = doc(demo_lake, customer_id, "gst_summary")
        assert gst["fraud_indicators"]["severity"] == "NONE", customer_id
        assert gst["compliance"]["grade"] == "POOR" and gst["compliance"]["reasons"], customer_id
        assert gst["metrics"]["late_filings"]["value"] >= 6
        alerts = doc(demo_lake, customer_id, "overall_summary")["alerts"]
        assert [a["kind"] for a in alerts if a["source"].startswith("gst_summary")] == ["compliance"]
    fraud = doc(demo_lake, "CUST_MSM_00006", "gst_summary")
    assert {i["code"] for i in fraud["fraud_indicators"]["indicators"]} == {"itc_ratio_high", "turnover_vs_bank",
                                                                           "itc_excess", "circular_flows"}
    assert fraud["fraud_indicators"]["kinds_fired"]["value"] == 4
    assert fraud["compliance"]["grade"] == "POOR"            # it also files late; that is a separate finding


def test_od_cc_use_inside_the_limit_is_not_overdrawn(demo_lake):
    for customer_id, profile in DEMO.items():
        ts = doc(demo_lake, customer_id, "transaction_summary")
        facility = [a for a in ts["od_cc"]["accounts"]]
        if profile == "stable_income":                       # no facility: the OD/CC figures do not apply
            assert not facility and ts["metrics"]["od_cc_utilisation"]["applicable"] is False
            continue
        assert facility and ts["metrics"]["min_eod_balance"]["value"] < 0, customer_id
        days_drawn = sum(a["days_drawn"] for a in facility)
        assert ts["metrics"]["negative_balance_days"]["value"] < days_drawn, customer_id
        if profile != "high_debt":
            assert ts["metrics"]["negative_balance_days"]["value"] == 0, customer_id
    # the high-debt CC runs at 97% of its limit, beyond its 95% drawing power: overdrawn, though inside the limit
    debt = doc(demo_lake, "CUST_MSM_00003", "transaction_summary")["metrics"]
    assert debt["days_over_drawing_power"]["value"] > 100 and debt["days_over_limit"]["value"] == 0
    assert debt["negative_balance_days"]["value"] == debt["days_over_drawing_power"]["value"]


def test_no_debt_service_makes_dscr_not_applicable(demo_lake):
    ts = doc(demo_lake, "CUST_MSM_00005", "transaction_summary")["metrics"]
    assert ts["dscr"]["value"] is None and ts["dscr"]["applicable"] is False
    assert ts["dscr"]["reason"] == "not applicable: no debt service"
    assert ts["foir"]["value"] == 0.0
    score = doc(demo_lake, "CUST_MSM_00005", "credit_score")
    dscr = next(f for c in score["components"] for f in c["factors"] if f["key"] == "dscr")
    assert dscr["applicable"] is False and dscr["reason"] == "not applicable: no debt service"


def test_key_metrics_carry_their_window_and_gst_amounts_their_basis(demo_lake):
    for customer_id in DEMO:
        overall = doc(demo_lake, customer_id, "overall_summary")
        for key, found in overall["key_metrics"].items():
            assert found["window"]["label"], (customer_id, key)
        gst = doc(demo_lake, customer_id, "gst_summary")["metrics"]
        assert gst["avg_monthly_turnover"]["basis"] == "excl. tax" and gst["gst_to_bank_ratio"]["basis"] == "incl. tax"
        ts = doc(demo_lake, customer_id, "transaction_summary")["metrics"]
        for key in ("foir", "dscr", "abb", "inward_bounces", "od_cc_utilisation", "negative_balance_days"):
            assert ts[key]["window"]["months"] == 36, (customer_id, key)
        bureau = doc(demo_lake, customer_id, "credit_summary")["metrics"]
        assert bureau["worst_dpd_12m"]["window"]["months"] == 13   # the as-of month and the 12 before it
