"""Planted window dressing: every case in the truth is in the bank lines, as ordinary lines, as the profile asks."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace

from generators.bank_dressing import KINDS
from generators.profiles import PROFILES
from generators.registry import generate_customer

ORDINARY = {"cash_deposit", "b2b_collection", "self_transfer_in", "supplier_payment", "self_transfer_out",
            "atm_withdrawal", "emi"}


def planted(g) -> list[dict]:
    return g.truth["planted"]["window_dressing"]


def test_every_planted_case_is_in_the_lines(all_customers):
    for g in all_customers:
        lines = {t["txnId"]: t for t in g.records["transactions"]}
        for case in planted(g):
            assert case["kind"] in KINDS
            assert case["txn_ids"] and case["related_txn_ids"], (g.customer_id, case)
            assert all(lines[t]["type"] == "CREDIT" for t in case["txn_ids"]), (g.customer_id, case)
            assert all(lines[t]["type"] == "DEBIT" for t in case["related_txn_ids"]), (g.customer_id, case)
            # ordinary categories only: nothing names the pattern
            cats = {g.txn_categories.get(t) for t in case["txn_ids"] + case["related_txn_ids"]}
            assert cats <= ORDINARY, (g.customer_id, cats)


def test_demo_customers_plant_what_their_profile_asks(demo_customers):
    for g in demo_customers.values():
        want = PROFILES[g.profile].window_dressing
        got = Counter(c["kind"] for c in planted(g) if c.get("source") != "ledger_top_up")
        for kind, n in zip(KINDS, want):
            assert got[kind] <= n, (g.customer_id, kind)
        if g.profile == "fraud":
            assert [got[k] for k in KINDS] == list(want)
        if not any(want):
            assert not got, g.customer_id


def test_cases_keep_their_shape_in_the_lines(demo_customers):
    g = demo_customers["CUST_MSM_00006"]   # fraud: three of each kind
    lines = {t["txnId"]: t for t in g.records["transactions"]}
    day = lambda t: dt.date.fromisoformat(lines[t]["transactionTimestamp"][:10])  # noqa: E731
    for case in planted(g):
        credit = sum(lines[t]["amount"] for t in case["txn_ids"])
        out = sum(lines[t]["amount"] for t in case["related_txn_ids"])
        first = min(day(t) for t in case["txn_ids"])
        if case["kind"] == "large_credit_withdrawn":
            assert credit >= 50_000 and 0.8 * credit <= out <= credit
            assert all(0 <= (day(t) - first).days <= 2 for t in case["related_txn_ids"])
        elif case["kind"] == "cash_before_emi":
            emi = lines[case["related_txn_ids"][0]]
            assert "NACH" in emi["narration"] or "ECS" in emi["narration"] or "SI/" in emi["narration"]
            assert 0 <= (day(case["related_txn_ids"][0]) - first).days <= 2
        else:
            assert len(case["txn_ids"]) >= 2 and 0.8 * credit <= out <= credit * 1.001
            last_day = dt.date(first.year, first.month, 1) + dt.timedelta(days=32)
            assert first.day in (3, 4, 13, 14, 23, 24) or (last_day.replace(day=1) - first).days <= 3


def test_dressing_draws_from_its_own_stream(config):
    """The same customer without dressing has the same lines up to the weeks before the first planted one (the
    ledger saves ahead for a fixed debit, at most 15 days): dressing moves no other stream."""
    as_of = dt.date(2026, 11, 1)
    dressed = generate_customer("CUST_MSM_00006", None, as_of, config)
    plain = generate_customer("CUST_MSM_00006", None, as_of, config,
                              spec=replace(PROFILES["fraud"], window_dressing=(0, 0, 0)))
    assert planted(dressed) and not planted(plain)
    ids = {t for c in planted(dressed) for t in c["txn_ids"] + c["related_txn_ids"]}
    first = min(t["transactionTimestamp"] for t in dressed.records["transactions"] if t["txnId"] in ids)
    cut = (dt.date.fromisoformat(first[:10]) - dt.timedelta(days=16)).isoformat()
    before = lambda g: [t for t in g.records["transactions"] if t["transactionTimestamp"] < cut]  # noqa: E731
    assert before(dressed) == before(plain) and len(before(plain)) > 100
