"""The registry of sources: what differs between them is data, not code.

Each :class:`SourceSpec` names the fields of a source by kind (amounts, dates,
timestamps, booleans, integers, enums), its natural key for de-duplication and
the optional fields that sources sometimes leave out. The cleaner repairs and
the mess injector damages through the same specs, so the two can never drift
apart. Paths are dotted; ``[]`` walks every element of a list
(``b2b[].inv[].val``).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pipeline.lake import SOURCES


@dataclass(frozen=True)
class SourceSpec:
    """How one source's records are typed, keyed and repaired."""

    name: str
    natural_key: tuple[str, ...]
    amounts: tuple[str, ...] = ()
    decimals: tuple[str, ...] = ()   # quantities that are not money (units, NAV): parsed, never rounded
    dates: tuple[str, ...] = ()
    timestamps: tuple[str, ...] = ()
    booleans: tuple[str, ...] = ()
    integers: tuple[str, ...] = ()
    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # optional field -> repair kind that fills it back in (None: it stays absent)
    droppable: dict[str, str | None] = field(default_factory=dict)
    # unrepairable damage the mess injector may plant: reason code -> description
    corruptions: dict[str, str] = field(default_factory=dict)


def split_path(path: str) -> list[str]:
    """Split ``a.b[].c`` into steps ``['a', 'b', '[]', 'c']``."""
    steps: list[str] = []
    for part in path.split("."):
        if part.endswith("[]"):
            steps.extend([part[:-2], "[]"])
        else:
            steps.append(part)
    return steps


def iter_slots(record: Any, steps: list[str]) -> Iterator[tuple[Any, Any]]:
    """Yield ``(container, key)`` for every place a path points at that exists in ``record``."""
    if not steps:
        return
    head, rest = steps[0], steps[1:]
    if head == "[]":
        if isinstance(record, list):
            for index, item in enumerate(record):
                if rest:
                    yield from iter_slots(item, rest)
                else:
                    yield record, index
        return
    if not isinstance(record, dict) or head not in record:
        return
    if rest:
        yield from iter_slots(record[head], rest)
    else:
        yield record, head


def compile_paths(paths: tuple[str, ...]) -> list[tuple[str, list[str]]]:
    """Pre-split paths once so hot loops do not re-parse them."""
    return [(p, split_path(p)) for p in paths]


_TXN_MODES = ("CASH", "ATM", "CARD", "UPI", "FT", "OTHERS")
_MODE_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bUPI\b|^UPI|/UPI/|REV-UPI", re.I), "UPI"),
    (re.compile(r"\bATM\b|CASH WDL|CASH WITHDRAWAL|NWD|\bCDM\b", re.I), "ATM"),
    (re.compile(r"CASH DEP|BY CASH|CASH-|SELF CASH", re.I), "CASH"),
    (re.compile(r"\bPOS\b|CARD|\bECOM\b", re.I), "CARD"),
    (re.compile(r"^(NEFT|RTGS|IMPS|FT|TRF|TRANSFER|INB|MB)\b|/NEFT/|/RTGS/|/IMPS/", re.I), "FT"),
]


def infer_mode(narration: str) -> str:
    """Infer a transaction's mode from its narration, the field banks fill most reliably."""
    for pattern, mode in _MODE_RULES:
        if pattern.search(narration or ""):
            return mode
    return "OTHERS"


_GST_HEADS = ("igst", "cgst", "sgst", "cess")
# GSTR-2B (GSTN's names for the four tax heads): the ITC summary, and every supplier invoice and its items
_GSTR2B_AMOUNTS = (
    tuple(f"itcsumm.{part}.{section}.{h}" for part in ("itcavl", "itcunavl")
          for section in ("nonrevsup", "nonrevsup.b2b", "isdsup", "revsup", "imports") for h in _GST_HEADS)
    + tuple(f"docdata.b2b[].inv[].{t}" for t in ("val", "txval", *_GST_HEADS))
    + tuple(f"docdata.b2b[].inv[].items[].{t}" for t in ("txval", *_GST_HEADS)))

SPECS: dict[str, SourceSpec] = {
    "accounts": SourceSpec(
        name="accounts",
        natural_key=("linkedAccRef",),
        amounts=("summary.currentBalance", "summary.currentODLimit", "summary.drawingLimit"),
        dates=("summary.openingDate", "profile.holders.holder[].dob"),
        timestamps=("summary.balanceDateTime",),
        booleans=("profile.holders.holder[].ckycCompliance",),
        enums={"summary.type": ("SAVINGS", "CURRENT"), "summary.facility": ("OD", "CC", "NONE"),
               "summary.status": ("ACTIVE", "INACTIVE", "CLOSED", "DORMANT"),
               "profile.holders.type": ("SINGLE", "JOINT")},
        droppable={"summary.branch": None},
    ),
    "transactions": SourceSpec(
        name="transactions",
        natural_key=("linkedAccRef", "txnId", "type", "amount", "transactionTimestamp"),
        amounts=("amount", "currentBalance"),
        dates=("valueDate",),
        timestamps=("transactionTimestamp",),
        enums={"type": ("CREDIT", "DEBIT"), "mode": _TXN_MODES},
        droppable={"reference": None, "mode": "mode_inferred", "valueDate": "value_date_filled"},
        corruptions={"type:enum": "transaction type outside CREDIT/DEBIT",
                     "amount:exclusiveMinimum": "negative amount"},
    ),
    "gst_returns": SourceSpec(
        name="gst_returns",
        natural_key=("gstin", "return_type", "ret_prd"),
        amounts=tuple(f"sup_details.{s}.{t}" for s in ("osup_det", "osup_zero", "osup_nil_exmp", "isup_rev", "osup_nongst")
                      for t in ("txval", "iamt", "camt", "samt", "csamt"))
        + tuple(f"itc_elg.{s}[].{t}" for s in ("itc_avl", "itc_rev", "itc_inelg") for t in ("iamt", "camt", "samt", "csamt"))
        + tuple(f"itc_elg.itc_net.{t}" for t in ("iamt", "camt", "samt", "csamt"))
        + tuple(f"intr_ltfee.{s}.{t}" for s in ("intr_details", "ltfee_details") for t in ("iamt", "camt", "samt", "csamt"))
        + ("b2b[].inv[].val",)
        + tuple(f"b2b[].inv[].itms[].itm_det.{t}" for t in ("txval", "iamt", "camt", "samt", "csamt"))
        + tuple(f"b2cs[].{t}" for t in ("txval", "iamt", "camt", "samt", "csamt"))
        + ("cdnr[].nt[].val",)
        + tuple(f"cdnr[].nt[].itms[].itm_det.{t}" for t in ("txval", "iamt", "camt", "samt", "csamt"))
        + _GSTR2B_AMOUNTS,
        dates=("due_date", "dof", "b2b[].inv[].idt", "cdnr[].nt[].nt_dt", "gendt", "docdata.b2b[].supfildt",
               "docdata.b2b[].inv[].dt"),
        enums={"return_type": ("GSTR1", "GSTR3B", "GSTR2B"), "status": ("FILED", "PROCESSED", "NOT_FILED"),
               "filing_frequency": ("MONTHLY", "QUARTERLY")},
        droppable={"filing_frequency": None},
        corruptions={"ret_prd:pattern": "return period that is not MMYYYY",
                     "sup_details/osup_det/txval:minimum": "negative taxable value"},
    ),
    "credit_bureau": SourceSpec(
        name="credit_bureau",
        natural_key=("segment", "reportId", "accountNumber", "enquiryDate", "lender", "purpose", "amount"),
        amounts=("sanctionedAmount", "highCredit", "currentBalance", "amountOverdue", "emiAmount",
                 "creditLimit", "writtenOffAmount", "amount"),
        dates=("reportDate", "dateOpened", "dateReported", "dateClosed", "paymentHistoryStartDate", "enquiryDate"),
        booleans=("suitFiled",),
        integers=("score", "tenureMonths"),
        enums={"segment": ("HEADER", "TRADELINE", "ENQUIRY"), "status": ("ACTIVE", "CLOSED")},
        corruptions={"paymentHistory:pattern": "payment history with unknown status codes"},
    ),
    "mutual_funds": SourceSpec(
        name="mutual_funds",
        natural_key=("recordType", "folioNo", "isin", "schemeCode", "txnId"),
        amounts=("investmentValue", "currentValue", "amount"),
        decimals=("units", "nav", "lienUnits", "lockinUnits"),
        dates=("navDate", "executionDate"),
        enums={"recordType": ("HOLDING", "TRANSACTION")},
        droppable={"registrar": None},
    ),
    "insurance_policies": SourceSpec(
        name="insurance_policies",
        natural_key=("policyNumber",),
        amounts=("sumAssured", "coverAmount", "premiumAmount", "riders[].sumAssured", "riders[].premiumAmount"),
        dates=("policyStartDate", "maturityDate", "lastPremiumPaidDate", "nextPremiumDueDate"),
        enums={"policyStatus": ("ACTIVE", "LAPSED", "MATURED", "SURRENDERED")},
        droppable={"coverType": None},
    ),
    "ocen_applications": SourceSpec(
        name="ocen_applications",
        natural_key=("loanApplicationId",),
        amounts=("requestedAmount", "offeredAmount", "sanctionedAmount", "disbursedAmount", "emiAmount"),
        timestamps=("createdAt", "updatedAt", "disbursedAt", "statusHistory[].timestamp"),
        integers=("tenureMonths",),
        corruptions={"status:enum": "lifecycle state that OCEN does not define"},
    ),
    "ondc_orders": SourceSpec(
        name="ondc_orders",
        natural_key=("id",),
        amounts=("items[].price.value", "quote.price.value", "quote.breakup[].price.value",
                 "payment.@ondc/org/settlement_details[].settlement_amount"),
        timestamps=("created_at", "updated_at", "payment.@ondc/org/settlement_details[].settlement_timestamp"),
        droppable={"bpp_id": None},
        corruptions={"state:enum": "order state that Beckn does not define"},
    ),
}

assert tuple(SPECS) == SOURCES, "every lake source needs a spec"

RepairFn = Callable[[dict], list[str]]


def repair_transaction(record: dict) -> list[str]:
    """Fill a transaction's missing mode (from its narration) and value date (from its timestamp)."""
    kinds = []
    if "mode" not in record and isinstance(record.get("narration"), str):
        record["mode"] = infer_mode(record["narration"])
        kinds.append("mode_inferred")
    if "valueDate" not in record and isinstance(record.get("transactionTimestamp"), str) \
            and len(record["transactionTimestamp"]) >= 10:
        record["valueDate"] = record["transactionTimestamp"][:10]
        kinds.append("value_date_filled")
    return kinds


SOURCE_REPAIRS: dict[str, RepairFn] = {"transactions": repair_transaction}
