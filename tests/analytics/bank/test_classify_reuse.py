"""classify_frame remembers the last statement it categorised: the same columns, the same answer, a copy each."""
import pandas as pd

from analytics.bank.categorise.frame import categorise_frame
from analytics.bank.classify import classify_frame

LINES = pd.DataFrame({
    "narration": ["UPI/CR/412345678901/RAMESH KUMAR/SBIN/ramesh@okaxis", "NEFT-HDFC0001234-ACME TRADERS-INV 42",
                  "ATM WDL 12345 MUMBAI", "EMI 123456 HDFC BANK LOAN"],
    "type": ["CREDIT", "CREDIT", "DEBIT", "DEBIT"],
    "mode": ["UPI", "FT", "ATM", "OTHERS"],
    "amount": [1200.0, 54000.0, 5000.0, 23000.0],
})


def test_a_statement_classified_again_gives_the_same_answer_as_categorising_it():
    first = classify_frame(LINES)
    again = classify_frame(LINES.copy())
    pd.testing.assert_frame_equal(again, categorise_frame(LINES))
    pd.testing.assert_frame_equal(again, first)


def test_each_caller_gets_its_own_copy_aligned_to_its_own_index():
    first = classify_frame(LINES)
    first.loc[0, "category"] = "changed by a caller"
    shifted = classify_frame(LINES.set_axis([10, 11, 12, 13]))
    assert list(shifted.index) == [10, 11, 12, 13]
    assert shifted.loc[10, "category"] == categorise_frame(LINES).loc[0, "category"] != "changed by a caller"


def test_a_changed_line_is_classified_afresh():
    classify_frame(LINES)
    changed = LINES.assign(type=["CREDIT", "CREDIT", "DEBIT", "CREDIT"])
    pd.testing.assert_frame_equal(classify_frame(changed), categorise_frame(changed))
