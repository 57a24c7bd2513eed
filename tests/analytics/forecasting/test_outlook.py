"""annual_outlook in cashflow_forecast.json: twelve months ahead, whatever the horizon, with sums a person can redo."""
from __future__ import annotations

import json
import math
from datetime import date

import numpy as np
import pytest

from analytics.forecasting import forecast_cashflow
from tests.analytics.bank.test_summary import assert_metric_shapes
from tests.analytics.forecasting.test_cashflow import rows

OUTLOOK_METRICS = {"forecast_inflows_12m", "forecast_outflows_12m", "forecast_net_12m", "forecast_net_12m_lower",
                   "trailing_net_12m", "seasonality_strength"}
# a festive-season business: credits peak in October-November; spending follows at 70% of credits plus rent
FACTORS = (1.0, 0.9, 0.95, 0.9, 0.85, 0.8, 0.8, 0.9, 1.0, 1.4, 1.5, 1.0)


def seasonal_business(months: int = 36, seed: int = 11) -> tuple[list[float], list[float]]:
    rng = np.random.default_rng(seed)
    inflow = [round(500000 * FACTORS[i % 12] * (1 + 0.004 * i) * math.exp(rng.normal(0, 0.03)), 2)
              for i in range(months)]
    outflow = [round(0.7 * v + 60000 + rng.normal(0, 5000), 2) for v in inflow]
    return inflow, outflow


def month_labels(start: tuple[int, int], n: int) -> list[str]:
    return [f"{(start[0] * 12 + start[1] - 1 + i) // 12:04d}-{(start[1] - 1 + i) % 12 + 1:02d}" for i in range(n)]


def test_outlook_is_twelve_months_with_sums_that_add_up(config):
    inflow, outflow = seasonal_business()
    doc = forecast_cashflow(rows(inflow, outflow), date(2027, 1, 1), config, 90, current_balance=100000.0)
    outlook = doc["annual_outlook"]
    assert outlook["months"] == month_labels((2027, 1), 12)  # the 12 months after December 2026
    assert outlook["interval_level"] == 0.8 and outlook["seasonal"] == {"inflow": True, "outflow": True}
    for series in ("inflow", "outflow", "net"):
        b = outlook[series]
        assert len(b["point"]) == len(b["lower"]) == len(b["upper"]) == 12
        assert all(lo <= p <= hi for lo, p, hi in zip(b["lower"], b["point"], b["upper"]))
    for i in range(12):
        assert outlook["net"]["point"][i] == pytest.approx(
            outlook["inflow"]["point"][i] - outlook["outflow"]["point"][i], abs=0.02)
    # the horizon's forecast rows are the first months of the year ahead: one model, one set of numbers
    for i, row in enumerate(doc["forecast"]):
        for series in ("inflow", "outflow", "net"):
            assert {b: outlook[series][b][i] for b in ("point", "lower", "upper")} == row[series]
    m = outlook["metrics"]
    assert set(m) == OUTLOOK_METRICS and assert_metric_shapes(m) == len(OUTLOOK_METRICS)
    assert m["forecast_inflows_12m"]["value"] == pytest.approx(sum(outlook["inflow"]["point"]), abs=0.01)
    assert m["forecast_outflows_12m"]["value"] == pytest.approx(sum(outlook["outflow"]["point"]), abs=0.01)
    assert m["forecast_net_12m"]["value"] == pytest.approx(
        m["forecast_inflows_12m"]["value"] - m["forecast_outflows_12m"]["value"], abs=0.5)
    assert m["forecast_net_12m_lower"]["value"] == pytest.approx(sum(outlook["net"]["lower"]), abs=0.01)
    assert m["forecast_net_12m_lower"]["value"] < m["forecast_net_12m"]["value"]
    assert "Conservative" in m["forecast_net_12m_lower"]["explanation"]
    # trailing twelve months by hand: January-December 2026 are the last 12 of the 36 rows
    assert m["trailing_net_12m"]["value"] == pytest.approx(sum(i - o for i, o in zip(inflow[-12:], outflow[-12:])),
                                                           abs=0.05)
    assert m["trailing_net_12m"]["inputs"]["months"] == month_labels((2026, 1), 12)


def test_outlook_carries_the_season_and_its_strength(config):
    inflow, outflow = seasonal_business()
    outlook = forecast_cashflow(rows(inflow, outflow), date(2027, 1, 1), config, 30)["annual_outlook"]
    points = outlook["inflow"]["point"]
    assert outlook["months"][int(np.argmax(points))] == "2027-11"  # the festive peak of the history
    assert outlook["months"][int(np.argmin(points))] in ("2027-06", "2027-07")
    strength = outlook["metrics"]["seasonality_strength"]
    # the generating factors swing by (1.5 - 0.8) / mean(factors) = 0.7 / 1.0 of an average month
    assert strength["value"] == pytest.approx((1.5 - 0.8) / np.mean(FACTORS), abs=0.08)
    assert strength["inputs"]["modelled_as_seasonal"] is True and strength["inputs"]["profile"]["Nov"] > 1.3


def test_outlook_is_the_same_for_every_horizon_and_deterministic(config):
    inflow, outflow = seasonal_business(30, seed=4)
    docs = [forecast_cashflow(rows(inflow, outflow), date(2026, 7, 1), config, d) for d in (30, 90, 180)]
    assert [len(d["forecast"]) for d in docs] == [1, 3, 6]
    outlooks = [json.dumps(d["annual_outlook"], sort_keys=True) for d in docs]
    assert outlooks[0] == outlooks[1] == outlooks[2]
    again = forecast_cashflow(rows(inflow, outflow), date(2026, 7, 1), config, 90)
    assert json.dumps(again, sort_keys=True) == json.dumps(docs[1], sort_keys=True)


def test_short_history_gives_reasons_but_still_the_months(config):
    doc = forecast_cashflow(rows([100000.0 + 3000 * (i % 4) for i in range(8)], [80000.0] * 8, start=(2025, 1)),
                            date(2025, 9, 1), config, 90)
    outlook = doc["annual_outlook"]
    assert outlook["months"] == month_labels((2025, 9), 12)
    assert all(isinstance(v, float) for v in outlook["inflow"]["point"] + outlook["net"]["lower"])
    m = outlook["metrics"]
    assert set(m) == OUTLOOK_METRICS and all(v["value"] is None for v in m.values())
    assert all("8 complete month(s)" in v["reason"] for v in m.values())
    assert assert_metric_shapes(m) == len(OUTLOOK_METRICS)


def test_no_model_still_gives_twelve_labelled_empty_months(config):
    doc = forecast_cashflow(rows([100.0], [50.0], start=(2024, 2)), date(2024, 3, 1), config, 90)
    outlook = doc["annual_outlook"]
    assert outlook["months"] == month_labels((2024, 3), 12)
    assert outlook["net"]["point"] == [None] * 12 and outlook["seasonal"] == {}
    assert all(v["value"] is None for v in outlook["metrics"].values())


def test_a_gap_in_the_last_year_makes_the_trailing_net_missing(config):
    inflow, outflow = seasonal_business(24, seed=2)
    data = rows(inflow, outflow, start=(2024, 1))
    del data[20]  # September 2025 has no row
    m = forecast_cashflow(data, date(2026, 1, 1), config, 90)["annual_outlook"]["metrics"]
    assert m["trailing_net_12m"]["value"] is None and "2025-09" in m["trailing_net_12m"]["reason"]
    assert m["forecast_net_12m"]["value"] is not None
