"""Related-party flows, multi-hop round trips and the owner's own UPI money, on hand-built statements and the demo."""
import datetime as dt

import pandas as pd
import pytest

from analytics.bank.related import detect_multi_hop_circular, detect_related_party_flows
from analytics.bank.statement import prepare_transactions
from bench.quality_signals import chain_quality
from generators.registry import generate_customer

CONFIG = {"analytics": {}}


def _frame(rows):
    """Prepared-transaction-like rows: (txnId, date, type, amount, counterparty, category)."""
    df = pd.DataFrame([{"txnId": t, "date": pd.Timestamp(d), "type": ty, "amount": a, "counterparty": p, "category": c}
                       for t, d, ty, a, p, c in rows])
    df["is_business_credit"] = (df["type"] == "CREDIT") & df["category"].isin(("b2b_collection", "upi_sales"))
    return df


def test_two_and_three_hop_round_trips_are_found():
    df = _frame([
        ("A1", "2026-03-02", "DEBIT", 300_000.0, "SKYLINE IMPEX", "supplier_payment"),
        ("A2", "2026-03-04", "CREDIT", 296_000.0, "GOLDEN ARC TRADING", "b2b_collection"),
        ("B1", "2026-05-10", "CREDIT", 500_000.0, "NORTHSTAR HOLDINGS", "b2b_collection"),
        ("B2", "2026-05-11", "DEBIT", 495_000.0, "BLUEWAVE EXPORTS", "supplier_payment"),
        ("B3", "2026-05-13", "CREDIT", 490_500.0, "OMEGA COMMODITIES", "b2b_collection"),
    ])
    got = detect_multi_hop_circular(df, CONFIG)
    assert got["value"] == 2
    assert [i["txn_ids"] for i in got["items"]] == [["A1", "A2"], ["B1", "B2", "B3"]]
    assert got["inputs"]["record_ids"] == ["A1", "A2", "B1", "B2", "B3"]
    assert "formula" in got and got["unit"] == "count"


def test_paying_a_regular_supplier_out_of_a_buyers_payment_is_not_a_round_trip():
    rows = [("S%d" % k, f"2026-0{1 + k % 6}-15", "DEBIT", 40_000.0, "KRISHNA POLYMERS", "supplier_payment")
            for k in range(6)]
    rows += [("C1", "2026-03-02", "CREDIT", 300_000.0, "ANAND TRANSPORT CO", "b2b_collection"),
             ("D1", "2026-03-03", "DEBIT", 300_000.0, "KRISHNA POLYMERS", "supplier_payment"),
             ("C2", "2026-03-05", "CREDIT", 298_000.0, "ANAND TRANSPORT CO", "b2b_collection"),
             # a stranger's credit and a debit 4% off: outside the 3% tolerance
             ("X1", "2026-04-01", "DEBIT", 200_000.0, "SKYLINE IMPEX", "supplier_payment"),
             ("X2", "2026-04-02", "CREDIT", 192_000.0, "GOLDEN ARC TRADING", "b2b_collection"),
             # back nearly whole, but after the five-day window
             ("Y1", "2026-06-01", "DEBIT", 200_000.0, "ZENTRIX GLOBAL", "supplier_payment"),
             ("Y2", "2026-06-09", "CREDIT", 199_000.0, "ALPHA LINE SERVICES", "b2b_collection")]
    assert detect_multi_hop_circular(_frame(rows), CONFIG)["value"] == 0


def test_related_parties_by_declaration_and_by_the_owners_surname():
    df = _frame([
        ("R1", "2026-02-01", "CREDIT", 150_000.0, "VIJAY VARGHESE", "b2b_collection"),
        ("R2", "2026-02-09", "CREDIT", 120_000.0, "VARGHESE TRADERS", "b2b_collection"),
        ("R3", "2026-02-11", "CREDIT", 90_000.0, "VARGHESE AGENCIES", "b2b_collection"),  # undeclared, owner's surname
        ("N1", "2026-02-12", "CREDIT", 400_000.0, "ANAND TRANSPORT CO", "b2b_collection"),
        ("N2", "2026-02-13", "CREDIT", 80_000.0, "ANIL VARGHESE", "b2b_collection"),  # a namesake person: not related
        ("N3", "2026-02-14", "CREDIT", 10_000.0, "VIJAY VARGHESE", "b2b_collection"),  # below the amount floor
    ])
    customer = {"owner_name": "Srinivas Varghese",
                "related_parties": [{"name": "Vijay Varghese", "relation": "family"},
                                    {"name": "Varghese Traders", "relation": "group_concern"}]}
    got = detect_related_party_flows(df, customer, CONFIG)
    assert [(i["txn_id"], i["relation"]) for i in got["items"]] == [
        ("R1", "family"), ("R2", "group_concern"), ("R3", "owner_surname_business")]
    assert got["value"] == pytest.approx(360_000 / 850_000, abs=1e-4)
    assert got["inputs"]["record_ids"] == ["R1", "R2", "R3"]


def _upi(txn_id, narration, amount=20_000.0):
    return {"txnId": txn_id, "linkedAccRef": "L", "type": "CREDIT", "mode": "UPI", "amount": amount,
            "currentBalance": 1.0, "transactionTimestamp": "2026-03-01T10:00:00+05:30", "valueDate": "2026-03-01",
            "narration": narration}


def test_the_owners_upi_top_ups_are_own_money_not_sales():
    accounts = [{"profile": {"holders": {"holder": [{"name": "Kunal Tiwari", "mobile": "9812345678"}]}}}]
    df = prepare_transactions([
        _upi("T1", "UPI-K TIWARI-9812345678@YBL-YESB0YBLUPI-433710472051-SELF"),      # mobile and initials
        _upi("T2", "UPI/P2A/428821603556/K TIWARI/NA/AXIS BANK"),                      # initials, no VPA
        _upi("T3", "UPI/605310590078/10:11:12/UPI/9812345678@okaxis/Own"),             # VPA only (Bank of Baroda)
        _upi("T4", "UPI/P2A/428821603557/KUNAL S TIWARI/NA/AXIS BANK"),                # another man: a sale
        _upi("T5", "UPI/P2A/428821603558/RAVI SHARMA/NA/AXIS BANK"),
    ], accounts)
    leaves = dict(zip(df["txnId"], df["category_leaf"]))
    assert [leaves[t] for t in ("T1", "T2", "T3")] == ["self_transfer_in"] * 3
    assert leaves["T4"] == leaves["T5"] == "upi_p2p_received"
    assert not df.loc[df["txnId"].isin(["T1", "T2", "T3"]), "is_business_credit"].any()


def test_a_company_accounts_director_counts_as_the_holder_when_named():
    accounts = [{"profile": {"holders": {"holder": [{"name": "Varghese Traders Pvt Ltd"}]}}}]
    rows = [_upi("T1", "UPI/P2A/428821603556/S VARGHESE/NA/AXIS BANK")]
    assert prepare_transactions(rows, accounts)["category_leaf"].tolist() == ["upi_p2p_received"]
    owned = prepare_transactions(rows, accounts, owners=["Srinivas Varghese"])
    assert owned["category_leaf"].tolist() == ["self_transfer_in"]


def test_chain_quality_counts_overlap():
    assert chain_quality([{"a", "b"}, {"x"}], [{"b", "c"}, {"z"}]) == {"tp": 1, "fp": 1, "fn": 1}


@pytest.mark.parametrize("customer_id", ["CUST_MSM_00006", "CUST_MSM_00007", "CUST_MSM_00005"])
def test_demo_detections_match_the_planted_truth(config, customer_id):
    g = generate_customer(customer_id, None, dt.date(2026, 11, 1), config)
    df = prepare_transactions(g.records["transactions"], g.records["accounts"], owners=[g.customer["owner_name"]])
    planted = g.truth["planted"]
    hops = detect_multi_hop_circular(df, config)
    assert chain_quality([set(i["txn_ids"]) for i in hops["items"]],
                         [set(c["txn_ids"]) for c in planted["multi_hop_circular"]])["fp"] == 0
    assert {leg["txn_id"] for i in hops["items"] for leg in i["legs"]} == {
        t for c in planted["multi_hop_circular"] for t in c["txn_ids"]}
    related = detect_related_party_flows(df, g.customer, config)
    assert {i["txn_id"] for i in related["items"] if i["type"] == "CREDIT"} == {c["txn_id"] for c in planted["related_party"]}
