"""Sources agree with each other: settlements, GST payments, loans, SIPs, premiums, returns, ids."""
from __future__ import annotations

import datetime as dt
from collections import Counter

from .conftest import AS_OF, by_profile
from .metrics import gstr3b


def _txns(g) -> dict[str, dict]:
    return {t["txnId"]: t for t in g.records["transactions"]}


def _invoices(g) -> dict[tuple[str, str], dict]:
    return {(p["ctin"], inv["inum"]): inv for r in g.records["gst_returns"] if r["return_type"] == "GSTR1"
            for p in r["b2b"] for inv in p["inv"]}


def test_ondc_settlements_point_at_matching_credits(all_customers):
    for g in all_customers:
        txns = _txns(g)
        orders = {o["id"]: o for o in g.records["ondc_orders"]}
        settled = [s for s in g.truth["settlements"] if s["kind"] == "ondc_order"]
        paid = {o["id"] for o in orders.values()
                if o["payment"]["@ondc/org/settlement_details"][0]["settlement_status"] == "PAID"}
        assert {s["order_id"] for s in settled} == paid and len(settled) == len(paid) > 0
        for s in settled:
            t, o = txns[s["txnId"]], orders[s["order_id"]]
            detail = o["payment"]["@ondc/org/settlement_details"][0]
            assert t["type"] == "CREDIT" and o["state"] == "Completed"
            assert t["amount"] == detail["settlement_amount"]
            assert t["transactionTimestamp"] == detail["settlement_timestamp"]
            assert t["reference"] == detail["settlement_reference"] and detail["settlement_reference"] in t["narration"]
            value = o["quote"]["price"]["value"]
            fee = o["payment"]["@ondc/org/buyer_app_finder_fee_amount"]
            assert abs(detail["settlement_amount"] - (value - value * fee / 100)) <= 0.01
        for o in orders.values():
            if o["state"] == "Cancelled":
                assert o["id"] not in paid and "cancellation" in o


def test_ondc_narrations_carry_the_order_id_or_an_abbreviation_often(all_customers):
    g = all_customers[0]
    txns = _txns(g)
    hits = 0
    settled = [s for s in g.truth["settlements"] if s["kind"] == "ondc_order"]
    for s in settled:
        oid, text = s["order_id"], txns[s["txnId"]]["narration"]
        hits += oid in text or oid[-7:] in text or oid[5:].replace("-", "") in text
    assert 0.7 * len(settled) <= hits < len(settled)


def test_invoice_settlements_point_at_gstr1_invoices_and_matching_credits(all_customers):
    for g in all_customers:
        txns, invoices = _txns(g), _invoices(g)
        settled = [s for s in g.truth["settlements"] if s["kind"] == "gstr1_invoice"]
        assert settled, g.customer_id
        notes = {(p["ctin"], nt["nt_num"]): nt for r in g.records["gst_returns"] for p in r.get("cdnr", [])
                 for nt in p["nt"]}
        noted = {tuple(c["invoices"][0].values()): notes[(c["invoices"][0]["ctin"], c["credit_note"])]
                 for c in g.truth["planted"]["reconciliation"] if c["kind"] == "credit_note"}
        by_txn, by_inv = {}, {}
        for s in settled:
            t, inv = txns[s["txnId"]], invoices[(s["ctin"], s["inum"])]
            assert t["type"] == "CREDIT" and g.txn_categories[s["txnId"]] == "b2b_collection"
            assert t["valueDate"] >= inv["idt"]
            by_txn.setdefault(s["txnId"], set()).add((s["ctin"], s["inum"]))
            by_inv.setdefault((s["ctin"], s["inum"]), set()).add(s["txnId"])
        for txn_id, keys in by_txn.items():   # one credit for several invoices, or several credits for one
            assert len(keys) == 1 or all(by_inv[k] == {txn_id} for k in keys)
            ids = set().union(*(by_inv[k] for k in keys))
            got = sum(txns[t]["amount"] for t in ids)
            value = sum(invoices[k]["val"] - (noted[k]["val"] if k in noted else 0) for k in keys)
            taxable = sum(i["itm_det"]["txval"] for k in keys for i in invoices[k]["itms"])
            taxable -= sum(i["itm_det"]["txval"] for k in keys if k in noted for i in noted[k]["itms"])
            assert value - 0.1 * taxable - 1 <= got <= value + 0.01, (txn_id, keys)


def test_gst_returns_cover_every_month_due_before_as_of(all_customers):
    for g in all_customers:
        returns = g.records["gst_returns"]
        kinds = Counter((r["ret_prd"], r["return_type"]) for r in returns)
        assert set(kinds.values()) == {1} and len(returns) == 105  # 35 months of GSTR-1, GSTR-3B and GSTR-2B
        periods = {r["ret_prd"] for r in returns}
        assert "112023" in periods and "092026" in periods and "102026" not in periods
        for r in returns:
            if r["return_type"] == "GSTR2B":  # no due date: drafted on the 14th after its period
                assert r["gendt"] < AS_OF.isoformat() and r["gstin"] == g.customer["gstin"]
                continue
            due = dt.date.fromisoformat(r["due_date"])
            assert due < AS_OF and due.day == (20 if r["return_type"] == "GSTR3B" else 11)
            assert r["gstin"] == g.customer["gstin"]


def test_gstr1_agrees_with_gstr3b_up_to_small_gaps(all_customers):
    for g in all_customers:
        g1 = {r["ret_prd"]: r for r in g.records["gst_returns"] if r["return_type"] == "GSTR1"}
        exact = 0
        for r in gstr3b(g):
            one = g1[r["ret_prd"]]
            total = sum(i["itm_det"]["txval"] for p in one["b2b"] for inv in p["inv"] for i in inv["itms"])
            total += sum(x["txval"] for x in one["b2cs"])
            declared = r["sup_details"]["osup_det"]["txval"]
            assert abs(total - declared) <= 0.025 * declared
            exact += abs(total - declared) <= 1.0
        assert exact >= 0.6 * len(g1)


def test_late_returns_pay_late_fees_and_the_tax_reaches_the_bank(all_customers):
    for g in all_customers:
        payments = [t for t in g.records["transactions"] if g.txn_categories[t["txnId"]] == "gst_payment"]
        by_day = Counter(t["valueDate"] for t in payments)
        for r in gstr3b(g):
            fee = sum(r["intr_ltfee"]["ltfee_details"].values())
            assert (fee > 0) == (r["dof"] > r["due_date"])
            assert by_day[r["dof"]] >= 1
        assert len(payments) == len(gstr3b(g))
        assert all("CPIN" in t["narration"] for t in payments)


def test_loans_agree_across_bank_bureau_and_ocen(all_customers):
    for g in all_customers:
        txns = g.records["transactions"]
        lines = {r["accountNumber"]: r for r in g.records["credit_bureau"] if r["segment"] == "TRADELINE"}
        for loan in g.truth["emi_loans"]:
            line = lines[loan["account_number"]]
            assert line["emiAmount"] == loan["emi"] and line["lender"] == loan["lender"]
            if loan["bounced_months"]:
                h = line["paymentHistory"]
                assert any(h[i:i + 3].isdigit() and int(h[i:i + 3]) > 0 for i in range(0, len(h), 3))
        disbursals = {(t["amount"], t["transactionTimestamp"]) for t in txns
                      if g.txn_categories[t["txnId"]] == "loan_disbursal"}
        enquiries = {(r["lender"], r["enquiryDate"]) for r in g.records["credit_bureau"] if r["segment"] == "ENQUIRY"}
        for app in g.records["ocen_applications"]:
            history = app["statusHistory"]
            assert history[-1]["status"] == app["status"] and app["updatedAt"] == history[-1]["timestamp"]
            assert [h["timestamp"] for h in history] == sorted(h["timestamp"] for h in history)
            assert (app["lender"]["name"], app["createdAt"][:10]) in enquiries
            if app["status"] == "REJECTED":
                assert app["rejectionReason"]
            if app["status"] in ("DISBURSED", "CLOSED"):
                assert (app["disbursedAmount"], app["disbursedAt"]) in disbursals
                line = lines[app["loanAccountNumber"]]
                assert line["emiAmount"] == app["emiAmount"]
                assert any(t["amount"] == app["emiAmount"] and app["lender"]["name"] in t["narration"] for t in txns
                           if g.txn_categories[t["txnId"]] == "emi") or app["disbursedAt"][:7] >= "2026-10"


def test_bank_facility_is_the_bureau_revolving_line(all_customers):
    for g in all_customers:
        summary = g.records["accounts"][0]["summary"]
        lines = [r for r in g.records["credit_bureau"] if r["segment"] == "TRADELINE"
                 and r["accountType"] in ("OVERDRAFT", "CASH_CREDIT")]
        if summary["facility"] == "NONE":
            assert not lines
            continue
        assert len(lines) == 1 and lines[0]["creditLimit"] == summary["currentODLimit"]
        assert lines[0]["currentBalance"] == round(max(0.0, -summary["currentBalance"]), 2)


def test_sips_and_premiums_are_debited_in_the_bank(all_customers):
    for g in all_customers:
        txns = g.records["transactions"]
        sip_debits = Counter((t["valueDate"], t["amount"]) for t in txns if g.txn_categories[t["txnId"]] == "sip")
        sips = Counter((r["executionDate"], r["amount"]) for r in g.records["mutual_funds"]
                       if r["recordType"] == "TRANSACTION" and r["type"] == "SIP")
        assert sip_debits == sips
        premiums = [t for t in txns if g.txn_categories[t["txnId"]] == "insurance_premium"]
        for policy in g.records["insurance_policies"]:
            mine = [t for t in premiums if policy["policyNumber"] in t["narration"]]
            assert all(t["amount"] == policy["premiumAmount"] for t in mine)
            if policy["policyStatus"] == "LAPSED":
                assert all(t["valueDate"] < policy["nextPremiumDueDate"] for t in mine)
        assert sum(1 for t in premiums if any(p["policyNumber"] in t["narration"]
                                             for p in g.records["insurance_policies"])) == len(premiums)


def test_mutual_fund_holdings_are_consistent(all_customers):
    for g in all_customers:
        holdings = [r for r in g.records["mutual_funds"] if r["recordType"] == "HOLDING"]
        assert holdings
        for h in holdings:
            assert h["lienUnits"] <= h["units"] and h["lockinUnits"] <= h["units"]
            assert abs(h["currentValue"] - h["units"] * h["nav"]) <= 0.01
    for g in by_profile(all_customers, "declining"):
        sells = [r for r in g.records["mutual_funds"] if r.get("type") == "SELL"]
        redemptions = [t for t in g.records["transactions"] if g.txn_categories[t["txnId"]] == "mf_redemption"]
        assert sells and len(redemptions) >= len(sells) - 1


def test_ids_are_unique_where_they_should_be(all_customers):
    for g in all_customers:
        r = g.records
        for values in (
            [o["id"] for o in r["ondc_orders"]],
            [a["loanApplicationId"] for a in r["ocen_applications"]],
            [p["policyNumber"] for p in r["insurance_policies"]],
            [x["txnId"] for x in r["mutual_funds"] if x["recordType"] == "TRANSACTION"],
            [x["accountNumber"] for x in r["credit_bureau"] if x["segment"] == "TRADELINE"],
            [inum for (_, inum) in _invoices(g)],
            [o["payment"]["@ondc/org/settlement_details"][0].get("settlement_reference") for o in r["ondc_orders"]
             if o["payment"]["@ondc/org/settlement_details"][0]["settlement_status"] == "PAID"],
        ):
            assert len(values) == len(set(values)), g.customer_id
        enquiries = [(x["enquiryDate"], x["lender"], x["purpose"], x["amount"]) for x in r["credit_bureau"]
                     if x["segment"] == "ENQUIRY"]
        assert len(enquiries) == len(set(enquiries))
        assert len({x["reportId"] for x in r["credit_bureau"]}) == 1
        assert sum(1 for x in r["credit_bureau"] if x["segment"] == "HEADER") == 1


def test_bureau_payment_histories_are_well_formed(all_customers):
    for g in all_customers:
        for r in g.records["credit_bureau"]:
            if r["segment"] != "TRADELINE":
                continue
            h = r["paymentHistory"]
            assert len(h) % 3 == 0 and 3 <= len(h) <= 108
            start = dt.date.fromisoformat(r["paymentHistoryStartDate"])
            assert start.day == 1 and start < AS_OF
            if r["status"] == "CLOSED":
                assert r["currentBalance"] == 0 and "dateClosed" in r
