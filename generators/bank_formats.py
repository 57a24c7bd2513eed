"""How each major Indian bank prints a statement narration, per kind of line (``docs/bank_formats.md``).

The :class:`~generators.narration.Narrator` decides *what* a line is (channel, counterparty, reference,
remark); a :class:`BankStyle` decides how the customer's own bank writes it, so the generated statements
of an SBI customer read like SBI's and those of a Bank of Baroda customer like Bank of Baroda's, with
the losses real formats have (names cut to 8 characters, UPI lines with a VPA and no name, name and UTR
run together). The style draws from its own random stream, so choosing a variant never shifts the
amounts, dates or references the rest of the generator draws.

Every shape here is the documented pattern of that bank in ``docs/bank_formats.md``; a bank whose
documentation lacks a kind falls back to the generic AA shape of :class:`BankStyle`.
"""
from __future__ import annotations

import random

_BANK_NAMES = {"HDFC": "HDFC BANK", "ICIC": "ICICI Bank", "SBIN": "State Bank Of India", "UTIB": "AXIS BANK",
               "KKBK": "Kotak Mahindra", "BARB": "Bank of Baroda", "PUNB": "Punjab National",
               "IDFB": "IDFC FIRST", "CNRB": "Canara Bank", "YESB": "Yes Bank Ltd", "UBIN": "Union Bank"}


def bank_label(ifsc_or_code: str) -> str:
    """The bank name a narration prints for an IFSC or its 4-letter code."""
    return _BANK_NAMES.get((ifsc_or_code or "")[:4].upper(), "OTHER BANK")


class BankStyle:
    """The generic shape (the one AA feeds of many banks normalise to); banks override what they print."""

    code = "GEN"

    def __init__(self, rng: random.Random):
        self.rng = rng

    # transfers ------------------------------------------------------------------------------------------
    def upi(self, credit: bool, rrn: str, name: str, vpa: str, ifsc: str, note: str, p2m: bool) -> str:
        """A UPI line; ``p2m`` when the VPA is a merchant's."""
        return f"UPI/{'CR' if credit else 'DR'}/{rrn}/{name}/{vpa}/{note}"

    def neft(self, credit: bool, utr: str, name: str, ifsc: str, note: str) -> str:
        """A NEFT line."""
        return f"NEFT/{utr}/{name}/{note or ifsc}"

    def rtgs(self, credit: bool, utr: str, name: str, ifsc: str, note: str) -> str:
        """An RTGS line."""
        return f"RTGS/{utr}/{name}/{note or ifsc}"

    def imps(self, credit: bool, rrn: str, name: str, ifsc: str, note: str) -> str:
        """An IMPS line."""
        return f"IMPS/P2A/{rrn}/{name}/{note or 'PAYMENT'}"

    def cheque(self, credit: bool, chq: str, name: str) -> str:
        """A cheque deposited (credit) or paid (debit)."""
        return f"BY CLG CHQ {chq} {name}" if credit else f"CHQ PAID {chq} {name}"

    # fixed kinds ----------------------------------------------------------------------------------------
    def nach(self, lender: str, umrn: str) -> str:
        """An EMI or premium debited under a NACH mandate."""
        return f"NACH/ACH DR/{lender}/{umrn}"

    def atm(self, term: str, card: str, city: str, choice: int) -> str:
        """An ATM cash withdrawal (``choice`` picks among the bank's variants)."""
        return (f"ATM/CASH WDL/{city}/{card}", f"ATW-{card}-{term}-{city}", f"NWD-{card}-{term}-{city}")[choice % 3]

    def cash_deposit(self, city: str, choice: int, machine: str) -> str:
        """Cash paid in at the branch or a deposit machine."""
        return ("CASH DEPOSIT BY SELF", f"CASH DEP {city} BR", f"BY CASH {city}", f"CDM DEPOSIT {city} {machine}")[choice % 4]

    def pos(self, card: str, merchant: str, city: str, ref: str) -> str:
        """A debit-card purchase at a terminal."""
        return f"POS {card} {merchant} {city}"


class SBI(BankStyle):
    """State Bank of India: posting type first (``BY TRANSFER-``/``TO TRANSFER-``), text ends in ``-``."""

    code = "SBIN"

    def upi(self, credit, rrn, name, vpa, ifsc, note, p2m):
        side = "BY TRANSFER-UPI/CR" if credit else "TO TRANSFER-UPI/DR"
        return f"{side}/{rrn}/{name[:8]}/{ifsc[:4]}/{vpa[:10]}/{note[:5]}--"

    def neft(self, credit, utr, name, ifsc, note):
        if credit:
            return f"BY TRANSFER-NEFT*{ifsc}*{utr}*{name[:16]}--"
        return f"TO TRANSFER-INB NEFT UTR NO: {utr}-{name}"

    def rtgs(self, credit, utr, name, ifsc, note):
        return f"{'BY' if credit else 'TO'} TRANSFER-RTGS {utr} {name}-"

    def imps(self, credit, rrn, name, ifsc, note):
        if credit:
            return f"BY TRANSFER-INB IMPS{rrn}/{name}/XX{self.rng.randrange(10 ** 4):04d}/{note or 'Payment'}-"
        return f"TO TRANSFER-INB IMPS/P2A/{rrn}/{name}/{ifsc[:4]}-"

    def cheque(self, credit, chq, name):
        return f"BY CLEARING / CHEQUE-{chq} {name}" if credit else f"- Chq No. {chq} {name}"

    def nach(self, lender, umrn):
        return f"DEBIT-ACHDr {umrn} {lender}"

    def atm(self, term, card, city, choice):
        return f"ATM WDL-ATM CASH {term[-5:]} {city}-"

    def cash_deposit(self, city, choice, machine):
        return ("CASH DEPOSIT-CASH DEPOSIT SELF--", f"CSH DEP (CDM)-CDM{machine}{self.rng.randrange(1000, 9999)} SBI {city}-")[choice % 2]

    def pos(self, card, merchant, city, ref):
        return f"by debit card-OTHPOS{ref}{merchant} {city}-"


class HDFC(BankStyle):
    """HDFC Bank: hyphen-separated fields, channel first."""

    code = "HDFC"

    def upi(self, credit, rrn, name, vpa, ifsc, note, p2m):
        return f"UPI-{name}-{vpa.upper()}-{ifsc}-{rrn}-{note.upper().replace(' ', '')}"

    def neft(self, credit, utr, name, ifsc, note):
        if credit:
            return f"NEFT CR-{ifsc}-{name}-{note or 'PAYMENT'}-{utr}"
        return f"NEFT DR-{ifsc}-{name}-NETBANK, MUM-{utr}-{note or 'PAYMENT'}"

    def rtgs(self, credit, utr, name, ifsc, note):
        return f"RTGS {'CR' if credit else 'DR'}-{ifsc}-{name}-{note or 'NETBANK'}-{utr}"

    def imps(self, credit, rrn, name, ifsc, note):
        return f"IMPS-{rrn}-{name}-{ifsc[:4]}-XXXXXXXX{self.rng.randrange(10 ** 4):04d}-{note or 'TRF'}"

    def cheque(self, credit, chq, name):
        return f"CHQ DEP - {chq} - {name}" if credit else f"CHQ PAID-MICR CTS-{chq}-{name}"

    def nach(self, lender, umrn):
        return f"ACH D- {lender}-{umrn}"

    def atm(self, term, card, city, choice):
        return (f"ATW-{card}-{term}-{city}", f"NWD-{card}-{term}-{city}")[choice % 2]

    def cash_deposit(self, city, choice, machine):
        return (f"CASH DEPOSIT BY - SELF - {city}", f"CASH DEP{city} BR")[choice % 2]

    def pos(self, card, merchant, city, ref):
        return f"POS 514834XXXXXX{card} {merchant} POS DEBIT"


class ICICI(BankStyle):
    """ICICI Bank: slash-separated; UPI ``UPI/<name>/<vpa>/<remark>/<bank>/<rrn>/<psp ref>``."""

    code = "ICIC"

    def upi(self, credit, rrn, name, vpa, ifsc, note, p2m):
        return f"UPI/{name}/{vpa}/{note[:10]}/{bank_label(ifsc)}/{rrn}/ICI{self.rng.getrandbits(64):016x}"

    def neft(self, credit, utr, name, ifsc, note):
        return f"NEFT-{utr}-{name}-{note or 'PAYMENT'}" if credit else f"BIL/INFT/{utr}/{note or 'PAYMENT'}/{name}"

    def rtgs(self, credit, utr, name, ifsc, note):
        return f"RTGS-{utr}-{name}"

    def imps(self, credit, rrn, name, ifsc, note):
        return f"MMT/IMPS/{rrn}/{note or 'PAYMENT'}/{name}/{ifsc}"

    def cheque(self, credit, chq, name):
        return f"CLG/{name}/{chq}" if credit else f"CLG/{name}/{chq}/CHQ PAID"

    def nach(self, lender, umrn):
        return f"ACH/{lender}/{umrn}"

    def atm(self, term, card, city, choice):
        return f"NFS/{term}/CASH WDL/{city}"

    def cash_deposit(self, city, choice, machine):
        return f"BY CASH - {city} BRANCH"

    def pos(self, card, merchant, city, ref):
        return f"POS/{merchant}/{city}/{ref[-6:]}"


class Axis(BankStyle):
    """Axis Bank: ``UPI/P2A`` vs ``UPI/P2M`` says person or merchant."""

    code = "UTIB"

    def upi(self, credit, rrn, name, vpa, ifsc, note, p2m):
        return f"UPI/{'P2M' if p2m else 'P2A'}/{rrn}/{name[:20]}/{note}/{bank_label(ifsc)}"

    def neft(self, credit, utr, name, ifsc, note):
        return f"NEFT/{utr}/{name}/{note or ifsc}" if credit else f"INB/NEFT/{utr}/{name}/{note or 'PAYMENT'}"

    def imps(self, credit, rrn, name, ifsc, note):
        return f"IMPS/P2A/{rrn}/{name[:8]}/{bank_label(ifsc).upper()}/{note or 'PAYMENT'}"

    def cheque(self, credit, chq, name):
        return f"CLG/{chq}/{name}" if credit else f"BRN-CLG-CHQ PAID TO {name}"

    def nach(self, lender, umrn):
        return f"ECS/{lender}/{umrn}" if self.rng.random() < 0.3 else f"NACH-DR- {lender}/{umrn}"

    def atm(self, term, card, city, choice):
        return f"ATM-CASH/{term}/{city}"

    def cash_deposit(self, city, choice, machine):
        return (f"BY CASH DEPOSIT- BNA/{machine}/{city}", f"BRN-BY CASH SELF {city}")[choice % 2]

    def pos(self, card, merchant, city, ref):
        return f"POS/{merchant}/{city}/{ref[-6:]}"


class Kotak(BankStyle):
    """Kotak Mahindra Bank: ``UPI/<name16>/<rrn>/<remark>``, ``NACH-10-DR-<creditor>-``."""

    code = "KKBK"

    def upi(self, credit, rrn, name, vpa, ifsc, note, p2m):
        return f"UPI/{name[:16]}/{rrn}/{note} UPI-{rrn}"

    def neft(self, credit, utr, name, ifsc, note):
        return f"NEFT {utr} {name}" if credit else f"MB:SENT NEFT {name} {note or ''}".rstrip()

    def rtgs(self, credit, utr, name, ifsc, note):
        return f"RTGS {utr} {name}"

    def imps(self, credit, rrn, name, ifsc, note):
        return f"IMPS from {name} Ref {rrn}" if credit else f"MB Sent to {name} IMPS Ref {rrn}"

    def cheque(self, credit, chq, name):
        return f"BY CLG INST {chq}/{name}" if credit else f"TO CLG {name}"

    def nach(self, lender, umrn):
        return f"NACH-10-DR-{lender}- {umrn}"

    def atm(self, term, card, city, choice):
        return f"ATW/{card}/{city} {term}"

    def cash_deposit(self, city, choice, machine):
        return f"CASH DEPOSIT AT {city} BY SELF"

    def pos(self, card, merchant, city, ref):
        return f"PCD/{card}/{merchant}/{city}"


class BankOfBaroda(BankStyle):
    """Bank of Baroda: UPI lines carry the VPA and no name; NEFT ``NEFT-<utr>-<remitter>``."""

    code = "BARB"

    def upi(self, credit, rrn, name, vpa, ifsc, note, p2m):
        clock = f"{self.rng.randrange(8, 23):02d}:{self.rng.randrange(60):02d}:{self.rng.randrange(60):02d}"
        return f"UPI/{rrn}/{clock}/UPI/{vpa}/{note}"

    def neft(self, credit, utr, name, ifsc, note):
        return f"NEFT-{utr}-{name}" if credit or not note else f"NEFT-{utr}-{name}-{note}"

    def rtgs(self, credit, utr, name, ifsc, note):
        return f"RTGS-{utr}-{name}" if credit or not note else f"RTGS-{utr}-{name}-{note}"

    def imps(self, credit, rrn, name, ifsc, note):
        return f"IMPS/P2A/{rrn}/{name}/{note or 'Transf'}"

    def cheque(self, credit, chq, name):
        return f"BY INST {chq} : MICR CLG (CTS) {name}" if credit else f"{name} [INSTR. NO. {chq}]"

    def nach(self, lender, umrn):
        return f"ACH Debit : {lender} : {umrn}"

    def atm(self, term, card, city, choice):
        return f"ATM/CASH/{term}/XXXXXXXXXXXX{card}"

    def cash_deposit(self, city, choice, machine):
        return (f"BNA/CDAR/XXXXXXXX{machine}", f"BY CASH {city}")[choice % 2]

    def pos(self, card, merchant, city, ref):
        return f"PRCR/{merchant}/{city}"


class PNB(BankStyle):
    """Punjab National Bank: ``UPI/<rrn>/<P2A|P2M>/<vpa>/``, ``NEFT_IN:<utr>/ <name>``."""

    code = "PUNB"

    def upi(self, credit, rrn, name, vpa, ifsc, note, p2m):
        return f"UPI/{rrn}/{'P2M' if p2m else 'P2A'}/{vpa}/{name}"

    def neft(self, credit, utr, name, ifsc, note):
        return f"NEFT_IN:{utr}/ {name}" if credit else f"NEFT_OUT:{utr}/ {name}"

    def rtgs(self, credit, utr, name, ifsc, note):
        return f"{'N' if credit else ''}RTGS/{utr}/{name}"

    def imps(self, credit, rrn, name, ifsc, note):
        return f"IMPS-{'IN' if credit else 'OUT'}/{rrn}/{ifsc}/{name}"

    def nach(self, lender, umrn):
        return f"ACH/{lender}/{umrn}"

    def atm(self, term, card, city, choice):
        return f"ATM WDR {term[-4:]} PNB {city}"


class Canara(BankStyle):
    """Canara Bank (thin public evidence; field order inferred): ``NEFT Cr-<ifsc>-<name>-<utr>``."""

    code = "CNRB"

    def neft(self, credit, utr, name, ifsc, note):
        return f"NEFT {'Cr' if credit else 'Dr'}-{ifsc}-{name}-{note + '-' if note else ''}{utr}"

    def imps(self, credit, rrn, name, ifsc, note):
        return f"IMPS-{'CR' if credit else 'DR'}/{rrn}/{name}/{note or 'TRF'}"

    def nach(self, lender, umrn):
        return f"NACH DR-{lender}-{umrn}"

    def atm(self, term, card, city, choice):
        return f"ATM CASH {term} {city}"


class Union(BankStyle):
    """Union Bank of India: ``NEFT:<NAME><utr>`` (run together), IMPS ``IMPSAB``/``IMPSAR``."""

    code = "UBIN"

    def neft(self, credit, utr, name, ifsc, note):
        return f"NEFT:{name}{utr}"

    def imps(self, credit, rrn, name, ifsc, note):
        return f"IMPS{'AB' if credit else 'AR'}/{rrn}/{ifsc}/{name}"

    def nach(self, lender, umrn):
        return f"NACH/{umrn}/{lender}"

    def pos(self, card, merchant, city, ref):
        return f"POS:{merchant}/{city}/{ref}"


class IDFCFirst(BankStyle):
    """IDFC FIRST Bank: UPI with name cut to 8 and VPA to 7 characters."""

    code = "IDFB"

    def upi(self, credit, rrn, name, vpa, ifsc, note, p2m):
        return f"UPI/{'CR' if credit else 'DR'}/{rrn}/{name[:8]}/{ifsc[:4]}/{vpa[:7]}/{note[:7]}"

    def imps(self, credit, rrn, name, ifsc, note):
        return f"IMPS-INET/Fund Trf/{rrn}-{name}"

    def nach(self, lender, umrn):
        return f"NACH/{lender}/{umrn}"


class Yes(BankStyle):
    """Yes Bank (thin evidence; close to ICICI): ``ACH DR <creditor> <ref>``, ``CASH DEP-SELF-<branch>``."""

    code = "YESB"

    def upi(self, credit, rrn, name, vpa, ifsc, note, p2m):
        return f"UPI/{rrn}/{name}/{vpa}/{note}"

    def nach(self, lender, umrn):
        return f"ACH DR {lender} {umrn}"

    def cash_deposit(self, city, choice, machine):
        return f"CASH DEP-SELF-{city} BR-{city}"


STYLES: dict[str, type[BankStyle]] = {cls.code: cls for cls in
                                      (SBI, HDFC, ICICI, Axis, Kotak, BankOfBaroda, PNB, Canara, Union, IDFCFirst, Yes)}


def style_for(bank_prefix: str, rng: random.Random) -> BankStyle:
    """The narration style of the bank whose IFSC starts with ``bank_prefix`` (generic when unknown)."""
    return STYLES.get(bank_prefix, BankStyle)(rng)
