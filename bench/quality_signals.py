"""Signal quality against the generator's truth: related parties, multi-hop round trips, self credits, stacking.

``evaluate(lake, customer_id)`` reads ``truth["planted"]`` from ``logs/<id>/injected.json`` and the
detections from the customer's ``signals`` analytics document (``metrics.<name>``). Patterns:

* ``related_party``: planted credits from declared related parties ``{txn_id}``; a detected related-party
  credit is a true positive when planted, else a false positive.
* ``multi_hop_circular``: planted chains ``{txn_ids}``; a detected chain sharing a line with a planted
  chain is a true positive, one sharing none a false positive; a planted chain no detection touches is a
  false negative.
* ``self_credits``: planted UPI top-ups by the owner ``{txn_id}`` against the UPI lines the analytics
  counted as own money.
* ``loan_stacking``: one case per customer: planted (the truth lists a stacking episode) against detected
  (``loan_stacking.value``), so clean customers count as false positives when flagged.
"""
from __future__ import annotations

from pipeline.lake import Lake


def _sets(detected: set[str], planted: set[str]) -> dict[str, int]:
    return {"tp": len(detected & planted), "fp": len(detected - planted), "fn": len(planted - detected)}


def chain_quality(detected: list[set[str]], planted: list[set[str]]) -> dict[str, int]:
    """Chains match when they share a line (see the module doc)."""
    tp = sum(1 for d in detected if any(d & p for p in planted))
    fn = sum(1 for p in planted if not any(d & p for d in detected))
    return {"tp": tp, "fp": len(detected) - tp, "fn": fn}


def evaluate(lake: Lake, customer_id: str) -> dict[str, dict]:
    """``{pattern: {"tp", "fp", "fn"}}`` of the behavioural signals of one customer (see the module doc)."""
    truth = lake.read_json(lake.log_path(customer_id, "injected")).get("truth") or {}
    planted = truth.get("planted") or {}
    path = lake.analytics_path(customer_id, "signals")
    if "multi_hop_circular" not in planted or not path.exists():
        return {}
    metrics = lake.read_json(path).get("metrics") or {}
    related = {i["txn_id"] for i in (metrics.get("related_party_flows") or {}).get("items") or []
               if i.get("type") == "CREDIT"}
    hops = [set(i["txn_ids"]) for i in (metrics.get("multi_hop_circular") or {}).get("items") or []]
    own = {i["txn_id"] for i in (metrics.get("self_credits") or {}).get("items") or [] if i.get("mode") == "UPI"}
    stacked = bool((metrics.get("loan_stacking") or {}).get("value"))
    planted_stack = bool(planted.get("loan_stacking"))
    return {
        "related_party": _sets(related, {c["txn_id"] for c in planted.get("related_party") or []}),
        "multi_hop_circular": chain_quality(hops, [set(c["txn_ids"]) for c in planted["multi_hop_circular"]]),
        "self_credits": _sets(own, {c["txn_id"] for c in planted.get("self_credits") or []}),
        "loan_stacking": {"tp": int(stacked and planted_stack), "fp": int(stacked and not planted_stack),
                          "fn": int(planted_stack and not stacked)},
    }
