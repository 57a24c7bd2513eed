"""GSTR-2B beside GSTR-3B: one per filed month, schema-valid, matching the claim except where excess is planted."""
from __future__ import annotations

from dataclasses import replace

from analytics.gst import itc as analytics_itc
from generators.gst2b import HEADS, itc_available, itc_claimed
from generators.profiles import get_profile
from generators.registry import generate_customer

from .conftest import AS_OF, by_profile


def _by_period(g, return_type: str) -> dict[str, dict]:
    return {r["ret_prd"]: r for r in g.records["gst_returns"] if r["return_type"] == return_type}


def _label(ret_prd: str) -> str:
    return f"{ret_prd[2:]}-{ret_prd[:2]}"


def test_every_filed_month_has_one_schema_valid_gstr2b(all_customers, validators):
    for g in all_customers:
        g3b, g2b = _by_period(g, "GSTR3B"), _by_period(g, "GSTR2B")
        statements = [r for r in g.records["gst_returns"] if r["return_type"] == "GSTR2B"]
        assert len(statements) == len(g2b) == len(g3b) > 0 and set(g2b) == set(g3b), g.customer_id
        for period, record in g2b.items():
            assert not list(validators["gst_returns"].iter_errors(record)), (g.customer_id, period)
            assert record["gstin"] == g.customer["gstin"] and record["gendt"] < AS_OF.isoformat()
            assert record["gendt"][:7] > _label(period)  # drafted after its period (on the 14th after it)


def test_invoices_add_up_to_the_itc_summary(all_customers):
    for g in all_customers:
        for record in _by_period(g, "GSTR2B").values():
            for key, flag in (("itcavl", "Y"), ("itcunavl", "N")):
                invoices = [inv for sup in record["docdata"]["b2b"] for inv in sup["inv"] if inv["itcavl"] == flag]
                summary = record["itcsumm"][key]["nonrevsup"]
                for head in HEADS:
                    assert abs(sum(inv[head] for inv in invoices) - summary[head]) < 0.05, (g.customer_id, key)
                    assert summary["b2b"][head] == summary[head]
            for sup in record["docdata"]["b2b"]:
                for inv in sup["inv"]:
                    assert abs(sum(i["txval"] for i in inv["items"]) - inv["txval"]) < 0.05
                    assert abs(inv["txval"] + sum(inv[h] for h in HEADS) - inv["val"]) < 0.05


def test_generator_and_analytics_read_claimed_and_available_alike(demo_customers):
    g = demo_customers["CUST_MSM_00006"]
    g3b, g2b = _by_period(g, "GSTR3B"), _by_period(g, "GSTR2B")
    for period in g3b:
        assert abs(itc_claimed(g3b[period]) - analytics_itc.itc_claimed(g3b[period])) < 0.01
        assert abs(itc_available(g2b[period]) - analytics_itc.itc_available(g2b[period])) < 0.01


def test_truth_lists_exactly_the_months_planted_with_excess(all_customers):
    for g in all_customers:
        g3b, g2b = _by_period(g, "GSTR3B"), _by_period(g, "GSTR2B")
        planted = {t["period"]: t for t in g.truth["planted"]["itc_excess"]}
        for period in g3b:
            claimed, available = itc_claimed(g3b[period]), itc_available(g2b[period])
            excess = claimed / available - 1
            if _label(period) in planted:
                truth = planted[_label(period)]
                assert truth["claimed"] == claimed and truth["available"] == available
                assert 0.149 <= excess <= 0.601 and claimed - available > 13_000, (g.customer_id, period)
            else:  # honest months: within a few percent, a late-reported invoice at most
                assert -0.09 <= excess <= 0.08, (g.customer_id, period, excess)


def test_fraud_plants_excess_and_the_clean_profiles_do_not(all_customers):
    for g in by_profile(all_customers, "fraud"):
        planted = g.truth["planted"]["itc_excess"]
        assert len(planted) >= 10 and all(p["period"] < AS_OF.isoformat()[:7] for p in planted)
    for profile in ("baseline", "stable_income", "high_seasonality", "high_debt", "declining"):
        assert all(g.truth["planted"]["itc_excess"] == [] for g in by_profile(all_customers, profile)), profile
    for profile in ("high_growth", "customer_concentration"):  # now and then: a few months at most
        assert all(len(g.truth["planted"]["itc_excess"]) <= 3 for g in by_profile(all_customers, profile))
        assert any(g.truth["planted"]["itc_excess"] for g in by_profile(all_customers, profile)), profile


def test_the_2b_stream_leaves_every_other_record_unchanged(config):
    fraud = get_profile("fraud")
    with_excess = generate_customer("CUST_MSM_00006", None, AS_OF, config, spec=fraud)
    without = generate_customer("CUST_MSM_00006", None, AS_OF, config, spec=replace(fraud, itc_excess=0.0))
    assert with_excess.truth["planted"]["itc_excess"] and not without.truth["planted"]["itc_excess"]
    for source, records in with_excess.records.items():
        keep = [r for r in records if r.get("return_type") != "GSTR2B"]
        assert keep == [r for r in without.records[source] if r.get("return_type") != "GSTR2B"], source
    assert _by_period(with_excess, "GSTR2B") != _by_period(without, "GSTR2B")
