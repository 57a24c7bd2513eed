"""transaction_summary and earnings_spendings on hand-built statements (answers worked out in the comments)
and on generated customers."""
from __future__ import annotations

import datetime as dt

import orjson
import pytest

from analytics.bank.earnings_spendings import METRIC_UNITS as ES_METRIC_UNITS
from analytics.bank.earnings_spendings import summarize_earnings_spendings
from analytics.bank.statement import prepare_transactions
from analytics.bank.summary import METRIC_UNITS, business_credits_by_month, summarize_transactions
from tests.analytics.bank.test_statement import Ledger, forty_day_ledger, generated

CONFIG = {"analytics": {"abb_days": [5, 15, 25], "near_zero_balance": 1000, "top_counterparties": 10,
                        "emi_min_months": 3, "emi_amount_tolerance": 0.02, "circular_window_days": 3,
                        "circular_amount_tolerance": 0.1}}
METRIC_KEYS = {"value", "unit", "formula", "inputs", "explanation"}
OPTIONAL_KEYS = {"window", "basis", "applicable"}


def summary(led: Ledger, as_of: dt.date, accounts=None) -> dict:
    return summarize_transactions(prepare_transactions(led.records), accounts or [], as_of, CONFIG)


def values(out: dict) -> dict:
    return {k: m["value"] for k, m in out["metrics"].items()}


def assert_metric_shapes(doc) -> int:
    """Every dict with a ``formula`` is a metric: value/unit/formula/inputs/explanation, optionally a window,
    a basis and ``applicable``, plus a reason exactly when the value is missing (``applicable: false`` only
    with a reason that says "not applicable"). Returns how many metrics were checked."""
    seen = 0
    if isinstance(doc, dict):
        if "formula" in doc:
            keys = set(doc) - OPTIONAL_KEYS
            # a count of cases may list them (``items``: window dressing)
            assert keys in (METRIC_KEYS, METRIC_KEYS | {"reason"}, METRIC_KEYS | {"items"}), keys
            assert ("reason" in keys) == (doc["value"] is None), doc
            if doc.get("applicable") is False:
                assert doc["value"] is None and doc["reason"].startswith("not applicable"), doc
            if "window" in doc:
                assert doc["window"]["label"] and set(doc["window"]) <= {"from", "to", "months", "days", "label"}
            return 1
        for item in doc.values():
            seen += assert_metric_shapes(item)
    elif isinstance(doc, list):
        for item in doc:
            seen += assert_metric_shapes(item)
    return seen


def test_balances_on_a_forty_day_statement():
    out = summary(forty_day_ledger(), dt.date(2024, 2, 10))
    v = values(out)
    # ABB days inside Jan 1..Feb 9: Jan 5 = 15,000, Jan 15 = 2,000, Jan 25 = 32,000, Feb 5 = 500
    # -> (15,000 + 2,000 + 32,000 + 500) / 4 = 12,375
    assert v["abb"] == 12_375.0
    assert out["metrics"]["abb"]["inputs"]["dates"] == ["2024-01-05", "2024-01-15", "2024-01-25", "2024-02-05"]
    # (9 x 15,000 + 2 x -5,000 + 8 x 2,000 + 14 x 32,000 + 6 x 500 + 1 x 10,000) / 40 = 602,000 / 40
    assert v["avg_eod_balance"] == 15_050.0
    assert (v["min_eod_balance"], v["max_eod_balance"]) == (-5_000.0, 32_000.0)
    assert v["negative_balance_days"] == 2                      # Jan 10, 11
    assert out["metrics"]["negative_balance_days"]["inputs"]["dates"] == ["2024-01-10", "2024-01-11"]
    assert v["near_zero_balance_days"] == 6                     # Feb 3..8 at 500
    assert (v["months_covered"], v["gap_months"], v["balance_tally_breaks"]) == (2, 0, 0)
    assert len(out["eod_balance"]) == 40 and out["eod_balance"][9] == {"date": "2024-01-10", "balance": -5_000.0}
    jan = out["monthly"][0]
    # January ABB: (15,000 + 2,000 + 32,000) / 3 = 16,333.33
    assert (jan["month"], jan["abb"], jan["min_eod_balance"]) == ("2024-01", 16_333.33, -5_000.0)
    assert out["metrics"]["od_cc_utilisation"]["value"] is None
    assert "OD/CC" in out["metrics"]["od_cc_utilisation"]["reason"]
    assert out["metrics"]["od_cc_utilisation"]["applicable"] is False   # no facility: not applicable, not missing


def test_od_utilisation_when_the_account_has_a_limit():
    accounts = [{"linkedAccRef": "ACC1", "maskedAccNumber": "XXXX1234",
                 "summary": {"facility": "OD", "currentODLimit": 20_000.0, "drawingLimit": 20_000.0,
                             "type": "CURRENT", "currentBalance": 10_000.0}}]
    out = summary(forty_day_ledger(), dt.date(2024, 2, 10), accounts)
    # drawn 5,000 on Jan 10 and 11, nothing on the other 38 days: 10,000 / 40 = 250 a day; 250 / 20,000
    assert out["metrics"]["od_cc_utilisation"]["value"] == 0.0125
    # -5,000 on an account with a 20,000 overdraft is the facility in use: not an overdrawn day
    assert out["metrics"]["negative_balance_days"]["value"] == 0
    assert out["metrics"]["od_cc_peak_utilisation"]["value"] == 0.25     # 5,000 / 20,000 on Jan 10
    assert out["accounts"][0]["closing_matches_summary"] is True
    assert out["accounts"][0]["opening_balance"] == 10_000.0


def two_emi_ledger() -> Ledger:
    """Jan-Apr 2024: buyer pays 200k, 150k, 250k, 200k on the 2nd; Bajaj 12,000 NACH on the 5th;
    Tata Capital 8,000 ECS on the 10th; supplier 100,000 on the 20th."""
    led = Ledger(opening=100_000.0)
    for month, sales in (("01", 200_000), ("02", 150_000), ("03", 250_000), ("04", 200_000)):
        led.credit(f"2024-{month}-02", sales, "NEFT/ICICN24002123456/SUPREME AGENCIES/ICIC0000104", mode="FT")
        led.debit(f"2024-{month}-05", 12_000, "NACH/ACH DR/BAJAJ FINANCE LTD/UMRN HDFC7000000012345")
        led.debit(f"2024-{month}-10", 8_000, "ECS/TATA CAPITAL FINANCIAL SERVICES/TCFSL0099123")
        led.debit(f"2024-{month}-20", 100_000, "NEFT/HDFCN24020123456/SHREE GANESH TRADERS/HDFC0001234", mode="FT")
    return led


def test_foir_dscr_surplus_and_income_cv_with_two_emis():
    out = summary(two_emi_ledger(), dt.date(2024, 5, 1))
    v = values(out)
    assert v["emi_monthly_total"] == 20_000.0                   # 12,000 + 8,000
    assert v["avg_monthly_business_credits"] == 200_000.0       # 800,000 / 4
    assert v["foir"] == 0.1                                     # 20,000 / 200,000
    assert v["dscr"] == 5.0                                     # (200,000 - 100,000 operating) / 20,000
    # surplus = sales - (20,000 EMI + 100,000 supplier): 80k, 30k, 130k, 80k -> mean 80,000; 320k / 800k
    assert (v["avg_monthly_surplus"], v["surplus_ratio"]) == (80_000.0, 0.4)
    # deviations from 200k: 0, -50k, +50k, 0 -> population std sqrt(1.25e9) = 35,355.34 -> cv 0.176777
    assert v["income_cv"] == pytest.approx(0.1768, abs=1e-4)
    assert (v["total_credits"], v["total_debits"]) == (800_000.0, 480_000.0)
    assert [m["emi_debits"] for m in out["monthly"]] == [20_000.0] * 4
    assert {e["lender"] for e in out["emis"]} == {"BAJAJ FINANCE LTD", "TATA CAPITAL FINANCIAL SERVICES"}


def test_dscr_not_applicable_without_emi():
    out = summary(forty_day_ledger(), dt.date(2024, 2, 10))
    assert out["metrics"]["dscr"]["value"] is None and out["metrics"]["dscr"]["applicable"] is False
    assert out["metrics"]["dscr"]["reason"] == "not applicable: no debt service"
    assert out["metrics"]["dscr"]["inputs"]["bureau_checked"] == "no bureau report to check"
    assert out["metrics"]["foir"]["value"] == 0.0


def test_dscr_applicable_with_emis():
    out = summary(two_emi_ledger(), dt.date(2024, 5, 1))
    assert out["metrics"]["dscr"]["applicable"] is True and out["metrics"]["dscr"]["value"] == 5.0


def exclusions_ledger() -> Ledger:
    led = Ledger(opening=50_000.0)
    led.credit("2024-01-03", 10_000, "UPI/CR/400312345678/RAMESH KUMAR/okaxis/Payment", mode="UPI")
    led.credit("2024-01-04", 50_000, "NEFT/ICICN24004123456/SUPREME AGENCIES/ICIC0000104", mode="FT")
    led.credit("2024-01-05", 20_000, "CASH DEP PUNE BR", mode="CASH")
    led.credit("2024-01-06", 30_000, "IMPS/P2A/400612345678/KUNAL TIWARI/OWN A/C TRF", mode="FT")
    led.credit("2024-01-07", 200_000, "NEFT/HDFCN24007123456/LENDINGKART FINANCE LTD/LOAN DISB", mode="FT")
    led.debit("2024-01-08", 1_500, "UPI/DR/400812345678/SWIGGY/ybl/Payment", mode="UPI")
    led.credit("2024-01-08", 1_500, "REV-UPI/400812345678/SWIGGY/FAILED TXN", mode="UPI", time="11:00:00")
    led.credit("2024-01-09", 999, "REFUND/AMAZON/1234567890")
    led.credit("2024-01-31", 250, "INT.PD:1234:SWEEP FD:JAN24")
    return led


def test_business_credits_exclude_self_transfer_loan_reversal_refund_and_interest():
    led = exclusions_ledger()
    df = prepare_transactions(led.records)
    out = summarize_transactions(df, [], dt.date(2024, 2, 1), CONFIG)
    v = values(out)
    # all credits: 10,000 + 50,000 + 20,000 + 30,000 + 200,000 + 1,500 + 999 + 250 = 312,749
    assert v["total_credits"] == 312_749.0
    assert v["business_credits_total"] == 80_000.0              # UPI 10,000 + NEFT 50,000 + cash 20,000
    assert business_credits_by_month(df) == {"2024-01": 80_000.0}
    assert v["cash_deposit_share"] == 0.25                      # 20,000 / 80,000
    assert v["top_counterparty_share"] == 0.625                 # SUPREME AGENCIES 50,000 / 80,000
    excluded = out["metrics"]["business_credits_total"]["inputs"]["excluded_by_category"]
    assert excluded == {"interest": 250.0, "loan_disbursal": 200_000.0, "refund": 999.0, "reversal": 1_500.0,
                        "self_transfer_in": 30_000.0}


def test_gap_months_and_income_cv():
    led = Ledger(opening=0.0)
    for month, amount in (("01", 100_000), ("03", 200_000), ("05", 300_000)):
        led.credit(f"2024-{month}-10", amount, "NEFT/ICICN24010123456/SUPREME AGENCIES/ICIC0000104", mode="FT")
    out = summary(led, dt.date(2024, 6, 1))
    v = values(out)
    assert (v["months_covered"], v["gap_months"]) == (5, 2)
    assert out["metrics"]["gap_months"]["inputs"]["months"] == ["2024-02", "2024-04"]
    # monthly 100k, 0, 200k, 0, 300k: mean 120k; squares of deviations 4e8+1.44e10+6.4e9+1.44e10+3.24e10 = 6.8e10
    # / 5 = 1.36e10 -> std 116,619.04 -> cv 0.971825
    assert v["income_cv"] == pytest.approx(0.9718, abs=1e-4)
    assert v["avg_monthly_business_credits"] == 120_000.0


def test_balance_tally_breaks_metric_lists_the_lines():
    led = forty_day_ledger()
    led.records[3]["currentBalance"] += 100.0
    out = summary(led, dt.date(2024, 2, 10))
    assert out["metrics"]["balance_tally_breaks"]["value"] == 2
    assert out["metrics"]["balance_tally_breaks"]["inputs"]["txn_ids"] == ["T0004", "T0005"]
    assert out["tally_breaks"][0] == {"txnId": "T0004", "linkedAccRef": "ACC1", "date": "2024-01-20",
                                      "expected": 32_000.0, "reported": 32_100.0, "difference": 100.0}


def test_bounce_metrics_count_each_direction():
    led = two_emi_ledger()
    led.debit("2024-04-05", 590, "NACH RTN CHRG INSUFFICIENT FUNDS HDFC7000000012345", time="20:00:00")
    led.credit("2024-04-12", 40_000, "BY CLG CHQ 223344 NOVA AGENCIES")
    led.debit("2024-04-15", 40_000, "CHQ RTN 223344 NOVA AGENCIES FUNDS INSUFFICIENT")
    led.debit("2024-04-15", 177, "CHQ RTN CHGS 223344", time="10:01:00")
    v = values(summary(led, dt.date(2024, 5, 1)))
    assert (v["inward_bounces"], v["outward_bounces"], v["bounce_charges_total"]) == (1, 1, 767.0)
    # the returned cheque is neither turnover nor spending: business credits stay 800,000 and the surplus
    # only loses the two charges: 80,000 - (590 + 177) / 4 = 79,808.25
    assert v["business_credits_total"] == 800_000.0 and v["avg_monthly_surplus"] == 79_808.25


def test_every_number_is_a_metric_and_json_ready():
    for led, as_of in ((forty_day_ledger(), dt.date(2024, 2, 10)), (two_emi_ledger(), dt.date(2024, 5, 1)),
                       (exclusions_ledger(), dt.date(2024, 2, 1))):
        df = prepare_transactions(led.records)
        bank = summarize_transactions(df, [], as_of, CONFIG)
        assert set(bank["metrics"]) == set(METRIC_UNITS)
        assert assert_metric_shapes(bank) >= len(METRIC_UNITS)
        es = summarize_earnings_spendings(df, as_of, CONFIG)
        assert set(es["metrics"]) == set(ES_METRIC_UNITS) and assert_metric_shapes(es) >= len(ES_METRIC_UNITS)
        orjson.dumps(bank)
        orjson.dumps(es)


def test_no_transactions_gives_missing_metrics():
    df = prepare_transactions([])
    out = summarize_transactions(df, [], dt.date(2024, 1, 1), CONFIG)
    es = summarize_earnings_spendings(df, dt.date(2024, 1, 1), CONFIG)
    assert set(out["metrics"]) == set(METRIC_UNITS)
    for doc in (out, es):
        assert doc["metrics"] and all(m["value"] is None and m["reason"] for m in doc["metrics"].values())
        dressing = doc.get("window_dressing", {})
        assert all(m["value"] is None and m["reason"] for m in dressing.values())
        assert assert_metric_shapes(doc) == len(doc["metrics"]) + len(dressing)
    assert set(out["window_dressing"]) == {"large_credit_withdrawn", "cash_before_emi", "credits_bunched", "summary"}


def test_earnings_and_spendings_by_category():
    out = summarize_earnings_spendings(prepare_transactions(exclusions_ledger().records), dt.date(2024, 2, 1), CONFIG)
    v = values(out)
    assert (v["total_earnings"], v["business_earnings"], v["total_spendings"]) == (312_749.0, 80_000.0, 1_500.0)
    assert v["business_share_of_earnings"] == pytest.approx(80_000 / 312_749, abs=1e-4)
    assert v["largest_credit"] == 200_000.0 and out["metrics"]["largest_credit"]["inputs"]["category"] == \
        "loan_disbursal"
    assert out["top_received_from"][0] == {"counterparty": "SUPREME AGENCIES", "total": 50_000.0, "count": 1,
                                           "share": 0.625}
    loan = next(r for r in out["earnings_by_category"] if r["category"] == "loan_disbursal")
    assert loan == {"category": "loan_disbursal", "total": 200_000.0, "count": 1,
                    "share": round(200_000 / 312_749, 4), "business": False}
    assert out["monthly"][0]["inflow"]["cash_deposit"] == 20_000.0


# ---- generated customers ------------------------------------------------------------------------
def generated_summary(customer_id: str, profile: str) -> tuple[dict, dict]:
    gen = generated(customer_id, profile)
    df = prepare_transactions(gen.records["transactions"], gen.records["accounts"])
    as_of = dt.date(2026, 11, 1)
    return (summarize_transactions(df, gen.records["accounts"], as_of, CONFIG),
            summarize_earnings_spendings(df, as_of, CONFIG))


def test_baseline_summary_is_complete_and_tallies():
    bank, es = generated_summary("CUST_MSM_00001", "baseline")
    v = values(bank)
    assert v["months_covered"] == 36 and len(bank["monthly"]) == 36 and len(bank["eod_balance"]) > 1_000
    assert v["balance_tally_breaks"] == 0
    assert bank["accounts"][0]["closing_matches_summary"] is True
    assert v["od_cc_utilisation"] is not None and 0 <= v["foir"] < 0.5
    assert assert_metric_shapes(bank) >= len(METRIC_UNITS) and assert_metric_shapes(es) >= 10
    orjson.dumps(bank)
    orjson.dumps(es)


def test_high_debt_foir_above_half():
    bank, _ = generated_summary("CUST_MSM_00003", "high_debt")
    assert bank["metrics"]["foir"]["value"] > 0.5
    assert bank["metrics"]["inward_bounces"]["value"] >= 3


def test_customer_concentration_top_share_above_half():
    bank, es = generated_summary("CUST_MSM_00008", "customer_concentration")
    assert bank["metrics"]["top_counterparty_share"]["value"] > 0.5
    assert es["metrics"]["top_payer_share"]["value"] > 0.5
