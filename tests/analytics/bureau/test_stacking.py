"""Loan stacking: new loans from three lenders inside 90 days, each tied to its enquiry and bank disbursal."""
from datetime import date

import pandas as pd

from analytics.bureau.stacking import detect_loan_stacking, lender_key

AS_OF = date(2026, 11, 1)


def _trade(lender, opened, amount, acc):
    return {"lender": lender, "dateOpened": opened, "sanctionedAmount": amount, "accountNumber": acc,
            "accountType": "BUSINESS_LOAN"}


def _txns(rows):
    return pd.DataFrame([{"txnId": t, "date": pd.Timestamp(d), "amount": a, "type": "CREDIT", "category": c}
                         for t, d, a, c in rows])


TRADES = [_trade("YES BANK LTD", "2021-01-10", 900000, "OLD1"),
          _trade("LENDINGKART FINANCE LTD", "2026-07-02", 500000, "A1"),
          _trade("INDIFI TECHNOLOGIES PVT LTD", "2026-07-20", 300000, "A2"),
          _trade("Protium Finance Limited", "2026-08-25", 800000, "A3")]
ENQUIRIES = [{"lender": "LENDINGKART FINANCE", "enquiryDate": "2026-06-20"},
             {"lender": "INDIFI TECHNOLOGIES PVT LTD", "enquiryDate": "2026-05-01"},  # too early to be its enquiry
             {"lender": "PROTIUM FINANCE LTD", "enquiryDate": "2026-08-20"}]
TXNS = _txns([("D1", "2026-07-04", 490000.0, "loan_disbursal"),
              ("D2", "2026-07-21", 150000.0, "loan_disbursal"),  # half the sanction: not its disbursal
              ("S1", "2026-08-26", 784000.0, "upi_sales"),         # right amount, not a disbursal
              ("D3", "2026-08-27", 784000.0, "loan_disbursal")])


def test_three_lenders_in_ninety_days_is_stacking_with_links():
    got = detect_loan_stacking(TRADES, ENQUIRIES, TXNS, AS_OF)
    assert got["value"] is True
    assert [t["accountNumber"] for t in got["items"]] == ["A1", "A2", "A3"]
    assert [t["enquiry_date"] for t in got["items"]] == ["2026-06-20", None, "2026-08-20"]
    assert [t["disbursal_txn_id"] for t in got["items"]] == ["D1", None, "D3"]
    assert set(got["record_ids"]) == {"A1", "A2", "A3", "D1", "D3"}
    assert "90 days" in got["formula"]


def test_two_lenders_or_spread_out_loans_are_not_stacking():
    assert detect_loan_stacking(TRADES[:3], ENQUIRIES, TXNS, AS_OF)["value"] is False
    spread = TRADES[:3] + [_trade("PROTIUM FINANCE LTD", "2026-10-15", 800000, "A3")]  # 105 days after A1
    got = detect_loan_stacking(spread, ENQUIRIES, TXNS, AS_OF)
    assert got["value"] is False and len({t["lender"] for t in got["items"]}) == 2
    assert detect_loan_stacking([], [], TXNS.iloc[0:0], AS_OF)["value"] is False


def test_lender_spellings_compare_equal():
    assert lender_key("Protium Finance Limited") == lender_key("PROTIUM FINANCE LTD.") == "PROTIUM FINANCE"


def test_every_demo_credit_summary_carries_the_signal(demo_lake, config):
    for cid in config["demo_customers"]:
        stacking = demo_lake.read_json(demo_lake.analytics_path(cid, "credit_summary"))["loan_stacking"]
        assert stacking["unit"] == "flag" and isinstance(stacking["value"], bool)
        assert all(t["accountNumber"] in stacking["record_ids"] for t in stacking["items"])
