"""EMIs, bounces, regular inflows and circular flows on hand-built statements and on generated customers."""
from __future__ import annotations

import datetime as dt

from analytics.bank.circular import find_circular_flows
from analytics.bank.obligations import detect_bounces, detect_emis, regular_inflows
from analytics.bank.statement import prepare_transactions
from tests.analytics.bank.test_statement import Ledger, generated

CONFIG = {"analytics": {"emi_min_months": 3, "emi_amount_tolerance": 0.02, "circular_window_days": 3,
                        "circular_amount_tolerance": 0.1, "top_counterparties": 10}}
NACH = "NACH/ACH DR/BAJAJ FINANCE LTD/UMRN HDFC7000000012345"
ECS = "ECS/TATA CAPITAL FINANCIAL SERVICES/TCFSL0099123"


def two_loans() -> Ledger:
    """Bajaj 12,000 by NACH on the 5th (Jan-Apr 2024), Tata Capital 8,000 by ECS on the 10th (Jan-Apr),
    plus a two-month 5,000 NACH debit that is too short to be an EMI."""
    led = Ledger(opening=500_000.0)
    for month in ("01", "02", "03", "04"):
        led.debit(f"2024-{month}-05", 12_000, NACH)
        led.debit(f"2024-{month}-10", 8_000, ECS)
    led.debit("2024-03-20", 5_000, "ACH D- UGRO CAPITAL LTD-998877")
    led.debit("2024-04-20", 5_000, "ACH D- UGRO CAPITAL LTD-998877")
    return led


def test_two_emis_from_two_lenders_and_rails():
    emis = detect_emis(prepare_transactions(two_loans().records), CONFIG, dt.date(2024, 5, 1))
    got = {(e["lender"], e["amount"], e["day_of_month"], e["months_seen"], e["mandate"], e["still_active"])
           for e in emis}
    assert got == {("BAJAJ FINANCE LTD", 12_000.0, 5, 4, "NACH", True),
                   ("TATA CAPITAL FINANCIAL SERVICES", 8_000.0, 10, 4, "ECS", True)}
    bajaj = next(e for e in emis if e["lender"] == "BAJAJ FINANCE LTD")
    assert (bajaj["first_date"], bajaj["last_date"], len(bajaj["txn_ids"])) == ("2024-01-05", "2024-04-05", 4)


def test_emi_amount_tolerance_and_activity():
    led = Ledger(opening=500_000.0)
    for month, amount in (("01", 10_000), ("02", 10_150), ("03", 9_990)):   # within 2% of 9,990
        led.debit(f"2024-{month}-07", amount, "ACH D- SHRIRAM FINANCE LTD-55")
    # seen last in March; as of 1 Aug the two months before (Jun, Jul) have no debit
    emis = detect_emis(prepare_transactions(led.records), CONFIG, dt.date(2024, 8, 1))
    assert len(emis) == 1 and emis[0]["months_seen"] == 3 and emis[0]["amount"] == 10_000.0
    assert emis[0]["still_active"] is False


def test_inward_bounce_charge_only_links_the_represented_emi():
    led = two_loans()
    charge = led.debit("2024-05-05", 590, "NACH RTN CHRG INSUFFICIENT FUNDS HDFC7000000012345", time="20:00:00")
    again = led.debit("2024-05-08", 12_000, NACH)
    bounces = detect_bounces(prepare_transactions(led.records))
    assert len(bounces) == 1
    b = bounces[0]
    assert (b["direction"], b["instrument"], b["date"], b["reason"]) == ("inward", "NACH", "2024-05-05",
                                                                         "INSUFFICIENT FUNDS")
    assert (b["charge_txn_id"], b["charge_amount"], b["represented_txn_id"]) == (charge, 590.0, again)
    assert (b["counterparty"], b["amount"]) == ("BAJAJ FINANCE LTD", 12_000.0)


def test_inward_bounce_with_return_line_and_its_charge():
    led = Ledger(opening=5_000.0)
    debit = led.debit("2024-06-05", 12_000, NACH, time="07:00:00")
    back = led.credit("2024-06-05", 12_000, "ACH DEBIT RETURN BAJAJ FINANCE LTD INSUFFICIENT FUNDS", time="19:00:00")
    charge = led.debit("2024-06-06", 590, "ACH RTN CHGS - INSUFFICIENT FUNDS/BAJAJ FINANCE LTD/UMRN1")
    df = prepare_transactions(led.records)
    bounces = detect_bounces(df)
    assert len(bounces) == 1
    b = bounces[0]
    assert (b["direction"], b["return_txn_id"], b["original_txn_id"], b["charge_txn_id"]) == (
        "inward", back, debit, charge)
    assert b["txn_ids"] == [back, debit, charge]
    assert not df.set_index("txnId").loc[back, "is_business_credit"]   # money returned, not earned


def test_outward_cheque_return_with_charge():
    led = Ledger(opening=10_000.0)
    cheque = led.credit("2024-01-10", 50_000, "BY CLG CHQ 123456 SUPREME AGENCIES")
    ret = led.debit("2024-01-12", 50_000, "CHQ RTN 123456 SUPREME AGENCIES FUNDS INSUFFICIENT", time="12:00:00")
    charge = led.debit("2024-01-12", 177, "CHQ RTN CHGS 123456", time="12:01:00")
    df = prepare_transactions(led.records)
    bounces = detect_bounces(df)
    assert len(bounces) == 1
    b = bounces[0]
    assert (b["direction"], b["instrument"], b["amount"], b["counterparty"]) == (
        "outward", "CHEQUE", 50_000.0, "SUPREME AGENCIES")
    assert (b["return_txn_id"], b["original_txn_id"], b["charge_txn_id"], b["charge_amount"]) == (
        ret, cheque, charge, 177.0)
    rows = df.set_index("txnId")
    assert rows.loc[cheque, "returned"] and not rows.loc[cheque, "is_business_credit"]


def test_circular_pair_and_near_misses():
    led = Ledger(opening=1_000_000.0)
    c1 = led.credit("2024-03-01", 300_000, "RTGS/UTIBR52024030112345678/ZENITH IMPEX/UTIB0000123", mode="FT")
    d1 = led.debit("2024-03-03", 295_000, "RTGS/HDFCR52024030312345678/ZENITH IMPEX/UTIB0000123", mode="FT")
    # five days apart: outside the 3-day window
    led.credit("2024-03-05", 100_000, "NEFT/HDFCN24065123456/ORBIT TRADING/HDFC0000240", mode="FT")
    led.debit("2024-03-10", 100_000, "NEFT/HDFCN24070123456/ORBIT TRADING/HDFC0000240", mode="FT")
    # next day but 20% apart in amount: outside the 10% tolerance
    led.credit("2024-03-12", 100_000, "NEFT/HDFCN24072123456/NOVA AGENCIES/HDFC0000240", mode="FT")
    led.debit("2024-03-13", 80_000, "NEFT/HDFCN24073123456/NOVA AGENCIES/HDFC0000240", mode="FT")
    pairs = find_circular_flows(prepare_transactions(led.records), CONFIG)
    assert pairs == [{"counterparty": "ZENITH IMPEX", "credit_txn_id": c1, "debit_txn_id": d1,
                      "credit_date": "2024-03-01", "debit_date": "2024-03-03", "credit_amount": 300_000.0,
                      "debit_amount": 295_000.0, "days_apart": 2, "month": "2024-03"}]


def test_one_debit_pairs_with_one_credit():
    led = Ledger(opening=0.0)
    led.credit("2024-03-01", 100_000, "NEFT/HDFCN24061123456/SKYLINE IMPEX/HDFC0000240", mode="FT")
    c2 = led.credit("2024-03-02", 100_000, "NEFT/HDFCN24062123456/SKYLINE IMPEX/HDFC0000240", mode="FT")
    d = led.debit("2024-03-03", 100_000, "NEFT/HDFCN24063123456/SKYLINE IMPEX/HDFC0000240", mode="FT")
    pairs = find_circular_flows(prepare_transactions(led.records), CONFIG)
    assert [(p["credit_txn_id"], p["debit_txn_id"], p["days_apart"]) for p in pairs] == [(c2, d, 1)]


def test_regular_inflow_confidence_follows_cv():
    led = Ledger(opening=0.0)
    # retainer: 50,000 / 50,000 / 52,000 / 48,000 -> mean 50,000, population std sqrt(2e6) = 1,414.21, cv 0.028284
    for month, amount in (("01", 50_000), ("02", 50_000), ("03", 52_000), ("04", 48_000)):
        led.credit(f"2024-{month}-15", amount, "NEFT/ICICN24015123456/PRIME FURNISHERS/ICIC0000104", mode="FT")
    df = prepare_transactions(led.records)
    inflows = regular_inflows(df, ["2024-01", "2024-02", "2024-03", "2024-04"], CONFIG["analytics"])
    assert len(inflows) == 1
    r = inflows[0]
    assert (r["counterparty"], r["typical_amount"], r["typical_day"], r["months_seen"]) == (
        "PRIME FURNISHERS", 50_000.0, 15, 4)
    assert abs(r["cv"] - 0.028284) < 1e-4                      # reported to 4 decimals
    assert abs(r["confidence"] - (1 - 2 * 0.0282843)) < 1e-4   # every month of its span seen


# ---- generated customers ------------------------------------------------------------------------
def _frame(customer_id: str, profile: str):
    gen = generated(customer_id, profile)
    return gen, prepare_transactions(gen.records["transactions"], gen.records["accounts"])


def test_fraud_profile_circular_flows_found_and_others_quiet():
    gen, df = _frame("CUST_MSM_00006", "fraud")
    pairs = find_circular_flows(df, CONFIG)
    assert len(pairs) >= 3
    truth = {(p["in"], p["out"]) for p in gen.truth["circular_pairs"]}
    found = {(p["credit_txn_id"], p["debit_txn_id"]) for p in pairs}
    assert len(found & truth) >= 0.8 * len(truth)
    for cid, profile in (("CUST_MSM_00001", "baseline"), ("CUST_MSM_00003", "high_debt"),
                         ("CUST_MSM_00008", "customer_concentration")):
        assert len(find_circular_flows(_frame(cid, profile)[1], CONFIG)) <= 1, cid


def test_high_debt_emis_match_the_planted_loans():
    gen, df = _frame("CUST_MSM_00003", "high_debt")
    emis = detect_emis(df, CONFIG, dt.date(2026, 11, 1))
    found = {(e["lender"], e["amount"]) for e in emis}
    planted = {(loan["lender"], loan["emi"]) for loan in gen.truth["emi_loans"]}
    assert planted <= found
    inward = [b for b in detect_bounces(df) if b["direction"] == "inward"]
    assert len(inward) == sum(loan["bounced_months"] for loan in gen.truth["emi_loans"])
