"""Who is on the other side of a line: the counterparty's name, whether it is a person or a business,
and whether a UPI address (VPA) belongs to a merchant or to a person.

Banks put the party after the channel and the reference (``UPI/CR/<rrn>/<NAME>/..``,
``NEFT CR-<IFSC>-<NAME>-..``, ``ACH D- <LENDER>-<umrn>``), so scanning fields in
order and skipping meta fields finds it without a per-bank template. The VPA's
local part, not its handle, tells a merchant QR (``q12345678@ybl``,
``paytmqr..@paytm``, ``bharatpe..``) from a person (a mobile number or a name on
``@okaxis``); docs/taxonomy.md, "UPI: person-to-person versus merchant".
"""
from __future__ import annotations

import re
from functools import lru_cache

from analytics.bank.categorise.text import trie_pattern

_SPLIT = re.compile(r"\s*[/*|:\\_]\s*|\s*-+\s*|\s{2,}")
_MS = re.compile(r"\bM/S\.?\s*")
_IFSC = re.compile(r"[A-Z]{4}[09][A-Z0-9]{6}")  # IFSC, before or after digit folding
_DIGITS = re.compile(r"\d")
_UNSLASH = re.compile(r"\b(?:A/C|O/W|I/W)\b")  # word-bounded: "BNA/CDAR" is not "BNAC DAR"
_PLAIN = re.compile(r"[A-Z][A-Z&.' ]*[A-Z.]")
_BANK_FIELD = re.compile(r"(?:[A-Z ]+ BANK(?: LTD\.?| LIMITED)?|STATE BANK OF INDIA|HDFCBANK|ICICI BANK L)")
_BANK_CODES = frozenset("SBIN HDFC ICIC UTIB YESB KKBK PUNB CNRB BARB IDFB FDRL AIRP BKID UBIN IOBA INDB "
                        "IBKL ORBC SYB KARB JAKA CITI DEUT RATN AUBL".split())
# channel and meta words; a field made only of these (plus numbers) names nobody
_STOP = frozenset(
    "UPI NEFT RTGS IMPS MMT NACH ACH ECS SI CR DR P2A P2P P2M P2V BY TO FROM TRANSFER TRF FT INB IB MB MOB "
    "NETBANK NETBANKING CLG CHQ CHEQUE CTS NO DEP DEPOSIT REF UTR REV RVSL REVERSAL RETURN RTN REFUND PAYMENT "
    "PMT PAY PAID SENT RECEIVED COLLECT REQ VIA FOR OUT ENACH EMANDATE MANDATE UMRN POS ECOM BIL BILLPAY "
    "ONL IFT TXN TRAN AC CREDIT DEBIT INWARD OUTWARD OW IW MICR NA XX XXX INSUFFICIENT FUNDS LOAN DISB DISBURSAL "
    "DISBURSEMENT SETTLEMENT SETTL SETL ONDC CC OWN SELF SWEEP EMI SALARY SAL WAGES RENT PREMIUM SIP REDEMPTION "
    "CHG CHGS CHRG CHARGES RECOVERY BPAY BBPS BILLDESK ONLINE INF INFT NRTGS MBK TPT RECD IN BYTRANSFER "
    "TOTRANSFER PCD VPS PRCR MIN INST INSTR NEFTCR NEFTDR RTGSCR RTGSDR MOBFT OTHPOS OTHPG BRN ACHD ACHDR RTGSINW "
    "UPIAR UPIAB REFID MOB NEFTRR DIVIDEND DIV INTDIV".split())
# single letters are channel words only next to a channel word ("ACH D-", "NEFT C"), else initials ("D K TRADERS")
_LETTER_STOP = frozenset("C D X".split())
_NORM = ((re.compile(r"\bPRIVATE\b"), "PVT"), (re.compile(r"\bLIMITED\b"), "LTD"),
         (re.compile(r"[.,'\"()]"), " "), (re.compile(r"\s+"), " "))
_TITLES = re.compile(r"^(?:MR|MRS|MS|SMT|DR|KUM|MISS)\s+")

BUSINESS_WORDS = frozenset(
    "TRADERS TRADING TRADELINKS ENTERPRISES ENTERPRISE PVT LTD LIMITED LLP AGENCIES AGENCY DISTRIBUTORS INDUSTRIES "
    "SUPPLIERS SUPPLY WHOLESALE SMART SUPERMARKET SUPERMARTS RETAIL CO COMPANY CORP CORPORATION MILLS TEXTILES STORES STORE MART EXPORTS IMPORTS IMPEX "
    "OVERSEAS FABRICS GARMENTS SPARES AUTOMOBILES MOTORS ELECTRICALS ELECTRONICS HARDWARE PHARMA MEDICAL "
    "MEDICOS HEALTHCARE FOODS PRODUCTS UDYOG PACKAGING PRINTERS PAPER FURNITURE FURNISHERS WORKS STEELS STEEL "
    "PLASTICS POLYMERS CHEMICALS ENGINEERING LOGISTICS TRANSPORT CARRIERS BROTHERS BROS SONS ASSOCIATES ASSOCIA "
    "EMPORIUM INTERNATIONAL PETROLEUM PETROL FILLING STATION SERVICE SERVICES SOLUTIONS SYSTEMS TECHNOLOGIES "
    "TECH INFRA INFRACON CONSTRUCTIONS CONSTRUCTION BUILDERS DEVELOPERS CONSULTANTS STATIONERS STATIONERY "
    "KIRANA GENERAL MACHINE TOOLS YARNS CROCKERIES DAIRY AGRI INPUTS CENTRE CENTER SHOP STOCKYARD HOTEL "
    "RESTAURANT CAFE BAKERY SWEETS JEWELLERS TUBE IRON CEMENT GLASS TIMBER TILES PAINTS MARKETING VENTURES "
    "HOLDINGS SALES AUTO CLINIC HOSPITAL PHARMACY COMPUTERS INFOSYSTEMS INFOTECH GROUP FIRM GLOBAL FZE FZCO LLC INC "
    "GMBH COMMODITIES CAPITAL FINANCE FINLEASE FINCORP INVESTMENTS".split())


BUSINESS_PREFIXES = frozenset({"SHREE", "SHRE", "M/S"})
# trade words long enough to find inside squashed names ("RAJESHMOTORSAUTOP VTLTD", "INFRACONMAHBH")
_LONG_BUSINESS = re.compile(trie_pattern(sorted(w for w in BUSINESS_WORDS if len(w) >= 6) + ["PVTLTD", "VTLTD"])
                            + "|PVTL$")   # a trie: whether any word occurs, at a fraction of trying each in turn


def narration_names_business(squashed: str) -> bool:
    """True when a trade word (6+ letters) occurs anywhere in the squashed narration."""
    return _LONG_BUSINESS.search(squashed) is not None


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


_LEGAL_WORDS = frozenset({"PVT", "LTD", "CO", "THE"})


def lender_key(name: str | None) -> str:
    """A lender's name without legal suffixes or punctuation, so "Protium Finance Limited" and "PROTIUM FINANCE
    LTD." compare equal (:func:`normalise_party` folds the spellings; the suffix words are then dropped)."""
    return " ".join(w for w in (normalise_party(name or "") or "").split() if w not in _LEGAL_WORDS)


def party_key(upper: str) -> str:
    """Narration reduced to what its category and party depend on: every digit becomes "9" (so reference
    numbers of one length look alike and many lines share one key, while a 10-digit mobile VPA still looks
    like one) and ``M/S``, ``A/C`` are unslashed."""
    return _UNSLASH.sub(lambda m: m.group(0).replace("/", ""), _DIGITS.sub("9", _MS.sub("", upper)))


_NINE = str.maketrans("012345678", "999999999")
_SEPARATOR = "\x00"


def party_keys(uppers: list[str]) -> list[str]:
    """:func:`party_key` of many upper-cased narrations at once (a statement). Most lines have nothing to
    unslash, so their key is the digit folding alone: one translation of all the lines joined (exact for ASCII
    text, whose only digits are 0-9); the few that print M/S, A/C, O/W or I/W take the full :func:`party_key`."""
    joined = _SEPARATOR.join(uppers)
    if not uppers or not joined.isascii() or joined.count(_SEPARATOR) != len(uppers) - 1:
        return [party_key(upper) for upper in uppers]
    folded = joined.translate(_NINE).split(_SEPARATOR)
    return [party_key(upper) if "M/S" in upper or "A/C" in upper or "O/W" in upper or "I/W" in upper else key
            for upper, key in zip(uppers, folded)]


def _skip(part: str) -> bool:
    return (not part or part in _STOP or "@" in part or part in _BANK_CODES or _IFSC.fullmatch(part) is not None
            or _BANK_FIELD.fullmatch(part) is not None)


@lru_cache(maxsize=65536)
def party_from_key(text: str) -> str | None:
    """The name-like field of a digit-folded narration (see :func:`party_key`): the first one that looks like a
    business, else the first one (a remark such as ``previous paymen`` can precede the payer's name)."""
    names = list(_candidates(text))
    for name in names:
        if party_kind(name) == "business":
            return name
    return names[0] if names else None


def _candidates(text: str):
    for part in _SPLIT.split(text):
        part = part.strip()
        if _skip(part):
            continue
        if _PLAIN.fullmatch(part) and _STOP.isdisjoint(part.split()):
            yield normalise_party(part)           # the common case: a clean name field
            continue
        words = [w for w in part.split() if "9" not in w]  # words that had digits
        if not _STOP.isdisjoint(words):
            words = [w for w in words if w not in _STOP and w not in _LETTER_STOP]
        if not words:
            continue
        name = " ".join(words)
        letters = sum(ch.isalpha() for ch in name)
        if letters >= 2 and letters >= len(name.replace(" ", "")) * 0.6:
            yield normalise_party(name)


def extract_counterparty(narration: str) -> str | None:
    """The first name-like field of a narration: not a channel word, reference number, IFSC, bank or VPA.

    Words that contain digits (references, month tags like NOV24) are never
    part of a name.
    """
    return party_from_key(party_key((narration or "").upper()))


# every start of a trade word of 3+ letters that is shorter than the word: one set look-up instead of a scan
_BUSINESS_WORD_STARTS = frozenset(w[:n] for w in BUSINESS_WORDS for n in range(3, len(w)))


def _cut_business_word(word: str) -> bool:
    """A last word of 3+ letters that is the start of a trade word but not a whole word (FUR, TRAD, ENTERP)."""
    return len(word) >= 3 and word.isalpha() and word not in BUSINESS_WORDS and word not in _COMMON_CUT_WORDS \
        and word in _BUSINESS_WORD_STARTS


_COMMON_CUT_WORDS = frozenset({"SON", "RAM", "DEV", "PAL", "ROY", "JAI", "RAJ", "SAI", "BAL", "LAL", "DAS"})


@lru_cache(maxsize=65536)
def party_kind(name: str | None) -> str:
    """``business`` when the name carries a trade word (TRADERS, PVT LTD, STORES, ...), ``person`` when it
    looks like one to four name words, ``none`` without a name."""
    if not name:
        return "none"
    words = _TITLES.sub("", name).replace("&", " & ").split()
    if "&" in words or not BUSINESS_WORDS.isdisjoint(words) or words[0] in BUSINESS_PREFIXES \
            or _LONG_BUSINESS.search(name.replace(" ", "")):
        return "business"
    if len(words) >= 2 and _cut_business_word(words[-1]):
        return "business"   # a name cut to 8 or 16 characters mid trade word: APEX FUR(NITURE)
    if 1 <= len(words) <= 4 and all(w.isalpha() for w in words):
        return "person"
    return "business" if len(words) > 4 else "none"


# ---- UPI addresses ---------------------------------------------------------------------------
_VPA = re.compile(r"[A-Za-z0-9._-]+@[A-Za-z]*")
_MERCHANT_VPA = re.compile(
    r"^(?:q\d{5,}|paytmqr|paytm[.-]|bharatpe|bharatp$|gpay-|pinelabs|mswipe|vyapar|euronet|billdesk|swiggy|"
    r"zomato|amazon|cred\.club|payouts|cf\.|mab\.|irctc|zepto|uppcl|bescom|airtel|jio|dream11|uber|"
    r"phonepemerchant)"
    r"|\.rzp|razorpay|cashfree|payu|\.bdpg|\.bd$|\.bb$|\.bbps|\.ypay|okbizaxis|@rapl|@ptys|@pty$|merchant|\.pay$")
_PERSONAL_VPA = re.compile(r"^\d{10}|^[a-z][a-z0-9._-]*$|^[a-z][a-z0-9._-]*@(?:ok|ybl|ibl|axl|paytm|pt|upi|apl|"
                           r"sbi|hdfc|icici|axis|kotak|barodampay|pnb|cnrb|idfc|yes|jupiter|navi|fam)")
_UPI_FIELDS = re.compile(r"UPI/(?:CR|DR)/\d+/[^/]*/[A-Z]{4}/([^/]*)/", re.IGNORECASE)
_MASKED = re.compile(r"X{4,}\d{3,}")


@lru_cache(maxsize=65536)
def vpa_kind(narration: str) -> str:
    """``merchant``, ``personal`` or ``none`` for the UPI address a narration prints.

    Reads a full VPA (``name@handle``) or, in the SBI/Canara/IDFC layout
    ``UPI/CR/<rrn>/<name>/<bank>/<vpa prefix>/``, the truncated prefix field.
    """
    text = narration or ""
    found = [m.group(0).lower() for m in _VPA.finditer(text)]
    found += [v.rsplit("-", 1)[1] for v in found if "-" in v.split("@")[0]]
    if not found:
        field = _UPI_FIELDS.search(text)
        if field and field.group(1).strip():
            found = [field.group(1).strip().lower()]
    for vpa in found:
        if _MERCHANT_VPA.search(vpa):
            return "merchant"
    for vpa in found:
        if _PERSONAL_VPA.search(vpa) or sum(ch.isdigit() for ch in vpa) >= 7:
            return "personal"
    if _MASKED.search(text.upper()):
        return "personal"
    return "none"
