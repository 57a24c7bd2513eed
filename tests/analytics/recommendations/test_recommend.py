"""Product recommendations on hand-built analytics whose amounts are worked out in the comments, and on the demo lake.

The strong customer below, used throughout (all amounts monthly unless said):
business credits 10,00,000; operating debits 6,00,000; existing EMIs 1,00,000; surplus 2,00,000;
GST turnover 9,00,000 -> verified monthly turnover min(9,00,000, 10,00,000) = 9,00,000;
credit score 780, band A -> risk band LOW (no risk model); base rate 9%, LOW spread 1%.
"""
import math
from datetime import date

import pytest

from analytics.metric import metric
from analytics.recommendations.catalogue import CatalogueError, load_catalogue
from analytics.recommendations.facts import inr
from analytics.recommendations.receivables import summarize_receivables
from analytics.recommendations.recommend import recommend_products
from analytics.registry import OUTPUT_NAMES

AS_OF = date(2026, 11, 1)
MONTHS = [f"{2023 + (10 + i) // 12}-{(10 + i) % 12 + 1:02d}" for i in range(36)]  # 2023-11 .. 2026-10


def m(value, **inputs):
    return metric(value, "x", "given", inputs, "fixture")


def customer(existing=100_000, operating=600_000, surplus=200_000, credits=None, fraud="NONE", bounces=0,
             score=780, band="A", with_receivables=True):
    """Analytics documents of a strong customer; keyword arguments weaken one thing at a time."""
    credits = credits or [1_000_000.0] * 36
    monthly = [{"month": mo, "business_credits": bc, "abb": 300_000.0} for mo, bc in zip(MONTHS, credits)]
    docs = {
        "transaction_summary": {"as_of": AS_OF.isoformat(), "monthly": monthly, "metrics": {
            "avg_monthly_business_credits": m(1_000_000.0), "emi_monthly_total": m(float(existing)),
            "avg_monthly_surplus": m(float(surplus)), "months_covered": m(36), "inward_bounces": m(bounces),
            "top_counterparty_share": m(0.2), "income_cv": m(0.2),
            "dscr": metric(None, "ratio", "given", {"avg_monthly_business_credits": 1_000_000.0,
                                                    "avg_monthly_operating_debits": float(operating),
                                                    "emi_monthly_total": float(existing)}, "fixture")}},
        "gst_summary": {"metrics": {"avg_monthly_turnover": m(900_000.0), "yoy_growth": m(0.2)},
                        "seasonality_index": [{"month_of_year": i, "index": m(1.2 if i in (10, 11) else 0.96)}
                                              for i in range(1, 13)],
                        "fraud_indicators": {"severity": fraud, "indicators": [] if fraud == "NONE" else [
                            {"title": "Input tax credit close to output tax"}, {"title": "Circular flows"}]}},
        "credit_summary": {"report": {"reportId": "R1"}, "metrics": {
            "worst_dpd_12m": m(0), "written_off": m(False), "suit_filed": m(False), "settled": m(False),
            "total_emi_burden": m(float(existing)), "oldest_tradeline_months": m(120)},
            "tradelines": [{"lender": "Bank A", "accountType": "BUSINESS_LOAN", "status": "ACTIVE",
                            "currentBalance": 2_000_000.0},
                           {"lender": "Bank B", "accountType": "EQUIPMENT_LOAN", "status": "CLOSED",
                            "currentBalance": 0.0}]},
        "credit_score": {"score": m(score), "metrics": {"score": m(score)}, "band": {"code": band},
                         "components": [{"factors": [{"key": "vintage_months", "value": 120}]}]},
        "smart_collect": {"metrics": {"monthly_obligation_total": m(float(existing))}},
    }
    if with_receivables:
        docs["receivables_summary"] = {"metrics": {"invoice_pool": m(1_500_000.0), "b2b_share_12m": m(0.6),
                                                   "b2b_months_12m": m(12), "top_buyer_share": m(0.3),
                                                   "pool_buyers": m(5)}}
    return docs


FORECAST = {"metrics": {"suggested_max_emi": m(250_000.0), "runway_months": m(7.5)}}


def by_id(result):
    return {p["id"]: p for p in result["products"]}


def expected_instalment(product):
    """Recompute the instalment from amount, rate and tenure, independently of the module."""
    p, rate, n = product["amount"]["value"], product["annual_rate"]["value"], product["tenure_months"]["value"]
    r = rate / 12
    if product["repayment"]["kind"] == "annuity":
        exact = p * r * (1 + r) ** n / ((1 + r) ** n - 1)
    else:
        exact = p * r
    return math.floor(exact + 0.5)


def assert_consistent(result):
    """Six products, ranked 1..6, eligible first, and every eligible offer's EMI follows from its terms."""
    products = result["products"]
    assert len(products) == 6 and len({p["id"] for p in products}) == 6
    assert [p["rank"] for p in products] == list(range(1, 7)) == [result["ranking"].index(p["id"]) + 1
                                                                   for p in products]
    order = [{"ELIGIBLE": 0, "NOT_ELIGIBLE": 1, "NOT_ASSESSED": 2}[p["status"]] for p in products]
    assert order == sorted(order)
    for p in products:
        assert p["eligible"] == (p["status"] == "ELIGIBLE")
        if p["eligible"]:
            assert p["reasons"] == [] and all(r["status"] == "pass" for r in p["rules"])
            assert all(p["amount"]["value"] <= cap["value"] for cap in p["sizing"]["caps"].values())
            minimum = next(r["threshold"] for r in p["rules"] if r["id"] == "min_amount")
            assert p["amount"]["value"] >= minimum
            assert p["emi"]["value"] == expected_instalment(p), p["id"]
            assert p["amount"]["value"] % 1000 == 0
        else:
            assert p["reasons"] and p["amount"]["value"] is None and p["emi"]["value"] is None
    eligible = [p["suitability"]["value"] for p in products if p["eligible"]]
    assert eligible == sorted(eligible, reverse=True)


def test_strong_customer_gets_several_products_ranked_eligible_first(config):
    result = recommend_products(customer(), None, FORECAST, config)
    assert_consistent(result)
    products = by_id(result)
    eligible = [p["id"] for p in result["products"] if p["eligible"]]
    assert len(eligible) >= 4
    # Working capital: EMI capacity min(forecast 2,50,000; FOIR 0.5 x 10,00,000 - 1,00,000 = 4,00,000;
    # DSCR (10,00,000 - 6,00,000) / 1.25 - 1,00,000 = 2,20,000) = 2,20,000 -> principal at 11.5%/12 months
    # 24,82,648; turnover cap 2.4 x 9,00,000 = 21,60,000 binds -> amount 21,60,000.
    wc = products["working_capital_loan"]
    capacity = wc["sizing"]["emi_capacity"]
    assert capacity["value"] == 220_000 and capacity["inputs"]["binding"] == "dscr_room"
    assert wc["amount"]["value"] == 2_160_000 and wc["sizing"]["binding_constraint"] == "turnover"
    assert wc["annual_rate"]["value"] == pytest.approx(0.115)          # 9% + 1.5% + 1% (LOW)
    # Invoice discounting: 80% x pool 15,00,000 = 12,00,000 vs 1.0 x turnover 9,00,000 -> 9,00,000;
    # bullet: monthly interest 9,00,000 x 10.5% / 12 = 7,875.
    inv = products["invoice_discounting"]
    assert inv["amount"]["value"] == 900_000 and inv["emi"]["value"] == 7_875
    # Overdraft: 2 x ABB 3,00,000 = 6,00,000 (below 1.2 x 9,00,000 = 10,80,000); interest at full use 11.75%/12.
    od = products["overdraft"]
    assert od["amount"]["value"] == 600_000 and od["emi"]["value"] == round(600_000 * 0.1175 / 12)
    # no temporary dip (flat credits) -> emergency credit is not eligible, and says why
    assert products["msme_emergency_credit"]["status"] == "NOT_ELIGIBLE"
    assert any("No temporary dip" in r for r in products["msme_emergency_credit"]["reasons"])
    assert result["summary"]["top_recommendation"] == result["products"][0]["id"]
    assert result["customer_facts"]["forecast_runway_months"]["value"] == 7.5
    # above the ₹10 lakh collateral-free limit a guardrail appears
    assert any("Collateral or CGTMSE" in c for c in wc["conditions"])


def test_every_emi_follows_from_amount_rate_and_tenure(config):
    for docs, forecast in ((customer(), FORECAST), (customer(existing=300_000, operating=350_000), None)):
        result = recommend_products(docs, None, forecast, config)
        offered = [p for p in result["products"] if p["eligible"]]
        assert offered
        for p in offered:
            assert p["emi"]["value"] == expected_instalment(p)
            if p["repayment"]["kind"] == "annuity":   # total interest = EMI x n - P
                n, emi = p["tenure_months"]["value"], p["emi"]["value"]
                assert p["total_interest"]["value"] == emi * n - p["amount"]["value"]


def test_high_fraud_customer_gets_nothing_with_the_fraud_reason(config):
    result = recommend_products(customer(fraud="HIGH"), None, FORECAST, config)
    assert_consistent(result)
    assert result["metrics"]["eligible_products"]["value"] == 0 and result["summary"]["top_recommendation"] is None
    for p in result["products"]:
        assert p["status"] == "NOT_ELIGIBLE"
        assert "HIGH-severity GST fraud indicators (Input tax credit close to output tax" in p["reasons"][0]


def test_foir_headroom_limits_the_amount(config):
    # Existing EMIs 4,20,000 on credits 10,00,000 (FOIR 42%). Operating debits 3,00,000 so DSCR does not bind:
    # FOIR room 0.5 x 10,00,000 - 4,20,000 = 80,000; DSCR room 7,00,000 / 1.25 - 4,20,000 = 1,40,000;
    # forecast 2,50,000 -> capacity 80,000. At 11.5% for 12 months the principal is
    # 80,000 x ((1+r)^12 - 1) / (r (1+r)^12) = 9,02,781.15 -> 9,02,000 (below the 21,60,000 turnover cap);
    # EMI on 9,02,000 = 79,931; FOIR after = (4,20,000 + 79,931) / 10,00,000 = 49.99%.
    wc = by_id(recommend_products(customer(existing=420_000, operating=300_000), None, FORECAST, config))[
        "working_capital_loan"]
    assert wc["status"] == "ELIGIBLE"
    assert wc["sizing"]["emi_capacity"]["value"] == 80_000
    assert wc["sizing"]["emi_capacity"]["inputs"]["binding"] == "foir_room"
    assert wc["sizing"]["binding_constraint"] == "emi_capacity"
    assert wc["amount"]["value"] == 902_000 and wc["emi"]["value"] == 79_931
    assert wc["sizing"]["foir_after"]["value"] == pytest.approx(0.499931, abs=1e-4)
    # Existing EMIs already 55% of credits: no room at all, and the reason carries the numbers
    tight = by_id(recommend_products(customer(existing=550_000, operating=300_000), None, FORECAST, config))
    reasons = tight["working_capital_loan"]["reasons"]
    assert tight["working_capital_loan"]["status"] == "NOT_ELIGIBLE"
    assert any("Existing EMIs ₹5,50,000 are already 55.0% of monthly business credits ₹10,00,000" in r
               and "50% FOIR cap" in r for r in reasons)


def test_missing_forecast_falls_back_to_surplus_with_a_note(config):
    result = recommend_products(customer(), None, None, config)
    capacity = result["customer_facts"]["cashflow_emi_capacity"]
    # 2,00,000 average surplus x (1 - 25% buffer) = 1,50,000
    assert capacity["value"] == 150_000 and capacity["source"] == "transaction_summary (fallback)"
    assert any(n.startswith("No cash-flow forecast: EMI capacity falls back to the statement's average monthly "
                            "surplus ₹2,00,000 less a 25% buffer = ₹1,50,000") for n in result["notes"])
    assert any("risk band LOW taken from credit-score band A" in n for n in result["notes"])
    wc = by_id(result)["working_capital_loan"]
    # capacity min(1,50,000; 4,00,000; 2,20,000) = 1,50,000 -> principal 16,92,714.65 -> 16,92,000
    assert wc["sizing"]["emi_capacity"]["inputs"]["binding"] == "cashflow" and wc["amount"]["value"] == 1_692_000
    assert any("no cash-flow forecast" in c for c in wc["conditions"])


def test_risk_model_band_prices_and_gates(config):
    risk = {"metrics": {"risk_band": m("ELEVATED"), "probability_of_default": m(0.07)},
            "drivers": [{"feature": "foir", "direction": "raises"}]}
    result = recommend_products(customer(bounces=2), risk, FORECAST, config)
    assert_consistent(result)
    products = by_id(result)
    assert result["risk"]["source"] == "risk_model" and result["risk"]["probability_of_default"]["value"] == 0.07
    for pid in ("business_expansion_loan", "overdraft"):       # products capped at MODERATE
        assert any("Risk band ELEVATED (risk_model) is worse than the product's limit MODERATE" in r
                   for r in products[pid]["reasons"])
    wc = products["working_capital_loan"]
    assert wc["eligible"] and wc["annual_rate"]["value"] == pytest.approx(0.09 + 0.015 + 0.045)
    assert any("Co-borrower or personal guarantee" in c for c in wc["conditions"])
    assert any("NACH" in c and "2 own payment(s) bounced" in c for c in wc["conditions"])


def test_missing_inputs_mean_not_assessed_never_eligible(config):
    docs = customer(with_receivables=False)
    result = recommend_products(docs, None, FORECAST, config)
    inv = by_id(result)["invoice_discounting"]
    assert inv["status"] == "NOT_ASSESSED" and "B2B invoice pool" in inv["reasons"][0]
    assert any("No receivables_summary" in n for n in result["notes"])
    bare = customer()
    del bare["transaction_summary"]
    result = recommend_products(bare, None, None, config)
    assert_consistent(result)
    assert result["metrics"]["eligible_products"]["value"] == 0
    assert all(p["status"] == "NOT_ASSESSED" for p in result["products"])
    assert any("monthly business credits" in r for r in by_id(result)["working_capital_loan"]["reasons"])


def test_emergency_credit_needs_a_temporary_dip_not_a_decline(config):
    # last 3 months at 7,00,000 against 10,00,000 a year earlier: dip ratio 0.70 <= 0.85; the 12 months before
    # were flat (ratio 1.00 >= 0.95) -> temporary. Amount = min(20% x outstanding 20,00,000 = 4,00,000, ...).
    dip = recommend_products(customer(credits=[1_000_000.0] * 33 + [700_000.0] * 3), None, FORECAST, config)
    emergency = by_id(dip)["msme_emergency_credit"]
    assert emergency["status"] == "ELIGIBLE" and emergency["amount"]["value"] == 400_000
    assert emergency["sizing"]["binding_constraint"] == "business_outstanding"
    assert emergency["need_fit"]["value"] == 1.0             # strength min(1, (1 - 0.70) / 0.3) = 1
    assert emergency["emi"]["value"] == expected_instalment(emergency)
    # a business already falling: 21 months at 10,00,000, then 12 at 7,00,000, then 3 at 4,90,000. Dip ratio
    # 3 x 4,90,000 / 3 x 7,00,000 = 0.70, but the year before the dip was 0.70 x the one before (< 0.95): a decline
    falling = [1_000_000.0] * 21 + [700_000.0] * 12 + [490_000.0] * 3
    declined = by_id(recommend_products(customer(credits=falling), None, FORECAST, config))["msme_emergency_credit"]
    assert declined["status"] == "NOT_ELIGIBLE"
    assert any("a decline, not a temporary dip" in r for r in declined["reasons"])


def test_a_thin_credit_score_is_referred_not_hidden(config):
    docs = customer()
    docs["credit_score"]["data_sufficiency"] = {"sufficient": False, "reasons": ["only 3 months of bank statement"]}
    result = recommend_products(docs, None, FORECAST, config)
    assert any("too little data: only 3 months" in n for n in result["notes"])
    offered = [p for p in result["products"] if p["eligible"]]
    assert offered and all(any(c.startswith("Refer to a credit officer") for c in p["conditions"]) for p in offered)


def test_a_partial_last_month_is_not_a_dip(config):
    # 36 full months at 10,00,000 and half of November (5,00,000) before an as-of of 2026-11-16.
    docs = customer()
    del docs["transaction_summary"]["as_of"]
    docs["transaction_summary"]["monthly"].append({"month": "2026-11", "business_credits": 500_000.0, "abb": 1.0})
    # told the as-of date, November is left out: last 3 full months / same months a year ago = 1.00
    told = recommend_products(docs, None, FORECAST, config, as_of=date(2026, 11, 16))
    assert told["need_signals"]["dip_ratio"]["value"] == 1.0
    assert told["need_signals"]["dip_ratio"]["inputs"]["last_3_months"] == ["2026-08", "2026-09", "2026-10"]
    # not told, the half month counts: (2 x 10,00,000 + 5,00,000) / 30,00,000 = 0.8333
    blind = recommend_products(docs, None, FORECAST, config)
    assert blind["need_signals"]["dip_ratio"]["value"] == pytest.approx(2_500_000 / 3_000_000, abs=1e-4)


def test_receivables_summary_from_filed_gstr1():
    def gstr1(prd, dof, invoices, b2cs=0.0, status="FILED"):
        return {"return_type": "GSTR1", "ret_prd": prd, "status": status, "dof": dof,
                "b2b": [{"ctin": c, "inv": [{"inum": n, "idt": d, "val": v,
                                             "itms": [{"itm_det": {"txval": v / 1.18}}]}]}
                        for c, n, d, v in invoices], "b2cs": [{"txval": b2cs}]}
    records = [
        gstr1("072026", "2026-08-10", [("BUYER1", "A1", "2026-07-15", 118_000.0)], b2cs=50_000.0),  # older than 90 days
        gstr1("092026", "2026-10-11", [("BUYER1", "A2", "2026-09-05", 236_000.0),
                                       ("BUYER2", "A3", "2026-09-20", 59_000.0)]),
        gstr1("102026", "2026-11-11", [("BUYER3", "A4", "2026-10-05", 999_000.0)]),  # filed after as-of: invisible
    ]
    out = summarize_receivables(records, AS_OF, {})
    mt = out["metrics"]
    # pool: invoices dated 2026-08-03 .. 2026-10-31 on returns filed by as-of: 2,36,000 + 59,000 = 2,95,000
    assert mt["invoice_pool"]["value"] == 295_000 and mt["pool_buyers"]["value"] == 2
    assert mt["top_buyer_share"]["value"] == pytest.approx(236_000 / 295_000)
    # b2b taxable (1,18,000 + 2,36,000 + 59,000) / 1.18 = 3,50,000 vs b2cs 50,000 -> 0.875; B2B in 2 months
    assert mt["b2b_share_12m"]["value"] == pytest.approx(0.875) and mt["b2b_months_12m"]["value"] == 2
    assert summarize_receivables([], AS_OF, {})["metrics"]["invoice_pool"]["value"] is None


def test_catalogue_is_checked(config):
    assert [p.id for p in load_catalogue(config)] == ["working_capital_loan", "invoice_discounting",
                                                      "business_expansion_loan", "overdraft", "equipment_financing",
                                                      "msme_emergency_credit"]
    broken = {**config, "recommendations": {**config["recommendations"], "products": [
        {**config["recommendations"]["products"][0],
         "eligibility": {"min_vintage_month": 24}}]}}
    with pytest.raises(CatalogueError, match="min_vintage_month"):
        load_catalogue(broken)


def test_indian_grouping():
    assert inr(1234567.8) == "₹12,34,568" and inr(999) == "₹999" and inr(-61158.4) == "-₹61,158"


def _demo_inputs(lake, customer_id, config):
    docs = {n: lake.read_json(lake.analytics_path(customer_id, n)) for n in OUTPUT_NAMES}
    as_of = date.fromisoformat(docs["transaction_summary"]["as_of"])
    receivables = lake.analytics_path(customer_id, "receivables_summary")
    docs["receivables_summary"] = (lake.read_json(receivables) if receivables.exists() else
                                   summarize_receivables(lake.read_clean(customer_id, "gst_returns"), as_of, config))
    optional = [lake.analytics_path(customer_id, n) for n in ("risk_model", "cashflow_forecast")]
    return docs, *(lake.read_json(p) if p.exists() else None for p in optional)


def test_demo_customers(demo_lake, config):
    by_profile = {}
    for customer_id, profile in config["demo_customers"].items():
        docs, risk, forecast = _demo_inputs(demo_lake, customer_id, config)
        result = recommend_products(docs, risk, forecast, config)
        assert_consistent(result)
        by_profile.setdefault(profile, []).append(result)
    assert all(r["metrics"]["eligible_products"]["value"] >= 1 for r in by_profile["stable_income"])
    for result in by_profile["fraud"]:
        assert result["metrics"]["eligible_products"]["value"] == 0
        assert all(any("HIGH-severity GST fraud" in r for r in p["reasons"]) for p in result["products"])
