"""Who the borrower and its counterparties are: names, PAN, GSTIN, Udyam number, bank codes.

PAN follows the Income Tax layout (``AAAPS1234K``: three letters, the entity
type as 4th letter, the initial of the surname or firm name as 5th, four digits,
a letter) and GSTIN is ``state code + PAN + entity digit + 'Z' + checksum`` with
GSTN's published mod-36 checksum, so GSTINs pass the validators lenders run.
The Udyam registration number (the MSME registration every borrower of this
kind holds) is ``UDYAM-<state letters>-<district code>-<7 digits>``.
"""
from __future__ import annotations

import datetime as dt
import random
import string
from dataclasses import dataclass

from . import names

_GST_CHARS = string.digits + string.ascii_uppercase
CONSTITUTIONS = (  # (name, PAN entity letter, weight)
    ("Proprietorship", "P", 0.55), ("Partnership", "F", 0.2), ("Private Limited Company", "C", 0.17), ("LLP", "F", 0.08),
)


def gstin_checksum(first14: str) -> str:
    """Return GSTN's check character for the first 14 characters of a GSTIN.

    Each character's base-36 value is multiplied by 1 or 2 alternately, the
    quotient and remainder by 36 are summed, and the check character is what
    brings the sum to a multiple of 36.
    """
    total = 0
    for i, ch in enumerate(first14):
        product = _GST_CHARS.index(ch) * (2 if i % 2 else 1)
        total += product // 36 + product % 36
    return _GST_CHARS[(36 - total % 36) % 36]


def make_gstin(state_code: str, pan: str, entity_digit: str = "1") -> str:
    """Build a GSTIN from its parts and append the correct checksum."""
    head = f"{state_code}{pan}{entity_digit}Z"
    return head + gstin_checksum(head)


# Udyam registration numbers name the state by the letters of its vehicle-registration code
UDYAM_STATE_LETTERS = {
    "Maharashtra": "MH", "Karnataka": "KA", "Tamil Nadu": "TN", "Gujarat": "GJ", "Delhi": "DL",
    "Uttar Pradesh": "UP", "Rajasthan": "RJ", "Telangana": "TS", "West Bengal": "WB", "Punjab": "PB",
    "Haryana": "HR", "Madhya Pradesh": "MP", "Kerala": "KL", "Andhra Pradesh": "AP",
}


def make_udyam(state: str, pan: str) -> str:
    """The business's Udyam registration number, ``UDYAM-MH-07-0012345``: state letters, a district code and
    seven digits.

    Drawn from its own stream keyed by the PAN (itself drawn from the customer's seed), so the number is
    deterministic and adding it shifts no other draw of the generators.
    """
    rng = random.Random(f"udyam:{pan}")
    return f"UDYAM-{UDYAM_STATE_LETTERS[state]}-{rng.randint(1, 40):02d}-{rng.randrange(10 ** 7):07d}"


def make_pan(rng: random.Random, entity: str, initial: str) -> str:
    """Return a synthetic PAN whose 4th letter is ``entity`` and 5th is ``initial``."""
    letters = string.ascii_uppercase
    head = "".join(rng.choice(letters) for _ in range(3))
    return f"{head}{entity}{initial.upper()}{rng.randrange(10000):04d}{rng.choice(letters)}"


def person_name(rng: random.Random, region: str, female_share: float = 0.25) -> str:
    """Return a first name and a surname typical of the region."""
    pool = names.FIRST_NAMES_FEMALE if rng.random() < female_share else names.FIRST_NAMES_MALE
    return f"{rng.choice(pool)} {rng.choice(names.SURNAMES[region])}"


def firm_name(rng: random.Random, industry: str, region: str, company: bool = False) -> str:
    """Return a realistic firm name such as "Shree Balaji Traders" or "Patel Packaging Pvt Ltd"."""
    suffix = rng.choice(names.INDUSTRIES[industry][1])
    roll = rng.random()
    if roll < 0.45:
        core = f"{rng.choice(names.FIRM_HONORIFICS)} {rng.choice(names.FIRM_CORES)}"
    elif roll < 0.7:
        core = rng.choice(names.FIRM_CORES)
    elif roll < 0.85:
        core = rng.choice(names.SURNAMES[region])
        if not company and rng.random() < 0.4:
            return f"{core} & Sons"
    else:
        core = rng.choice(names.COMPANY_WORDS)
    name = f"{core} {suffix}"
    return f"{name} Pvt Ltd" if company else name


def masked_account(rng: random.Random, digits: int = 4) -> str:
    """Return an AA-style masked account number, e.g. ``XXXXXXXX4321``."""
    return "X" * rng.randint(6, 10) + f"{rng.randrange(10 ** digits):0{digits}d}"


def ifsc(rng: random.Random, bank_prefix: str) -> str:
    """Return an IFSC for a branch of the bank: 4 letters, ``0``, 6 digits."""
    return f"{bank_prefix}0{rng.randrange(1, 10 ** 6):06d}"


def bank_lender_name(bank: str) -> str:
    """How a bank is named as a lender: private banks carry "LTD", public-sector banks do not."""
    return bank if bank in names.PUBLIC_SECTOR_BANKS else f"{bank} LTD"


def upper_name(name: str) -> str:
    """Statement spelling of a name: upper case, no dots or ampersands."""
    return name.upper().replace(".", "").replace("&", "AND")


@dataclass(frozen=True)
class Party:
    """A counterparty the business trades with: a buyer, a supplier or a shell firm."""

    name: str
    gstin: str
    state_code: str
    ifsc: str
    bank: str
    upi_handle: str

    @property
    def stmt_name(self) -> str:
        """How the name shows on a bank statement."""
        return upper_name(self.name)


def make_party(rng: random.Random, industry: str, state: str, company_share: float = 0.3) -> Party:
    """Create a GST-registered trading counterparty in ``state`` with a bank account."""
    code, _, _, region = names.STATES[state]
    company = rng.random() < company_share
    name = firm_name(rng, industry, region, company)
    entity = "C" if company else rng.choice("PFF")
    initial = name.split()[0][0] if entity != "P" else rng.choice(names.SURNAMES[region])[0]
    bank = rng.choice(names.BANKS)
    return Party(name, make_gstin(code, make_pan(rng, entity, initial)), code, ifsc(rng, bank[0]), bank[1],
                 rng.choice(names.UPI_HANDLES))


@dataclass(frozen=True)
class Identity:
    """The borrower: business, owner, registration and home bank."""

    business_name: str
    owner_name: str
    constitution: str
    industry: str
    pan: str
    gstin: str
    state: str
    state_code: str
    city: str
    region: str
    incorporation_date: dt.date
    owner_dob: dt.date
    mobile: str
    email: str
    address: str
    bank_prefix: str
    bank_name: str
    fip_id: str
    txn_prefix: str
    ifsc: str
    masked_account: str
    upi_handle: str
    udyam: str

    @property
    def stmt_name(self) -> str:
        """The business name as statements print it."""
        return upper_name(self.business_name)

    @property
    def owner_stmt_name(self) -> str:
        """The owner's name as statements print it."""
        return upper_name(self.owner_name)


def make_identity(rng: random.Random, as_of: dt.date, industry: str | None = None) -> Identity:
    """Draw a complete, internally consistent borrower identity."""
    state = rng.choice(sorted(names.STATES))
    code, cities, _, region = names.STATES[state]
    industry = industry or rng.choice(sorted(names.INDUSTRIES))
    constitution, entity, _ = rng.choices(CONSTITUTIONS, weights=[c[2] for c in CONSTITUTIONS])[0]
    owner = person_name(rng, region, 0.2)
    company = entity == "C"
    business = firm_name(rng, industry, region, company)
    if constitution == "LLP":
        business = business.replace(" Pvt Ltd", "") + " LLP"
    initial = owner.split()[-1][0] if entity == "P" else business.split()[0][0]
    pan = make_pan(rng, entity, initial)
    incorporated = as_of - dt.timedelta(days=rng.randint(5 * 365, 22 * 365))
    dob = as_of - dt.timedelta(days=rng.randint(30 * 365, 62 * 365))
    bank = rng.choice(names.BANKS)
    city = rng.choice(cities)
    first = owner.split()[0].lower()
    email = f"{first}.{business.split()[0].lower()}{rng.randrange(10, 99)}@gmail.com"
    address = f"{rng.randint(1, 220)}, {rng.choice(('Main Road', 'Market Yard', 'Industrial Estate', 'MG Road', 'Station Road'))}, {city}"
    return Identity(
        business_name=business, owner_name=owner, constitution=constitution, industry=industry, pan=pan,
        gstin=make_gstin(code, pan), state=state, state_code=code, city=city, region=region,
        incorporation_date=incorporated, owner_dob=dob, mobile=f"9{rng.randrange(10 ** 9):09d}", email=email,
        address=address, bank_prefix=bank[0], bank_name=bank[1], fip_id=bank[2], txn_prefix=bank[3],
        ifsc=ifsc(rng, bank[0]), masked_account=masked_account(rng), upi_handle=rng.choice(names.UPI_HANDLES),
        udyam=make_udyam(state, pan),
    )
