"""The categoriser on hand-labelled real-format narrations of every bank, and its party features."""
from collections import defaultdict

import pytest

from analytics.bank.categorise import categorise
from analytics.bank.categorise.parties import extract_counterparty, party_kind, vpa_kind
from bench.categorise_set import is_held_out, load_labelled

ROWS = load_labelled()
BANKS = sorted({r["bank"] for r in ROWS})


def _sample(bank: str, n: int = 6) -> list[dict]:
    """The first n lines of a bank's tuning split (deterministic)."""
    return [r for r in ROWS if r["bank"] == bank and not is_held_out(r)][:n]


@pytest.mark.parametrize("bank", BANKS)
def test_a_sample_of_each_bank_gets_its_labelled_leaf_and_group(bank):
    for row in _sample(bank):
        got = categorise(row["narration"], row["type"], row["amount"], row.get("mode"))
        assert (got.group, got.category) == (row["group"], row["category"]), row["narration"]
        assert 0 < got.confidence <= 1


def test_accuracy_holds_per_bank_and_on_the_held_out_split():
    right: dict[str, list[bool]] = defaultdict(list)
    held = []
    for row in ROWS:
        ok = categorise(row["narration"], row["type"], row["amount"], row.get("mode")).category == row["category"]
        right[row["bank"]].append(ok)
        if is_held_out(row):
            held.append(ok)
    overall = sum(sum(v) for v in right.values()) / len(ROWS)
    assert overall >= 0.95
    assert min(sum(v) / len(v) for v in right.values()) >= 0.9
    assert 100 <= len(held) <= 200 and sum(held) / len(held) >= 0.9


def test_the_split_is_deterministic_and_about_thirty_percent():
    flags = [is_held_out(r) for r in ROWS]
    assert flags == [is_held_out(dict(r)) for r in ROWS]
    assert 0.25 <= sum(flags) / len(flags) <= 0.35


@pytest.mark.parametrize("narration,kind", [
    ("UPI-RAKESHKUMAR-Q48170001@YBL-PYTM0123456-934628681234-NOTE", "merchant"),
    ("UPI/654798321234/17:51:16/UPI/paytmqr6xyz41@ptys/", "merchant"),
    ("UPI/DR/525797191234/Kiran St/FDRL/bharatp/Pay to", "merchant"),
    ("UPI-ARUN YADAV-9811100042@YBL-UTIB0001771-934338501234-PAY", "personal"),
    ("UPI/607419671234/17:57:46/UPI/murali004-4@okicici/UPI", "personal"),
    ("NEFT/N1/ACME TRADERS/INV 1", "none"),
])
def test_vpa_tells_a_merchant_qr_from_a_person(narration, kind):
    assert vpa_kind(narration.upper()) == kind


def test_person_or_business_and_the_counterparty_field():
    assert party_kind("SHREE GANESH TRADERS") == "business" and party_kind("RAJESHMOTORSAUTOP VTLTD") == "business"
    assert party_kind("MAHESH G") == "person" and party_kind(None) == "none"
    assert extract_counterparty("NEFT_IN:IBKL180618491234/ GUPTA KIRANA STORE") == "GUPTA KIRANA STORE"
    assert extract_counterparty("MMT/IMPS/929911281234/previous paymen/SHREE CORP/KKBK0000261") == "SHREE CORP"


@pytest.mark.parametrize("narration,type_,leaf,party", [
    ("ACH D- BAJAJ FINANCE LTD-P400PSI21234567", "DEBIT", "nbfc_loan_emi", "BAJAJ FINANCE LTD"),
    ("ACH-DR-CTRAZORPAY-EARLYSALARYM9zK0Bxex-UTIB70", "DEBIT", "fintech_loan_emi", "FIBE"),
    ("NACH-DR- EQUITASFINPLDRETAIL", "DEBIT", "bank_loan_emi", "EQUITAS SMALL FINANCE BANK"),
    ("UPI/Muthoot Finance/210245671234/Payment for JIQ UPI-210201171234", "DEBIT", "gold_loan_repayment",
     "MUTHOOT FINANCE"),
    ("NEFT CR-YESB0000001-LENDINGKART-VIJAY SINGH RATHORE-N036200361234567", "CREDIT", "fintech_loan_disbursal",
     "LENDINGKART FINANCE"),
    ("ACHD-TPACHICICIBANK-1322981234", "CREDIT", "nach_mandate_return", "ICICI BANK"),
    ("UPI/P2M/612345671234/SANJAY PATEL/Payment/HDFC BANK", "CREDIT", "upi_merchant_sales", "SANJAY PATEL"),
])
def test_lender_types_and_returns(narration, type_, leaf, party):
    got = categorise(narration, type_, 1000.0, None)
    assert (got.category, got.counterparty) == (leaf, party)


def test_a_hdfc_bank_named_as_the_payers_bank_is_not_a_lender():
    got = categorise("UPI/P2M/612345671234/SANJAY PATEL/Payment/HDFC BANK", "DEBIT", 100.0, "UPI")
    assert got.group == "SUPPLIER_PAYMENT"


def test_mode_is_only_a_hint():
    assert categorise("NWD-514834XXXXXX9012-S1AWJP11-JAIPUR", "DEBIT", 20000, "OTHERS").category == "atm_withdrawal"
    assert categorise("BRANCH TXN 000123", "CREDIT", 100, "CASH").category == "branch_cash_deposit"
    assert categorise("BRANCH TXN 000123", "CREDIT", 100, "OTHERS").group == "OTHER"
