"""What the local FIP holds for a customer: the FI documents our generators produce, as a FIP sends them.

The local AA (:mod:`generators.aa_server`) asks this module for a customer's FI data when an FIU fetches
under an approved consent, then encrypts it for the FIU. Each document is bytes in a ReBIT FI schema.
"""
from __future__ import annotations

import datetime as dt

import orjson


def deposit_document(customer_id: str, as_of: dt.date, config: dict) -> bytes:
    """The customer's DEPOSIT account with its transactions, as a FIP sends it (ReBIT schema v1.1, JSON)."""
    from generators.registry import generate_customer   # noqa: PLC0415 - generating is the FIP's job only

    g = generate_customer(customer_id, None, as_of, config)
    account = {k: v for k, v in g.records["accounts"][0].items() if k != "fipId"}
    txns = [{k: v for k, v in t.items() if k != "linkedAccRef"} for t in g.records["transactions"]]
    first = min((t["valueDate"] for t in txns), default=as_of.isoformat())
    return orjson.dumps({"account": {**account, "transactions": {"startDate": first, "endDate": as_of.isoformat(),
                                                                  "transaction": txns}}})


def fi_documents(customer_id: str, fi_types: list[str], as_of: dt.date, config: dict) -> list[tuple[str, bytes]]:
    """``(fiType, document)`` for each FI type of the consent the FIP holds for the customer."""
    documents = []
    if "DEPOSIT" in fi_types:
        documents.append(("DEPOSIT", deposit_document(customer_id, as_of, config)))
    return documents
