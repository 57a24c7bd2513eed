"""The bank statement: balances, ordering, the window, ids, categories, volume, EMIs, bounces, anomalies."""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from .conftest import AS_OF, by_profile
from .metrics import counterparty

CATEGORIES = {
    "b2b_collection", "ondc_settlement", "upi_sales", "cash_deposit", "loan_disbursal", "self_transfer_in",
    "self_transfer_out", "refund", "reversal", "interest", "supplier_payment", "salary", "rent", "utilities",
    "gst_payment", "emi", "emi_bounce_charge", "bounce", "bounce_charge", "atm_withdrawal", "bank_charges",
    "od_interest", "insurance_premium", "sip", "mf_purchase", "mf_redemption", "circular_in", "circular_out",
    "misc_expense", "planted_anomaly", "related_credit", "hop_in", "hop_out", "self_upi_credit",
}
CREDIT_ONLY = {"b2b_collection", "ondc_settlement", "upi_sales", "cash_deposit", "loan_disbursal", "self_transfer_in",
               "refund", "reversal", "interest", "circular_in", "mf_redemption", "related_credit", "hop_in",
               "self_upi_credit"}


def planted_case_lines(planted: dict) -> set[str]:
    """Every line of the other planted cases (window dressing, multi-hop, related-party credits)."""
    out = {c["txn_id"] for c in planted.get("related_party") or []}
    for case in (planted.get("multi_hop_circular") or []) + (planted.get("window_dressing") or []):
        out.update(case.get("txn_ids") or [])
        out.update(case.get("related_txn_ids") or [])
    return out


def paise(x: float) -> int:
    return round(x * 100)


def test_running_balance_tallies_to_the_paise_in_file_order(all_customers):
    for g in all_customers:
        by_account = defaultdict(list)
        for t in g.records["transactions"]:
            by_account[t["linkedAccRef"]].append(t)
        assert set(by_account) == {a["linkedAccRef"] for a in g.records["accounts"]}
        for acc in g.records["accounts"]:
            txns = by_account[acc["linkedAccRef"]]
            first = txns[0]
            bal = paise(first["currentBalance"]) - (1 if first["type"] == "CREDIT" else -1) * paise(first["amount"])
            for t in txns:
                bal += paise(t["amount"]) if t["type"] == "CREDIT" else -paise(t["amount"])
                assert bal == paise(t["currentBalance"]), (g.customer_id, t["txnId"])
            assert paise(acc["summary"]["currentBalance"]) == bal


def test_balance_goes_negative_only_within_the_od_cc_limit(all_customers):
    for g in all_customers:
        summary = g.records["accounts"][0]["summary"]
        floor = -summary["currentODLimit"] if summary["facility"] in ("OD", "CC") else 0.0
        assert min(t["currentBalance"] for t in g.records["transactions"]) >= floor, g.customer_id
        if summary["facility"] == "NONE":
            assert summary["currentODLimit"] == 0


def test_lines_are_in_time_order_inside_the_window(all_customers):
    lo, hi = "2023-11-01T00:00:00", AS_OF.isoformat()
    for g in all_customers:
        stamps = [t["transactionTimestamp"] for t in g.records["transactions"]]
        assert stamps == sorted(stamps)
        assert stamps[0] >= lo and stamps[-1] < hi
        for t in g.records["transactions"]:
            assert t["transactionTimestamp"][:10] <= t["valueDate"] < hi


def _dated_fields(g):
    """Every event date of every source (maturity and next-premium dates are future by nature)."""
    r = g.records
    for t in r["transactions"]:
        yield t["transactionTimestamp"]
        yield t["valueDate"]
    for a in r["accounts"]:
        yield a["summary"]["balanceDateTime"]
        yield a["summary"]["openingDate"]
    for x in r["gst_returns"]:
        if x["return_type"] == "GSTR2B":  # drafted, not filed: its date and its suppliers' invoices and filings
            yield x["gendt"]
            for party in x["docdata"]["b2b"]:
                yield party["supfildt"]
                yield from (inv["dt"] for inv in party["inv"])
            continue
        yield x["due_date"]
        yield x["dof"]
        for party in x.get("b2b", []):
            for inv in party["inv"]:
                yield inv["idt"]
    for x in r["credit_bureau"]:
        for k in ("reportDate", "dateOpened", "dateReported", "dateClosed", "enquiryDate", "paymentHistoryStartDate"):
            if k in x:
                yield x[k]
    for x in r["mutual_funds"]:
        for k in ("executionDate", "navDate"):
            if k in x:
                yield x[k]
    for x in r["insurance_policies"]:
        yield x["policyStartDate"]
        if "lastPremiumPaidDate" in x:
            yield x["lastPremiumPaidDate"]
    for x in r["ocen_applications"]:
        yield x["createdAt"]
        yield x["updatedAt"]
        yield from (h["timestamp"] for h in x["statusHistory"])
        if "disbursedAt" in x:
            yield x["disbursedAt"]
    for x in r["ondc_orders"]:
        yield x["created_at"]
        yield x["updated_at"]
        for s in x["payment"]["@ondc/org/settlement_details"]:
            if "settlement_timestamp" in s:
                yield s["settlement_timestamp"]


def test_nothing_is_dated_on_or_after_as_of(all_customers):
    for g in all_customers:
        late = [d for d in _dated_fields(g) if d[:10] >= AS_OF.isoformat()]
        assert not late, (g.customer_id, late[:5])


def test_txn_ids_are_unique_except_the_planted_duplicates(all_customers):
    for g in all_customers:
        counts = Counter(t["txnId"] for t in g.records["transactions"])
        repeated = {k for k, v in counts.items() if v > 1}
        planted = {d["txnId"] for d in g.truth["duplicate_txn_ids"]}
        assert repeated == planted, g.customer_id
        if g.profile == "fraud":
            assert len(planted) >= 1
            for txn_id in planted:
                amounts = {t["amount"] for t in g.records["transactions"] if t["txnId"] == txn_id}
                assert len(amounts) == 2
        else:
            assert not planted


def test_every_line_has_a_known_category_that_never_reaches_the_records(all_customers):
    for g in all_customers:
        ids = {t["txnId"] for t in g.records["transactions"]}
        assert set(g.txn_categories) == ids
        assert set(g.txn_categories.values()) <= CATEGORIES
        for t in g.records["transactions"]:
            assert "category" not in t
            if g.txn_categories[t["txnId"]] in CREDIT_ONLY:
                assert t["type"] == "CREDIT", (t["narration"], g.txn_categories[t["txnId"]])
            low = t["narration"].lower()
            assert "fraud" not in low and "anomal" not in low and "circular" not in low


def test_volume_follows_the_configured_lines_per_month(all_customers, config):
    for g in all_customers:
        per_month = len(g.records["transactions"]) / 36
        target = config["generator"]["transactions_per_month"][g.profile]
        assert 0.85 * target <= per_month <= 1.2 * target, (g.customer_id, g.profile, per_month, target)


def test_baseline_is_mostly_small_upi_sales(demo_customers):
    g = demo_customers["CUST_MSM_00001"]
    txns = g.records["transactions"]
    assert 16_000 <= len(txns) <= 18_500
    upi = [t["amount"] for t in txns if g.txn_categories[t["txnId"]] == "upi_sales"]
    assert len(upi) > 0.4 * len(txns)
    assert sorted(upi)[len(upi) // 2] < 5_000
    # an Axis Bank account: a person paying by UPI is printed P2A (person to account), not P2M
    assert all(t["mode"] == "UPI" and t["narration"].startswith("UPI/P2A/") for t in txns
               if g.txn_categories[t["txnId"]] == "upi_sales")


def test_narrations_use_the_rails_real_statements_print(demo_customers):
    g = demo_customers["CUST_MSM_00001"]
    text = [t["narration"] for t in g.records["transactions"]]
    for prefix in ("UPI/P2A/", "UPI/P2M/", "NEFT/", "INB/NEFT/", "IMPS/P2A/", "BIL/BPAY/", "GST", "POS/", "REFUND/",
                   "REV-UPI/"):   # an Axis Bank account (docs/bank_formats.md)
        assert any(n.startswith(prefix) for n in text), prefix
    atm = [t for t in g.records["transactions"] if g.txn_categories[t["txnId"]] == "atm_withdrawal"]
    assert atm and all(t["amount"] % 500 == 0 for t in atm)
    assert {t["mode"] for t in atm} == {"ATM", "OTHERS"}
    assert any(n.startswith("CASH DEP") or n.startswith("BY CASH") or "CASH DEPOSIT" in n for n in text)


def test_emis_are_equal_debits_on_a_fixed_day_under_a_mandate(all_customers):
    for g in all_customers:
        emis = [t for t in g.records["transactions"] if g.txn_categories[t["txnId"]] == "emi"]
        for loan in g.truth["emi_loans"]:
            mine = [t for t in emis if t["amount"] == loan["emi"]
                    and (loan["lender"] in t["narration"] or loan["account_number"] in t["narration"])]
            if not mine:
                continue
            # a mandate debit as the bank prints it: NACH/ACH (every bank's spelling), ECS or a standing instruction
            assert all(any(m in t["narration"] for m in ("ACH", "ECS/", "SI/")) for t in mine), g.customer_id
            on_day = [t for t in mine if int(t["transactionTimestamp"][8:10]) in (loan["emi_day"], 28, 29, 30)]
            assert len(on_day) >= len(mine) - loan["bounced_months"], (g.customer_id, loan)
        assert sum(1 for t in emis if any(t["amount"] == loan["emi"] for loan in g.truth["emi_loans"])) == len(emis)


def test_stressed_profiles_bounce_and_pay_return_charges(all_customers):
    for g in all_customers:
        cats = Counter(g.txn_categories.values())
        if g.profile in ("high_debt", "declining"):
            assert cats["emi_bounce_charge"] >= 2, g.customer_id
            charges = [t for t in g.records["transactions"] if g.txn_categories[t["txnId"]] == "emi_bounce_charge"]
            assert all("RTN" in t["narration"] and "INSUFFICIENT" in t["narration"] for t in charges)
        elif g.profile in ("stable_income", "baseline", "high_growth"):
            # a healthy borrower's own EMIs never bounce; at most one buyer's cheque may come back
            assert cats["emi_bounce_charge"] == 0 and cats["bounce"] <= 1
            assert cats["bounce"] == cats["bounce_charge"]


def test_planted_anomalies_are_odd_hour_debits_to_never_seen_parties(all_customers, config):
    n = config["generator"]["planted_anomalies"]
    for g in all_customers:
        planted = g.truth["planted_anomalies"]
        assert len(planted) == len(set(planted)) == n
        txns = {t["txnId"]: t for t in g.records["transactions"]}
        others = [t for t in g.records["transactions"] if t["txnId"] not in planted]
        seen = Counter(counterparty(t["narration"]) for t in others)
        other_cases = planted_case_lines(g.truth["planted"])   # window dressing, round trips: big on purpose
        # big next to what the business ordinarily pays out (a high-debt account's EMIs are a tenth of its debits)
        debits = sorted(t["amount"] for t in others if t["type"] == "DEBIT" and t["txnId"] not in other_cases
                        and g.txn_categories[t["txnId"]] != "emi")
        p90 = debits[int(0.9 * len(debits))]
        big = 0
        for txn_id in planted:
            t = txns[txn_id]
            assert t["type"] == "DEBIT" and g.txn_categories[txn_id] == "planted_anomaly"
            assert 2 <= int(t["transactionTimestamp"][11:13]) <= 4
            assert seen[counterparty(t["narration"])] == 0, t["narration"]
            big += t["amount"] > p90
        assert big >= n // 2, g.customer_id


def test_high_debt_cash_credit_account_runs_close_to_its_limit(all_customers):
    for g in by_profile(all_customers, "high_debt"):
        summary = g.records["accounts"][0]["summary"]
        assert summary["facility"] == "CC" and summary["currentODLimit"] > 0
        assert summary["currentBalance"] <= -0.8 * summary["currentODLimit"]
        month_end = {}
        for t in g.records["transactions"]:
            month_end[t["transactionTimestamp"][:7]] = t["currentBalance"]
        assert sum(b <= -0.6 * summary["currentODLimit"] for b in month_end.values()) >= 30


def test_account_record_describes_the_borrower(all_customers):
    for g in all_customers:
        acc = g.records["accounts"][0]
        holder = acc["profile"]["holders"]["holder"][0]
        assert holder["pan"] == g.customer["pan"]
        assert acc["summary"]["type"] == "CURRENT" and acc["type"] == "deposit"
        assert dt.date.fromisoformat(acc["summary"]["openingDate"]) < dt.date(2023, 11, 1)


def test_each_bank_prints_its_own_narrations(demo_customers):
    """The same kinds of line read as the customer's own bank prints them (docs/bank_formats.md)."""
    expected = {"CUST_MSM_00002": ("HDFC-FIP", ("UPI-", "NEFT CR-", "ACH D- ")),
                "CUST_MSM_00003": ("YESB-FIP", ("UPI/", "NEFT/", "ACH DR ")),
                "CUST_MSM_00006": ("CANARA-FIP", ("NEFT Cr-", "NACH DR-")),
                "CUST_MSM_00007": ("BOB-FIP", ("UPI/", "NEFT-", "ACH Debit : "))}
    for customer_id, (fip, prefixes) in expected.items():
        g = demo_customers[customer_id]
        assert g.records["accounts"][0]["fipId"] == fip
        text = [t["narration"] for t in g.records["transactions"]]
        for prefix in prefixes:
            assert any(n.startswith(prefix) for n in text), (customer_id, prefix)
    bob = [t["narration"] for t in demo_customers["CUST_MSM_00007"].records["transactions"]
           if demo_customers["CUST_MSM_00007"].txn_categories[t["txnId"]] == "upi_sales"]
    assert bob and all("@" in n for n in bob)   # Bank of Baroda prints the payer's VPA, not the name


def test_planted_signals_are_in_the_truth_and_the_lines(demo_customers):
    """Related-party credits, multi-hop chains, self credits and stacking: what the truth says is in the data."""
    g = demo_customers["CUST_MSM_00006"]
    planted = g.truth["planted"]
    by_id = {t["txnId"]: t for t in g.records["transactions"]}
    declared = {p["name"].upper() for p in g.customer["related_parties"]}
    assert planted["related_party"] and all(by_id[c["txn_id"]]["type"] == "CREDIT" and c["party"] in declared
                                            for c in planted["related_party"])
    for chain in planted["multi_hop_circular"]:
        legs = [by_id[t] for t in chain["txn_ids"]]
        assert legs[-1]["type"] == "CREDIT" and len(set(chain["parties"])) == len(legs) >= 2
        assert abs(legs[-1]["amount"] - legs[0]["amount"]) <= 0.05 * legs[0]["amount"]
    mobile = g.records["accounts"][0]["profile"]["holders"]["holder"][0]["mobile"]
    assert all(by_id[c["txn_id"]]["mode"] == "UPI" for c in planted["self_credits"])
    assert any(mobile in by_id[c["txn_id"]]["narration"] for c in planted["self_credits"])
    tradelines = {t["accountNumber"]: t["lender"] for t in g.records["credit_bureau"] if t["segment"] == "TRADELINE"}
    enquired = {t["lender"] for t in g.records["credit_bureau"] if t["segment"] == "ENQUIRY"}
    stack = planted["loan_stacking"][0]
    assert len(stack["lenders"]) >= 3 and set(stack["lenders"]) <= enquired
    assert [tradelines[a] for a in stack["account_numbers"]] == stack["lenders"]
    assert g.truth["categories_leaf"] and set(g.truth["categories_leaf"]) <= set(by_id)
    assert not demo_customers["CUST_MSM_00005"].truth["planted"]["multi_hop_circular"]
