"""GST compliance on hand-built returns: punctuality, days late, unfiled periods, fees paid and the grade."""
from __future__ import annotations

from datetime import date

import pytest

from analytics.gst.compliance import grade_compliance
from analytics.gst.summary import summarize_gst
from tests.analytics.gst.test_summary import CONFIG, _ym, assert_metric_tree, g3b

RULES = CONFIG["analytics"]["gst_compliance"]


def with_fees(rec: dict, fee_half: float, interest_half: float) -> dict:
    rec["intr_ltfee"] = {"intr_details": {"iamt": 0, "camt": interest_half, "samt": interest_half, "csamt": 0},
                         "ltfee_details": {"iamt": 0, "camt": fee_half, "samt": fee_half, "csamt": 0}}
    return rec


def year_of_returns(late_months: dict[int, int]) -> list[dict]:
    """GSTR-3B for Jan..Dec 2023, due the 20th of the next month; ``late_months`` maps month -> days late,
    and a late return declares a late fee of 25 a day per head (CGST + SGST) and 100 of interest per head."""
    recs = []
    for m in range(1, 13):
        ny, nm = _ym(2023 * 12 + m)
        days = late_months.get(m, 0)
        rec = g3b(2023, m, 300_000, 54_000, 37_800, dof=f"{ny:04d}-{nm:02d}-{20 + days:02d}" if days else None)
        recs.append(with_fees(rec, 25.0 * days, 100.0 if days else 0.0))
    return recs


def test_metrics_worked_by_hand():
    # Late: March by 4 days, June by 6, September by 8 -> 3 of 12 late, punctuality 9/12 = 0.75;
    # average days late (4 + 6 + 8) / 12 = 1.5, max 8. Fees: 2 x 25 x (4 + 6 + 8) = 900; interest 3 x 200 = 600.
    out = summarize_gst(year_of_returns({3: 4, 6: 6, 9: 8}), date(2024, 2, 1), CONFIG)
    m = out["compliance"]["metrics"]
    assert m["filing_punctuality"]["value"] == 0.75
    assert m["late_filings"]["value"] == 3 and m["late_filings"]["inputs"]["days_late"] == [4, 6, 8]
    assert (m["avg_days_late"]["value"], m["max_days_late"]["value"]) == (1.5, 8)
    assert m["unfiled_periods"]["value"] == 0
    assert m["late_fees_paid"]["value"] == 900.0 and m["late_interest_paid"]["value"] == 600.0
    assert m["late_fees_paid"]["unit"] == "INR" and "fee" in m["late_fees_paid"]["basis"]
    # 0.75 misses GOOD (0.85) but meets FAIR (0.75); 1.5 days and no unfiled period meet both
    assert out["compliance"]["grade"] == "FAIR"
    assert out["compliance"]["reasons"] == ["GSTR-3B filed on time in 75% of due periods (below 85%)"]
    assert m["late_filings"]["window"] == {"from": "2023-01", "to": "2023-12", "months": 12,
                                           "label": "GSTR-3B periods due 2023-01 to 2023-12"}
    # the same objects are the contract keys of gst_summary.metrics: one figure, two places
    for key, found in m.items():
        assert out["metrics"][key] == found, key
    assert out["fraud_indicators"]["severity"] == "NONE"   # late filing alone is never fraud
    assert assert_metric_tree(out["compliance"]) == 7


def test_unfiled_periods_count_overdue_returns_and_missing_months():
    # Jan, Feb, Apr, May 2024 filed on time; March has no return at all (a gap); June is NOT_FILED and past due
    # (due 20 July, as of 1 Aug). Unfiled: March and June.
    recs = [g3b(2024, m, 100_000, 18_000, 9_000) for m in (1, 2, 4, 5)]
    recs.append(g3b(2024, 6, 100_000, 18_000, 9_000, status="NOT_FILED"))
    out = summarize_gst(recs, date(2024, 8, 1), CONFIG)
    unfiled = out["compliance"]["metrics"]["unfiled_periods"]
    assert unfiled["value"] == 2 and unfiled["inputs"]["months"] == ["2024-03", "2024-06"]
    # 4 on time of 5 due (0.8: FAIR), but 2 unfiled periods is above FAIR's 1: POOR
    assert out["compliance"]["grade"] == "POOR"
    assert "2 GSTR-3B period(s) unfiled (allowed 0)" in out["compliance"]["reasons"]


@pytest.mark.parametrize("values, expected", [
    ({"filing_punctuality": 1.0, "avg_days_late": 0.0, "unfiled_periods": 0}, "GOOD"),
    ({"filing_punctuality": 0.85, "avg_days_late": 3.0, "unfiled_periods": 0}, "GOOD"),
    ({"filing_punctuality": 0.84, "avg_days_late": 0.0, "unfiled_periods": 0}, "FAIR"),
    ({"filing_punctuality": 1.0, "avg_days_late": 3.5, "unfiled_periods": 0}, "FAIR"),
    ({"filing_punctuality": 1.0, "avg_days_late": 0.0, "unfiled_periods": 1}, "FAIR"),
    ({"filing_punctuality": 0.74, "avg_days_late": 0.0, "unfiled_periods": 0}, "POOR"),
    ({"filing_punctuality": 0.9, "avg_days_late": 10.5, "unfiled_periods": 0}, "POOR"),
    ({"filing_punctuality": None, "avg_days_late": None, "unfiled_periods": None}, None),
])
def test_grade_boundaries(values, expected):
    assert grade_compliance(values, RULES)[0] == expected


def test_no_returns_is_not_graded():
    out = summarize_gst([], date(2024, 7, 1), CONFIG)
    assert out["compliance"]["grade"] is None and out["compliance"]["reasons"] == []
    assert all(m["value"] is None for m in out["compliance"]["metrics"].values())
