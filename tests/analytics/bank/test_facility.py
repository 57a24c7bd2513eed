"""OD/CC conduct on a hand-built overdraft statement: every expected figure is worked out in the comments.

The ledger: account ACC1 with an overdraft of 1,00,000 sanctioned and a drawing power of 80,000, opening at 0.

    Jan 02  supplier  -50,000  -> -50,000   (inside drawing power)
    Jan 10  supplier  -40,000  -> -90,000   (beyond drawing power, inside the limit)
    Jan 15  buyer     +30,000  -> -60,000
    Jan 31  interest     -700  -> -60,700   credits in Jan 30,000 >= 700: serviced
    Feb 05  supplier  -50,000  -> -1,10,700 (beyond the limit)
    Feb 08  buyer     +20,000  -> -90,700
    Feb 29  interest     -900  -> -91,600   credits in Feb 20,000 >= 900: serviced
    Mar 31  interest     -950  -> -92,550   no credit in March: unserviced
    Apr 30  interest   -1,000  -> -93,550   no credit in April: unserviced (two months running)

End-of-day balances, Jan 2 .. Apr 30 (120 days): Jan 2-9 -50,000 (8) | Jan 10-14 -90,000 (5) |
Jan 15-30 -60,000 (16) | Jan 31-Feb 4 -60,700 (5) | Feb 5-7 -1,10,700 (3) | Feb 8-28 -90,700 (21) |
Feb 29-Mar 30 -91,600 (31) | Mar 31-Apr 29 -92,550 (30) | Apr 30 -93,550 (1).
"""
from __future__ import annotations

import datetime as dt

import pytest

from analytics.bank.facility import facility_terms
from analytics.bank.statement import prepare_transactions
from analytics.bank.summary import summarize_transactions
from tests.analytics.bank.test_statement import Ledger
from tests.analytics.bank.test_summary import CONFIG

AS_OF = dt.date(2024, 5, 1)
SUPPLIER = "NEFT/HDFCN24010123456/SHREE GANESH TRADERS/HDFC0001234"
BUYER = "NEFT/ICICN24020654321/SUPREME AGENCIES/ICIC0000104"


def od_account(limit: float = 100_000.0, drawing: float = 80_000.0, facility: str = "OD") -> dict:
    return {"linkedAccRef": "ACC1", "maskedAccNumber": "XXXX1234",
            "summary": {"facility": facility, "currentODLimit": limit, "drawingLimit": drawing, "type": "CURRENT"}}


def overdraft_ledger() -> Ledger:
    led = Ledger(opening=0.0)
    led.debit("2024-01-02", 50_000, SUPPLIER, mode="FT")
    led.debit("2024-01-10", 40_000, SUPPLIER, mode="FT")
    led.credit("2024-01-15", 30_000, BUYER, mode="FT")
    led.debit("2024-01-31", 700, "INT.COLL:1234:01-01-2024 TO 31-01-2024", time="23:00:00")
    led.debit("2024-02-05", 50_000, SUPPLIER, mode="FT")
    led.credit("2024-02-08", 20_000, BUYER, mode="FT")
    led.debit("2024-02-29", 900, "INT.COLL:1234:01-02-2024 TO 29-02-2024", time="23:00:00")
    led.debit("2024-03-31", 950, "INT.COLL:1234:01-03-2024 TO 31-03-2024", time="23:00:00")
    led.debit("2024-04-30", 1_000, "INT.COLL:1234:01-04-2024 TO 30-04-2024", time="23:00:00")
    return led


def run(accounts: list[dict], bureau_emi=None) -> dict:
    df = prepare_transactions(overdraft_ledger().records, accounts)
    return summarize_transactions(df, accounts, AS_OF, CONFIG, bureau_emi=bureau_emi)


def test_facility_terms():
    assert facility_terms(od_account()) == {"facility": "OD", "limit": 100_000.0, "drawing_power": 80_000.0,
                                            "threshold": -80_000.0}
    # no drawing limit given: the sanctioned limit is the drawing power
    assert facility_terms(od_account(drawing=0.0))["threshold"] == -100_000.0
    assert facility_terms(od_account(facility="NONE")) is None
    assert facility_terms(od_account(limit=0.0, drawing=0.0)) is None


def test_negative_balance_inside_the_limit_is_use_not_overdrawn():
    m = run([od_account()])["metrics"]
    # below -80,000 (drawing power): Jan 10-14 (5) + Feb 5-7 (3) + Feb 8-28 (21) + Feb 29-Apr 30 (62) = 91
    assert m["negative_balance_days"]["value"] == 91
    assert m["negative_balance_days"]["inputs"]["dates"][:6] == ["2024-01-10", "2024-01-11", "2024-01-12",
                                                                 "2024-01-13", "2024-01-14", "2024-02-05"]
    assert "drawing power" in m["negative_balance_days"]["formula"]
    assert m["days_over_drawing_power"]["value"] == 91
    # below -1,00,000 (sanctioned limit): Feb 5, 6, 7 only
    assert m["days_over_limit"]["value"] == 3
    assert m["days_over_limit"]["inputs"]["dates"] == ["2024-02-05", "2024-02-06", "2024-02-07"]


def test_same_statement_without_a_facility_is_overdrawn_every_day():
    m = run([od_account(facility="NONE")])["metrics"]
    assert m["negative_balance_days"]["value"] == 120              # every day of Jan 2 .. Apr 30
    for key in ("days_over_limit", "od_cc_utilisation", "od_cc_peak_utilisation", "months_interest_unserviced"):
        assert m[key]["value"] is None and m[key]["applicable"] is False, key
        assert m[key]["reason"].startswith("not applicable")


def test_drawing_power_equal_to_the_limit():
    m = run([od_account(drawing=100_000.0)])["metrics"]
    assert m["negative_balance_days"]["value"] == 3 and m["days_over_drawing_power"]["value"] == 3


def test_utilisation_average_and_peak():
    m = run([od_account()])["metrics"]
    # drawn per day: 8 x 50,000 + 5 x 90,000 + 16 x 60,000 + 5 x 60,700 + 3 x 1,10,700 + 21 x 90,700
    #   + 31 x 91,600 + 30 x 92,550 + 1 x 93,550 = 1,00,59,950 over 120 days = 83,832.92 -> / 1,00,000
    assert m["od_cc_utilisation"]["value"] == pytest.approx(0.8383, abs=1e-4)
    assert m["od_cc_peak_utilisation"]["value"] == pytest.approx(1.107, abs=1e-4)
    assert m["od_cc_peak_utilisation"]["inputs"]["date"] == "2024-02-05"


def test_interest_servicing():
    out = run([od_account()])
    m = out["metrics"]
    assert [(r["month"], r["interest_debited"], r["credits"], r["serviced"]) for r in out["od_cc"]["interest_months"]] \
        == [("2024-01", 700.0, 30_000.0, True), ("2024-02", 900.0, 20_000.0, True),
            ("2024-03", 950.0, 0.0, False), ("2024-04", 1_000.0, 0.0, False)]
    assert m["months_interest_unserviced"]["value"] == 2
    assert m["months_interest_unserviced"]["inputs"]["months"] == ["2024-03", "2024-04"]
    assert m["months_interest_unserviced"]["inputs"]["longest_run_months"] == 2
    assert m["od_cc_interest_monthly_avg"]["value"] == pytest.approx(887.5)   # 3,550 / 4 months
    account = out["od_cc"]["accounts"][0]
    assert (account["days_over_limit"], account["days_over_drawing_power"], account["days_drawn"]) == (3, 91, 120)


def test_every_statement_metric_carries_the_statement_window():
    out = run([od_account()])
    for key, found in out["metrics"].items():
        assert found["window"] == {"from": "2024-01", "to": "2024-04", "months": 4,
                                   "label": "bank statement 2024-01-02 to 2024-04-30 (4 calendar months)"}, key


def test_dscr_not_applicable_without_any_debt_service():
    m = run([od_account()], bureau_emi=0.0)["metrics"]
    assert m["dscr"]["value"] is None and m["dscr"]["applicable"] is False
    assert m["dscr"]["reason"] == "not applicable: no debt service"
    assert m["dscr"]["inputs"]["bureau_checked"] == "no bureau EMI burden"
    assert m["foir"]["value"] == 0.0


def test_dscr_missing_when_the_bureau_shows_emis_the_statement_does_not_carry():
    m = run([od_account()], bureau_emi=25_000.0)["metrics"]
    assert m["dscr"]["value"] is None and "applicable" not in m["dscr"]
    assert "25,000" in m["dscr"]["reason"]
