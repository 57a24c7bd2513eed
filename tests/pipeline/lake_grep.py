"""What identifies a customer in a lake, and where in the lake's files each identifier still appears.

Used by the erasure tests: the identifiers are read from the customer's own raw files and loan book before
erasure (customer id, PAN, GSTIN, Udyam number, mobile numbers, e-mail, owner and business names, account
numbers and references, loan ids); the search reads the bytes of every file under the lake root.
"""
from __future__ import annotations

from pathlib import Path

import orjson

from pipeline.lake import Lake


def identifiers(lake: Lake, customer_id: str) -> dict[str, set[str]]:
    """Kind -> the customer's identifiers of that kind, read from their raw files and loan book."""
    meta = lake.read_json(lake.customer_meta_path(customer_id))
    found: dict[str, set[str]] = {"customer_id": {customer_id}, "pan": {meta["pan"]}, "gstin": {meta["gstin"]},
                                  "udyam": {meta["udyam"]}, "name": {meta["owner_name"], meta["business_name"]},
                                  "mobile": set(), "email": set(), "account": set(), "loan_id": set()}
    for account in lake.read_clean(customer_id, "accounts"):   # raw lines may be deliberately malformed
        found["account"] |= {account["maskedAccNumber"], account["linkedAccRef"]}
        for holder in account["profile"]["holders"]["holder"]:
            found["mobile"].add(holder["mobile"])
            found["email"].add(holder["email"])
    handle = lake.read_json(lake.consent_path(customer_id))["Customer"]["id"]   # <mobile>@onemoney
    found["mobile"].add(handle.split("@")[0])
    for path, key in ((lake.loan_book_path(customer_id), "loans"), (lake.acceptances_path(customer_id),
                                                                      "acceptances")):
        if path.exists():
            found["loan_id"] |= {loan["loan_id"] for loan in lake.read_json(path)[key]}
    return found


def where(root: Path, needles: set[str]) -> dict[str, set[str]]:
    """Needle -> the files (relative to ``root``) whose bytes contain it; every file, recursively."""
    encoded = {n: n.encode() for n in needles}
    hits: dict[str, set[str]] = {n: set() for n in needles}
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for needle, raw in encoded.items():
                if raw in data:
                    hits[needle].add(path.relative_to(root).as_posix())
    return hits


def other_customers_files(lake: Lake, customer_id: str) -> set[str]:
    """Files of the other customers' own directories (a name or a number can be shared by chance)."""
    return {p.relative_to(lake.root).as_posix() for other in lake.customers() if other != customer_id
            for layer in lake.DATA_LAYERS if lake.customer_dir(layer, other).is_dir()
            for p in lake.customer_dir(layer, other).rglob("*") if p.is_file()}


def audit_entries(lake: Lake) -> list[dict]:
    """Every line of the audit log."""
    return [orjson.loads(line) for line in lake.read_lines(lake.audit_path)]
