"""Statement narrations and reference numbers in the shapes Indian banks print.

Every builder returns ``(narration, mode, reference)``. UPI RRNs follow the
``YDDDHH`` + serial layout, NEFT UTRs ``BANKN`` + ``YYDDD`` + serial, RTGS UTRs
``BANKR5`` + ``YYYYMMDD`` + serial, so a parser can lean on them the way it would
on a real statement. Narrations never carry the category label.
"""
from __future__ import annotations

import datetime as dt
import random

from .timeline import DAY

RTGS_MIN = 200_000.0


class Narrator:
    """Builds narrations and references with one random stream; caches per-day date parts."""

    def __init__(self, rng: random.Random, bank_prefix: str, city: str):
        self.rng = rng
        self.bank = bank_prefix
        self.city = city.upper()
        self.card = f"{rng.randrange(10 ** 4):04d}"
        self._days: dict[int, tuple[int, int, str]] = {}
        self._cheque = rng.randrange(100_000, 800_000)

    def _day(self, ordinal: int) -> tuple[int, int, str]:
        parts = self._days.get(ordinal)
        if parts is None:
            d = dt.date.fromordinal(ordinal)
            parts = (d.year, d.timetuple().tm_yday, f"{d:%Y%m%d}")
            self._days[ordinal] = parts
        return parts

    # references -------------------------------------------------------
    def rrn(self, ts: int) -> str:
        """12-digit UPI/IMPS RRN: last digit of year, day of year, hour, 6-digit serial."""
        year, doy, _ = self._day(ts // DAY)
        return f"{year % 10}{doy:03d}{ts % DAY // 3600:02d}{self.rng.randrange(10 ** 6):06d}"

    def neft(self, ts: int, bank: str | None = None) -> str:
        """NEFT UTR of the remitting bank."""
        year, doy, _ = self._day(ts // DAY)
        return f"{bank or self.bank}N{year % 100:02d}{doy:03d}{self.rng.randrange(10 ** 7):07d}"

    def rtgs(self, ts: int, bank: str | None = None) -> str:
        """22-character RTGS UTR."""
        return f"{bank or self.bank}R5{self._day(ts // DAY)[2]}{self.rng.randrange(10 ** 8):08d}"

    def cheque(self) -> str:
        """Next cheque number of a cheque book (serials move forward)."""
        self._cheque += self.rng.randint(1, 3)
        return f"{self._cheque:06d}"

    # credits and debits with a named counterparty ----------------------
    def transfer(self, ts: int, channel: str, name: str, ifsc: str, note: str = "", credit: bool = True,
                 handle: str = "okaxis") -> tuple[str, str, str]:
        """A transfer to or from a named party over NEFT, RTGS, IMPS, UPI or cheque."""
        bank = ifsc[:4] if credit else self.bank
        if channel == "RTGS":
            ref = self.rtgs(ts, bank)
            return f"RTGS/{ref}/{name}/{note or ifsc}", "FT", ref
        if channel == "NEFT":
            ref = self.neft(ts, bank)
            return f"NEFT/{ref}/{name}/{note or ifsc}", "FT", ref
        if channel == "IMPS":
            ref = self.rrn(ts)
            return f"IMPS/P2A/{ref}/{name}/{note or 'PAYMENT'}", "FT", ref
        if channel == "UPI":
            ref = self.rrn(ts)
            return f"UPI/{'CR' if credit else 'DR'}/{ref}/{name}/{handle}/{note or 'Payment'}", "UPI", ref
        ref = self.cheque() if not credit else f"{self.rng.randrange(10 ** 6):06d}"
        text = f"BY CLG CHQ {ref} {name}" if credit else f"CHQ PAID {ref} {name}"
        return text, "OTHERS", ref

    def channel_for(self, amount: float, upi_ok: bool = True) -> str:
        """Pick a realistic rail for an amount: RTGS only from 2 lakh, UPI only up to 1 lakh."""
        r = self.rng.random()
        if amount >= RTGS_MIN and r < 0.5:
            return "RTGS"
        if r < 0.72:
            return "NEFT"
        if amount <= 500_000 and r < 0.86:
            return "IMPS"
        if upi_ok and amount <= 100_000 and r < 0.95:
            return "UPI"
        return "CHQ" if amount < 500_000 else "NEFT"

    # fixed-format lines -------------------------------------------------
    def upi_sale(self, ts: int, payer: str, handle: str) -> tuple[str, str, str]:
        """A customer paying the shop by UPI."""
        ref = self.rrn(ts)
        note = self.rng.choice(("Payment", "UPI", "Paid via PhonePe", "NA", "Sent from Paytm", "Pay"))
        return f"UPI/CR/{ref}/{payer}/{handle}/{note}", "UPI", ref

    def merchant(self, ts: int, merchant: str, mode: str) -> tuple[str, str, str]:
        """A small business expense by UPI or card."""
        if mode == "CARD":
            ref = f"{self.rng.randrange(10 ** 12):012d}"
            return f"POS {self.card} {merchant} {self.city}", "CARD", ref
        ref = self.rrn(ts)
        return f"UPI/DR/{ref}/{merchant}/{self.rng.choice(('ybl', 'paytm', 'axl', 'okicici'))}/Payment", "UPI", ref

    def cash_deposit(self, ts: int) -> tuple[str, str, str]:
        """Cash paid in at the branch or a cash-deposit machine."""
        text = self.rng.choice(("CASH DEPOSIT BY SELF", f"CASH DEP {self.city} BR", f"BY CASH {self.city}",
                                f"CDM DEPOSIT {self.city} {self.rng.randrange(100, 999)}"))
        return text, "CASH", f"CSH{self.rng.randrange(10 ** 9):09d}"

    def atm(self, ts: int) -> tuple[str, str, str]:
        """ATM cash withdrawal; a tenth of banks report the mode as OTHERS."""
        term = f"{self.bank[:1]}{self.rng.randrange(10 ** 6):06d}"
        text = self.rng.choice((f"ATM/CASH WDL/{self.city}/{self.card}", f"ATW-{self.card}-{term}-{self.city}",
                                f"NWD-{self.card}-{term}-{self.city}"))
        return text, "OTHERS" if self.rng.random() < 0.1 else "ATM", term

    def self_transfer(self, ts: int, owner: str, out: bool) -> tuple[str, str, str]:
        """Money moved between the business account and the owner's own account."""
        if self.rng.random() < 0.6:
            ref = self.rrn(ts)
            return (f"IMPS/P2A/{ref}/SELF/OWN A/C TRF" if out else f"IMPS/P2A/{ref}/{owner}/OWN A/C TRF"), "FT", ref
        ref = self.neft(ts)
        return f"NEFT/{ref}/{owner}/SELF TRF", "FT", ref

    def emi(self, lender: str, channel: str, umrn: str, account: str, tag: str) -> tuple[str, str, str]:
        """An EMI debited under a NACH/ECS mandate or a standing instruction."""
        if channel == "SI":
            return f"SI/{account}/{lender} EMI {tag}", "FT", account
        if channel == "ECS":
            return f"ECS/{lender}/{account}", "OTHERS", account
        return f"NACH/ACH DR/{lender}/{umrn}", "OTHERS", umrn

    def emi_return_charge(self, lender: str, umrn: str) -> tuple[str, str, str]:
        """The charge a bank levies when an EMI mandate is returned unpaid."""
        text = self.rng.choice((f"ACH RTN CHGS - INSUFFICIENT FUNDS/{lender}/{umrn}",
                                f"NACH RTN CHRG INSUFFICIENT FUNDS {umrn}"))
        return text, "OTHERS", umrn

    def bill(self, ts: int, biller: str, account: str) -> tuple[str, str, str]:
        """A utility or premium bill paid through BillDesk/BBPS."""
        ref = f"{self.rng.randrange(10 ** 12):012d}"
        return f"BIL/BPAY/{ref}/{biller}/{account}", "OTHERS", ref
