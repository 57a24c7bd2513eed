"""Window-dressing quality against the generator's truth.

``evaluate(lake, customer_id)`` reads ``truth["planted"]["window_dressing"]`` from ``logs/<id>/injected.json``
(each case ``{kind, txn_ids, related_txn_ids}``) and the detections from the ``window_dressing`` metrics of the
customer's ``transaction_summary`` document. Pattern ``window_dressing``:

* a planted case is a true positive when a detection of its kind holds one of its credit lines (``txn_ids``),
  and a false negative otherwise;
* a detection is a false positive when its credit lines overlap no planted case of any kind (a case found under
  a neighbouring kind is neither credited nor charged), nor a planted round trip or related-party credit (money
  that came in and left at once *is* a large credit withdrawn; it is planted under its own pattern).
"""
from __future__ import annotations

from pipeline.lake import Lake

KINDS = ("large_credit_withdrawn", "cash_before_emi", "credits_bunched")


def dressing_quality(detected: dict, planted: list[dict], also_suspicious: set[str] = frozenset()) -> dict[str, int]:
    """True/false positives and false negatives of window-dressing detection (see the module doc)."""
    found = [(kind, set(item["credit_txn_ids"])) for kind in KINDS
             for item in ((detected or {}).get(kind) or {}).get("items", [])]
    tp = fn = 0
    for case in planted:
        lines = set(case["txn_ids"])
        if any(kind == case["kind"] and ids & lines for kind, ids in found):
            tp += 1
        else:
            fn += 1
    every = set().union(*(set(case["txn_ids"]) for case in planted)) if planted else set()
    every |= also_suspicious
    fp = sum(1 for _, ids in found if not ids & every)
    return {"tp": tp, "fp": fp, "fn": fn}


def evaluate(lake: Lake, customer_id: str) -> dict[str, dict]:
    """``{"window_dressing": {"tp", "fp", "fn"}}`` of one customer (see the module doc)."""
    truth = lake.read_json(lake.log_path(customer_id, "injected")).get("truth") or {}
    planted = (truth.get("planted") or {}).get("window_dressing")
    if planted is None:
        return {}
    summary = lake.read_json(lake.analytics_path(customer_id, "transaction_summary"))
    others = truth.get("planted") or {}
    round_trips = {t for case in others.get("multi_hop_circular") or [] for t in case["txn_ids"]}
    round_trips |= {case["txn_id"] for case in others.get("related_party") or []}
    return {"window_dressing": dressing_quality(summary.get("window_dressing") or {}, planted, round_trips)}
