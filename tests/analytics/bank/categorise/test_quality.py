"""bench/quality_categories.py on a small real lake: truth leaves against the prepared transactions' leaves."""
from bench.quality_categories import evaluate
from pipeline.lake import Lake

CID = "CUST_QCT_00001"


def txn(i, narration, kind="DEBIT", mode="OTHERS"):
    return {"txnId": f"T{i}", "linkedAccRef": "A1", "type": kind, "mode": mode, "amount": 1000.0 + i,
            "currentBalance": 50_000.0, "transactionTimestamp": f"2024-01-{i + 1:02d}T10:00:00+05:30",
            "valueDate": f"2024-01-{i + 1:02d}", "narration": narration}


def write(tmp_path, truth):
    lake = Lake(tmp_path / "lake")
    lake.write_ndjson(lake.clean_path(CID, "transactions"), [
        txn(0, "ACH D- BAJAJ FINANCE LTD-P400PSI21234567"),
        txn(1, "ATW-652166XXXXXX7731-P3ENDL17-DELHI", mode="ATM"),
        txn(2, "UPI/CR/412345671234/RAMESH K/SBIN/ramesh@oksbi/UPI", kind="CREDIT", mode="UPI"),
    ])
    lake.write_json(lake.log_path(CID, "injected"), {"customer_id": CID, "truth": truth})
    return lake


def test_right_and_wrong_leaves_count_as_tp_and_as_fp_plus_fn(tmp_path):
    lake = write(tmp_path, {"categories_leaf": {"T0": "nbfc_loan_emi", "T1": "branch_cash_withdrawal",
                                                "T2": "upi_p2p_received", "T9": "salary_paid"}})
    out = evaluate(lake, CID)
    assert out["categories"] == {"tp": 2, "fp": 1, "fn": 1}          # T1 wrong leaf; T9 not in the clean layer
    assert out["categories_group"] == {"tp": 3, "fp": 0, "fn": 0}    # both cash withdrawals


def test_no_truth_leaves_means_nothing_to_score(tmp_path):
    assert evaluate(write(tmp_path, {"planted": {}}), CID) == {}
