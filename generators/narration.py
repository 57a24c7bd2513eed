"""Statement narrations and reference numbers in the shapes Indian banks print.

Every builder returns ``(narration, mode, reference)``. UPI RRNs follow the
``YDDDHH`` + serial layout, NEFT UTRs ``BANKN`` + ``YYDDD`` + serial, RTGS UTRs
``BANKR5`` + ``YYYYMMDD`` + serial, so a parser can lean on them the way it would
on a real statement. Narrations never carry the category label.
"""
from __future__ import annotations

import datetime as dt
import random

from . import names
from .bank_formats import BankStyle, style_for
from .timeline import DAY

RTGS_MIN = 200_000.0
# the bank behind a UPI handle, as the IFSC code a statement prints for the payer's or payee's bank
_HANDLE_BANK = {"okicici": "ICIC0000001", "okhdfcbank": "HDFC0000001", "oksbi": "SBIN0000001", "okaxis": "UTIB0000001",
                "ybl": "YESB0YBLUPI", "paytm": "PYTM0123456", "ibl": "ICIC0000001", "axl": "UTIB0000001",
                "apl": "UTIB0000001", "axisbank": "UTIB0000000", "yesbank": "YESB0000001", "icici": "ICIC0000001"}
_MERCHANT_VPA = ("paytmqr{n}@paytm", "q{n}@ybl", "bharatpe{n}@yesbankltd")
_BRAND_VPA = ("{slug}.rzp@icici", "{slug}.payu@hdfcbank", "{slug}@okbizaxis")
_BRANDS = frozenset(m for m, _ in names.MERCHANTS) - {"TEA STALL", "XEROX CENTRE", "HARDWARE STORE", "STAPLES STATIONERY"}


class Narrator:
    """Builds narrations and references with one random stream; caches per-day date parts."""

    def __init__(self, rng: random.Random, bank_prefix: str, city: str, style: BankStyle | None = None):
        self.rng = rng
        self.style = style or style_for("", random.Random(0))
        self.bank = bank_prefix
        self.city = city.upper()
        self.card = f"{rng.randrange(10 ** 4):04d}"
        self._days: dict[int, tuple[int, int, str]] = {}
        self._slugs: dict[str, str] = {}
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
        year, doy, _ = self._days.get(ts // DAY) or self._day(ts // DAY)
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
        """A transfer to or from a named party over NEFT, RTGS, IMPS, UPI or cheque, as the bank prints it."""
        bank = ifsc[:4] if credit else self.bank
        st = self.style
        if channel == "RTGS":
            ref = self.rtgs(ts, bank)
            return st.rtgs(credit, ref, name, ifsc, note), "FT", ref
        if channel == "NEFT":
            ref = self.neft(ts, bank)
            return st.neft(credit, ref, name, ifsc, note), "FT", ref
        if channel == "IMPS":
            ref = self.rrn(ts)
            return st.imps(credit, ref, name, ifsc, note), "FT", ref
        if channel == "UPI":
            ref = self.rrn(ts)
            return st.upi(credit, ref, name, self.vpa(name, handle, business=True), _HANDLE_BANK.get(handle, ifsc or "UTIB0000001"),
                          note or "Payment", p2m=True), "UPI", ref
        ref = self.cheque() if not credit else f"{self.rng.randrange(10 ** 6):06d}"
        return st.cheque(credit, ref, name), "OTHERS", ref

    def vpa(self, name: str, handle: str, business: bool = False) -> str:
        """A UPI address for a party: a person's name or mobile, or a merchant's QR/VPA (style stream only)."""
        r = self.style.rng
        slug = self._slugs.get(name)
        if slug is None:   # the same few hundred names come back thousands of times
            slug = self._slugs[name] = "".join(ch for ch in name.lower() if ch.isalnum())[:14] or "merchant"
        if business:
            # a brand collects through its gateway's VPA; a shop or a supplier through a QR
            pattern = _BRAND_VPA[r.randrange(len(_BRAND_VPA))] if name in _BRANDS else _MERCHANT_VPA[r.randrange(3)]
            return pattern.format(n=r.randrange(10 ** 6, 10 ** 8), slug=slug)
        if r.random() < 0.5:
            return f"{r.randrange(6 * 10 ** 9, 10 ** 10)}@{handle}"
        return f"{slug[:10]}{r.randrange(100) if r.random() < 0.5 else ''}@{handle}"

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
        """A customer paying the shop by UPI from a personal VPA (person to person)."""
        ref = self.rrn(ts)
        note = self.rng.choice(("Payment", "UPI", "Paid via PhonePe", "NA", "Sent from Paytm", "Pay"))
        return (self.style.upi(True, ref, payer, self.vpa(payer, handle), _HANDLE_BANK.get(handle, "UTIB0000001"), note,
                               p2m=False), "UPI", ref)

    def merchant(self, ts: int, merchant: str, mode: str) -> tuple[str, str, str]:
        """A small business expense at a merchant by UPI (person to merchant) or debit card."""
        if mode == "CARD":
            ref = f"{self.rng.randrange(10 ** 12):012d}"
            return self.style.pos(self.card, merchant, self.city, ref), "CARD", ref
        ref = self.rrn(ts)
        handle = self.rng.choice(('ybl', 'paytm', 'axl', 'okicici'))
        return (self.style.upi(False, ref, merchant, self.vpa(merchant, handle, business=True),
                               _HANDLE_BANK.get(handle, "UTIB0000001"), "Payment", p2m=True), "UPI", ref)

    def cash_deposit(self, ts: int) -> tuple[str, str, str]:
        """Cash paid in at the branch or a cash-deposit machine."""
        machine = self.rng.randrange(100, 999)
        choice = self.rng.choice((0, 1, 2, 3))
        return self.style.cash_deposit(self.city, choice, str(machine)), "CASH", f"CSH{self.rng.randrange(10 ** 9):09d}"

    def atm(self, ts: int) -> tuple[str, str, str]:
        """ATM cash withdrawal; a tenth of banks report the mode as OTHERS."""
        term = f"{self.bank[:1]}{self.rng.randrange(10 ** 6):06d}"
        text = self.style.atm(term, self.card, self.city, self.rng.choice((0, 1, 2)))
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
        return self.style.nach(lender, umrn), "OTHERS", umrn

    def emi_return_charge(self, lender: str, umrn: str) -> tuple[str, str, str]:
        """The charge a bank levies when an EMI mandate is returned unpaid."""
        text = self.rng.choice((f"ACH RTN CHGS - INSUFFICIENT FUNDS/{lender}/{umrn}",
                                f"NACH RTN CHRG INSUFFICIENT FUNDS {umrn}"))
        return text, "OTHERS", umrn

    def bill(self, ts: int, biller: str, account: str) -> tuple[str, str, str]:
        """A utility or premium bill paid through BillDesk/BBPS."""
        ref = f"{self.rng.randrange(10 ** 12):012d}"
        return f"BIL/BPAY/{ref}/{biller}/{account}", "OTHERS", ref
