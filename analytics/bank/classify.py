"""Categorise bank-statement lines and name their counterparty, from the narration.

``mode`` is unreliable on AA data (an ATM withdrawal can arrive as ``OTHERS``),
so the narration is the signal; the mode is only a fallback when no word in the
narration decides. The rules work on the *words* of a narration, not on one
bank's layout, so ``UPI/CR/..`` (SBI, Axis), ``UPI-NAME-VPA-..`` (HDFC),
``NEFT CR-IFSC-NAME-..``, ``BY TRANSFER-NEFT*IFSC*REF*NAME``, ``ACH D- LENDER-..``,
``NACH/DR/..``, ``ECS/..``, ``SI/..``, ``ATW-/NWD-`` and ``BY CLG`` all classify.

Speed: a narration is reduced to the set of vocabulary words it contains; the
category depends only on (type, mode, that set), so it is decided once per
distinct set and cached. 17,000 lines have a few hundred distinct sets.
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

BUSINESS_CREDITS = frozenset({"upi_sales", "b2b_collection", "ondc_settlement", "cash_deposit", "cheque_deposit",
                              "other_credit"})
NON_BUSINESS_CREDITS = frozenset({"self_transfer_in", "loan_disbursal", "reversal", "refund", "interest", "bounce"})
DEBIT_CATEGORIES = ("supplier_payment", "salary", "rent", "utilities", "gst_payment", "tax", "emi", "bounce",
                    "bounce_charge", "bank_charges", "interest_paid", "atm_withdrawal", "insurance_premium", "sip",
                    "self_transfer_out", "card_payment", "reversal", "other_debit")
# categories whose counterparty is the bank or nobody: the narration names no party worth ranking
NO_PARTY = frozenset({"atm_withdrawal", "cash_deposit", "bank_charges", "bounce_charge", "interest", "interest_paid",
                      "gst_payment", "tax"})

_W = {
    "RET": "RETURN RETURNED RTN RTRN RET BOUNCE BOUNCED DISHONOUR DISHONOURED DISHONOR DISHONORED UNPAID "
           "INSUFFICIENT INSUFF INSUF EXCEEDS",
    "MANDATE": "NACH ACH ECS SI MANDATE ENACH EMANDATE",
    "CHQ": "CHQ CHEQUE CHEQ CLG CLEARING CTS MICR OW IW OUTWARD INWARD",
    "CHG": "CHG CHGS CHARGE CHARGES CHRG CHRGS CHRGES FEE FEES PENAL PENALTY COMMISSION",
    "BANKCHG": "SMS AMC MAB AMB QAB INSPECTION STAMP FOLIO LEDGER MAINT NONMAINT",
    "REV": "REV REVERSAL REVERSED RVSL REVSL REVERSE CHARGEBACK",
    "REFUND": "REFUND REFUNDED RFND CASHBACK",
    "INT": "INT INTT INTEREST",
    "DIV": "DIVIDEND DIV",
    "DISB": "DISB DISBURSAL DISBURSEMENT DISBURSED DISBT",
    "LOAN": "LOAN LN EMI TL REPAYMENT REPAY INSTALMENT INSTALLMENT",
    "LENDER": "LENDINGKART FLEXILOANS INDIFI NEOGROWTH UGRO KINARA PROTIUM SIDBI MUDRA CAPITALFLOAT AYEFINANCE",
    "SELF": "SELF OWN SWEEP",
    "REDEEM": "FD FDR REDEMPTION REDEEM PREMAT PRECLOSURE MATURITY",
    "CASH": "CASH CSH",
    "CDM": "CDM BNA",
    "ATM": "ATM ATW NWD EAW",
    "WDL": "WDL WITHDRAWAL WD WDR",
    "UPI": "UPI BHIM QR",
    "PG": "RAZORPAY PAYU CASHFREE CCAVENUE PINELABS BHARATPE MSWIPE EZETAP SETTLEMENT SETTL SETL",
    "FT": "NEFT RTGS IMPS MMT FT TRF TRANSFER INB IFT NETBANKING",
    "ONDC": "ONDC MAGICPIN MYSTORE PINCODE ECOMMERCE",
    "SALARY": "SALARY SAL WAGES WAGE PAYROLL STIPEND",
    "RENT": "RENT RENTAL LEASE",
    "UTIL": "ELECTRICITY ELEC ELECT POWER BESCOM MSEDCL TANGEDCO UGVCL MGVCL DGVCL PGVCL BSES UPPCL JVVNL AVVNL "
            "TSSPDCL TSNPDCL CESC PSPCL DHBVN UHBVN MPPKVVCL MPMKVVCL KSEB APSPDCL APEPDCL WBSEDCL TORRENT "
            "WATER JAL GAS IGL MGL AIRTEL JIO JIOFIBER VODAFONE BSNL MTNL BROADBAND FIBERNET HATHWAY DTH "
            "POSTPAID RECHARGE BBPS TELEPHONE TATAPLAY XSTREAM",
    "GST": "GST IGST CGST SGST GSTN CPIN",
    "TAX": "TAX TDS CBDT OLTAS ITNS ADVTAX PTAX INCOMETAX ITD",
    "INS": "INSURANCE INS PREMIUM PREM LIC LOMBARD ALLIANZ ERGO BUPA POLICY LIFE GIC ASSURANCE",
    "SIP": "SIP MF MUTUAL CAMS KFIN KFINTECH KARVY ICCL GROWW ZERODHA KUVERA BSESTAR",
    "CARD": "CARD CARDS",
    "CCPAY": "CRED CREDITCARD CCPAY CCBILL",
    "PAYWORD": "PAYMENT PMT BILL AUTOPAY PAY",
    "CREDITW": "CREDIT",
    "CLEARCORP": "CORP CORPORATION",
    "BIZ": "TRADERS TRADING ENTERPRISES ENTERPRISE PVT LTD LIMITED LLP AGENCIES AGENCY DISTRIBUTORS INDUSTRIES "
           "SUPPLIERS SUPPLY WHOLESALE CO COMPANY CORPORATION MILLS TEXTILES STORES MART EXPORTS IMPORTS IMPEX "
           "OVERSEAS FABRICS GARMENTS SPARES AUTOMOBILES MOTORS ELECTRICALS ELECTRONICS HARDWARE PHARMA MEDICAL "
           "HEALTHCARE FOODS PRODUCTS UDYOG PACKAGING PRINTERS PAPER FURNITURE FURNISHERS WORKS STEELS STEEL "
           "PLASTICS POLYMERS CHEMICALS ENGINEERING LOGISTICS TRANSPORT CARRIERS BROTHERS BROS SONS ASSOCIATES "
           "EMPORIUM INTERNATIONAL",
}
_FEATURE = {word: name for name, words in _W.items() for word in words.split()}
VOCAB = frozenset(_FEATURE)
_WORD = re.compile(r"[A-Z]+")


def _credit_category(f: frozenset, mode: str) -> str:
    if "RET" in f and ("MANDATE" in f or "CHQ" in f) and "CHG" not in f:
        return "bounce"          # our own mandate/cheque debit coming back: money returned, not earned
    if "REV" in f and "MANDATE" in f:
        return "bounce"
    if "REV" in f or "RET" in f:
        return "reversal"
    if "REFUND" in f:
        return "refund"
    if "INT" in f or "DIV" in f:
        return "interest"
    if "DISB" in f or "LENDER" in f or ("LOAN" in f and "MANDATE" not in f):
        return "loan_disbursal"
    if "CDM" in f or ("CASH" in f and "FT" not in f and "UPI" not in f):
        return "cash_deposit"
    if "SELF" in f or "REDEEM" in f:
        return "self_transfer_in"
    if "ONDC" in f:
        return "ondc_settlement"
    if "CHQ" in f:
        return "cheque_deposit"
    if "FT" in f:
        return "b2b_collection"
    if "UPI" in f or "PG" in f:
        return "upi_sales"
    return {"CASH": "cash_deposit", "UPI": "upi_sales", "FT": "b2b_collection"}.get(mode, "other_credit")


def _debit_category(f: frozenset, mode: str) -> str:
    if "RET" in f and ("CHG" in f or "BANKCHG" in f):
        return "bounce_charge"
    if "RET" in f and ("MANDATE" in f or "CHQ" in f):
        return "bounce"          # a cheque/mandate we had been credited for, debited back unpaid
    if "REV" in f:
        return "reversal"
    if "SALARY" in f:
        return "salary"
    if "RENT" in f:
        return "rent"
    if "GST" in f and "CHG" not in f and "BANKCHG" not in f:
        return "gst_payment"
    if "TAX" in f and "CHG" not in f and "BANKCHG" not in f:
        return "tax"
    if "CHG" in f or "BANKCHG" in f:
        return "bank_charges"
    if "INT" in f and "LOAN" not in f:
        return "interest_paid"
    if "SIP" in f or ("CHQ" in f and "CLEARCORP" in f and "MANDATE" in f):
        return "sip"             # BSE StAR MF debits arrive as 'ACH D- INDIAN CLEARING CORP'
    if "INS" in f:
        return "insurance_premium"
    if "CCPAY" in f or ("CARD" in f and ("CREDITW" in f or "PAYWORD" in f)):
        return "card_payment"
    if "UTIL" in f:
        return "utilities"
    if "LOAN" in f or "LENDER" in f or "MANDATE" in f:
        return "emi"
    if "ATM" in f or (("CASH" in f or "WDL" in f) and "FT" not in f and "UPI" not in f) \
            or ("CHQ" in f and "SELF" in f):
        return "atm_withdrawal"  # a self cheque paid at the counter is a cash withdrawal
    if "SELF" in f or "REDEEM" in f:
        return "self_transfer_out"
    if "FT" in f or "CHQ" in f or "BIZ" in f:
        return "supplier_payment"
    return {"ATM": "atm_withdrawal", "CASH": "atm_withdrawal", "FT": "supplier_payment"}.get(mode, "other_debit")


@lru_cache(maxsize=8192)
def _category(words: frozenset, txn_type: str, mode: str) -> str:
    features = frozenset(_FEATURE[w] for w in words)
    if txn_type == "CREDIT":
        return _credit_category(features, mode)
    return _debit_category(features, mode)


# ---- counterparty -------------------------------------------------------------------------------
_SPLIT = re.compile(r"\s*[/*|:\\]\s*|\s*-+\s*|\s{2,}")
_MS = re.compile(r"\bM/S\.?\s*")
_IFSC = re.compile(r"[A-Z]{4}00[A-Z0-9]{4,6}|[A-Z]{4}0[A-Z0-9]{6}")  # IFSC, before or after digit folding
_DIGITS = re.compile(r"\d+")
_PLAIN = re.compile(r"[A-Z][A-Z&.' ]*[A-Z.]")
# channel and meta words; a field made only of these (plus numbers) names nobody
_STOP = frozenset(
    "UPI NEFT RTGS IMPS MMT NACH ACH ECS SI CR DR P2A P2P P2M P2V BY TO FROM TRANSFER TRF FT INB IB MB MOB "
    "NETBANK NETBANKING CLG CHQ CHEQUE CTS NO DEP DEPOSIT REF UTR REV RVSL REVERSAL RETURN RTN REFUND PAYMENT "
    "PMT PAY PAID SENT RECEIVED COLLECT REQ VIA FOR OUT ENACH EMANDATE MANDATE UMRN POS ECOM BIL BILLPAY "
    "ONL IFT TXN TRAN AC CREDIT DEBIT INWARD OUTWARD OW IW MICR NA XX XXX INSUFFICIENT FUNDS LOAN DISB DISBURSAL "
    "DISBURSEMENT SETTLEMENT SETTL SETL ONDC CC OWN SELF SWEEP EMI SALARY SAL WAGES RENT PREMIUM SIP REDEMPTION "
    "CHG CHGS CHRG CHARGES RECOVERY BPAY BBPS BILLDESK ONLINE".split())
# single letters are channel words only next to a channel word ("ACH D-", "NEFT C"), else initials ("D K TRADERS")
_LETTER_STOP = frozenset("C D X".split())
_NORM = ((re.compile(r"\bPRIVATE\b"), "PVT"), (re.compile(r"\bLIMITED\b"), "LTD"),
         (re.compile(r"[.,'\"()]"), " "), (re.compile(r"\s+"), " "))


@lru_cache(maxsize=65536)
def normalise_party(name: str) -> str | None:
    """Upper-case a party name and fold spelling variants ("Pvt. Ltd." = "PRIVATE LIMITED" = "PVT LTD")."""
    out = name.upper()
    for pattern, repl in _NORM:
        out = pattern.sub(repl, out)
    out = out.strip()
    if out.startswith("MS "):
        out = out[3:]
    return out or None


def _party_key(upper: str) -> str:
    """Narration reduced to what the party depends on: every digit run becomes "00" (so reference
    numbers of any length look alike and many lines share one key) and ``M/S``, ``A/C`` are unslashed."""
    return _DIGITS.sub("00", _MS.sub("", upper)).replace("A/C", "AC").replace("O/W", "OW").replace("I/W", "IW")


@lru_cache(maxsize=65536)
def _party_from_key(text: str) -> str | None:
    for part in _SPLIT.split(text):
        if not part or part in _STOP or "@" in part:
            continue
        if _PLAIN.fullmatch(part) and _STOP.isdisjoint(part.split()):
            return normalise_party(part)          # the common case: a clean name field
        if _IFSC.fullmatch(part):
            continue
        words = [w for w in part.split() if "0" not in w]  # words that had digits carry "00"
        if not _STOP.isdisjoint(words):
            words = [w for w in words if w not in _STOP and w not in _LETTER_STOP]
        if not words:
            continue
        name = " ".join(words)
        letters = sum(ch.isalpha() for ch in name)
        if letters >= 2 and letters >= len(name.replace(" ", "")) * 0.6:
            return normalise_party(name)
    return None


def extract_counterparty(narration: str) -> str | None:
    """The first name-like field of a narration: not a channel word, reference number, IFSC or VPA.

    Banks put the party after the channel and reference (UPI/CR/<rrn>/<NAME>/..,
    NEFT CR-<IFSC>-<NAME>-.., ACH D- <LENDER>-<umrn>), so scanning fields in order
    and skipping meta fields finds it without a per-bank template. Words that
    contain digits (references, month tags like NOV24) are never part of a name.
    """
    return _party_from_key(_party_key((narration or "").upper()))


def classify_narration(narration: str, txn_type: str, mode: str | None = None) -> tuple[str, str | None]:
    """Return ``(category, counterparty)`` for one statement line.

    Why per line as well as per frame: the API's drill-down and the tests
    classify a single narration; :func:`classify_frame` is the fast path.
    """
    text = (narration or "").upper()
    words = frozenset(_WORD.findall(text)) & VOCAB
    category = _category(words, (txn_type or "").upper(), (mode or "").upper())
    party = None if category in NO_PARTY else extract_counterparty(text)
    return category, party


def classify_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Classify every row of a frame with ``narration``, ``type`` and ``mode``; returns ``category``,
    ``counterparty`` and ``is_business_credit`` aligned to ``df.index``.

    The category is decided once per distinct (type, mode, vocabulary words) and
    the counterparty once per distinct digit-folded narration, so the cost per
    row is one word scan and one substitution.
    """
    narr = [n.upper() if isinstance(n, str) else "" for n in df["narration"].tolist()]
    types = [str(t).upper() for t in df["type"].tolist()]
    modes = [m.upper() if isinstance(m, str) else "" for m in df["mode"].tolist()]
    findall, vocab, key, party = _WORD.findall, VOCAB, _party_key, _party_from_key
    cats = [_category(frozenset(findall(n)) & vocab, t, m) for n, t, m in zip(narr, types, modes)]
    parties = [None if c in NO_PARTY else party(key(n)) for n, c in zip(narr, cats)]
    category = pd.Series(cats, index=df.index, dtype=object)
    is_credit = np.asarray(types) == "CREDIT"
    business = is_credit & category.isin(BUSINESS_CREDITS).to_numpy()
    return pd.DataFrame({"category": category, "counterparty": pd.Series(parties, index=df.index, dtype=object),
                         "is_business_credit": business}, index=df.index)


def narration_words(narration: str) -> frozenset:
    """The vocabulary words of a narration (upper-cased), for callers that need more than the category,
    e.g. which rail a bounce came through or whether a charge names an outward return."""
    return frozenset(_WORD.findall((narration or "").upper())) & VOCAB
