"""ITC claimed (GSTR-3B) against ITC available (GSTR-2B): hand-built months, then the demo customers."""
from __future__ import annotations

import copy
from datetime import date

import pytest

from analytics.gst.itc import check_itc
from analytics.gst.summary import summarize_gst
from pipeline.config import load_config

from .test_summary import CONFIG, GSTIN, assert_metric_tree

AS_OF = date(2024, 5, 1)


def g3b(month: int, oth: float, isrc: float = 0.0, imports: float = 0.0, dof: str | None = None,
        status: str = "FILED") -> dict:
    """A 2024 GSTR-3B claiming ``oth`` (4A(5)) + ``imports`` (IMPG, IGST) + ``isrc`` (reverse charge)."""
    rec = {"gstin": GSTIN, "return_type": "GSTR3B", "ret_prd": f"{month:02d}2024", "due_date": f"2024-{month + 1:02d}-20",
           "status": status, "sup_details": {"osup_det": {"txval": 1_000_000, "camt": 90_000, "samt": 90_000}},
           "itc_elg": {"itc_avl": [{"ty": "IMPG", "iamt": imports}, {"ty": "ISRC", "camt": isrc / 2, "samt": isrc / 2},
                                   {"ty": "OTH", "iamt": oth / 2, "camt": oth / 4, "samt": oth / 4}],
                       "itc_net": {"iamt": oth / 2 + imports, "camt": oth / 4 + isrc / 2, "samt": oth / 4 + isrc / 2}}}
    if status != "NOT_FILED":
        rec["dof"] = dof or f"2024-{month + 1:02d}-18"
    return rec


def g2b(month: int, available: float, imports: float = 0.0, unavailable: float = 0.0) -> dict:
    """A 2024 GSTR-2B with ``available`` from suppliers (CGST/SGST halves) and ``imports`` (IGST)."""
    def section(total: float, igst: float = 0.0) -> dict:
        return {"igst": igst, "cgst": total / 2, "sgst": total / 2, "cess": 0.0}
    return {"gstin": GSTIN, "return_type": "GSTR2B", "ret_prd": f"{month:02d}2024", "gendt": f"2024-{month + 1:02d}-14",
            "itcsumm": {"itcavl": {"nonrevsup": {**section(available), "b2b": section(available)},
                                   "imports": section(0.0, imports), "revsup": section(50_000.0)},
                        "itcunavl": {"nonrevsup": section(unavailable)}},
            "docdata": {"b2b": []}}


def test_months_above_both_thresholds_are_flagged_with_their_returns():
    # Jan: claimed 1,20,000 OTH + 30,000 imports = 1,50,000 (reverse charge 40,000 left out: self-assessed);
    #      available 1,00,000 + 30,000 imports = 1,30,000 (revsup 50,000 is RCM, itcunavl is not available):
    #      excess 20,000, 15.4% -> flagged.
    # Feb: claimed 55,000, available 50,000: 10% but Rs 5,000 -> not flagged (immaterial).
    # Mar: claimed 2,10,000, available 2,00,000: Rs 10,000 but 5% -> not flagged (a late-reported invoice).
    # Apr: claimed 20,000, available 0: no supplier reported anything -> flagged (ratio undefined).
    recs = [g3b(1, 120_000, isrc=40_000, imports=30_000), g2b(1, 100_000, imports=30_000, unavailable=9_000),
            g3b(2, 55_000), g2b(2, 50_000), g3b(3, 210_000), g2b(3, 200_000), g3b(4, 20_000), g2b(4, 0.0)]
    out = check_itc(recs, AS_OF, CONFIG)
    assert out["value"] == 2
    ins = out["inputs"]
    assert ins["months"] == ["2024-01", "2024-04"]
    assert ins["claimed"] == [150_000, 20_000] and ins["available"] == [130_000, 0] and ins["excess"] == [20_000, 20_000]
    assert ins["excess_ratio"] == [pytest.approx(20_000 / 130_000, abs=1e-4), None]
    assert ins["record_ids"] == [f"{GSTIN}:GSTR3B:012024", f"{GSTIN}:GSTR2B:012024",
                                 f"{GSTIN}:GSTR3B:042024", f"{GSTIN}:GSTR2B:042024"]
    assert ins["months_assessed"] == 4 and ins["months_without_gstr2b"] == []
    assert out["window"]["from"] == "2024-01" and out["window"]["to"] == "2024-04"
    assert "2 of 4 months" in out["explanation"] and "GSTR-2B" in out["formula"]
    assert assert_metric_tree(out) == 1


def test_thresholds_come_from_config():
    recs = [g3b(2, 55_000), g2b(2, 50_000)]
    loose = copy.deepcopy(CONFIG)
    loose["analytics"]["gst_itc"] = {"min_excess_ratio": 0.05, "min_excess_inr": 1_000}
    assert check_itc(recs, AS_OF, CONFIG)["value"] == 0
    assert check_itc(recs, AS_OF, loose)["inputs"]["months"] == ["2024-02"]
    bare = {"analytics": {}}  # defaults in code: > 10% and > Rs 10,000
    assert check_itc([g3b(1, 120_000), g2b(1, 100_000)], AS_OF, bare)["value"] == 1


def test_unfiled_returns_and_later_periods_are_not_checked():
    # Feb 3B not filed: nothing claimed yet, so Feb is not assessed; May is on or after as-of.
    recs = [g3b(1, 100_000), g2b(1, 100_000), g3b(2, 500_000, status="NOT_FILED"), g2b(2, 10_000),
            g3b(3, 100_000), g3b(5, 900_000), g2b(5, 1_000)]
    out = check_itc(recs, AS_OF, CONFIG)
    assert out["value"] == 0 and out["inputs"]["months_assessed"] == 1
    assert out["inputs"]["months_without_gstr2b"] == ["2024-03"]


def test_without_gstr2b_the_check_is_missing_with_a_reason_and_not_a_fraud_kind():
    recs = [g3b(1, 120_000), g3b(2, 55_000)]
    out = summarize_gst(recs, AS_OF, CONFIG, circular_flows=[])
    check = out["itc_check"]
    assert check["value"] is None and "no GSTR-2B delivered" in check["reason"]
    assert check["inputs"]["months_without_gstr2b"] == ["2024-01", "2024-02"]
    fraud = out["fraud_indicators"]
    assert "itc_excess" not in fraud["assessed"]
    assert {n["code"]: n["reason"] for n in fraud["not_assessed"]}["itc_excess"] == check["reason"]
    assert summarize_gst([], AS_OF, CONFIG)["itc_check"]["value"] is None


def test_excess_is_a_fraud_kind_graded_by_its_count():
    # six months each claiming 30% above GSTR-2B: itc_excess fires HIGH (>= 6); alone it is MEDIUM overall
    recs = [r for m in range(1, 7) for r in (g3b(m, 130_000), g2b(m, 100_000))]
    out = summarize_gst(recs, date(2024, 8, 1), CONFIG, circular_flows=[])
    fraud = out["fraud_indicators"]
    (kind,) = [i for i in fraud["indicators"] if i["code"] == "itc_excess"]
    assert kind["severity"] == "HIGH" and kind["count"] == 6 and kind["months"] == [f"2024-0{m}" for m in range(1, 7)]
    assert kind["evidence"] is out["itc_check"] or kind["evidence"] == out["itc_check"]
    assert fraud["severity"] == "MEDIUM" and "itc_excess" in fraud["assessed"]
    assert out["monthly"] and all(r["month"] in {f"2024-0{m}" for m in range(1, 7)} for r in out["monthly"])


# --- the demo customers (generated, cleaned and analysed once per session) -------------------------------

def _check(lake, customer_id):
    summary = lake.read_json(lake.analytics_path(customer_id, "gst_summary"))
    planted = lake.read_json(lake.log_path(customer_id, "injected"))["truth"]["planted"]["itc_excess"]
    return summary["itc_check"], planted


def test_the_fraud_demo_customer_is_flagged_in_exactly_its_planted_months(demo_lake):
    check, planted = _check(demo_lake, "CUST_MSM_00006")
    assert len(planted) >= 10
    assert check["inputs"]["months"] == sorted(p["period"] for p in planted)
    by_month = {p["period"]: p for p in planted}
    for month, claimed, available in zip(check["inputs"]["months"], check["inputs"]["claimed"],
                                         check["inputs"]["available"]):
        assert claimed == pytest.approx(by_month[month]["claimed"], abs=0.01)
        assert available == pytest.approx(by_month[month]["available"], abs=0.01)
    assert check["inputs"]["months_assessed"] == 35 and len(check["inputs"]["record_ids"]) == 2 * len(planted)
    summary = demo_lake.read_json(demo_lake.analytics_path("CUST_MSM_00006", "gst_summary"))
    assert "itc_excess" in {i["code"] for i in summary["fraud_indicators"]["indicators"]}


@pytest.mark.parametrize("customer_id", ["CUST_MSM_00001", "CUST_MSM_00005"])
def test_a_clean_profile_has_no_flagged_month(demo_lake, customer_id):
    check, planted = _check(demo_lake, customer_id)
    assert planted == [] and check["value"] == 0 and check["inputs"]["months_assessed"] == 35


def test_config_carries_the_itc_thresholds():
    cfg = load_config()["analytics"]
    assert cfg["gst_itc"] == {"min_excess_ratio": 0.1, "min_excess_inr": 10000}
    assert cfg["gst_fraud"]["severity_rules"]["itc_excess"] == {"HIGH": 6, "MEDIUM": 3, "LOW": 1}


def test_the_quality_bench_scores_flagged_against_planted_months(demo_lake):
    from bench.quality_gst import evaluate, month_quality

    assert month_quality(["2024-01", "2024-02"], ["2024-02", "2024-03"]) == {"tp": 1, "fp": 1, "fn": 1}
    planted = len(_check(demo_lake, "CUST_MSM_00006")[1])
    assert evaluate(demo_lake, "CUST_MSM_00006") == {"itc_excess": {"tp": planted, "fp": 0, "fn": 0}}
    assert evaluate(demo_lake, "CUST_MSM_00001") == {"itc_excess": {"tp": 0, "fp": 0, "fn": 0}}
