"""GST-signal quality against the generator's truth (issue 13 quality contract).

``evaluate(lake, customer_id)`` reads ``truth["planted"]["itc_excess"]`` (``[{period "YYYY-MM", claimed,
available}]``) from ``logs/<id>/injected.json`` and the detections from ``gst_summary.itc_check`` in the
customer's analytics. Pattern:

* ``itc_excess``: a month is the unit. A flagged month that was planted is a true positive, a flagged month that
  was not is a false positive, a planted month not flagged is a false negative. A customer whose truth has no
  ``itc_excess`` key (written before GSTR-2B existed) is not scored; one whose check is missing (no GSTR-2B in
  its data) has flagged nothing, so each planted month is a false negative.
"""
from __future__ import annotations

from pipeline.lake import Lake


def month_quality(flagged: list[str], planted: list[str]) -> dict[str, int]:
    """True/false positives and false negatives of flagged months against planted months."""
    found, truth = set(flagged), set(planted)
    return {"tp": len(found & truth), "fp": len(found - truth), "fn": len(truth - found)}


def evaluate(lake: Lake, customer_id: str) -> dict[str, dict]:
    """``{"itc_excess": {"tp", "fp", "fn"}}`` of one customer (see the module doc), or ``{}`` without truth."""
    truth = lake.read_json(lake.log_path(customer_id, "injected")).get("truth") or {}
    planted = (truth.get("planted") or {}).get("itc_excess")
    if planted is None:
        return {}
    summary = lake.read_json(lake.analytics_path(customer_id, "gst_summary"))
    check = summary.get("itc_check") or {}
    flagged = (check.get("inputs") or {}).get("months") if check.get("value") is not None else []
    return {"itc_excess": month_quality(flagged or [], [p["period"] for p in planted])}
