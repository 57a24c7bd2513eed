"""Each anomaly rule on a small statement built to trip it (and a near miss that must not)."""
from datetime import date

from analytics.anomalies.rules import detect_rule_anomalies, is_bank_holiday
from analytics.bank.statement import prepare_transactions


def txn(i, ts, kind, amount, narration, mode="UPI"):
    return {"linkedAccRef": "A1", "txnId": f"T{i}", "type": kind, "mode": mode, "amount": amount,
            "currentBalance": 0.0, "transactionTimestamp": ts, "valueDate": ts[:10], "narration": narration}


def rules_of(records, bank=None, gst=None):
    frame = prepare_transactions(records)
    report = detect_rule_anomalies(frame, bank or {}, gst or {}, {})
    return {r["id"]: r for r in report["rules"]}, report


def test_bank_holidays():
    assert is_bank_holiday(date(2024, 1, 26))        # Republic Day
    assert is_bank_holiday(date(2024, 3, 9))         # second Saturday
    assert not is_bank_holiday(date(2024, 3, 2))     # first Saturday
    assert is_bank_holiday(date(2024, 3, 10))        # Sunday
    assert not is_bank_holiday(date(2024, 3, 11))


def test_round_cash_on_a_holiday_and_duplicate_ids():
    records = [
        txn(1, "2024-03-10T11:00:00+05:30", "CREDIT", 200000.0, "CASH DEPOSIT BY SELF", "CASH"),   # Sunday, round
        txn(2, "2024-03-11T11:00:00+05:30", "CREDIT", 45000.0, "CASH DEPOSIT BY SELF", "CASH"),    # below minimum
        txn(3, "2024-03-12T11:00:00+05:30", "CREDIT", 60500.0, "CASH DEPOSIT BY SELF", "CASH"),    # not round
        txn(4, "2024-03-13T11:00:00+05:30", "DEBIT", 500.0, "UPI/DR/1/TEA STALL/ybl/x"),
        {**txn(4, "2024-03-13T12:00:00+05:30", "DEBIT", 5000.0, "UPI/DR/1/TEA STALL/ybl/x")},  # same id, other amount
    ]
    rules, report = rules_of(records)
    assert [f["txnId"] for f in rules["round_cash_deposit"]["flagged"]] == ["T1"]
    assert [f["txnId"] for f in rules["holiday_credit"]["flagged"]] == ["T1"]
    assert rules["duplicate_txn_id"]["count"]["value"] == 2
    assert report["severity"] == "HIGH"


def test_late_night_burst_needs_three_in_one_night():
    night = [txn(i, f"2024-03-13T0{i}:10:00+05:30", "DEBIT", 100.0, "UPI/DR/1/SHOP/ybl/x") for i in range(1, 4)]
    two = [txn(10 + i, f"2024-03-14T0{i}:10:00+05:30", "DEBIT", 100.0, "UPI/DR/1/SHOP/ybl/x") for i in range(1, 3)]
    rules, _ = rules_of(night + two)
    assert sorted(f["txnId"] for f in rules["late_night_burst"]["flagged"]) == ["T1", "T2", "T3"]


def test_amount_outlier_uses_the_customers_own_history():
    usual = [txn(i, f"2024-03-{1 + i % 28:02d}T10:00:00+05:30", "DEBIT", 1000.0 + 10 * (i % 9),
                 "UPI/DR/1/SHOP/ybl/x") for i in range(40)]
    spike = txn(99, "2024-03-15T10:00:00+05:30", "DEBIT", 90000.0, "UPI/DR/1/SHOP/ybl/x")
    rules, _ = rules_of(usual + [spike])
    assert [f["txnId"] for f in rules["amount_outlier"]["flagged"]] == ["T99"]


def test_circular_flows_and_gst_indicators_are_carried_with_their_evidence():
    bank = {"circular_flows": [{"counterparty": "X TRADERS", "credit_txn_id": "C1", "debit_txn_id": "D1",
                                "credit_date": "2024-03-01", "credit_amount": 500000.0, "days_apart": 2}]}
    gst = {"fraud_indicators": {"severity": "MEDIUM", "indicators": [{"code": "late_filing", "title": "Late filing",
                                                                       "severity": "MEDIUM", "months": ["2024-01"]}]}}
    rules, _ = rules_of([txn(1, "2024-03-13T10:00:00+05:30", "DEBIT", 10.0, "CHRG")], bank, gst)
    assert rules["circular_flow"]["flagged"][0]["debit_txn_id"] == "D1"
    assert rules["gst_fraud_indicator"]["severity"] == "MEDIUM"
    assert rules["gst_fraud_indicator"]["flagged"][0]["code"] == "late_filing"
