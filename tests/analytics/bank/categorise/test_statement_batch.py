"""A whole statement categorised at once gives every line what the line-by-line categoriser gives it
(analytics/bank/categorise/frame.py, parties.party_keys, text.PatternTable)."""
import pandas as pd

from analytics.bank.categorise import categorise
from analytics.bank.categorise.frame import categorise_frame, categorise_statement
from analytics.bank.categorise.parties import party_key, party_keys
from analytics.bank.categorise.text import PatternTable, read_text
from bench.categorise_set import load_labelled

AWKWARD = ["M/S APEX TRADERS A/C 12345", "NEFT O/W RTN I/W CLG 0042", "PAID TO M/S.SHREE 9876543210@YBL",
           "BNA/CDAR 77", "UPI/CR/１２３/ＲＡＭ", "", "CHQ DEP 12-05-2024 A/C"]


def test_statement_keys_equal_line_keys_including_unslashing_and_non_ascii_digits():
    uppers = [n.upper() for n in AWKWARD]
    assert party_keys(uppers) == [party_key(u) for u in uppers]
    assert party_keys(uppers[:4] + ["A\x00B"]) == [party_key(u) for u in uppers[:4] + ["A\x00B"]]
    assert party_keys([]) == []


def test_each_labelled_line_gets_the_same_result_in_a_statement_as_alone():
    rows = load_labelled()
    narr, types = [r["narration"] for r in rows], [r["type"].upper() for r in rows]
    amounts, modes = [r["amount"] for r in rows], [r.get("mode") for r in rows]
    line, first, decided = categorise_statement(narr, types, amounts, modes)
    assert len(decided) < len(rows) and sorted(first.tolist()) == first.tolist()
    for i, (n, t, a, m) in enumerate(zip(narr, types, amounts, modes)):
        alone = categorise(n, t, a, m)
        assert decided[line[i]][:3] == (alone.category, alone.counterparty, alone.confidence), n


def test_a_frame_categorises_repeated_keys_alike_and_keeps_its_index():
    narr = ["UPI/CR/412345678901/RAMESH KUMAR/HDFC/ramesh@okhdfc", "UPI/CR/498765432109/RAMESH KUMAR/HDFC/ramesh@okhdfc",
            "ACH D- BAJAJ FINANCE LTD-99887766", "ATM WDL 0045 MG ROAD"]
    df = pd.DataFrame({"narration": narr, "type": ["CREDIT", "CREDIT", "DEBIT", "DEBIT"],
                       "mode": ["UPI", "UPI", None, "ATM"], "amount": [500.0, 500.0, 12000.0, 2000.0]},
                      index=[10, 11, 12, 13])
    got = categorise_frame(df)
    assert got.index.tolist() == [10, 11, 12, 13]
    assert got.iloc[0].tolist() == got.iloc[1].tolist()
    assert got["category_leaf"].tolist()[2:] == [categorise(n, t, a, m).category
                                                 for n, t, a, m in zip(narr[2:], ["DEBIT"] * 2, [12000.0, 2000.0],
                                                                       [None, "ATM"])]
    assert categorise_frame(df.iloc[:0]).empty


def test_an_anywhere_pattern_counts_once_per_position_and_the_longest_wins():
    table = PatternTable([("short", "~CASHPA"), ("long", "CASHPAIDSELF"), ("other", "~PAIDSE")])
    text = read_text("CASH PAID SELF")
    assert table.first(text) == ["long", "other"]
    assert table.labels(read_text("CASHPAID CASHPA")) == frozenset({"short"})
