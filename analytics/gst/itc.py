"""ITC claimed in GSTR-3B against ITC available in GSTR-2B, month by month: ``gst_summary.itc_check``.

GSTR-2B is GSTN's auto-drafted statement of the input tax credit the taxpayer's suppliers have reported; since
2022 (section 16(2)(aa), rule 36(4)) a taxpayer may claim only what it shows. ITC claimed well above it is the
classic excess-ITC red flag: credit taken on invoices no supplier reported, often bought from bogus-invoice
rings. Definitions (repeated in the metric's formula):

* **claimed** = GSTR-3B ``itc_elg.itc_avl`` rows IMPG + IMPS + ISD + OTH (table 4A(1), (2), (4), (5)), all four
  heads. ISRC (4A(3), reverse charge) is left out: the taxpayer self-assesses it, no supplier's filing backs it;
* **available** = GSTR-2B ``itcsumm.itcavl`` nonrevsup + isdsup + imports, all four heads (``itcunavl`` is ITC
  the statement itself says may not be taken);
* **excess** = claimed - available; **excess ratio** = excess / available;
* a month is **flagged** when excess ratio > ``min_excess_ratio`` (0.10) *and* excess > ``min_excess_inr``
  (Rs 10,000), from ``config["analytics"]["gst_itc"]``: suppliers reporting an invoice a month late make honest
  months differ by a few percent, and a tiny business's 20 % can be a few hundred rupees.

A month needs a filed GSTR-3B and a GSTR-2B of the same period. With no GSTR-2B at all (data imported without
it) the check is missing with its reason, never a reassuring zero. Record ids are the natural key of a return,
``<gstin>:<return_type>:<ret_prd>``.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from analytics.metric import metric, missing, month_window

DEFAULTS = {"min_excess_ratio": 0.10, "min_excess_inr": 10_000.0}
CLAIM_TYPES = ("IMPG", "IMPS", "ISD", "OTH")
AVAILABLE = ("nonrevsup", "isdsup", "imports")
HEADS_3B = ("iamt", "camt", "samt", "csamt")
HEADS_2B = ("igst", "cgst", "sgst", "cess")
FILED = ("FILED", "PROCESSED")
FORMULA = ("per month: excess = claimed - available, claimed = GSTR-3B itc_avl IMPG+IMPS+ISD+OTH, available = "
           "GSTR-2B itcsumm.itcavl nonrevsup+isdsup+imports (IGST+CGST+SGST+cess); count of months with "
           "excess / available > {ratio} and excess > Rs {inr:,.0f}")


def record_id(record: dict) -> str:
    """The id of a GST return in the lake: its natural key ``<gstin>:<return_type>:<ret_prd>``."""
    return f"{record.get('gstin')}:{record.get('return_type')}:{record.get('ret_prd')}"


def itc_claimed(gstr3b: dict) -> float:
    """ITC a GSTR-3B claims that suppliers' filings should back (module doc: *claimed*)."""
    rows = (gstr3b.get("itc_elg") or {}).get("itc_avl") or []
    return sum(float(row.get(h) or 0) for row in rows if row.get("ty") in CLAIM_TYPES for h in HEADS_3B)


def itc_available(gstr2b: dict) -> float:
    """ITC a GSTR-2B makes available (module doc: *available*)."""
    avl = (gstr2b.get("itcsumm") or {}).get("itcavl") or {}
    return sum(float((avl.get(s) or {}).get(h) or 0) for s in AVAILABLE for h in HEADS_2B)


def _month(ret_prd: str) -> str:
    return f"{ret_prd[2:]}-{ret_prd[:2]}"


def itc_months(gst_returns: list[dict], as_of: date) -> tuple[list[dict], list[str], bool]:
    """Per period with a filed GSTR-3B and a GSTR-2B: claimed, available, excess, ratio and both record ids.

    Returns (rows oldest first, months with a filed GSTR-3B but no GSTR-2B, whether any GSTR-2B was seen).
    One GSTR-3B per period: the earliest filed copy, as the rest of ``gst_summary`` reads it.
    """
    g3b: dict[str, dict] = {}
    g2b: dict[str, dict] = {}
    for rec in gst_returns:
        month = _month(rec["ret_prd"])
        if date(int(month[:4]), int(month[5:]), 1) >= as_of:
            continue
        if rec.get("return_type") == "GSTR2B":
            g2b.setdefault(month, rec)
        elif rec.get("return_type") == "GSTR3B" and rec.get("status") in FILED and rec.get("dof"):
            if month not in g3b or rec["dof"] < g3b[month]["dof"]:
                g3b[month] = rec
    rows = []
    for month in sorted(set(g3b) & set(g2b)):
        claimed, available = round(itc_claimed(g3b[month]), 2), round(itc_available(g2b[month]), 2)
        excess = round(claimed - available, 2)
        rows.append({"month": month, "ret_prd": g3b[month]["ret_prd"], "claimed": claimed, "available": available,
                     "excess": excess, "excess_ratio": round(excess / available, 4) if available else None,
                     "gstr3b_id": record_id(g3b[month]), "gstr2b_id": record_id(g2b[month])})
    return rows, sorted(set(g3b) - set(g2b)), bool(g2b)


def _flagged(row: dict, cfg: dict) -> bool:
    if row["excess"] <= cfg["min_excess_inr"]:
        return False
    return row["excess_ratio"] is None or row["excess_ratio"] > cfg["min_excess_ratio"]


def check_itc(gst_returns: list[dict], as_of: date, config: dict) -> dict[str, Any]:
    """``itc_check``: how many months claim ITC in GSTR-3B well above what GSTR-2B makes available.

    Why: excess ITC is tax not paid in cash on purchases no supplier reported, a fraud marker independent of
    the ITC-to-output-tax ratio; a lender reads which months, on what figures, behind which returns. The value
    is the count of flagged months; ``inputs`` lists each flagged month's claimed, available, excess and ratio
    (parallel lists) and the ids of the returns behind them, so the dashboard shows the evidence. Missing (value
    None, with the reason) when no GSTR-2B exists.
    """
    cfg = {**DEFAULTS, **((config.get("analytics") or {}).get("gst_itc") or {})}
    formula = FORMULA.format(ratio=cfg["min_excess_ratio"], inr=cfg["min_excess_inr"])
    rows, without_2b, any_2b = itc_months(gst_returns, as_of)
    thresholds = {"min_excess_ratio": cfg["min_excess_ratio"], "min_excess_inr": cfg["min_excess_inr"]}
    if not rows:
        reason = ("no GSTR-2B delivered: ITC available from suppliers' filings is unknown, so ITC claimed cannot "
                  "be checked" if not any_2b else "no period has both a filed GSTR-3B and a GSTR-2B")
        return missing("months", formula, reason, {**thresholds, "months_without_gstr2b": without_2b})
    flagged = [r for r in rows if _flagged(r, cfg)]
    ids = [i for r in flagged for i in (r["gstr3b_id"], r["gstr2b_id"])]
    claimed, available = sum(r["claimed"] for r in rows), sum(r["available"] for r in rows)
    explanation = (f"{len(flagged)} of {len(rows)} months claim ITC in GSTR-3B more than "
                   f"{cfg['min_excess_ratio']:.0%} (and Rs {cfg['min_excess_inr']:,.0f}) above what suppliers "
                   f"reported in GSTR-2B" + (": credit taken on invoices no supplier reported." if flagged else "."))
    inputs = {"months": [r["month"] for r in flagged], "claimed": [r["claimed"] for r in flagged],
              "available": [r["available"] for r in flagged], "excess": [r["excess"] for r in flagged],
              "excess_ratio": [r["excess_ratio"] for r in flagged], "record_ids": ids, "months_assessed": len(rows),
              "total_claimed": round(claimed, 2), "total_available": round(available, 2),
              "months_without_gstr2b": without_2b, **thresholds}
    first, last = rows[0]["month"], rows[-1]["month"]
    return metric(len(flagged), "months", formula, inputs, explanation,
                  month_window(first, last, f"months with a filed GSTR-3B and a GSTR-2B, {first} to {last}"))
