"""The credit score on hand-built analytics whose points can be worked out from the tables."""
from datetime import date

from analytics.metric import metric
from analytics.score.credit_score import score_customer
from analytics.score.tables import interpolate

AS_OF = date(2026, 11, 1)


def m(value):
    return metric(value, "x", "given", {}, "fixture")


def bodies(**overrides):
    base = {
        "credit_summary": {"metrics": {"worst_dpd_12m": m(0), "dpd_30_plus_count": m(0), "bureau_score": m(800),
                                       "revolving_utilisation": m(0.3), "enquiries_3m": m(0)}},
        "transaction_summary": {"metrics": {"inward_bounces": m(0), "negative_balance_days": m(0), "abb": m(50_000),
                                            "avg_monthly_debits": m(100_000), "income_cv": m(0.1), "surplus_ratio": m(0.3),
                                            "foir": m(0.2), "dscr": m(2.5), "months_covered": m(24)},
                                "monthly": [{"business_credits": 100.0}] * 12 + [{"business_credits": 150.0}] * 12},
        "gst_summary": {"metrics": {"filing_punctuality": m(1.0), "yoy_growth": m(0.3)},
                        "monthly": [{"month": "2026-09"}], "fraud_indicators": {"severity": "NONE"}},
    }
    for path, value in overrides.items():
        doc, key = path.split(".")
        base[doc]["metrics"][key] = m(value)
    return base


CUSTOMER = {"incorporation_date": "2016-11-01"}  # 120 months -> 100 points


def test_a_perfect_file_scores_900():
    # every factor at the top of its table: 100 points everywhere -> 300 + 600 = 900
    result = score_customer(bodies(), CUSTOMER, AS_OF, {})
    assert result["score"]["value"] == 900 and result["band"]["code"] == "A"
    assert result["reasons"]["lowered"] == []


def test_one_weak_factor_costs_exactly_its_weight():
    # FOIR 0.5 -> 45 points; FOIR is 0.4 of leverage (15): loses 0.55 x 0.4 x 15 / 100 x 600 = 19.8 -> 880
    result = score_customer(bodies(**{"transaction_summary.foir": 0.5}), CUSTOMER, AS_OF, {})
    assert result["score"]["value"] == 880
    lowered = result["reasons"]["lowered"]
    assert lowered[0]["factor"] == "foir" and lowered[0]["code"] == "R09" and "FOIR 50%" in lowered[0]["text"]


def test_missing_bureau_is_left_out_not_invented():
    data = bodies()
    data["credit_summary"]["metrics"] = {}
    result = score_customer(data, CUSTOMER, AS_OF, {})
    assert result["missing_components"] == ["bureau_history"]
    leverage = next(c for c in result["components"] if c["id"] == "leverage")
    missing_factors = {f["key"] for f in leverage["factors"] if f["points"] is None}
    assert missing_factors == {"revolving_utilisation", "enquiries_3m"}
    assert result["score"]["value"] == 900  # the remaining components are all perfect


def test_high_fraud_severity_caps_the_score():
    data = bodies()
    data["gst_summary"]["fraud_indicators"]["severity"] = "HIGH"
    result = score_customer(data, CUSTOMER, AS_OF, {})
    assert result["score"]["value"] == 549 and result["band"]["code"] == "E"
    assert result["overlays"][0]["id"] == "O1_GST_FRAUD"


def test_same_inputs_same_score():
    data = bodies(**{"transaction_summary.income_cv": 0.37, "credit_summary.bureau_score": 688})
    assert score_customer(data, CUSTOMER, AS_OF, {}) == score_customer(data, CUSTOMER, AS_OF, {})


def test_interpolation_is_linear_and_flat_at_the_ends():
    table = ((0, 100), (30, 55), (60, 30), (90, 0))
    assert interpolate(table, 15) == 77.5 and interpolate(table, -5) == 100 and interpolate(table, 365) == 0


def test_a_thin_file_is_flagged_not_decided():
    data = bodies(**{"transaction_summary.months_covered": 3})
    data["credit_summary"]["metrics"] = {}
    data["gst_summary"] = {"metrics": {}, "monthly": [], "fraud_indicators": {"severity": "NONE"}}
    result = score_customer(data, {}, AS_OF, {})
    assert set(result["missing_components"]) == {"bureau_history", "gst"}
    assert result["data_sufficiency"]["sufficient"] is False
    assert "only 3 months of bank statement" in result["data_sufficiency"]["reasons"][0]


def test_gst_fraud_factor_needs_gst_returns():
    # bank-only circular-flow checks must not earn the GST component full marks
    data = bodies()
    data["gst_summary"] = {"metrics": {}, "monthly": [], "fraud_indicators": {"severity": "NONE"}}
    result = score_customer(data, CUSTOMER, AS_OF, {})
    assert "gst" in result["missing_components"]


def test_dscr_not_applicable_is_left_out_as_not_applicable_not_as_missing_data():
    from analytics.metric import not_applicable

    data = bodies(**{"transaction_summary.foir": 0.0})
    data["transaction_summary"]["metrics"]["dscr"] = not_applicable("ratio", "given", "not applicable: no debt service")
    result = score_customer(data, CUSTOMER, AS_OF, {})
    leverage = next(c for c in result["components"] if c["id"] == "leverage")
    dscr = next(f for f in leverage["factors"] if f["key"] == "dscr")
    assert dscr["points"] is None and dscr["applicable"] is False
    assert dscr["reason"] == "not applicable: no debt service"
    # no debt costs nothing: the same 900 as a borrower whose DSCR is at the top of its table
    assert result["score"]["value"] == score_customer(bodies(**{"transaction_summary.foir": 0.0}), CUSTOMER, AS_OF,
                                                      {})["score"]["value"] == 900
    assert "leverage" not in result["missing_components"]
    missing = next(f for f in next(c for c in score_customer(
        bodies(**{"transaction_summary.dscr": None}), CUSTOMER, AS_OF, {})["components"] if c["id"] == "leverage")[
        "factors"] if f["key"] == "dscr")
    assert missing["reason"] == "data not available" and "applicable" not in missing


def test_r05_reads_the_facility_aware_overdrawn_days():
    # 20 overdrawn days -> 30 points; R05 is 0.25 of banking conduct (15): loses 0.7 x 0.25 x 15 / 100 x 600 = 15.75
    result = score_customer(bodies(**{"transaction_summary.negative_balance_days": 20}), CUSTOMER, AS_OF, {})
    assert result["score"]["value"] == 884
    assert result["reasons"]["lowered"][0]["text"] == "Account overdrawn on 20 days"
