"""What the local FIP holds for a customer, and the FI documents it sends: DEPOSIT (ReBIT v1.1 or v2.0.0) and GSTR1_3B.

The local AA (:mod:`generators.aa_server`) asks :func:`fi_documents` for a customer's FI data when an FIU
fetches under an approved consent, then encrypts each document for the FIU.

A real FIP's data is messy, so ours is too: :func:`fip_records` renders the generator's canonical records with
the project's messiness on the *same* seeded stream the generate stage uses
(:func:`generators.messiness.mess_rng`), leaving out only the unrepairable lines nothing could import. Every
record the FIP holds is therefore byte for byte a line the generate stage wrote, and a fetch of the customer's
own data cleans to the very records a normal run cleans to.

Which DEPOSIT schema a customer's FIP speaks is a stable choice per customer (:func:`fi_version_for`), so the
demo covers both versions an FIU must read since ReBIT's v2 migration.
"""
from __future__ import annotations

import datetime as dt
import hashlib

import orjson

from generators.messiness import mess_rng, render_source
from pipeline.sources import SPECS

DEPOSIT_VERSIONS = ("1.1", "2.0.0")
GSTR_VERSION = "1.0.0"          # ReBIT GSTR1_3B FI schema the document follows (envelope; returns in GSTN JSON)
GSTR_RETURN_TYPES = ("GSTR1", "GSTR3B")
FI_VERSION_CHOICES = (*DEPOSIT_VERSIONS, "mixed")
# v1.1 name -> v2.0.0 name, per object; v2 also splits summary.type into accountType + accountSubType
V2_SUMMARY_NAMES = {"ifscCode": "ifsc"}
V2_TRANSACTION_NAMES = {"currentBalance": "transactionalBalance"}


def fi_version_for(customer_id: str, config: dict) -> str:
    """The DEPOSIT schema version the customer's FIP sends: ``config["aa"]["fi_version"]``, or for ``"mixed"``
    (the default) one chosen by a SHA-256 of the customer id, so it is the same on every run and machine."""
    wanted = str((config.get("aa") or {}).get("fi_version", "mixed"))
    if wanted not in FI_VERSION_CHOICES:
        raise ValueError(f"aa.fi_version must be one of {', '.join(FI_VERSION_CHOICES)}; got {wanted!r}")
    if wanted != "mixed":
        return wanted
    digest = hashlib.sha256(f"fi-version:{customer_id}".encode()).digest()
    return DEPOSIT_VERSIONS[digest[0] % len(DEPOSIT_VERSIONS)]


def _generated(customer_id: str, as_of: dt.date, config: dict):
    from generators.registry import generate_customer   # noqa: PLC0415 - the registry imports every generator

    return generate_customer(customer_id, None, as_of, config)


def _render(generated, source: str, config: dict) -> tuple[list[dict], dict]:
    """One source as the FIP holds it: the generate stage's lines without the unrepairable ones, and its account."""
    lines, account = render_source(SPECS[source], generated.records[source], config["messiness_config"],
                                   mess_rng(generated.customer.get("seed"), source), plant_unrepairable=False)
    return [orjson.loads(line) for line in lines], account


def fip_records(customer_id: str, source: str, as_of: dt.date, config: dict) -> tuple[list[dict], dict]:
    """``(records, account)``: a source as the FIP holds it (format mess, re-sent duplicates, missing optional
    fields, but every record importable), and the render account in the shape of ``injected.json``'s
    per-source entry, so the generate stage can record what the AA will deliver."""
    if source not in SPECS:
        raise ValueError(f"unknown source {source!r}")
    return _render(_generated(customer_id, as_of, config), source, config)


def _v2_account(account: dict) -> dict:
    """A v1.1 account record (profile and summary) in ReBIT DEPOSIT v2.0.0 names."""
    out = {**account, "version": "2.0.0"}
    if "summary" in account:
        summary = {V2_SUMMARY_NAMES.get(k, k): v for k, v in account["summary"].items() if k != "type"}
        if "type" in account["summary"]:
            summary.update(accountType="REGULAR", accountSubType=account["summary"]["type"])
        out["summary"] = {**summary, "exchgeRate": "", "pendingTxns": {"pendingTxn": []}}
    holders = (account.get("profile") or {}).get("holders")
    if isinstance(holders, dict):
        people = []
        for holder in holders.get("holder") or []:
            person = {k: v for k, v in holder.items() if k != "ckycCompliance"}
            if "ckycCompliance" in holder:   # v2 says YES/NO; the FIP's value may be a boolean or "true"/"false"
                person["ckycRegistered"] = "YES" if str(holder["ckycCompliance"]).lower() == "true" else "NO"
            people.append(person)
        out["profile"] = {**account["profile"], "holders": {**holders, "holder": people}}
    return out


def _deposit(account: dict, transactions: list[dict], version: str, start: str, end: str) -> bytes:
    """One account's DEPOSIT FI document (JSON) in the given schema version."""
    txns = [{k: v for k, v in t.items() if k != "linkedAccRef"} for t in transactions]
    if version == "2.0.0":
        account = _v2_account(account)
        txns = [{V2_TRANSACTION_NAMES.get(k, k): v for k, v in t.items()} for t in txns]
    body = {k: v for k, v in account.items() if k != "fipId"}   # the FIP is named by the fetch, not the account
    return orjson.dumps({"account": {**body, "transactions": {"startDate": start, "endDate": end,
                                                                "transaction": txns}}})


def deposit_documents(generated, as_of: dt.date, config: dict, version: str | None = None) -> list[bytes]:
    """The customer's DEPOSIT documents, one per account (first copy of a re-sent account), in ``version``
    (default :func:`fi_version_for`)."""
    version = version or fi_version_for(generated.customer_id, config)
    if version not in DEPOSIT_VERSIONS:
        raise ValueError(f"DEPOSIT schema version must be one of {', '.join(DEPOSIT_VERSIONS)}; got {version!r}")
    accounts, _ = _render(generated, "accounts", config)
    transactions, _ = _render(generated, "transactions", config)
    end = (as_of - dt.timedelta(days=1)).isoformat()
    documents, seen = [], set()
    for account in accounts:
        ref = account.get("linkedAccRef")
        if ref in seen:
            continue
        seen.add(ref)
        days = [t["valueDate"] for t in generated.records["transactions"] if t["linkedAccRef"] == ref]
        documents.append(_deposit(account, [t for t in transactions if t.get("linkedAccRef") == ref], version,
                                  min(days, default=end), end))
    return documents


def mask_gstin(gstin: str) -> str:
    """A GSTIN as FIPs mask it: the state code and the last three characters (entity digit, ``Z``, checksum)."""
    return gstin[:2] + "X" * max(0, len(gstin) - 5) + gstin[-3:]


def gstr_document(generated, as_of: dt.date, config: dict) -> bytes:
    """The customer's GSTR-1 and GSTR-3B returns (GSTN JSON, as the FIP holds them) in a GSTR1_3B FI document."""
    customer = generated.customer
    gstin = customer["gstin"]
    records, _ = _render(generated, "gst_returns", config)
    filed = {kind: [r for r in records if str(r.get("return_type", "")).upper() == kind] for kind in GSTR_RETURN_TYPES}
    periods = sorted(r["ret_prd"][2:] + r["ret_prd"][:2] for r in generated.records["gst_returns"]
                     if r["return_type"] in GSTR_RETURN_TYPES)
    legal_name = customer["owner_name"] if customer.get("constitution") == "Proprietorship" else \
        customer["business_name"]
    ref = "GST-" + hashlib.sha256(f"{customer['customer_id']}|{gstin}".encode()).hexdigest()[:20]
    return orjson.dumps({"account": {
        "linkedAccRef": ref, "maskedGstinNumber": mask_gstin(gstin), "version": GSTR_VERSION, "type": "gstr1_3b",
        "profile": {"gstin": gstin, "BusinessDetails": {"lgnm": legal_name, "trdnm": customer["business_name"],
                                                        "sts": "Active", "stcd": customer.get("state")}},
        "transactions": {"strdt": f"{periods[0][:4]}-{periods[0][4:]}-01" if periods else as_of.isoformat(),
                         "endt": (as_of - dt.timedelta(days=1)).isoformat(),
                         "gstr1Details": {"gstr1": filed["GSTR1"]}, "gstr3bDetails": {"gstr3b": filed["GSTR3B"]}},
    }})


def fi_documents(customer_id: str, fi_types: list[str], as_of: dt.date, config: dict) -> list[tuple[str, bytes]]:
    """``(fiType, document)`` for each FI type of the consent the FIP holds for the customer: DEPOSIT (one per
    account, in the customer's schema version) and GSTR1_3B; other FI types are not held, so not sent."""
    wanted = [t for t in ("DEPOSIT", "GSTR1_3B") if t in fi_types]
    if not wanted:
        return []
    generated = _generated(customer_id, as_of, config)
    documents = [("DEPOSIT", doc) for doc in deposit_documents(generated, as_of, config)] if "DEPOSIT" in wanted \
        else []
    if "GSTR1_3B" in wanted:
        documents.append(("GSTR1_3B", gstr_document(generated, as_of, config)))
    return documents
