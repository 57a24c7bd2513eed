"""A cut or bare name on one line resolved by the rest of the statement (analytics/bank/categorise/statement_context.py)."""
import pandas as pd

from analytics.bank.categorise.frame import categorise_frame, with_categories


def _frame(rows):
    return pd.DataFrame([{"narration": n, "type": t, "mode": m, "amount": a} for n, t, m, a in rows])


ROWS = [
    ("NEFT/AXISN24010712345/APEX FURNITURE HOUSE/INV 431", "CREDIT", "FT", 120000.0),
    ("IMPS/P2A/334012951199/APEX FUR/STATE BANK OF INDIA/PAYMENT", "CREDIT", "FT", 45000.0),   # cut to 8
    ("NEFT-BARBN233384260077-GEETA DUTTA-SALARY NOV23", "DEBIT", "FT", 18000.0),
    ("NEFT-BARBN233384260078-GEETA DUTTA", "DEBIT", "FT", 18000.0),                            # no remark
    ("IMPS/P2A/334012951100/RAVI KUM/STATE BANK OF INDIA/PAYMENT", "CREDIT", "FT", 5000.0),    # nobody in full
]


def test_cut_names_and_bare_payees_take_what_the_statement_says_elsewhere():
    got = categorise_frame(_frame(ROWS))
    assert got["category_leaf"].tolist() == ["neft_rtgs_b2b_receipt", "neft_rtgs_b2b_receipt", "salary_paid",
                                             "salary_paid", "bank_transfer_p2p_received"]
    assert got["counterparty"].tolist()[1] == "APEX FURNITURE HOUSE"
    assert got["group"].tolist()[3] == "SALARY"


def test_a_line_alone_stays_a_person_to_person_transfer():
    alone = categorise_frame(_frame(ROWS[3:4]))
    assert alone["category_leaf"].tolist() == ["bank_transfer_p2p_paid"]


def test_api_pages_resolve_against_the_whole_statement():
    records = [{"narration": n, "type": t, "mode": m, "amount": a, "txnId": f"T{i}"} for i, (n, t, m, a) in enumerate(ROWS)]
    page = with_categories(records[3:4], records)
    assert page[0]["category_leaf"] == "salary_paid" and page[0]["group"] == "SALARY"
    assert with_categories(records[3:4])[0]["category_leaf"] == "bank_transfer_p2p_paid"


def test_one_spelling_per_party_however_a_line_wrapped_or_was_cut():
    from analytics.bank.categorise.statement_context import canonical_parties

    parties = ["SHRIRAM FINANCE LTD"] * 5 + ["SHRIRAMFINANCE LTD", "SHREE BALAJI AGR", None, "RAVI KUM"] \
        + ["SHREE BALAJI AGRO TRADERS"] * 2 + ["RAVI KUMAR", "RAVI KUMARAN"]
    got = canonical_parties(parties)
    assert got[:6] == ["SHRIRAM FINANCE LTD"] * 6
    assert got[6] == "SHREE BALAJI AGRO TRADERS" and got[7] is None
    assert got[8] == "RAVI KUM"                       # under 8 characters: too short to join anyone
    assert got[-2:] == ["RAVI KUMAR", "RAVI KUMARAN"]  # two people, not one cut name
