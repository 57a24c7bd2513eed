"""Bureau summary on a hand-written report: DPD windows, events, flags, enquiries, utilisation."""
from __future__ import annotations

from datetime import date

import pytest

from analytics.bureau.summary import months_before, parse_payment_history, summarize_bureau
from tests.analytics.gst.test_summary import CONFIG, assert_metric_tree

AS_OF = date(2024, 7, 15)
REPORT = {"reportId": "R2", "bureau": "CIBIL", "reportDate": "2024-07-10"}

# Newest first from June 2024. Months before the as-of month (July 2024) in brackets:
#  Jun[1] 000, May[2] 030, Apr[3] 000, Mar[4] 060, Feb[5] XXX, Jan[6] 000, Dec-23[7] SUB(=90), Nov[8] STD,
#  Oct[9] 000, Sep[10] 000, Aug[11] 000, Jul-23[12] 000, Jun-23[13] 120, May-23..Jul-22 [14..24] 000,
#  Jun-22[25] 999 (outside every window).
HISTORY = "000030000060XXX000SUBSTD000000000000120" + "000" * 11 + "999"
# Windows (as-of month + N months before): 3m -> Jul..Apr: worst 30 (May); 6m -> ..Jan: 60 (Mar);
# 12m -> ..Jul-23: 90 (SUB in Dec-23); 24m -> ..Jul-22: 120 (Jun-23). The 999 sits 25 months back: ignored.
# 30+ events in 24 months: May(30), Mar(60), Dec(SUB 90), Jun-23(120) = 4; 60+: 3; 90+: 2.


def tradeline(number: str, **fields) -> dict:
    base = {**REPORT, "segment": "TRADELINE", "accountNumber": number, "lender": "HDFC Bank",
            "accountType": "TERM_LOAN", "ownership": "INDIVIDUAL", "dateOpened": "2021-01-10",
            "currentBalance": 0, "paymentHistory": "000", "paymentHistoryStartDate": "2024-06-01", "status": "ACTIVE"}
    return {**base, **fields}


def enquiry(day: str, lender: str = "Axis Bank") -> dict:
    return {**REPORT, "segment": "ENQUIRY", "enquiryDate": day, "lender": lender, "purpose": "BUSINESS_LOAN",
            "amount": 500_000}


@pytest.fixture
def report() -> list[dict]:
    return [
        {**REPORT, "segment": "HEADER", "score": 712, "name": "A", "pan": "ABCDE1234F"},
        tradeline("TL1", paymentHistory=HISTORY, currentBalance=400_000, emiAmount=18_000, amountOverdue=2_500,
                  sanctionedAmount=800_000, dateOpened="2019-03-05"),
        tradeline("CC1", accountType="CREDIT_CARD", lender="SBI Card", creditLimit=100_000, currentBalance=45_000),
        tradeline("OD1", accountType="OVERDRAFT", creditLimit=200_000, currentBalance=120_000),
        tradeline("CC2", accountType="CREDIT_CARD", creditLimit=50_000, currentBalance=50_000, status="CLOSED",
                  dateClosed="2023-01-01"),
        tradeline("GL1", accountType="GOLD_LOAN", status="CLOSED", writtenOffStatus="SETTLED", emiAmount=5_000),
        tradeline("GU1", ownership="GUARANTOR", emiAmount=30_000, currentBalance=900_000, suitFiled=True),
        # 30 days: after 2024-06-15 -> 07-10, 06-20 = 2; 3 months: after 2024-04-15 -> + 06-10, 05-01 = 4;
        # 6 months: after 2024-01-15 -> + 03-01 = 5; 12 months: after 2023-07-15 -> + 2023-09-01 = 6.
        *[enquiry(d) for d in ("2024-07-10", "2024-06-20", "2024-06-10", "2024-05-01", "2024-03-01",
                               "2023-09-01", "2023-06-01")],
        # An older pull of the same bureau must be ignored entirely.
        {"reportId": "R1", "bureau": "CIBIL", "reportDate": "2023-01-01", "segment": "HEADER", "score": 650},
        {"reportId": "R1", "bureau": "CIBIL", "reportDate": "2023-01-01", "segment": "ENQUIRY",
         "enquiryDate": "2024-07-01", "lender": "Old", "purpose": "X"},
    ]


def test_payment_history_grid():
    grid = parse_payment_history("000030SUBXXX", "2024-06-01", {"STD": 0, "SMA": 30, "SUB": 90, "DBT": 180, "LSS": 360})
    assert grid == [{"month": "2024-06", "code": "000", "dpd": 0}, {"month": "2024-05", "code": "030", "dpd": 30},
                    {"month": "2024-04", "code": "SUB", "dpd": 90}, {"month": "2024-03", "code": "XXX", "dpd": None}]


def test_worst_dpd_windows(report):
    m = summarize_bureau(report, AS_OF, CONFIG)["metrics"]
    assert [m[f"worst_dpd_{w}m"]["value"] for w in (3, 6, 12, 24)] == [30, 60, 90, 120]
    assert m["worst_dpd_12m"]["inputs"]["worst_month"] == "2023-12"
    assert m["worst_dpd_12m"]["inputs"]["worst_tradeline"] == "HDFC Bank:TL1"


def test_dpd_event_counts(report):
    m = summarize_bureau(report, AS_OF, CONFIG)["metrics"]
    assert m["dpd_30_plus_count"]["value"] == 4
    assert m["dpd_60_plus_count"]["value"] == 3
    assert m["dpd_90_plus_count"]["value"] == 2
    assert sorted(m["dpd_90_plus_count"]["inputs"]["events"]) == ["HDFC Bank:TL1@2023-06", "HDFC Bank:TL1@2023-12"]


def test_enquiry_windows_use_latest_report_only(report):
    out = summarize_bureau(report, AS_OF, CONFIG)
    m = out["metrics"]
    assert [m[k]["value"] for k in ("enquiries_30d", "enquiries_3m", "enquiries_6m", "enquiries_12m")] == [2, 4, 5, 6]
    assert m["bureau_score"]["value"] == 712 and out["report"]["reportId"] == "R2"
    assert len(out["enquiries"]) == 7


def test_utilisation_emi_and_exposure(report):
    m = summarize_bureau(report, AS_OF, CONFIG)["metrics"]
    # Active own revolving: CC1 45,000 / 1,00,000 and OD1 1,20,000 / 2,00,000 -> 1,65,000 / 3,00,000 = 0.55
    # (closed CC2 is out).
    assert m["revolving_utilisation"]["value"] == 0.55
    # EMI: TL1 18,000 only (GL1 closed, GU1 is a guarantee).
    assert m["total_emi_burden"]["value"] == 18_000
    assert m["total_outstanding"]["value"] == 400_000 + 45_000 + 120_000
    assert m["total_overdue"]["value"] == 2_500
    assert m["active_tradelines"]["value"] == 4 and m["closed_tradelines"]["value"] == 2
    # Oldest: TL1 opened March 2019 -> July 2024 is 64 months.
    assert m["oldest_tradeline_months"]["value"] == 64


def test_flags_name_their_tradelines(report):
    m = summarize_bureau(report, AS_OF, CONFIG)["metrics"]
    assert m["written_off"]["value"] is False and m["written_off"]["inputs"]["tradelines"] == []
    assert m["settled"]["value"] is True and m["settled"]["inputs"]["tradelines"] == ["HDFC Bank:GL1"]
    assert m["suit_filed"]["value"] is True and m["suit_filed"]["inputs"]["tradelines"] == ["HDFC Bank:GU1"]


def test_table_and_shape(report):
    out = summarize_bureau(report, AS_OF, CONFIG)
    tl1 = next(t for t in out["tradelines"] if t["accountNumber"] == "TL1")
    assert tl1["dpd_grid"][:2] == [{"month": "2024-06", "code": "000", "dpd": 0},
                                   {"month": "2024-05", "code": "030", "dpd": 30}]
    assert len(tl1["dpd_grid"]) == 25   # 13 + 11 + 1 months
    assert tl1["dpd_grid"][-1] == {"month": "2022-06", "code": "999", "dpd": 999}
    assert assert_metric_tree(out) == 22


def test_window_excludes_future_months_and_all_xxx_is_missing():
    segs = [{**REPORT, "segment": "HEADER", "score": 700},
            tradeline("F1", paymentHistory="090000", paymentHistoryStartDate="2024-09-01"),  # Sep, Aug: future
            tradeline("X1", paymentHistory="XXXXXX")]
    m = summarize_bureau(segs, AS_OF, CONFIG)["metrics"]
    assert m["worst_dpd_3m"]["value"] is None and "3 months" in m["worst_dpd_3m"]["reason"]
    assert m["dpd_30_plus_count"]["value"] == 0


def test_no_bureau_data_is_missing():
    out = summarize_bureau([], AS_OF, CONFIG)
    assert all(v["value"] is None and v["reason"] == "no credit bureau data delivered" for v in out["metrics"].values())
    assert out["tradelines"] == [] and assert_metric_tree(out) == 22


def test_months_before_clamps_day():
    assert months_before(date(2024, 5, 31), 3) == date(2024, 2, 29)
    assert months_before(date(2024, 1, 15), 1) == date(2023, 12, 15)
