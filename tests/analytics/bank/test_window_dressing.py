"""Window dressing on hand-built statements: each pattern fires on its case and stays quiet on ordinary flows."""
from __future__ import annotations

import datetime as dt

from analytics.bank.statement import prepare_transactions
from analytics.bank.window_dressing import KINDS, detect_window_dressing
from tests.analytics.bank.test_statement import Ledger

CONFIG = {"analytics": {"abb_days": [5, 15, 25]}}
AS_OF = dt.date(2024, 8, 1)
MONTHS = ("2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06", "2024-07")
NACH = "NACH/ACH DR/BAJAJ FINANCE LTD/HDFC7000000012345"


def ordinary(led: Ledger, months=MONTHS, month_end_cash: float = 0.0) -> None:
    """Seven months of an ordinary shop: UPI sales every other day, a regular buyer on the 10th, a regular
    supplier on the 12th, the owner's sweep on the 16th (and, optionally, a big cash deposit every month end)."""
    for m in months:
        for d in range(1, 29, 2):
            led.credit(f"{m}-{d:02d}", 3_000, f"UPI/CR/40{d:02d}12345678/RAVI KUMAR/okaxis/Payment", mode="UPI",
                       time="12:00:00")
        led.credit(f"{m}-10", 60_000, "NEFT/ICICN24010654321/SUPREME AGENCIES/ICIC0000104", mode="FT")
        led.debit(f"{m}-12", 40_000, "NEFT/HDFCN24010123456/SHREE GANESH TRADERS/HDFC0001234", mode="FT")
        led.debit(f"{m}-16", 30_000, "IMPS/P2A/401612345678/SELF/OWN A/C TRF", mode="FT", time="19:00:00")
        if month_end_cash:
            led.credit(f"{m}-28", month_end_cash, "CASH DEPOSIT BY SELF", mode="CASH", time="11:00:00")
            led.debit(f"{m}-29", month_end_cash, "IMPS/P2A/402912345678/SELF/OWN A/C TRF", mode="FT",
                      time="19:00:00")


def detect(led: Ledger, accounts=None) -> dict:
    return detect_window_dressing(prepare_transactions(led.records, accounts), AS_OF, CONFIG, accounts)


def counts(found: dict) -> dict:
    return {k: found[k]["value"] for k in (*KINDS, "summary")}


def test_ordinary_statement_has_no_case():
    led = Ledger(opening=100_000.0)
    ordinary(led)
    assert counts(detect(led)) == dict.fromkeys((*KINDS, "summary"), 0)


def test_large_credit_withdrawn_within_two_days_to_new_parties():
    led = Ledger(opening=100_000.0)
    ordinary(led)
    credit = led.credit("2024-03-07", 250_000, "RTGS/UTIBR52024030712345678/APEX TRADELINKS/UTIB0000123", mode="FT",
                        time="11:00:00")
    out1 = led.debit("2024-03-08", 150_000, "NEFT/HDFCN24068123456/ZENITH ENTERPRISES/HDFC0000999", mode="FT")
    out2 = led.debit("2024-03-09", 75_000, "CASH WDL SELF CHQ 123456", mode="OTHERS")
    found = detect(led)
    assert counts(found)["large_credit_withdrawn"] == 1 and counts(found)["summary"] == 1
    item = found["large_credit_withdrawn"]["items"][0]
    assert (item["credit_txn_id"], item["date"], item["amount"]) == (credit, "2024-03-07", 250_000.0)
    assert item["related_txn_ids"] == [out1, out2]
    assert found["large_credit_withdrawn"]["inputs"]["credit_txn_ids"] == [credit]
    assert found["summary"]["inputs"]["related_txn_ids"] == [out1, out2]


def test_large_credit_spent_on_routine_payees_obligations_or_later_is_not_dressing():
    led = Ledger(opening=100_000.0)
    ordinary(led)
    # a big order from the regular buyer, paid on to the regular supplier the next day: trade
    led.credit("2024-03-07", 250_000, "NEFT/ICICN24067654321/SUPREME AGENCIES/ICIC0000104", mode="FT")
    led.debit("2024-03-08", 230_000, "NEFT/HDFCN24068123456/SHREE GANESH TRADERS/HDFC0001234", mode="FT")
    # a new party's payment funding EMIs and salaries: obligations, not a withdrawal
    led.credit("2024-04-07", 250_000, "RTGS/UTIBR52024040712345678/APEX TRADELINKS/UTIB0000123", mode="FT")
    led.debit("2024-04-08", 220_000, NACH)
    # a new party's money leaving four days later: not within two days
    led.credit("2024-05-07", 250_000, "RTGS/UTIBR52024050712345678/NOVA IMPEX/UTIB0000123", mode="FT")
    led.debit("2024-05-11", 240_000, "NEFT/HDFCN24132123456/ZENITH ENTERPRISES/HDFC0000999", mode="FT")
    # a far larger payment after a large credit was not funded by it
    led.credit("2024-06-07", 80_000, "RTGS/UTIBR52024060712345678/ORBIT IMPEX/UTIB0000123", mode="FT")
    led.debit("2024-06-08", 900_000, "RTGS/HDFCR52024060812345678/PRIME METALS/HDFC0000999", mode="FT")
    assert counts(detect(led))["large_credit_withdrawn"] == 0


def emi_months(led: Ledger, day: str = "10") -> list[str]:
    """A 25,000 Bajaj EMI on the 10th of every month (lines appended after the month's others: callers that need
    a true running balance re-sort with :func:`rebalanced`)."""
    return [led.debit(f"{m}-{day}", 25_000, NACH, time="07:00:00") for m in MONTHS]


def test_cash_paid_in_the_evening_before_an_emi_the_balance_could_not_carry():
    led = Ledger(opening=100_000.0)
    ordinary(led)
    emis = emi_months(led)
    # the account run down to 5,000 the evening before April's EMI, then 25,000 of cash paid in
    drain = led.debit("2024-04-09", 0.0, "RTGS/HDFCR52024040912345678/NAVKAR ENTERPRISES/HDFC0009", mode="FT",
                      time="18:00:00")
    cash = led.credit("2024-04-09", 25_000, "CDM DEPOSIT PUNE 412", mode="CASH", time="21:00:00")
    led.records.sort(key=lambda r: r["transactionTimestamp"])
    rebalanced(led.records, 100_000.0)
    line = next(r for r in led.records if r["txnId"] == drain)
    line["amount"] = line["currentBalance"] - 5_000
    rebalanced(led.records, 100_000.0)
    found = detect(led)
    assert counts(found)["cash_before_emi"] == 1
    item = found["cash_before_emi"]["items"][0]
    assert (item["credit_txn_id"], item["related_txn_ids"], item["date"]) == (cash, [emis[3]], "2024-04-10")
    assert "25,000" in item["explanation"]


def rebalanced(records: list[dict], opening: float) -> list[dict]:
    """Records in time order with their running balance recomputed (lines were added out of order)."""
    bal = opening
    for r in records:
        bal = round(bal + (r["amount"] if r["type"] == "CREDIT" else -r["amount"]), 2)
        r["currentBalance"] = bal
    return records


def test_cash_on_emi_day_when_the_balance_was_enough_is_not_dressing():
    led = Ledger(opening=200_000.0)
    ordinary(led)
    for m in MONTHS:
        led.credit(f"{m}-09", 20_000, "CASH DEPOSIT BY SELF", mode="CASH", time="15:00:00")
    emi_months(led)
    led.records.sort(key=lambda r: r["transactionTimestamp"])
    rebalanced(led.records, 200_000.0)
    assert counts(detect(led))["cash_before_emi"] == 0


def overdraft(limit: float) -> list[dict]:
    return [{"linkedAccRef": "ACC1", "summary": {"facility": "OD", "currentODLimit": limit}}]


def test_an_overdraft_limit_carries_the_emi_so_the_deposit_rescued_nothing():
    led = Ledger(opening=5_000.0)
    led.credit("2024-04-09", 30_000, "CASH DEPOSIT BY SELF", mode="CASH", time="15:00:00")
    led.debit("2024-04-10", 25_000, NACH, time="07:00:00")
    assert counts(detect(led))["cash_before_emi"] == 1          # read as a current account: 5,000 was short
    assert counts(detect(led, overdraft(200_000.0)))["cash_before_emi"] == 0


def test_deposits_that_cover_only_a_small_part_of_the_gap_are_not_the_rescue():
    led = Ledger(opening=5_000.0)
    led.credit("2024-04-08", 5_000, "CASH DEPOSIT BY SELF", mode="CASH", time="11:00:00")
    led.credit("2024-04-09", 30_000, "NEFT/ICICN24010654321/SUPREME AGENCIES/ICIC0000104", mode="FT")
    led.debit("2024-04-10", 25_000, NACH, time="07:00:00")
    assert counts(detect(led))["cash_before_emi"] == 0


def test_credits_bunched_before_an_abb_day_and_taken_out_after():
    led = Ledger(opening=100_000.0)
    ordinary(led)
    ins = [led.credit("2024-05-13", 70_000, "CASH DEPOSIT BY SELF", mode="CASH", time="11:00:00"),
           led.credit("2024-05-14", 60_000, "IMPS/P2A/413512345678/SUNIL MEHTA/PAYMENT", mode="FT"),
           led.credit("2024-05-14", 50_000, "NEFT/HDFCN24135123456/RAJESH GUPTA/HDFC0000456", mode="FT",
                      time="15:00:00")]
    out = led.debit("2024-05-17", 170_000, "RTGS/HDFCR52024051712345678/NAVKAR ENTERPRISES/HDFC0000999", mode="FT")
    found = detect(led)
    assert counts(found)["credits_bunched"] == 1
    assert counts(found)["large_credit_withdrawn"] == 0      # its credits are one case, not several
    item = found["credits_bunched"]["items"][0]
    assert item["credit_txn_ids"] == ins and out in item["related_txn_ids"]
    assert item["date"] == "2024-05-13"


def test_a_business_whose_credits_always_land_at_month_end_is_not_flagged_for_it():
    led = Ledger(opening=100_000.0)
    ordinary(led, month_end_cash=150_000.0)
    assert counts(detect(led))["credits_bunched"] == 0


def test_bunched_credits_that_stay_in_the_account_are_not_dressing():
    led = Ledger(opening=100_000.0)
    ordinary(led)
    led.credit("2024-05-13", 70_000, "CASH DEPOSIT BY SELF", mode="CASH", time="11:00:00")
    led.credit("2024-05-14", 60_000, "IMPS/P2A/413512345678/SUNIL MEHTA/PAYMENT", mode="FT")
    assert counts(detect(led))["credits_bunched"] == 0


def test_thresholds_come_from_config_and_lines_after_as_of_are_ignored():
    led = Ledger(opening=100_000.0)
    ordinary(led)
    led.credit("2024-03-07", 250_000, "RTGS/UTIBR52024030712345678/APEX TRADELINKS/UTIB0000123", mode="FT")
    led.debit("2024-03-08", 230_000, "NEFT/HDFCN24068123456/ZENITH ENTERPRISES/HDFC0000999", mode="FT")
    df = prepare_transactions(led.records)
    strict = {"analytics": {**CONFIG["analytics"], "window_dressing": {"withdraw_share": 0.95}}}
    assert detect_window_dressing(df, AS_OF, strict)["large_credit_withdrawn"]["value"] == 0
    assert detect_window_dressing(df, dt.date(2024, 3, 1), CONFIG)["large_credit_withdrawn"]["value"] == 0
    found = detect_window_dressing(df, AS_OF, CONFIG)["large_credit_withdrawn"]
    assert found["value"] == 1 and found["inputs"]["thresholds"]["withdraw_share"] == 0.8
    assert found["unit"] == "count" and found["formula"] and found["explanation"]


def test_empty_statement_gives_zero_counts():
    found = detect_window_dressing(prepare_transactions([]), AS_OF, CONFIG)
    assert counts(found) == dict.fromkeys((*KINDS, "summary"), 0)
