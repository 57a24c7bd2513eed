"""ONDC source: the seller's orders in Beckn shape, with quote breakup and settlement details.

Settled orders carry the settlement reference, time and amount (order value
minus the buyer app's finder fee) that the bank credit also shows; cancelled
and RTO orders and orders still in flight carry no settlement.
"""
from __future__ import annotations

from .timeline import Clock


def _money(value: float) -> dict:
    return {"currency": "INR", "value": round(value, 2)}


def build_ondc(plan) -> list[dict]:
    """Render the plan's ONDC orders as records (oldest first)."""
    clock = Clock()
    ident = plan.identity
    provider = {"id": f"P-{ident.gstin[2:12]}", "descriptor": {"name": ident.business_name}}
    bpp = f"seller.{ident.business_name.split()[0].lower()}.ondc.in"
    out = []
    for o in plan.orders:
        items = [{"id": iid, "descriptor": {"name": name}, "quantity": {"count": qty}, "price": _money(price)}
                 for iid, name, qty, price in o.items]
        breakup = [{"@ondc/org/item_id": iid, "@ondc/org/title_type": "item", "title": name, "price": _money(qty * price)}
                   for iid, name, qty, price in o.items]
        breakup.append({"@ondc/org/title_type": "delivery", "title": "Delivery charges", "price": _money(o.delivery)})
        breakup.append({"@ondc/org/title_type": "packing", "title": "Packing charges", "price": _money(o.packing)})
        if o.discount:
            breakup.append({"@ondc/org/title_type": "discount", "title": "Discount", "price": _money(o.discount)})
        settlement = {"settlement_counterparty": "seller-app", "settlement_type": "neft",
                      "beneficiary_name": ident.business_name, "settlement_bank_account_no": ident.masked_account,
                      "settlement_ifsc_code": ident.ifsc, "settlement_status": "NOT-PAID"}
        if o.settle_ts is not None:
            settlement.update(settlement_status="PAID", settlement_reference=o.settle_ref,
                              settlement_timestamp=clock.ts(o.settle_ts), settlement_amount=o.settlement_amount)
        rec = {
            "id": o.id, "state": o.state, "provider": provider, "bap_id": o.bap[0], "bpp_id": bpp, "items": items,
            "billing": {"name": o.buyer_name, "city": o.city},
            "fulfillments": [{"id": "F1", "type": "Delivery", "state": {"descriptor": {"code": o.fulfillment}}}],
            "quote": {"price": _money(o.value), "breakup": breakup},
            "payment": {"status": "PAID", "type": "ON-ORDER", "collected_by": "BAP",
                        "@ondc/org/buyer_app_finder_fee_type": "percent",
                        "@ondc/org/buyer_app_finder_fee_amount": o.fee_pct,
                        "@ondc/org/settlement_details": [settlement]},
            "created_at": clock.ts(o.created), "updated_at": clock.ts(o.updated),
        }
        if o.cancel_reason:
            rec["cancellation"] = {"reason": o.cancel_reason, "cancelled_by": o.extra.get("cancelled_by", "buyer")}
        out.append(rec)
    return out
