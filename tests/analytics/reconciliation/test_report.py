"""Reconciliation: small hand-built cases for each matching rule, then every demo customer against truth."""
import pytest

from analytics.bank.statement import prepare_transactions
from analytics.reconciliation.match import match_items
from analytics.reconciliation.report import reconcile
from bench.bench_models_quality import load_customer, matching_quality, short_pay, truth_key

DEMO = ("CUST_MSM_00001", "CUST_MSM_00002", "CUST_MSM_00003", "CUST_MSM_00004", "CUST_MSM_00005",
        "CUST_MSM_00006", "CUST_MSM_00007", "CUST_MSM_00008", "CUST_MSM_00009", "CUST_MSM_00010")
BUYER, OTHER = "27AAAFB1234C1Z5", "29BBBCG5678D1Z2"


def credit(i, day, amount, narration, mode="FT"):
    return {"linkedAccRef": "A1", "txnId": f"T{i}", "type": "CREDIT", "mode": mode, "amount": amount,
            "currentBalance": 0.0, "transactionTimestamp": f"{day}T11:00:00+05:30", "valueDate": day,
            "narration": narration}


def invoice(inum, idt, val, txval):
    return {"inum": inum, "idt": idt, "val": val, "itms": [{"num": 1, "itm_det": {"rt": 18.0, "txval": txval}}]}


def gstr1(period, dof, parties):
    return {"return_type": "GSTR1", "ret_prd": period, "dof": dof, "status": "FILED",
            "b2b": [{"ctin": ctin, "inv": invs} for ctin, invs in parties.items()]}


def order(oid, amount, ts, ref):
    return {"id": oid, "state": "Completed", "bap_id": "paytm.com",
            "payment": {"@ondc/org/settlement_details": [{"settlement_status": "PAID", "settlement_amount": amount,
                                                          "settlement_timestamp": ts, "settlement_reference": ref}]}}


def run(records, config=None):
    txns = prepare_transactions(records.get("transactions", []))
    return reconcile(records, txns, records.get("docs", {}), config or {})


def pairs(body):
    return {m["item_id"]: m["txnId"] for m in body["matches"]}


def test_invoices_paid_net_of_tds_teach_the_buyers_name_which_then_carries_a_short_payment():
    invs = [invoice("SBT/24-25/0001", "2024-05-02", 11800.0, 10000.0),
            invoice("SBT/24-25/0002", "2024-05-10", 23600.0, 20000.0),
            invoice("SBT/24-25/0003", "2024-05-20", 35400.0, 30000.0)]
    records = {"gst_returns": [gstr1("052024", "2024-06-11", {BUYER: invs})],
               "transactions": [credit(1, "2024-06-01", 11700.0, "NEFT/HDFCN1/KRISHNA TRADERS/HDFC0001"),  # 1% TDS
                                credit(2, "2024-06-09", 23600.0, "NEFT/HDFCN2/KRISHNA TRADERS/HDFC0001"),  # in full
                                credit(3, "2024-06-19", 35250.0, "NEFT/HDFCN3/KRISHNA TRADERS/HDFC0001")]}  # short
    body = run(records)
    assert pairs(body) == {f"{BUYER}/SBT/24-25/0001": "T1", f"{BUYER}/SBT/24-25/0002": "T2",
                           f"{BUYER}/SBT/24-25/0003": "T3"}
    scores = {m["txnId"]: m["components"] for m in body["matches"]}
    assert scores["T1"]["amount"] == 1.0 and scores["T2"]["amount"] == 1.0
    assert scores["T3"]["amount"] < 0.6 and scores["T3"]["text"] == 1.0   # the learned name carried it
    assert body["metrics"]["matched_value_gap_pct"]["value"] == pytest.approx(250 / 70800 * 100, abs=1e-3)
    assert body["learned_payers"] == [{"ctin": BUYER, "name": "KRISHNA TRADERS", "votes": 2, "anchors": 2,
                                       "median_lag_days": 30.0}]


def test_an_inexact_amount_without_name_or_reference_is_left_unmatched():
    records = {"gst_returns": [gstr1("052024", "2024-06-11", {OTHER: [invoice("FAKE/001", "2024-05-02", 50000.0,
                                                                             42372.88)]})],
               "transactions": [credit(1, "2024-06-01", 49500.0, "NEFT/HDFCN1/SHELL CO/HDFC0001")]}
    body = run(records)
    assert body["matches"] == []
    assert [u["item_id"] for u in body["unmatched_items"]] == [f"{OTHER}/FAKE/001"]
    assert body["unmatched_items"][0]["status"] == "open"   # the statement ends before its window closes


def test_each_credit_settles_one_item_and_the_better_pair_wins():
    invs = [invoice("INV-0001", "2024-05-02", 10000.0, 8474.58), invoice("INV-0002", "2024-05-03", 10000.0, 8474.58)]
    records = {"gst_returns": [gstr1("052024", "2024-06-11", {BUYER: invs})],
               "transactions": [credit(1, "2024-05-25", 10000.0, "IMPS/P2A/1/KRISHNA TRADERS/INV INV-0002")]}
    body = run(records)
    assert pairs(body) == {f"{BUYER}/INV-0002": "T1"}   # the invoice number in the narration decides
    assert body["matches"][0]["components"]["text"] == 1.0


def test_settlements_match_by_reference_within_days_and_not_outside_the_window():
    records = {"ondc_orders": [order("ONDC-20240501-00001A1", 950.0, "2024-05-06T12:00:00+05:30", "UTIBN24127000001"),
                               order("ONDC-20240501-00002B2", 730.0, "2024-05-06T12:00:00+05:30", "UTIBN24127000002")],
               "transactions": [credit(1, "2024-05-07", 950.0, "NEFT/UTIBN24127000001/PAYTM ECOMMERCE/ONDC PAYOUT"),
                                credit(2, "2024-05-20", 730.0, "NEFT/UTIBN24127000002/PAYTM ECOMMERCE/ONDC PAYOUT"),
                                credit(3, "2024-06-30", 10.0, "UPI/CR/1/A B/ybl/x", "UPI")]}
    body = run(records)
    assert pairs(body) == {"ONDC-20240501-00001A1": "T1"}
    assert body["matches"][0]["lag_days"] == 1 and body["matches"][0]["components"]["text"] == 1.0
    assert {u["item_id"]: u["status"] for u in body["unmatched_items"]} == {"ONDC-20240501-00002B2": "overdue"}
    assert body["metrics"]["settlement_rate"]["value"] == 0.5
    may = {r["month"]: r for r in body["monthly"]}["2024-05"]
    assert (may["ondc_settled"], may["ondc_in_bank"], may["bank_ondc_credits"]) == (1680.0, 950.0, 1680.0)
    assert may["ondc_status"] == "ondc_above_bank"
    assert body["metrics"]["overdue_items"]["value"] == 1


def test_a_truncated_reference_scores_as_a_near_match_and_a_foreign_one_as_none():
    records = {"ondc_orders": [order("ONDC-20240501-00003C3", 1200.0, "2024-05-06T12:00:00+05:30", "UTIBN24127000003"),
                               order("ONDC-20240501-00004D4", 1500.0, "2024-05-06T12:00:00+05:30", "UTIBN24127000004")],
               "transactions": [credit(1, "2024-05-06", 1200.0, "NEFT/UTIBN2412700000/MAGICPIN/ONDC PAYOUT"),
                                credit(2, "2024-05-06", 1500.0, "NEFT/UTIBN24127999999/MAGICPIN/ONDC PAYOUT")]}
    text = {m["txnId"]: m["components"]["text"] for m in run(records)["matches"]}
    assert 0.5 < text["T1"] < 1.0     # 15 of 16 characters
    assert text["T2"] == 0.0          # same day prefix, different serial: no evidence


def test_month_status_follows_the_tolerance_on_gst_values_incl_tax():
    records = {"transactions": [credit(1, "2024-05-10", 100000.0, "NEFT/X/KRISHNA TRADERS/Y"),
                                credit(2, "2024-06-10", 100000.0, "NEFT/X/KRISHNA TRADERS/Y")]}
    # May from turnover_incl_tax (80,000 + 14,400); June from an older document without it: 1,00,000 + 18,000
    docs = {"gst_summary": {"monthly": [{"month": "2024-05", "turnover_3b": 80000.0, "output_tax": 14400.0,
                                         "turnover_incl_tax": 94400.0},
                                        {"month": "2024-06", "turnover_3b": 100000.0, "output_tax": 18000.0}]}}
    body = run({**records, "docs": docs}, {"analytics": {"reconciliation": {"month_tolerance": 0.15}}})
    rows = {r["month"]: r for r in body["monthly"]}
    assert rows["2024-05"]["gst_value"] == 94400.0 and rows["2024-05"]["status"] == "matched"
    assert rows["2024-06"]["discrepancy_pct"] == 18.0 and rows["2024-06"]["status"] == "gst_above_bank"
    assert body["parameters"]["gst_basis"].startswith("incl. tax")


def test_the_headline_gap_references_gst_summarys_one_ratio():
    window = {"from": "2024-05", "to": "2024-06", "months": 2, "label": "months with both"}
    ratio = {"value": 1.062, "unit": "ratio", "formula": "...", "explanation": "...", "window": window,
             "inputs": {"months": ["2024-05", "2024-06"], "gst_turnover_incl_tax": 212400.0,
                        "bank_business_credits": 200000.0}}
    docs = {"gst_summary": {"monthly": [], "metrics": {"gst_to_bank_ratio": ratio}}}
    gap = run({"docs": docs})["metrics"]["overall_discrepancy_pct"]
    assert gap["value"] == 6.2                       # (1.062 - 1) x 100, not recomputed from other rows
    assert gap["inputs"]["source"] == "gst_summary.metrics.gst_to_bank_ratio"
    assert gap["window"] == window and gap["basis"] == "incl. tax"
    missing = run({"docs": {"gst_summary": {"metrics": {"gst_to_bank_ratio": {
        "value": None, "reason": "no bank business credits given"}}}}})["metrics"]["overall_discrepancy_pct"]
    assert missing["value"] is None and "no bank business credits given" in missing["reason"]


def test_no_data_gives_missing_metrics_with_reasons_not_zeros():
    body = run({})
    assert body["matches"] == [] and body["monthly"] == []
    for name in ("reconciliation_rate", "invoice_value_rate", "settlement_rate", "overall_discrepancy_pct"):
        assert body["metrics"][name]["value"] is None and body["metrics"][name]["reason"]
    assert body["risk_level"] == "LOW"


@pytest.fixture(scope="module")
def demo_results(demo_lake, config):
    out = {}
    for customer_id in DEMO:
        records, docs, truth = load_customer(demo_lake, customer_id)
        txns = prepare_transactions(records["transactions"], records["accounts"])
        out[customer_id] = {"records": records, "docs": docs, "truth": truth, "txns": txns,
                            "body": reconcile(records, txns, docs, config)}
    return out


@pytest.mark.parametrize("customer_id", DEMO)
def test_item_matching_precision_and_recall_per_demo_customer(demo_results, customer_id):
    r = demo_results[customer_id]
    truth, txns, body = r["truth"], r["txns"], r["body"]
    q = matching_quality(body, truth, set(txns["txnId"]))
    assert q["evaluable"] >= 0.98 * q["truth"] > 0
    assert q["precision"] >= 0.95, q
    assert q["recall"] >= 0.95, q
    for name, m in body["metrics"].items():
        assert {"value", "unit", "formula", "inputs", "explanation"} <= set(m), name
    ratio = r["docs"]["gst_summary"]["metrics"]["gst_to_bank_ratio"]["value"]
    assert body["metrics"]["overall_discrepancy_pct"]["value"] == pytest.approx((ratio - 1) * 100, abs=0.01)


def test_fraud_customers_fake_invoices_stay_unmatched_and_raise_the_risk(demo_results):
    truth, body = demo_results["CUST_MSM_00006"]["truth"], demo_results["CUST_MSM_00006"]["body"]
    paid = {truth_key(s) for s in truth["settlements"]}
    invoices = [u for u in body["unmatched_items"] if u["kind"] == "gstr1_invoice"]
    matched = {m["item_id"] for m in body["matches"] if m["kind"] == "gstr1_invoice"}
    never_paid = ({u["item_id"] for u in invoices} | matched) - paid
    assert len(never_paid) > 50
    assert not never_paid & matched
    assert sum(u["status"] == "overdue" for u in invoices) >= 0.8 * len(invoices)
    assert body["risk_level"] == "HIGH"
    assert body["metrics"]["invoice_value_rate"]["value"] < 0.7
    assert body["metrics"]["months_gst_above_bank"]["value"] > body["metrics"]["months_matched"]["value"]
    assert all(demo_results[c]["body"]["risk_level"] != "HIGH" for c in DEMO if c != "CUST_MSM_00006")


def test_short_payments_are_still_matched_through_the_learned_payer_names(demo_results, config):
    r = demo_results["CUST_MSM_00008"]
    records, docs, truth, txns = r["records"], r["docs"], r["truth"], r["txns"]
    stressed = short_pay(records, truth, share=0.3)
    s_txns = prepare_transactions(stressed["transactions"], stressed["accounts"])
    body = reconcile(stressed, s_txns, docs, config)
    inexact = [m for m in body["matches"] if m["kind"] == "gstr1_invoice" and m["components"]["amount"] < 1]
    assert len(inexact) > 20
    # combined payments, parts and credit-note payments must tally to the rupee (or less TDS at one rate), so
    # a credit the stress shortened leaves them open with a reason: judge the one-credit-one-invoice pairs here
    multi = {t for c in truth["planted"]["reconciliation"] if c["kind"] != "tds" for t in c["txn_ids"]}
    single = {**truth, "settlements": [s for s in truth["settlements"] if s["txnId"] not in multi]}
    single_body = {**body, "matches": [m for m in body["matches"] if m["txnId"] not in multi]}
    q = matching_quality(single_body, single, set(txns["txnId"]))
    assert q["precision"] >= 0.95 and q["recall"] >= 0.95, q


def test_matching_blocks_candidates_by_amount(demo_results):
    records, txns = demo_results["CUST_MSM_00001"]["records"], demo_results["CUST_MSM_00001"]["txns"]
    result = match_items(records, txns, {})
    assert len(txns) > 15000
    assert result.candidate_pairs < 3 * len(result.items)   # never items x credits
