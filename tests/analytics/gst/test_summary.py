"""GST summary and fraud indicators on hand-built returns whose answers are worked out in the comments."""
from __future__ import annotations

import copy
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics.gst.fraud import assess_gst_fraud, grade, overall_severity
from analytics.gst.summary import monthly_gst_rows, summarize_gst
from pipeline.config import load_config

GSTIN = "27ABCDE1234F1Z5"
METRIC_KEYS = {"value", "unit", "formula", "inputs", "explanation"}
OPTIONAL_KEYS = {"window", "basis", "applicable"}
CONFIG = copy.deepcopy(load_config())
# The thresholds these tests were worked out with (they equal config.json's): pinned so a tuning of the
# project config does not silently change what the hand-computed answers mean.
CONFIG["analytics"]["gst_fraud"] = {
    "itc_ratio_threshold": 0.95, "gst_to_bank_ratio_threshold": 1.5, "collection_lag_months": 1,
    "severity_rules": {"itc_ratio_high": {"HIGH": 6, "MEDIUM": 3, "LOW": 1},
                       "turnover_vs_bank": {"HIGH": 6, "MEDIUM": 3, "LOW": 1},
                       "circular_flows": {"HIGH": 3, "MEDIUM": 2, "LOW": 1}},
    "overall": {"high_min_kinds": 2}}
CONFIG["analytics"]["gst_compliance"] = {
    "good": {"min_punctuality": 0.85, "max_avg_days_late": 3.0, "max_unfiled": 0},
    "fair": {"min_punctuality": 0.75, "max_avg_days_late": 10.0, "max_unfiled": 1}}


def assert_metric_tree(node, path="$"):
    """Every metric object anywhere in ``node`` has exactly value/unit/formula/inputs/explanation (and
    optionally a window, a basis and ``applicable``), plus ``reason`` exactly when the value is missing.
    Returns how many metric objects it checked."""
    seen = 0
    if isinstance(node, dict):
        if "formula" in node and "explanation" in node:
            keys = set(node) - OPTIONAL_KEYS
            if "window" in node:
                assert node["window"]["label"] and set(node["window"]) <= {"from", "to", "months", "days", "label"}
            if "basis" in node:
                assert node["basis"] in ("excl. tax", "incl. tax") or node["unit"] == "INR", path
            if node["value"] is None:
                assert keys == METRIC_KEYS | {"reason"}, f"{path}: {sorted(keys)}"
                assert node["reason"], f"{path}: empty reason"
            else:
                assert keys == METRIC_KEYS, f"{path}: {sorted(keys)}"
            assert isinstance(node["inputs"], dict), path
            assert isinstance(node["unit"], str) and node["unit"], path
            return 1
        for key, child in node.items():
            if key == "metrics":
                assert child and all(isinstance(m, dict) and "formula" in m for m in child.values()), path
            seen += assert_metric_tree(child, f"{path}.{key}")
    elif isinstance(node, list):
        for i, child in enumerate(node):
            seen += assert_metric_tree(child, f"{path}[{i}]")
    return seen


def _ym(index: int) -> tuple[int, int]:
    return index // 12, index % 12 + 1


def g3b(year: int, month: int, txval: float, tax: float, itc: float, dof: str | None = None,
        due: str | None = None, status: str = "FILED") -> dict:
    """A GSTR-3B: tax split into CGST/SGST halves, ITC into halves of itc_net. Due the 20th of next month."""
    ny, nm = _ym(year * 12 + month)  # month index of the next month
    due = due or f"{ny:04d}-{nm:02d}-20"
    rec = {"gstin": GSTIN, "return_type": "GSTR3B", "ret_prd": f"{month:02d}{year}", "due_date": due,
           "status": status, "filing_frequency": "MONTHLY",
           "sup_details": {"osup_det": {"txval": txval, "iamt": 0, "camt": tax / 2, "samt": tax / 2, "csamt": 0},
                           "osup_zero": {"txval": 0}, "osup_nil_exmp": {"txval": 0}},
           "itc_elg": {"itc_net": {"iamt": 0, "camt": itc / 2, "samt": itc / 2, "csamt": 0}}}
    if status != "NOT_FILED":
        rec["dof"] = dof or f"{ny:04d}-{nm:02d}-18"
    return rec


def g1(year: int, month: int, b2b: list[float], b2cs: float, dof: str | None = None) -> dict:
    ny, nm = _ym(year * 12 + month)
    invoices = [{"ctin": "29AAACB1234C1Z1",
                 "inv": [{"inum": f"INV{i}", "idt": f"{year}-{month:02d}-05", "val": v * 1.18,
                          "itms": [{"num": 1, "itm_det": {"rt": 18, "txval": v}}]}]} for i, v in enumerate(b2b)]
    return {"gstin": GSTIN, "return_type": "GSTR1", "ret_prd": f"{month:02d}{year}",
            "due_date": f"{ny:04d}-{nm:02d}-11", "dof": dof or f"{ny:04d}-{nm:02d}-10", "status": "FILED",
            "b2b": invoices,
            "b2cs": [{"sply_ty": "INTRA", "rt": 18, "txval": b2cs}]}


def series(start_year: int, start_month: int, turnovers: list[float], itc_share: float = 0.7) -> list[dict]:
    """Monthly on-time GSTR-3Bs with 18% output tax and ITC = itc_share x output tax."""
    first = start_year * 12 + start_month - 1
    return [g3b(*_ym(first + i), t, 0.18 * t, itc_share * 0.18 * t) for i, t in enumerate(turnovers)]


# --- filing, ITC, GSTR-1 vs 3B, bank -------------------------------------------------------------------

@pytest.fixture
def two_months():
    # March 2024: turnover 1,00,000, output tax 18,000, ITC 9,000 -> ratio 0.5; filed 18 Apr (due 20 Apr): on time.
    # April 2024: turnover 2,00,000, output tax 36,000, ITC 35,000 -> ratio 0.9722 (> 0.95);
    #   due 2024-05-20, filed 2024-05-27 -> 7 days late. A duplicate copy of that GSTR-3B and a late GSTR-1
    #   for April must not make it count twice.
    # GSTR-1: March b2b 60,000 + 30,000 + b2cs 20,000 = 1,10,000 (gap +10%); April 1,50,000 + 30,000 = 1,80,000 (-10%).
    april = g3b(2024, 4, 200_000, 36_000, 35_000, dof="2024-05-27")
    return [g3b(2024, 3, 100_000, 18_000, 9_000), april, copy.deepcopy(april),
            g1(2024, 3, [60_000, 30_000], 20_000), g1(2024, 4, [150_000], 30_000, dof="2024-05-15")]


def test_late_gstr3b_counted_once_with_days_late(two_months):
    out = summarize_gst(two_months, date(2024, 7, 1), CONFIG)
    april = next(r for r in out["monthly"] if r["month"] == "2024-04")
    assert (april["due_date"], april["dof"], april["days_late"], april["late"]) == ("2024-05-20", "2024-05-27", 7, True)
    m = out["metrics"]
    assert m["late_filings"]["value"] == 1
    assert m["late_filings"]["inputs"]["ret_prds"] == ["042024"]
    assert m["returns_filed"]["value"] == 2
    assert m["avg_days_late"]["value"] == 3.5          # (0 + 7) / 2
    assert m["max_days_late"]["value"] == 7
    assert m["filing_punctuality"]["value"] == 0.5     # 1 on time of 2 due
    assert out["gstin"] == GSTIN
    assert assert_metric_tree(out) > 20


def test_itc_ratio_by_month_and_gstr1_gap(two_months):
    out = summarize_gst(two_months, date(2024, 7, 1), CONFIG)
    rows = {r["month"]: r for r in out["monthly"]}
    assert rows["2024-03"]["itc_ratio"] == 0.5
    assert rows["2024-04"]["itc_ratio"] == pytest.approx(35_000 / 36_000, abs=1e-4)   # 0.9722
    assert rows["2024-03"]["output_tax"] == 18_000 and rows["2024-04"]["itc"] == 35_000
    m = out["metrics"]
    assert m["avg_itc_ratio"]["value"] == pytest.approx((0.5 + 0.9722) / 2, abs=1e-4)  # 0.7361
    assert m["itc_ratio_above_threshold_months"]["value"] == 1
    assert m["itc_ratio_above_threshold_months"]["inputs"]["months"] == ["2024-04"]
    assert rows["2024-03"]["turnover_gstr1"] == 110_000 and rows["2024-03"]["gstr1_vs_3b_gap_pct"] == 10.0
    assert rows["2024-04"]["turnover_gstr1"] == 180_000 and rows["2024-04"]["gstr1_vs_3b_gap_pct"] == -10.0
    # (2,90,000 - 3,00,000) / 3,00,000 x 100 = -3.3333
    assert m["gstr1_vs_3b_gap_pct"]["value"] == pytest.approx(-3.3333, abs=1e-4)


def test_gst_to_bank_ratio(two_months):
    # One definition, tax included on both sides (bank credits carry the GST buyers pay):
    # March (1,00,000 + 18,000) / 1,18,000 = 1.0; April (2,00,000 + 36,000) / 1,00,000 = 2.36;
    # total 3,54,000 / 2,18,000 = 1.6239. May has bank credits but no return: not compared.
    bank = {"2024-03": 118_000, "2024-04": 100_000, "2024-05": 50_000}
    out = summarize_gst(two_months, date(2024, 7, 1), CONFIG, bank_business_credits=bank)
    rows = {r["month"]: r for r in out["monthly"]}
    assert rows["2024-03"]["turnover_incl_tax"] == 118_000 and rows["2024-03"]["gst_to_bank_ratio"] == 1.0
    assert rows["2024-04"]["gst_to_bank_ratio"] == 2.36
    ratio = out["metrics"]["gst_to_bank_ratio"]
    assert ratio["value"] == pytest.approx(354_000 / 218_000, abs=1e-4)
    assert ratio["inputs"]["months"] == ["2024-03", "2024-04"]
    assert (ratio["inputs"]["gst_turnover_incl_tax"], ratio["inputs"]["gst_turnover_excl_tax"]) == (354_000, 300_000)
    assert ratio["basis"] == "incl. tax"
    assert ratio["window"] == {"from": "2024-03", "to": "2024-04", "months": 2,
                               "label": "months with both GSTR-3B and bank credits, 2024-03 to 2024-04"}
    no_bank = summarize_gst(two_months, date(2024, 7, 1), CONFIG)
    assert no_bank["metrics"]["gst_to_bank_ratio"]["value"] is None
    assert "bank_business_credits" not in no_bank["monthly"][0]


def test_turnover_amounts_say_tax_is_excluded_and_carry_their_window():
    out = summarize_gst(series(2022, 1, [100_000] * 12 + [120_000] * 12), date(2024, 2, 1), CONFIG)
    m = out["metrics"]
    for key in ("avg_monthly_turnover", "turnover_12m"):
        assert m[key]["basis"] == "excl. tax"
        assert m[key]["window"] == {"from": "2023-01", "to": "2023-12", "months": 12,
                                    "label": "last 12 calendar months of GSTR-3B, 2023-01 to 2023-12"}
    assert (m["yoy_growth"]["window"]["from"], m["yoy_growth"]["window"]["months"]) == ("2022-01", 24)
    assert m["filing_punctuality"]["window"]["months"] == 24
    assert out["compliance"]["window"] == m["late_filings"]["window"]


def test_unfiled_overdue_return_is_late_and_not_yet_due_is_not():
    # May 2024 unfiled, due 2024-06-20, as of 2024-07-01 -> 11 days late so far; June unfiled, due 2024-07-20: not due.
    recs = [g3b(2024, 5, 100_000, 18_000, 9_000, status="NOT_FILED"),
            g3b(2024, 6, 100_000, 18_000, 9_000, status="NOT_FILED")]
    rows = monthly_gst_rows(recs, date(2024, 7, 1))
    assert [(r["days_late"], r["late"], r["turnover_3b"]) for r in rows] == [(11, True, None), (None, False, None)]
    out = summarize_gst(recs, date(2024, 7, 1), CONFIG)
    assert out["metrics"]["late_filings"]["value"] == 1 and out["metrics"]["returns_filed"]["value"] == 0
    assert out["metrics"]["avg_monthly_turnover"]["value"] is None


# --- growth, trend, seasonality ------------------------------------------------------------------------

def test_yoy_and_cagr_on_24_months():
    # Jan 2022 - Dec 2023: 12 months at 1,00,000 then 12 at 1,20,000.
    # YoY = 1,20,000 / 1,00,000 - 1 = 0.2. CAGR: windows one year apart -> (1.2)^(1/1) - 1 = 0.2.
    out = summarize_gst(series(2022, 1, [100_000] * 12 + [120_000] * 12), date(2024, 2, 1), CONFIG)
    m = out["metrics"]
    assert m["yoy_growth"]["value"] == pytest.approx(0.2)
    assert m["cagr"]["value"] == pytest.approx(0.2)
    assert m["cagr"]["inputs"]["years"] == 1.0
    assert m["turnover_12m"]["value"] == 1_440_000
    assert m["avg_monthly_turnover"]["value"] == 120_000


def test_yoy_differs_from_cagr_on_36_months():
    # 1,00,000 / 1,50,000 / 1,44,000 a month in years 1/2/3.
    # YoY = 144/150 - 1 = -0.04; CAGR over two years = sqrt(144/100) - 1 = 0.2.
    out = summarize_gst(series(2021, 1, [100_000] * 12 + [150_000] * 12 + [144_000] * 12), date(2024, 2, 1), CONFIG)
    assert out["metrics"]["yoy_growth"]["value"] == pytest.approx(-0.04)
    assert out["metrics"]["cagr"]["value"] == pytest.approx(0.2)


def test_growth_missing_under_24_months():
    out = summarize_gst(series(2023, 1, [100_000] * 12), date(2024, 2, 1), CONFIG)
    for key in ("yoy_growth", "cagr"):
        assert out["metrics"][key]["value"] is None
        assert "24 months" in out["metrics"][key]["reason"]
    assert out["metrics"]["turnover_12m"]["value"] == 1_200_000


def test_turnover_trend_words():
    # 1,00,000 + 2,000 i for i = 0..11: slope 2,000 a month, mean 1,11,000 -> 1.8018% of mean a month: growing.
    up = summarize_gst(series(2023, 1, [100_000 + 2_000 * i for i in range(12)]), date(2024, 2, 1), CONFIG)
    assert up["metrics"]["turnover_trend"]["value"] == pytest.approx(1.8018, abs=1e-4)
    assert up["trend_direction"] == "growing"
    assert up["metrics"]["turnover_trend"]["explanation"].startswith("growing")
    down = summarize_gst(series(2023, 1, [100_000 - 2_000 * i for i in range(12)]), date(2024, 2, 1), CONFIG)
    assert down["trend_direction"] == "declining"
    flat = summarize_gst(series(2023, 1, [100_000] * 12), date(2024, 2, 1), CONFIG)
    assert flat["metrics"]["turnover_trend"]["value"] == 0 and flat["trend_direction"] == "stable"


def test_seasonality_index():
    # Two years; October and November sell 2,00,000, other months 1,00,000.
    # Overall mean = (10 x 1,00,000 + 2 x 2,00,000) / 12 = 1,16,666.67 -> Oct 1.7143, Jan 0.8571.
    year = [200_000 if m in (10, 11) else 100_000 for m in range(1, 13)]
    out = summarize_gst(series(2022, 1, year * 2), date(2024, 2, 1), CONFIG)
    idx = {e["month_of_year"]: e for e in out["seasonality_index"]}
    assert len(idx) == 12
    assert idx[10]["index"]["value"] == pytest.approx(1.7143, abs=1e-4)
    assert idx[10]["index"]["inputs"]["months"] == ["2022-10", "2023-10"]
    assert idx[1]["index"]["value"] == pytest.approx(0.8571, abs=1e-4)
    assert idx[10]["label"] == "Oct"
    # Same pattern both years: a raw least-squares line would rise 1,391 a month (1.19% of the mean: "growing")
    # only because the window ends after a festive peak. With 24 months the trend is fitted on turnover / index,
    # which is flat: 0% a month, stable.
    assert out["metrics"]["turnover_trend"]["value"] == pytest.approx(0, abs=1e-9)
    assert out["metrics"]["turnover_trend"]["inputs"]["deseasonalised"] is True
    assert out["trend_direction"] == "stable"
    short = summarize_gst(series(2023, 1, [100_000] * 6), date(2024, 2, 1), CONFIG)
    assert all(e["index"]["value"] is None for e in short["seasonality_index"])


def test_empty_gst_is_missing_not_zero():
    out = summarize_gst([], date(2024, 7, 1), CONFIG)
    assert out["metrics"] and all(m["value"] is None and m["reason"] == "no GST data delivered"
                                  for m in out["metrics"].values())
    assert out["monthly"] == [] and out["gstin"] is None
    assert out["fraud_indicators"]["severity"] is None  # nothing assessed is not "NONE"
    assert_metric_tree(out)


# --- fraud indicators -----------------------------------------------------------------------------------

def _flows(dates: list[str]) -> list[dict]:
    return [{"counterparty": "SHELL TRADERS", "credit_txn_id": f"C{i}", "debit_txn_id": f"D{i}", "credit_date": d,
             "debit_date": d, "credit_amount": 500_000.0, "debit_amount": 495_000.0} for i, d in enumerate(dates)]


def test_fraud_customer_is_high_with_three_independent_kinds():
    # 12 months of 2023, turnover 5,00,000 a month, output tax 90,000:
    #  ITC 97% of output tax in 10 months (>= 6 -> HIGH);
    #  bank business credits 2,00,000 a month: turnover incl. tax 5,90,000 is 2.95x in all 12 months (HIGH);
    #  4 circular flows (>= 3 -> HIGH). Three HIGH kinds -> overall HIGH.
    #  8 returns filed on the 28th, 8 days late: a compliance finding, not a fourth fraud kind.
    recs = []
    for m in range(1, 13):
        ny, nm = _ym(2023 * 12 + m)
        late = m <= 8
        recs.append(g3b(2023, m, 500_000, 90_000, 0.97 * 90_000 if m <= 10 else 0.7 * 90_000,
                        dof=f"{ny:04d}-{nm:02d}-28" if late else None))
    bank = {f"2023-{m:02d}": 200_000 for m in range(1, 13)}
    out = summarize_gst(recs, date(2024, 2, 1), CONFIG, bank_business_credits=bank,
                        circular_flows=_flows(["2023-03-04", "2023-03-20", "2023-07-11", "2023-09-02"]))
    fraud = out["fraud_indicators"]
    assert fraud["severity"] == "HIGH"
    kinds = {i["code"]: i for i in fraud["indicators"]}
    assert set(kinds) == {"itc_ratio_high", "turnover_vs_bank", "circular_flows"}
    assert [kinds[k]["count"] for k in ("itc_ratio_high", "turnover_vs_bank", "circular_flows")] == [10, 12, 4]
    assert all(i["severity"] == "HIGH" for i in kinds.values())
    assert kinds["circular_flows"]["months"] == ["2023-03", "2023-07", "2023-09"]
    assert kinds["turnover_vs_bank"]["evidence"]["inputs"]["turnover_incl_tax"][0] == 590_000
    assert fraud["kinds_fired"]["value"] == 3
    assert any("Overall HIGH" in r for r in fraud["rules"])
    assert not any(r.startswith("late_filing") for r in fraud["rules"])
    assert assert_metric_tree(fraud) == 5              # three kinds' evidence + kinds_fired + itc_excess's missing
    assert [n["code"] for n in fraud["not_assessed"]] == ["itc_excess"]  # no GSTR-2B delivered
    assert out["compliance"]["grade"] == "POOR" and out["metrics"]["late_filings"]["value"] == 8


def test_late_filing_alone_is_compliance_not_fraud():
    # A struggling but honest business: 10 of 12 returns 8 days late, ITC 70%, bank credits 1.18x turnover
    # (GST included: ratio 1.0), no circular flows. No fraud indicator fires; compliance is POOR with reasons:
    # on time 2 of 12 = 17%, average days late 10 x 8 / 12 = 6.67.
    recs = []
    for m in range(1, 13):
        ny, nm = _ym(2023 * 12 + m)
        recs.append(g3b(2023, m, 300_000, 54_000, 37_800, dof=f"{ny:04d}-{nm:02d}-28" if m <= 10 else None))
    bank = {f"2023-{m:02d}": 354_000 for m in range(1, 13)}
    out = summarize_gst(recs, date(2024, 2, 1), CONFIG, bank_business_credits=bank, circular_flows=[])
    fraud = out["fraud_indicators"]
    assert fraud["indicators"] == [] and fraud["severity"] == "NONE"
    assert fraud["kinds_fired"]["value"] == 0
    compliance = out["compliance"]
    assert compliance["grade"] == "POOR"
    assert compliance["reasons"] == ["GSTR-3B filed on time in 17% of due periods (below 85%)",
                                     "returns are 6.7 days late on average (above 3)"]
    assert out["metrics"]["gst_to_bank_ratio"]["value"] == 1.0


def test_seasonal_business_collecting_a_month_late_does_not_flag():
    # Sales 1,00,000 a month except Oct 3,00,000 and Nov 3,50,000; the bank receives each month's sales
    # (x1.18 with GST) one month later. Oct: 3,00,000 vs Oct credits 1,18,000 is 2.54x, but Nov credits are
    # 3,54,000, so with a one-month collection lag Oct does not flag; with no lag allowed it would.
    sales = {m: 300_000 if m == 10 else 350_000 if m == 11 else 100_000 for m in range(1, 13)}
    recs = [g3b(2023, m, sales[m], 0.18 * sales[m], 0.7 * 0.18 * sales[m]) for m in range(1, 13)]
    bank = {f"2023-{m:02d}": 1.18 * sales[m - 1] for m in range(2, 13)}
    bank["2023-01"] = 118_000
    bank["2024-01"] = 1.18 * sales[12]
    out = summarize_gst(recs, date(2024, 2, 1), CONFIG, bank_business_credits=bank, circular_flows=[])
    assert out["fraud_indicators"]["severity"] == "NONE" and out["fraud_indicators"]["indicators"] == []
    strict = copy.deepcopy(CONFIG)
    strict["analytics"]["gst_fraud"]["collection_lag_months"] = 0
    fraud = assess_gst_fraud(out["monthly"], [], strict)
    assert [(i["code"], i["months"]) for i in fraud["indicators"]] == [("turnover_vs_bank", ["2023-10"])]
    assert fraud["severity"] == "LOW"


def test_clean_business_is_none_and_unassessed_kinds_are_listed():
    out = summarize_gst(series(2023, 1, [100_000] * 12), date(2024, 2, 1), CONFIG, circular_flows=[])
    fraud = out["fraud_indicators"]
    assert fraud["severity"] == "NONE" and fraud["indicators"] == []
    assert [n["code"] for n in fraud["not_assessed"]] == ["turnover_vs_bank", "itc_excess"]
    assert fraud["assessed"] == ["itc_ratio_high", "circular_flows"]


@pytest.mark.parametrize("severities, expected", [
    (["HIGH", "HIGH"], "HIGH"),
    (["HIGH", "MEDIUM", "LOW"], "HIGH"),
    (["MEDIUM", "MEDIUM"], "HIGH"),            # two independent kinds corroborate each other
    (["HIGH", "LOW"], "MEDIUM"),
    (["MEDIUM", "LOW", "LOW"], "MEDIUM"),
    (["LOW", "LOW"], "MEDIUM"),
    (["HIGH"], "MEDIUM"),                      # one kind alone, however strong: a lead, not a finding
    (["NONE", "HIGH", "NONE"], "MEDIUM"),
    (["MEDIUM"], "LOW"),
    (["LOW"], "LOW"),
    ([], "NONE"),
    (["NONE"], "NONE"),
])
def test_overall_severity_rules(severities, expected):
    assert overall_severity(severities) == expected


def test_grade_thresholds():
    rules = CONFIG["analytics"]["gst_fraud"]["severity_rules"]["circular_flows"]
    assert [grade(n, rules) for n in (0, 1, 2, 3, 9)] == ["NONE", "LOW", "MEDIUM", "HIGH", "HIGH"]


LEVEL = st.sampled_from(["NONE", "LOW", "MEDIUM", "HIGH"])


@given(st.lists(LEVEL, max_size=4), st.integers(min_value=0, max_value=3), LEVEL)
def test_overall_severity_is_monotone_and_one_kind_is_never_high(severities, position, raised):
    rank = {"NONE": 0, "LOW": 1, "MEDIUM": 2, "HIGH": 3}
    assert overall_severity([raised]) != "HIGH"
    if severities:
        i = position % len(severities)
        bumped = list(severities)
        bumped[i] = max(bumped[i], raised, key=rank.get)
        assert rank[overall_severity(bumped)] >= rank[overall_severity(severities)]
