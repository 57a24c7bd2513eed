"""forecast_cashflow on hand-built monthly rows (answers worked out in the comments) and on the demo lake."""
from __future__ import annotations

import math
from datetime import date

import pytest

from analytics.forecasting import forecast_cashflow, forecast_from_summary
from analytics.forecasting.cashflow import horizon_months
from tests.analytics.bank.test_summary import assert_metric_shapes
from tests.conftest import AS_OF

SCENARIOS = ("base", "optimistic", "pessimistic")
METRICS = {"forecast_inflow_total", "forecast_outflow_total", "forecast_net_total", "runway_months_base",
           "runway_months_optimistic", "runway_months_pessimistic", "suggested_max_emi", "backtest_mape",
           "seasonal_naive_mape"}


def rows(inflows, outflows, start=(2024, 1), with_surplus=True):
    """Monthly rows shaped like transaction_summary["monthly"]; outflow = business_credits - surplus."""
    out = []
    for i, (cin, cout) in enumerate(zip(inflows, outflows)):
        y, m = divmod(start[0] * 12 + start[1] - 1 + i, 12)
        row = {"month": f"{y:04d}-{m + 1:02d}", "business_credits": cin, "credit_value": cin * 1.1,
               "debit_value": cout * 1.2}
        if with_surplus:
            row["surplus"] = cin - cout
        out.append(row)
    return out


def test_horizon_days_map_to_months_and_are_bounded(config):
    cfg = {**config["analytics"]["forecast"]}
    assert [horizon_months(d, cfg) for d in (30, 31, 90, 180)] == [1, 2, 3, 6]
    for bad in (29, 181, 90.0, "90"):
        with pytest.raises(ValueError):
            horizon_months(bad, cfg)
    with pytest.raises(ValueError):
        forecast_cashflow(rows([1.0] * 12, [1.0] * 12), date(2025, 1, 1), config, horizon_days=200)


def test_runway_of_a_steady_loss_is_worked_out_exactly(config):
    # inflow 1,00,000 and outflow 1,50,000 every month: net -50,000. Funds 70,000 + OD 50,000 = 1,20,000
    # -> 70,000 after month 1, 20,000 after month 2, -30,000 after month 3: runway 2 + 20/50 = 2.4 months.
    # ten months (March-December 2024): short of a year, so the history is flagged short too
    doc = forecast_cashflow(rows([100000.0] * 10, [150000.0] * 10, start=(2024, 3)), date(2025, 1, 1), config, 90,
                            current_balance=70000.0, od_limit=50000.0)
    assert [f["month"] for f in doc["forecast"]] == ["2025-01", "2025-02", "2025-03"]
    for s in SCENARIOS:
        assert doc["runway"][s]["value"] == pytest.approx(2.4)
        assert doc["scenarios"][s]["projected_funds"] == [70000.0, 20000.0, -30000.0]
    assert doc["suggested_max_emi"]["value"] == 0.0
    codes = {f["code"] for f in doc["risk_flags"]}
    assert {"negative_base_net", "short_pessimistic_runway", "short_history"} <= codes
    assert doc["metrics"]["forecast_net_total"]["value"] == pytest.approx(-150000.0)


def test_runway_beyond_the_horizon_is_null_with_a_reason_and_zero_when_over_limit(config):
    data = rows([200000.0 + 1000 * (i % 3) for i in range(15)], [150000.0] * 15)
    doc = forecast_cashflow(data, date(2025, 4, 1), config, 180, current_balance=10000.0)
    assert doc["horizon_months"] == 6
    base = doc["runway"]["base"]
    assert base["value"] is None and "more than 6 months" in base["reason"]
    over = forecast_cashflow(data, date(2025, 4, 1), config, 90, current_balance=-80000.0, od_limit=50000.0)
    assert all(over["runway"][s]["value"] == 0.0 for s in SCENARIOS)
    assert "beyond_limit" in {f["code"] for f in over["risk_flags"]}
    unknown = forecast_cashflow(data, date(2025, 4, 1), config, 90)
    assert unknown["runway"]["base"]["value"] is None and "balance unknown" in unknown["runway"]["base"]["reason"]


def test_partial_months_gaps_and_debit_fallback_are_reported(config):
    data = rows([100.0 + i for i in range(14)], [80.0] * 14, with_surplus=False)
    del data[5]  # 2024-06 has no row
    # as_of 2025-02-10: February 2025 (the last row) is not complete and is left out
    doc = forecast_cashflow(data, date(2025, 2, 10), config, 60, current_balance=0.0)
    history = doc["history"]
    assert history[-1]["month"] == "2025-01" and len(history) == 13
    assert history[5] == {"month": "2024-06", "inflow": None, "outflow": None, "net": None, "filled": True}
    assert history[0]["outflow"] == pytest.approx(96.0)  # debit_value = 80 x 1.2 without a surplus column
    assert doc["basis"]["outflow"].startswith("debit_value")
    notes = " ".join(doc["notes"])
    assert "['2025-02'] not complete" in notes and "['2024-06'] have no row" in notes
    assert [f["month"] for f in doc["forecast"]] == ["2025-02", "2025-03"]


def test_too_little_history_returns_reasons_not_numbers(config):
    doc = forecast_cashflow(rows([100.0], [50.0]), date(2024, 3, 1), config, 90, current_balance=1000.0)
    assert "at least 2" in doc["reason"] and doc["forecast"] == []
    assert set(doc["metrics"]) == METRICS and all(m["value"] is None for m in doc["metrics"].values())
    assert doc["metrics"]["runway_months_base"]["unit"] == "months" and doc["metrics"]["backtest_mape"]["unit"] == "%"


def test_demo_customers_forecasts_hold_together(demo_lake, config):
    codes = {}
    for customer_id in config["demo_customers"]:
        summary = demo_lake.read_json(demo_lake.analytics_path(customer_id, "transaction_summary"))
        doc = forecast_from_summary(summary, AS_OF, config, 90)
        assert set(doc["metrics"]) == METRICS
        assert assert_metric_shapes(doc["metrics"]) == len(METRICS)
        assert len(doc["forecast"]) == 3 and doc["forecast"][0]["month"] == "2026-11"
        assert doc["history"][-1]["month"] == "2026-10"
        assert [h["net"] for h in doc["history"]] == pytest.approx(
            [r["surplus"] for r in summary["monthly"]], abs=0.02)
        for month in doc["forecast"]:
            for series in ("inflow", "outflow", "net"):
                b = month[series]
                assert b["lower"] <= b["point"] <= b["upper"]
            assert month["net"]["point"] == pytest.approx(month["inflow"]["point"] - month["outflow"]["point"],
                                                          abs=0.02)
        plans = doc["scenarios"]
        for k in range(3):
            assert (plans["pessimistic"]["cumulative_net"][k] <= plans["base"]["cumulative_net"][k]
                    <= plans["optimistic"]["cumulative_net"][k])
        funds = summary["eod_balance"][-1]["balance"] + doc["basis"]["od_limit"]
        for s in SCENARIOS:
            runway, projected = doc["runway"][s], plans[s]["projected_funds"]
            if funds < 0:
                assert runway["value"] == 0.0
            elif runway["value"] is None:
                assert min(projected) >= 0 and "more than 3 months" in runway["reason"]
            else:
                first_negative = next(k for k, v in enumerate(projected) if v < 0)
                assert first_negative <= runway["value"] <= first_negative + 1
        assert doc["suggested_max_emi"]["value"] >= 0
        backtest = doc["backtest"]
        assert backtest["available"] and len(backtest["inflow"]["rows"]) == 6
        assert backtest["baseline"].startswith("seasonal naive")
        assert doc["metrics"]["backtest_mape"]["value"] > 0 and doc["metrics"]["seasonal_naive_mape"]["value"] > 0
        for series in ("inflow", "outflow"):
            model = doc["model"][series]
            assert model["family"] in {"ETS", "Theta", "ARIMA"} and model["params"]["family"] == model["family"]
            assert sum(c["weight"] for c in model["components"]) == pytest.approx(1, abs=1e-3)
            assert model["chosen"] == next(c["model"] for c in model["components"] if c["family"] == model["family"])
        codes[customer_id] = {f["code"] for f in doc["risk_flags"]}
    # the declining and the over-indebted profiles are flagged; the baseline business is not
    assert "declining_inflows" in codes["CUST_MSM_00007"]
    assert "negative_base_net" in codes["CUST_MSM_00003"]
    assert not codes["CUST_MSM_00001"] & {"negative_base_net", "short_pessimistic_runway", "declining_inflows"}


def test_shortest_and_longest_horizons_on_a_seasonal_customer(demo_lake, config):
    summary = demo_lake.read_json(demo_lake.analytics_path("CUST_MSM_00002", "transaction_summary"))
    for days, months in ((30, 1), (180, 6)):
        doc = forecast_from_summary(summary, AS_OF, config, days)
        assert doc["horizon_months"] == months and len(doc["forecast"]) == months
        assert all(math.isfinite(f["net"]["point"]) for f in doc["forecast"])
