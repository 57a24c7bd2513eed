"""Planted reconciliation cases are in the truth and agree with the bank lines and GSTR-1 (b2b and cdnr)."""
from __future__ import annotations

from collections import Counter

from .conftest import by_profile


def _books(g):
    txns = {t["txnId"]: t for t in g.records["transactions"]}
    gstr1 = [r for r in g.records["gst_returns"] if r["return_type"] == "GSTR1"]
    invoices = {(p["ctin"], inv["inum"]): inv for r in gstr1 for p in r["b2b"] for inv in p["inv"]}
    notes = {(p["ctin"], nt["nt_num"]): nt for r in gstr1 for p in r.get("cdnr", []) for nt in p["nt"]}
    return txns, invoices, notes


def _taxable(doc) -> float:
    return sum(i["itm_det"]["txval"] for i in doc["itms"])


def test_every_planted_case_tallies_with_its_credits_and_gstr1(all_customers):
    for g in all_customers:
        txns, invoices, notes = _books(g)
        cases = g.truth["planted"]["reconciliation"]
        rates = {}
        for case in cases:
            keys = [(i["ctin"], i["inum"]) for i in case["invoices"]]
            docs = [invoices[k] for k in keys]
            lines = [txns[t] for t in case["txn_ids"]]
            assert all(t["type"] == "CREDIT" and g.txn_categories[t["txnId"]] == "b2b_collection" for t in lines)
            assert len({k[0] for k in keys}) == 1, case          # one buyer per case
            assert all(t["valueDate"] >= max(d["idt"] for d in docs) or case["kind"] == "part_payment" for t in lines)
            got = round(sum(t["amount"] for t in lines), 2)
            value, taxable = sum(d["val"] for d in docs), sum(_taxable(d) for d in docs)
            if case["kind"] == "credit_note":
                nt = notes[(keys[0][0], case["credit_note"])]
                assert nt["ntty"] == "C" and docs[0]["idt"] <= nt["nt_dt"] and 0 < nt["val"] < value
                value, taxable = value - nt["val"], taxable - _taxable(nt)
            if case["kind"] == "tds":
                rates.setdefault(keys[0][0], set()).add(case["tds_rate"])
                assert abs(got - (value - taxable * case["tds_rate"])) <= 0.02, case
            else:
                rate = (value - got) / taxable                       # the buyer's TDS, if it deducts any
                assert -1e-6 <= rate <= 0.1 + 1e-4, case
            assert len(lines) >= 2 if case["kind"] == "part_payment" else len(lines) == 1
            assert len(keys) >= 2 if case["kind"] == "many_to_one" else len(keys) == 1
        assert all(len(r) == 1 for r in rates.values()), rates       # a buyer withholds at one rate
        settled = Counter((s["ctin"], s["inum"], s["txnId"]) for s in g.truth["settlements"] if s["kind"] != "ondc_order")
        for case in cases:
            for i in case["invoices"]:
                for t in case["txn_ids"]:
                    assert settled[(i["ctin"], i["inum"], t)] == 1   # the settlements truth holds every pair


def test_each_kind_is_planted_and_tds_goes_beyond_the_fixed_rates(all_customers):
    kinds = Counter(c["kind"] for g in all_customers for c in g.truth["planted"]["reconciliation"])
    assert min(kinds[k] for k in ("many_to_one", "part_payment", "credit_note", "tds")) >= 5, kinds
    rates = {c["tds_rate"] for g in all_customers for c in g.truth["planted"]["reconciliation"] if c["kind"] == "tds"}
    assert rates - {0.001, 0.01, 0.02}, rates
    for g in by_profile(all_customers, "stable_income"):   # retainer clients pay each month's invoice on its own
        assert not [c for c in g.truth["planted"]["reconciliation"] if c["kind"] == "many_to_one"]
