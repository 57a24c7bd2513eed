"""Smart Collect on a hand-built statement: salary-like inflow on the 2nd, EMI on the 5th, one bounce."""
from datetime import date

from analytics.bank.statement import prepare_transactions
from analytics.bank.summary import summarize_transactions
from analytics.collect.plan import plan_collections

AS_OF = date(2025, 1, 1)


def statement():
    """Jan-Dec 2024: 80,000 in on the 2nd; 20,000 EMI to ACME FINANCE on the 5th; 60,000 spend on the 20th.

    In June the balance on the 4th is only 5,000 (the inflow is late, on the 6th): the EMI bounces on
    the 5th with a charge and is re-presented on the 8th.
    """
    rows, balance, n = [], 10_000.0, 0

    def add(day, kind, amount, narration, mode="FT"):
        nonlocal balance, n
        n += 1
        balance += amount if kind == "CREDIT" else -amount
        rows.append({"linkedAccRef": "A1", "txnId": f"T{n:03d}", "type": kind, "mode": mode, "amount": amount,
                     "currentBalance": round(balance, 2), "transactionTimestamp": f"{day}T10:00:00+05:30",
                     "valueDate": day, "narration": narration})

    for month in range(1, 13):
        m = f"2024-{month:02d}"
        if month == 6:
            add(f"{m}-05", "DEBIT", 590.0, "NACH RTN CHRG INSUFFICIENT FUNDS ACME FINANCE")
            add(f"{m}-06", "CREDIT", 80_000.0, "NEFT/N1/SHREE TRADERS/HDFC0001")
            add(f"{m}-08", "DEBIT", 20_000.0, "NACH/ACH DR/ACME FINANCE LTD/UMRN1")
        else:
            add(f"{m}-02", "CREDIT", 80_000.0, "NEFT/N1/SHREE TRADERS/HDFC0001")
            add(f"{m}-05", "DEBIT", 20_000.0, "NACH/ACH DR/ACME FINANCE LTD/UMRN1")
        add(f"{m}-20", "DEBIT", 60_000.0, "NEFT/N2/RAW MATERIAL SUPPLIER/ICIC0002")
    return rows


def test_plan_for_a_single_emi():
    records = statement()
    frame = prepare_transactions(records)
    config = {"analytics": {"emi_min_months": 3, "emi_amount_tolerance": 0.02}}
    bank = summarize_transactions(frame, [], AS_OF, config)
    plan = plan_collections(frame, bank, {}, AS_OF, config)
    [ob] = plan["obligations"]
    assert ob["lender"].startswith("ACME FINANCE") and ob["amount"] == 20_000.0 and ob["day_of_month"] == 5
    assert [d["due_date"] for d in ob["next_dues"]] == ["2025-01-05", "2025-02-05", "2025-03-05"]
    # balances after the 2nd of each recent month: 10,000 + k*... ; the window sits right after the inflow
    assert plan["optimal_window"]["start_day"] in (2, 3)
    june = next(h for h in ob["history"] if h["month"] == "2024-06")
    assert june["status"] == "bounced"
    assert sum(h["status"] == "paid_on_time" for h in ob["history"]) == 11
    # eve-of-due balance covered the EMI in 11 of 12 months: (11 + 1) / (12 + 2)
    assert ob["success_probability"]["value"] == round(12 / 14, 4)
    assert ob["recommended_method"] == "e-mandate"
    assert any("bounce" in s["signal"] for s in plan["risk_signals"])


def test_presentation_is_never_after_the_due_date():
    import pandas as pd

    from analytics.collect.plan import presentation_day

    profile = pd.Series({d: 10_000.0 + (50_000.0 if 20 <= d <= 22 else 0.0) + d for d in range(1, 29)})
    window = {"start_day": 20, "end_day": 22, "median_available_balance": 60_020.0}
    # the window (20-22) comes after a due day of 7: present on the best day from 2 to 7 (the 7th: balance grows)
    early = presentation_day(7, window, profile, 5)
    assert early["day"] == 7 and "never after the due date" in early["rule"]
    # a day inside the five days before the due date with more money wins over the due day itself
    bumpy = profile.copy()
    bumpy[4] = 90_000.0
    assert presentation_day(7, window, bumpy, 5)["day"] == 4
    assert presentation_day(3, window, bumpy, 5)["day"] == 3   # day 4 is after the due day: not a candidate
    assert presentation_day(21, window, profile, 5)["day"] == 21   # due inside the window: the due date
    for due in range(1, 29):
        assert presentation_day(due, window, bumpy, 5)["day"] <= due
