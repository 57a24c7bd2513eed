"""Reconciliation beyond one-to-one, on small hand-built books: one credit for three invoices, an invoice in
two parts, a credit note, TDS at 0.1% and 7.5%, a remainder with its reason, and a near miss left alone."""
import pytest

from analytics.reconciliation.tds import clean_rate
from analytics.reconciliation.multi import MULTI_DEFAULTS
from analytics.reconciliation.match import MATCH_DEFAULTS
from tests.analytics.reconciliation.test_report import BUYER, credit, gstr1, invoice, run

PAYER = "NEFT/{ref}/KRISHNA TRADERS/HDFC0001{note}"
P = {**MATCH_DEFAULTS, **MULTI_DEFAULTS}


def neft(i, day, amount, note=""):
    return credit(i, day, amount, PAYER.format(ref=f"HDFCN{i}", note=note))


def anchors():
    """Two invoices paid in full, from which the buyer's payer name and lag (30 days) are learned."""
    invs = [invoice("KT/24-25/0001", "2024-04-02", 11800.0, 10000.0), invoice("KT/24-25/0002", "2024-04-10", 23600.0,
                                                                             20000.0)]
    return invs, [neft(1, "2024-05-02", 11800.0), neft(2, "2024-05-10", 23600.0)]


def groups(body, kind):
    return [g for g in body["match_groups"] if g["kind"] == kind]


def test_one_credit_paying_three_invoices_of_the_buyer_is_one_many_to_one_group():
    invs, txns = anchors()
    invs += [invoice("KT/24-25/0003", "2024-05-03", 5900.0, 5000.0), invoice("KT/24-25/0004", "2024-05-08", 7080.0, 6000.0),
             invoice("KT/24-25/0005", "2024-05-14", 9440.0, 8000.0)]
    body = run({"gst_returns": [gstr1("042024", "2024-05-11", {BUYER: invs[:2]}),
                                gstr1("052024", "2024-06-11", {BUYER: invs[2:]})],
                "transactions": txns + [neft(3, "2024-06-10", 22420.0)]})   # 5,900 + 7,080 + 9,440, no invoice numbers
    [g] = groups(body, "many_to_one")
    assert g["txn_ids"] == ["T3"] and g["remainder"] == 0.0 and g["tds_rate"] == 0.0
    assert [i["label"] for i in g["items"]] == ["KT/24-25/0003", "KT/24-25/0004", "KT/24-25/0005"]
    rows = [m for m in body["matches"] if m["txnId"] == "T3"]
    assert {m["match_kind"] for m in rows} == {"many_to_one"} and sum(m["allocated"] for m in rows) == 22420.0
    assert body["unmatched_items"] == []
    assert body["metrics"]["match_kinds"]["inputs"]["many_to_one"] == 1
    assert body["metrics"]["invoice_value_rate"]["inputs"]["matched"] == pytest.approx(11800 + 23600 + 22420)


def test_an_invoice_paid_in_two_parts_is_one_part_payment_group():
    invs, txns = anchors()
    invs.append(invoice("KT/24-25/0006", "2024-04-20", 118000.0, 100000.0))
    body = run({"gst_returns": [gstr1("042024", "2024-05-11", {BUYER: invs})],
                "transactions": txns + [neft(3, "2024-05-06", 50000.0), neft(4, "2024-05-28", 68000.0)]})
    [g] = groups(body, "part_payment")
    assert g["txn_ids"] == ["T3", "T4"] and g["received"] == 118000.0 and g["remainder"] == 0.0
    assert [m["allocated"] for m in body["matches"] if m["label"] == "KT/24-25/0006"] == [50000.0, 68000.0]


def test_an_invoice_paid_net_of_its_gstr1_credit_note():
    invs, txns = anchors()
    invs.append(invoice("KT/24-25/0007", "2024-04-15", 59000.0, 50000.0))
    r1 = gstr1("042024", "2024-05-11", {BUYER: invs})
    r1["cdnr"] = [{"ctin": BUYER, "nt": [{"ntty": "C", "nt_num": "KT/CN/24-25/001", "nt_dt": "2024-04-25",
                                          "val": 5900.0, "itms": [{"num": 1, "itm_det": {"rt": 18.0, "txval": 5000.0}}]}]}]
    body = run({"gst_returns": [r1], "transactions": txns + [neft(3, "2024-05-15", 53100.0)]})
    [g] = groups(body, "credit_note")
    assert (g["credit_note"], g["credit_note_value"], g["txn_ids"], g["remainder"]) == ("KT/CN/24-25/001", 5900.0,
                                                                                         ["T3"], 0.0)


@pytest.mark.parametrize("rate", [0.001, 0.075])
def test_tds_at_any_rate_is_inferred_from_the_amounts(rate):
    invs = [invoice(f"KT/24-25/00{n}", f"2024-04-{n:02d}", 118000.0 + n * 1180, 100000.0 + n * 1000) for n in (11, 12, 13)]
    txns = [neft(n, f"2024-05-{n:02d}", round(118000.0 + n * 1180 - (100000.0 + n * 1000) * rate, 2)) for n in (11, 12, 13)]
    body = run({"gst_returns": [gstr1("042024", "2024-05-11", {BUYER: invs})], "transactions": txns})
    found = groups(body, "tds")
    assert len(found) == 3 and {g["tds_rate"] for g in found} == {rate}
    assert found[0]["tds_amount"] == pytest.approx(111000.0 * rate, abs=0.01)
    assert body["unmatched_items"] == []
    assert body["buyers"][0]["tds_rate"] == rate    # three payments at one rate: the buyer's section rate


def test_a_part_payment_short_of_the_invoice_keeps_its_remainder_and_says_why():
    invs, txns = anchors()
    invs.append(invoice("KT/24-25/0008", "2024-04-20", 118000.0, 100000.0))
    body = run({"gst_returns": [gstr1("042024", "2024-05-11", {BUYER: invs})],
                "transactions": txns + [neft(3, "2024-05-06", 50000.0, " PART PMT KT/24-25/0008"),
                                        neft(4, "2024-05-20", 40000.0, " PART PMT KT/24-25/0008"),
                                        credit(9, "2024-09-30", 100.0, "UPI/CR/1/A B/ybl/x", "UPI")]})
    [g] = groups(body, "part_payment")
    assert g["remainder"] == 28000.0
    assert g["reason"] == "short by Rs 28,000 after 2 parts; no further credit from KRISHNA TRADERS within 90 days"
    assert body["metrics"]["unreconciled_remainder"]["value"] == 28000.0


def test_a_near_miss_is_not_matched_and_the_open_invoice_says_why():
    invs, txns = anchors()
    invs += [invoice("KT/24-25/0009", "2024-04-20", 10000.0, 8474.58), invoice("KT/24-25/0010", "2024-04-22", 20000.0,
                                                                              16949.15)]
    # 29,637: neither invoice less a TDS rate on the 0.05% grid, nor their sum (30,000 less 2.15% is not a grid rate
    # to the rupee), nor parts of one: nothing may be forced
    body = run({"gst_returns": [gstr1("042024", "2024-05-11", {BUYER: invs})],
                "transactions": txns + [neft(3, "2024-05-20", 29637.0), credit(9, "2024-09-30", 100.0, "UPI/x", "UPI")]})
    assert not [m for m in body["matches"] if m["txnId"] == "T3"]
    reasons = {u["label"]: u["reason"] for u in body["unmatched_items"]}
    assert reasons["KT/24-25/0009"].startswith("1 credit from KRISHNA TRADERS within 90 days, none fits Rs 10,000")


def test_the_inferred_rate_must_explain_the_credit_to_the_rupee():
    assert clean_rate(118000.0, 100000.0, 117900.0, 1, P) == 0.001
    assert clean_rate(118000.0, 100000.0, 110500.0, 1, P) == 0.075
    assert clean_rate(118000.0, 100000.0, 110480.0, 1, P) is None     # 7.52%: off the 0.05% grid by Rs 20
    assert clean_rate(118000.0, 100000.0, 105000.0, 1, P) is None     # 13%: above 10%
    assert clean_rate(118000.0, 100000.0, 118000.4, 1, P) == 0.0
