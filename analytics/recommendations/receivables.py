"""B2B invoices on filed GSTR-1: the evidence invoice discounting is sized on.

``gst_summary`` reports turnover, not who it was billed to; invoice discounting
needs the B2B invoices themselves (buyer GSTIN ``ctin``, number ``inum``, date
``idt``, value ``val``). :func:`summarize_receivables` reads them from the clean
GSTR-1 records and returns a small analytics document:

* **invoice_pool** = Σ invoice value (``val``, tax included: what the buyer owes) of B2B invoices on GSTR-1
  returns filed by as-of, dated within ``invoice_max_age_days`` (90) before as-of. These are the invoices a
  lender would verify one by one before discounting; invoices already paid drop out at that verification,
  so the pool is an upper bound on receivables, not a ledger of what is unpaid.
* **b2b_share_12m** = B2B taxable value / (B2B + B2C small) taxable value over the last 12 filed periods.
* **b2b_months_12m** = months of those 12 calendar months with at least one B2B invoice.
* **pool_buyers**, **top_buyer_share**: how many buyers the pool rests on, and the largest one's share.

Only returns with status FILED/PROCESSED and a date of filing on or before as-of count: a lender can only
verify what is on the GST portal.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from analytics.metric import metric, missing

FILED = ("FILED", "PROCESSED")
DEFAULTS = {"invoice_max_age_days": 90}
UNITS = {"invoice_pool": "INR", "pool_invoices": "count", "pool_buyers": "count", "top_buyer_share": "ratio",
         "b2b_share_12m": "ratio", "b2b_months_12m": "months", "avg_monthly_b2b_value": "INR"}


def _month(ret_prd: str) -> str:
    return f"{ret_prd[2:]}-{ret_prd[:2]}"


def _index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def _filed_gstr1(gst_returns: list[dict], as_of: date) -> dict[str, dict]:
    """Month -> the earliest filed GSTR-1 of that period, filed on or before as-of."""
    by_month: dict[str, list[dict]] = defaultdict(list)
    for r in gst_returns:
        if r.get("return_type") == "GSTR1" and r.get("status") in FILED and r.get("dof") \
                and str(r["dof"])[:10] <= as_of.isoformat():
            by_month[_month(r["ret_prd"])].append(r)
    return {m: min(rs, key=lambda r: r["dof"]) for m, rs in by_month.items()}


def _invoices(record: dict) -> list[dict]:
    out = []
    for party in record.get("b2b") or []:
        for inv in party.get("inv") or []:
            taxable = sum(float((i.get("itm_det") or {}).get("txval") or 0) for i in inv.get("itms") or [])
            out.append({"ctin": party.get("ctin"), "inum": inv.get("inum"), "idt": str(inv.get("idt"))[:10],
                        "val": float(inv.get("val") or 0), "txval": taxable})
    return out


def summarize_receivables(gst_returns: list[dict], as_of: date, config: dict) -> dict[str, Any]:
    """Body of the ``receivables_summary`` document: B2B invoice pool, B2B share and regularity.

    Why: invoice discounting lends against invoices raised on creditworthy buyers;
    its limit is an advance rate times the verifiable invoice pool.
    """
    cfg = {**DEFAULTS, **config.get("recommendations", {}).get("receivables", {})}
    filed = _filed_gstr1(gst_returns, as_of)
    if not filed:
        reason = "no GSTR-1 filed on or before the as-of date"
        return {"metrics": {k: missing(u, "from filed GSTR-1 b2b invoices", reason) for k, u in UNITS.items()},
                "monthly": [], "pool": []}
    latest = max(_index(m) for m in filed)
    window = [m for m in sorted(filed) if latest - 11 <= _index(m) <= latest]
    monthly = []
    for m in window:
        invs = _invoices(filed[m])
        b2c = sum(float(r.get("txval") or 0) for r in filed[m].get("b2cs") or [])
        monthly.append({"month": m, "b2b_invoices": len(invs), "b2b_value": round(sum(i["val"] for i in invs), 2),
                        "b2b_taxable": round(sum(i["txval"] for i in invs), 2), "b2cs_taxable": round(b2c, 2),
                        "buyers": len({i["ctin"] for i in invs})})
    start = as_of - timedelta(days=int(cfg["invoice_max_age_days"]))
    pool = sorted((i for m in filed for i in _invoices(filed[m]) if start.isoformat() <= i["idt"] < as_of.isoformat()),
                  key=lambda i: (i["idt"], i["inum"] or ""))
    pool_value = sum(i["val"] for i in pool)
    by_buyer: dict[str, float] = defaultdict(float)
    for i in pool:
        by_buyer[i["ctin"]] += i["val"]
    b2b_tx, b2c_tx = sum(r["b2b_taxable"] for r in monthly), sum(r["b2cs_taxable"] for r in monthly)
    months_with_b2b = [r["month"] for r in monthly if r["b2b_invoices"]]
    pool_formula = (f"Σ val of B2B invoices on filed GSTR-1 dated {start.isoformat()} to before {as_of.isoformat()} "
                    f"({cfg['invoice_max_age_days']} days)")
    top = max(by_buyer.items(), key=lambda kv: kv[1]) if by_buyer else None
    metrics = {
        "invoice_pool": metric(pool_value, "INR", pool_formula,
                               {"invoices": [f"{i['ctin']}/{i['inum']}" for i in pool],
                                "values": [i["val"] for i in pool]},
                               "Invoices young enough to discount; the lender verifies each (paid ones drop out)."),
        "pool_invoices": metric(len(pool), "count", "B2B invoices in the pool", {"window_start": start.isoformat()},
                                "How many invoices the pool holds."),
        "pool_buyers": metric(len(by_buyer), "count", "distinct buyer GSTINs (ctin) in the pool",
                              {"buyers": sorted(by_buyer)}, "How many buyers the pool's credit rests on."),
        "top_buyer_share": (metric(top[1] / pool_value, "ratio", "largest buyer's invoice value / invoice_pool",
                                   {"buyer": top[0], "buyer_value": top[1], "invoice_pool": pool_value},
                                   "Buyer concentration of the pool.")
                            if top and pool_value else missing("ratio", "largest buyer / invoice_pool", "empty pool")),
        "b2b_share_12m": (metric(b2b_tx / (b2b_tx + b2c_tx), "ratio", "Σ b2b txval / (Σ b2b txval + Σ b2cs txval), "
                                 "last 12 filed periods", {"b2b_taxable": b2b_tx, "b2cs_taxable": b2c_tx,
                                                           "months": [r["month"] for r in monthly]},
                                 "Share of sales billed to GST-registered businesses (discountable).")
                          if b2b_tx + b2c_tx else
                          missing("ratio", "b2b / (b2b + b2cs)", "no outward supplies on GSTR-1")),
        "b2b_months_12m": metric(len(months_with_b2b), "months",
                                 "months with >= 1 B2B invoice among the 12 calendar months ending at the latest "
                                 "filed GSTR-1", {"months": months_with_b2b, "latest_period": window[-1]},
                                 "Regular B2B invoicing; months without a filed GSTR-1 count as none."),
        "avg_monthly_b2b_value": metric(sum(r["b2b_value"] for r in monthly) / 12, "INR",
                                        "Σ b2b invoice val over the last 12 calendar months / 12",
                                        {"months": [r["month"] for r in monthly],
                                         "b2b_value": [r["b2b_value"] for r in monthly]},
                                        "Average monthly B2B billing, months without a return counted as zero."),
    }
    return {"metrics": metrics, "monthly": monthly,
            "pool": [{k: i[k] for k in ("ctin", "inum", "idt", "val")} for i in pool[-200:]]}
