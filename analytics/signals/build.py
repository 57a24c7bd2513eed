"""Gather every behavioural signal of one customer into the ``signals`` document.

Each signal is a metric object (``value``, ``unit``, ``formula``, ``inputs`` with ``record_ids``,
``explanation``) plus ``flagged`` (does it call for the analyst's attention, by the thresholds in
``config["analytics"]["signals"]``) and, where there are cases, ``items``. Signals computed elsewhere
(bounce attribution in the obligations, loan stacking in the bureau summary, window dressing in the bank
summary, the ITC check in the GST summary, OD/CC conduct in the facility metrics) are read from those
documents, not recomputed, so the screen and the documents always agree. ``round_tripping`` combines the
one-party circular pairs, the multi-hop chains and related-party credits into the one flag the credit
score's overlay reads.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from analytics.bank.related import detect_multi_hop_circular, detect_related_party_flows
from analytics.metric import metric, missing

SIGNAL_NAMES = ("bounce_attribution", "window_dressing", "related_party_flows", "multi_hop_circular",
                "self_credits", "loan_stacking", "itc_check", "od_cc_conduct", "round_tripping")
DEFAULTS = {"related_credit_share": 0.05, "od_cc_days_over_drawing_power": 30, "od_cc_peak_utilisation": 0.95}


def _params(config: dict) -> dict[str, Any]:
    return {**DEFAULTS, **(config.get("analytics", config).get("signals") or {})}


def _bounce_attribution(bank: dict) -> dict[str, Any]:
    events = [b for b in bank.get("bounces") or [] if b.get("direction") == "inward"]
    by = {}
    for event in events:
        by[event.get("attribution") or "unattributed"] = by.get(event.get("attribution") or "unattributed", 0) + 1
    unattributed = by.get("unattributed", 0)
    out = metric(len(events), "count", "inward returns (EMI mandates and own cheques), each booked to a lender by "
                 "UMRN/reference, then named lender, then amount and date, then date",
                 {"by_attribution": by, "record_ids": [t for e in events for t in e.get("txn_ids") or []]},
                 f"{len(events)} inward return(s); {len(events) - unattributed} attributed to a lender, "
                 f"{unattributed} not attributable.")
    out["flagged"] = bool(events)
    out["items"] = [{k: e.get(k) for k in ("date", "counterparty", "amount", "attribution", "mandate_reference",
                                           "reason", "txn_ids")} for e in events]
    return out


def _self_credits(txns: pd.DataFrame) -> dict[str, Any]:
    own = txns[(txns["type"] == "CREDIT") & (txns["category"] == "self_transfer_in")] if len(txns) else txns
    upi = own[own["mode"] == "UPI"] if len(own) else own
    total = float(own["amount"].sum()) if len(own) else 0.0
    out = metric(round(total, 2), "INR", "sum(credits recognised as the holder's own money: transfers naming the "
                 "holder, the holder's mobile in a UPI address, or the holder's name or initials on a UPI line)",
                 {"lines": int(len(own)), "upi_lines": int(len(upi)), "record_ids": own["txnId"].tolist()},
                 f"{len(own)} credit(s) of the owner's own money ({len(upi)} by UPI) kept out of business credits.")
    out["flagged"] = False   # own money is counted apart, not a risk by itself
    out["items"] = [{"txn_id": r.txnId, "date": r.date.date().isoformat(), "amount": float(r.amount),
                     "mode": r.mode, "narration": r.narration} for r in own.itertuples(index=False)]
    return out


def _od_cc(bank: dict, p: dict) -> dict[str, Any]:
    m = bank.get("metrics") or {}
    util, peak = (m.get("od_cc_utilisation") or {}), (m.get("od_cc_peak_utilisation") or {})
    over_dp, over_limit = (m.get("days_over_drawing_power") or {}), (m.get("days_over_limit") or {})
    unserviced = m.get("months_interest_unserviced") or {}
    if util.get("value") is None:
        out = missing("ratio", "mean daily utilisation of the OD/CC limit", util.get("reason") or "no OD/CC facility")
        out["applicable"] = util.get("applicable", False) is not False and util.get("applicable") is not None
        out["flagged"] = False
        return out
    days_dp = over_dp.get("value") or 0
    flagged = days_dp >= p["od_cc_days_over_drawing_power"] or (over_limit.get("value") or 0) > 0 \
        or (peak.get("value") or 0) >= p["od_cc_peak_utilisation"] or (unserviced.get("value") or 0) > 0
    out = metric(util["value"], "ratio", util.get("formula", ""),
                 {"peak_utilisation": peak.get("value"), "days_over_drawing_power": days_dp,
                  "days_over_limit": over_limit.get("value"), "months_interest_unserviced": unserviced.get("value"),
                  "accounts": (util.get("inputs") or {}).get("accounts")},
                 f"Average utilisation {util['value']:.0%}, peak {peak.get('value') or 0:.0%}; {days_dp} day(s) over "
                 f"drawing power, {over_limit.get('value') or 0} over the limit, "
                 f"{unserviced.get('value') or 0} month(s) of interest not serviced.")
    out["flagged"] = bool(flagged)
    out["items"] = (bank.get("od_cc") or {}).get("accounts") or []
    return out


def _window_dressing(bank: dict) -> dict[str, Any]:
    """The bank summary's window-dressing cases as one signal: the summary metric with every case."""
    found = bank.get("window_dressing") or {}
    summary = found.get("summary")
    if not isinstance(summary, dict):
        out = missing("count", "window-dressing cases", "not computed for this customer (no bank statement)")
        out["flagged"] = False
        return out
    out = dict(summary)
    out["inputs"] = {**summary.get("inputs", {}),
                     "record_ids": list(summary.get("inputs", {}).get("credit_txn_ids") or [])
                     + list(summary.get("inputs", {}).get("related_txn_ids") or [])}
    out["items"] = [{**case, "kind": kind} for kind, m in found.items() if kind != "summary"
                    for case in (m.get("items") or [])]
    out["flagged"] = bool(summary.get("value"))
    return out


def _read(doc: dict, key: str, unit: str, what: str) -> dict[str, Any]:
    found = doc.get(key)
    if isinstance(found, dict) and "value" in found:
        out = dict(found)
        out.setdefault("flagged", bool(found.get("value")) if not isinstance(found.get("value"), float)
                       else found.get("value") > 0)
        return out
    out = missing(unit, what, f"not computed for this customer ({key} absent)")
    out["flagged"] = False
    return out


def _round_tripping(bank: dict, hops: dict, related: dict, p: dict) -> dict[str, Any]:
    pairs = bank.get("circular_flows") or []
    share = related.get("value") or 0.0
    flagged = bool(hops.get("value")) or share >= p["related_credit_share"] or len(pairs) >= 3
    ids = [x.get("credit_txn_id") for x in pairs] + list((hops.get("inputs") or {}).get("record_ids") or []) \
        + list((related.get("inputs") or {}).get("record_ids") or [])
    out = metric(flagged, "flag", "multi-hop chains >= 1, or related-party credits >= "
                 f"{p['related_credit_share']:.0%} of business credits, or >= 3 one-party circular pairs",
                 {"circular_pairs": len(pairs), "multi_hop_chains": hops.get("value"), "related_credit_share": share,
                  "record_ids": [i for i in ids if i]},
                 "Money that looks like sales but comes back from, or stays with, the business's own circle.")
    out["flagged"] = flagged
    return out


def build_signals(txns: pd.DataFrame, bodies: dict[str, dict], customer: dict, config: dict) -> dict[str, Any]:
    """The ``signals`` document body: ``metrics`` (one per :data:`SIGNAL_NAMES`) and ``flagged`` (names)."""
    p = _params(config)
    bank, bureau, gst = bodies["transaction_summary"], bodies["credit_summary"], bodies["gst_summary"]
    related = detect_related_party_flows(txns, customer, config) if len(txns) else \
        missing("ratio", "related-party credits / business credits", "no bank statement")
    related["flagged"] = bool((related.get("value") or 0) >= p["related_credit_share"])
    hops = detect_multi_hop_circular(txns, config)
    hops["flagged"] = bool(hops["value"])
    metrics = {
        "bounce_attribution": _bounce_attribution(bank),
        "window_dressing": _window_dressing(bank),
        "related_party_flows": related,
        "multi_hop_circular": hops,
        "self_credits": _self_credits(txns),
        "loan_stacking": _read(bureau, "loan_stacking", "flag", "distinct lenders' new loans within 90 days"),
        "itc_check": _read(gst, "itc_check", "ratio", "ITC claimed in GSTR-3B vs available in GSTR-2B"),
        "od_cc_conduct": _od_cc(bank, p),
    }
    metrics["round_tripping"] = _round_tripping(bank, hops, related, p)
    return {"metrics": metrics, "flagged": [name for name in SIGNAL_NAMES if metrics[name].get("flagged")]}
