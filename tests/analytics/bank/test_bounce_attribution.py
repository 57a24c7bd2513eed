"""Bounce attribution: a return charge is booked to the lender whose mandate bounced, not the next EMI's."""
import pandas as pd
import pytest

from analytics.bank.bounce_attribution import attribute_bounce, references
from bench.quality_bank import bounce_quality, same_lender, evaluate


def _emis(rows):
    return pd.DataFrame([{"txnId": t, "date": pd.Timestamp(d), "amount": a, "counterparty": p, "narration": n}
                         for t, d, a, p, n in rows])


EMIS = _emis([
    ("E1", "2026-05-05", 25000.0, "KOTAK MAHINDRA BANK", "NACH/ACH DR/KOTAK MAHINDRA BANK/KKBK7000000000000111"),
    ("E2", "2026-05-07", 18400.0, "FLEXILOANS", "NACH/ACH DR/FLEXILOANS/UTIB7000000000000222"),
    ("E3", "2026-06-05", 25000.0, "KOTAK MAHINDRA BANK", "NACH/ACH DR/KOTAK MAHINDRA BANK/KKBK7000000000000111"),
    ("E4", "2026-06-09", 18400.0, "FLEXILOANS", "NACH/ACH DR/FLEXILOANS/UTIB7000000000000222"),
])


def test_umrn_beats_the_next_emi_of_another_lender():
    # Kotak's EMI (E3) is the first debit after the return, but the UMRN is Flexiloans' mandate
    got = attribute_bounce(EMIS, "NACH RTN CHRG INSUFFICIENT FUNDS UTIB7000000000000222", None,
                           pd.Timestamp("2026-06-03"), None, 10)
    assert got["lender"] == "FLEXILOANS"
    assert got["attribution"] == "mandate_reference"
    assert got["mandate_reference"] == "UTIB7000000000000222"
    assert set(got["evidence_txn_ids"]) <= {"E2", "E4"}


def test_amount_then_date_then_unattributed():
    by_amount = attribute_bounce(EMIS, "ACH RETURN CHARGES", None, pd.Timestamp("2026-06-02"), 18400.0, 10)
    assert (by_amount["lender"], by_amount["attribution"]) == ("FLEXILOANS", "amount_date")
    # both lenders debit within ten days and the amount is unknown: no guess
    ambiguous = attribute_bounce(EMIS, "ACH RETURN CHARGES", None, pd.Timestamp("2026-06-01"), None, 10)
    assert ambiguous == {"lender": None, "attribution": "unattributed", "mandate_reference": None,
                         "evidence_txn_ids": []}
    only_one = attribute_bounce(EMIS, "ACH RETURN CHARGES", None, pd.Timestamp("2026-06-07"), None, 10)
    assert (only_one["lender"], only_one["attribution"]) == ("FLEXILOANS", "date")


def test_references_are_long_tokens_with_digits():
    assert references("NACH RTN CHRG INSUFFICIENT FUNDS/ICIC7123456789012345") == ["ICIC7123456789012345"]
    assert references("ACH RETURN CHARGES INSUFFICIENT FUNDS") == []


def test_quality_counts_a_wrong_lender_as_both_errors():
    events = [{"txn_ids": ["C1"], "counterparty": "KOTAK MAHINDRA BANK", "attribution": "date"},
              {"txn_ids": ["C2"], "counterparty": "AXIS BANK", "attribution": "mandate_reference"},
              {"txn_ids": ["C9"], "counterparty": "IDFC FIRST BANK", "attribution": "date"}]
    planted = [{"txn_id": "C1", "lender": "FLEXILOANS", "umrn": "x"},
               {"txn_id": "C2", "lender": "AXIS BANK LTD", "umrn": "y"},
               {"txn_id": "C3", "lender": "AXIS BANK LTD", "umrn": "y"}]
    assert bounce_quality(events, planted) == {"tp": 1, "fp": 2, "fn": 2}
    assert same_lender("AXIS BANK LTD", "Axis Bank") and not same_lender("AXIS BANK", "KOTAK MAHINDRA BANK")


@pytest.mark.parametrize("customer_id, planted", [("CUST_MSM_00003", 5), ("CUST_MSM_00007", 4)])
def test_demo_bounces_go_to_the_planted_lender(demo_lake, customer_id, planted):
    truth = demo_lake.read_json(demo_lake.log_path(customer_id, "injected"))["truth"]["planted"]
    assert len(truth["bounce_attribution"]) == planted
    assert evaluate(demo_lake, customer_id) == {"bounce_attribution": {"tp": planted, "fp": 0, "fn": 0}}


def test_every_demo_customer_attributes_every_planted_bounce(demo_lake, config):
    for customer_id in config["demo_customers"]:
        counts = evaluate(demo_lake, customer_id)["bounce_attribution"]
        assert counts["fp"] == 0 and counts["fn"] == 0, (customer_id, counts)


def test_smart_collect_warns_the_lender_whose_mandate_bounced(demo_lake, config):
    from datetime import date

    from analytics.bank.statement import prepare_transactions
    from analytics.collect.plan import plan_collections

    cid = "CUST_MSM_00007"  # a Flexiloans (EPIMONEY) mandate bounced; Kotak's EMI is the next debit after it
    accounts = demo_lake.read_clean(cid, "accounts")
    txns = prepare_transactions(demo_lake.read_clean(cid, "transactions"), accounts)
    bank = demo_lake.read_json(demo_lake.analytics_path(cid, "transaction_summary"))
    credit = demo_lake.read_json(demo_lake.analytics_path(cid, "credit_summary"))
    signals = plan_collections(txns, bank, credit, date(2026, 11, 1), config, accounts)["risk_signals"]
    bounced = {s["lender"] for s in signals if "bounce" in s["signal"]}
    assert bounced == {"EPIMONEY PVT LTD FLEXILOANS"}
