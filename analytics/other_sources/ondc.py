"""ONDC analytics: the body of ``ondc_summary.json`` from clean ONDC (Beckn) orders.

Definitions:

* **GMV** = Σ ``quote.price.value`` of Completed orders (the buyer's total: items, delivery, packing, tax).
* **Cancellation rate** = Cancelled orders / all orders.
* **RTO rate** = orders with any fulfilment state ``RTO-*`` / shipped orders, where shipped means the
  order is Completed or a fulfilment reached Order-picked-up, Out-for-delivery, Order-delivered or RTO-*.
  Returns can only happen to what was shipped, so cancellations before dispatch do not dilute it.
* **Settled** = settlement entries with ``settlement_status`` PAID dated on or before as-of;
  settlement delay = ``settlement_timestamp - created_at`` of the order, in days.
* **Pending settlement** = a Completed order with no PAID settlement entry.
* Months are the local (IST) month of ``created_at``; the monthly ``settled`` column is by settlement
  month, which is when the money reaches the seller's bank account.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from analytics.metric import metric, missing

NO_DATA = "no ONDC data delivered"
SHIPPED_CODES = frozenset({"Order-picked-up", "Out-for-delivery", "Order-delivered"})
UNITS = {"orders": "count", "completed_orders": "count", "gmv": "INR", "avg_order_value": "INR",
         "cancellation_rate": "ratio", "rto_rate": "ratio", "settled_amount": "INR",
         "avg_settlement_delay_days": "days", "pending_settlements": "count", "pending_settlement_amount": "INR"}


def _codes(order: dict) -> list[str]:
    return [((f.get("state") or {}).get("descriptor") or {}).get("code") for f in order.get("fulfillments") or []]


def _is_rto(order: dict) -> bool:
    return any(c and c.startswith("RTO-") for c in _codes(order))


def _shipped(order: dict) -> bool:
    return order["state"] == "Completed" or _is_rto(order) or any(c in SHIPPED_CODES for c in _codes(order))


def _value(order: dict) -> float:
    return float(order["quote"]["price"]["value"])


def _paid_settlements(order: dict, as_of: date) -> list[dict]:
    return [s for s in (order.get("payment") or {}).get("@ondc/org/settlement_details") or []
            if s.get("settlement_status") == "PAID" and s.get("settlement_timestamp")
            and s["settlement_timestamp"][:10] <= as_of.isoformat()]


def _rate(hits: list[dict], base: list[dict], formula: str, what: str) -> dict:
    if not base:
        return missing("ratio", formula, "no orders in the denominator")
    return metric(len(hits) / len(base), "ratio", formula, {"orders": [o["id"] for o in hits], "base": len(base)}, what)


def _settlement_metrics(orders: list[dict], completed: list[dict], as_of: date) -> dict[str, dict]:
    paid = [(o, s) for o in orders for s in _paid_settlements(o, as_of)]
    with_amount = [(o, s) for o, s in paid if s.get("settlement_amount") is not None]
    out = {"settled_amount": metric(sum(float(s["settlement_amount"]) for _, s in with_amount), "INR",
                                    "Σ settlement_amount of PAID settlements dated on or before as-of",
                                    {"orders": [o["id"] for o, _ in with_amount],
                                     "amounts": [float(s["settlement_amount"]) for _, s in with_amount],
                                     "paid_without_amount": len(paid) - len(with_amount)},
                                    "Money settled to the seller for ONDC orders.")}
    delays = [(o["id"], (datetime.fromisoformat(s["settlement_timestamp"])
                         - datetime.fromisoformat(o["created_at"])).total_seconds() / 86400) for o, s in paid]
    fd = "mean of (settlement_timestamp - order created_at) in days over PAID settlements"
    out["avg_settlement_delay_days"] = (
        metric(sum(d for _, d in delays) / len(delays), "days", fd,
               {"orders": [i for i, _ in delays], "days": [round(d, 2) for _, d in delays]},
               "How long the seller waits for its money; long waits strain working capital.")
        if delays else missing("days", fd, "no PAID settlement in the data"))
    pending = [o for o in completed if not _paid_settlements(o, as_of)]
    ids = [o["id"] for o in pending]
    out["pending_settlements"] = metric(len(pending), "count", "Completed orders with no PAID settlement",
                                        {"orders": ids}, "Delivered orders the seller has not been paid for yet.")
    out["pending_settlement_amount"] = metric(sum(_value(o) for o in pending), "INR",
                                              "Σ quote.price.value of Completed orders with no PAID settlement",
                                              {"orders": ids, "values": [_value(o) for o in pending]},
                                              "Receivables still due from ONDC buyer/seller apps.")
    return out


def _monthly(orders: list[dict], as_of: date) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = defaultdict(lambda: {"orders": 0, "completed_orders": 0, "cancelled_orders": 0,
                                                          "gmv": 0.0, "settled": 0.0})
    for o in orders:
        row = rows[o["created_at"][:7]]
        row["orders"] += 1
        row["completed_orders"] += o["state"] == "Completed"
        row["cancelled_orders"] += o["state"] == "Cancelled"
        row["gmv"] += _value(o) if o["state"] == "Completed" else 0.0
        for s in _paid_settlements(o, as_of):
            rows[s["settlement_timestamp"][:7]]["settled"] += float(s.get("settlement_amount") or 0)
    return [{"month": m, **{k: round(v, 2) if isinstance(v, float) else v for k, v in rows[m].items()}}
            for m in sorted(rows)]


def _buyer_apps(orders: list[dict], gmv: float, top: int) -> list[dict[str, Any]]:
    apps: dict[str, dict[str, Any]] = defaultdict(lambda: {"orders": 0, "completed_orders": 0, "gmv": 0.0})
    for o in orders:
        a = apps[o.get("bap_id") or "UNKNOWN"]
        a["orders"] += 1
        if o["state"] == "Completed":
            a["completed_orders"] += 1
            a["gmv"] += _value(o)
    ranked = sorted(apps.items(), key=lambda kv: (-kv[1]["gmv"], -kv[1]["orders"], kv[0]))[:top]
    return [{"bap_id": k, "orders": v["orders"], "completed_orders": v["completed_orders"], "gmv": round(v["gmv"], 2),
             "gmv_share": round(v["gmv"] / gmv, 4) if gmv else None} for k, v in ranked]


def summarize_ondc(records: list[dict], as_of: date, config: dict) -> dict:
    """The body of ``ondc_summary.json``: orders, GMV, cancellations, RTO, settlements, monthly and buyer apps.

    Why: ONDC sales are a verifiable digital trail for thin-file sellers; GMV shows scale, cancellations
    and returns show fulfilment quality, and settlement delays show cash tied up in receivables.
    """
    if not records:
        return {"metrics": {k: missing(u, "see data dictionary: ondc_orders", NO_DATA) for k, u in UNITS.items()},
                "monthly": [], "top_buyer_apps": []}
    orders = sorted(records, key=lambda o: (o["created_at"], o["id"]))
    completed = [o for o in orders if o["state"] == "Completed"]
    gmv = sum(_value(o) for o in completed)
    metrics: dict[str, dict] = {
        "orders": metric(len(orders), "count", "ONDC orders received", {"orders": [o["id"] for o in orders]},
                         "Orders received over ONDC."),
        "completed_orders": metric(len(completed), "count", "orders in state Completed",
                                   {"orders": [o["id"] for o in completed]}, "Orders delivered and closed."),
        "gmv": metric(gmv, "INR", "Σ quote.price.value of Completed orders",
                      {"orders": [o["id"] for o in completed], "values": [_value(o) for o in completed]},
                      "Gross merchandise value sold over ONDC."),
        "avg_order_value": (metric(gmv / len(completed), "INR", "gmv / completed_orders",
                                   {"gmv": gmv, "completed_orders": len(completed)}, "Average completed order size.")
                            if completed else missing("INR", "gmv / completed_orders", "no completed orders")),
        "cancellation_rate": _rate([o for o in orders if o["state"] == "Cancelled"], orders,
                                   "Cancelled orders / all orders", "Share of orders cancelled."),
        "rto_rate": _rate([o for o in orders if _is_rto(o)], [o for o in orders if _shipped(o)],
                          "orders with an RTO-* fulfilment / shipped orders",
                          "Share of shipped orders returned to origin (refused or undeliverable)."),
    }
    metrics.update(_settlement_metrics(orders, completed, as_of))
    top = int(config["analytics"].get("top_counterparties", 10))
    return {"metrics": metrics, "monthly": _monthly(orders, as_of), "top_buyer_apps": _buyer_apps(orders, gmv, top)}
