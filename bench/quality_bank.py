"""Bank-signal quality against the generator's truth (issue 13 quality contract).

``evaluate(lake, customer_id)`` reads ``truth["planted"]`` from ``logs/<id>/injected.json`` and the
detections from the customer's ``transaction_summary`` analytics document. Pattern:

* ``bounce_attribution``: every planted EMI-mandate bounce ``{txn_id, lender, umrn}``. A true positive is a
  bounce event holding that line and naming that lender (names compared without legal suffixes, so
  ``AXIS BANK LTD`` is ``AXIS BANK``); a planted bounce attributed to another lender is a false positive
  and a false negative; a planted bounce with no event, or left unattributed, is a false negative; an
  event attributed to a lender where nothing was planted is a false positive.
"""
from __future__ import annotations

from analytics.bank.categorise.parties import lender_key
from pipeline.lake import Lake


def same_lender(a: str | None, b: str | None) -> bool:
    """Whether two spellings of a lender's name are the same lender (legal suffixes and spacing ignored)."""
    return bool(a) and bool(b) and lender_key(a) == lender_key(b)


def bounce_quality(events: list[dict], planted: list[dict]) -> dict[str, int]:
    """True/false positives and false negatives of bounce attribution (see the module doc)."""
    by_line = {t: e for e in events for t in e["txn_ids"]}
    tp = fp = fn = 0
    for case in planted:
        event = by_line.get(case["txn_id"])
        if event is None or event.get("attribution") in (None, "unattributed"):
            fn += 1
        elif same_lender(event["counterparty"], case["lender"]):
            tp += 1
        else:
            fp, fn = fp + 1, fn + 1
    lines = {case["txn_id"] for case in planted}
    fp += sum(1 for e in events if e.get("attribution") not in (None, "unattributed")
              and not lines & set(e["txn_ids"]))
    return {"tp": tp, "fp": fp, "fn": fn}


def evaluate(lake: Lake, customer_id: str) -> dict[str, dict]:
    """``{pattern: {"tp", "fp", "fn"}}`` of the bank signals of one customer (see the module doc)."""
    truth = lake.read_json(lake.log_path(customer_id, "injected")).get("truth") or {}
    planted = (truth.get("planted") or {}).get("bounce_attribution")
    if planted is None:
        return {}
    summary = lake.read_json(lake.analytics_path(customer_id, "transaction_summary"))
    return {"bounce_attribution": bounce_quality(summary.get("bounces") or [], planted)}
