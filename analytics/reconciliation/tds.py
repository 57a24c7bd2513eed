"""TDS inferred from amounts, and GSTR-1 credit notes: the two reasons a buyer pays less than an invoice's value.

A buyer deducting TDS pays ``value - rate x taxable`` (194Q: 0.1%; 194C: 1% / 2%; 194J: 2% / 10%; ...).
The rate is not looked up in a list but inferred: ``rate = (value - credit) / taxable`` is accepted when it
lies in ``tds_rate_range`` and, rounded to ``tds_rate_step`` (0.05%), explains the credit to within
``amount_exact_abs`` rupees (plus half a rupee per further invoice, each rounded on its own). A buyer
withholds at one section's rate, so a rate seen on at least ``name_min_votes`` of a buyer's payments
becomes that buyer's rate, and from then on only that rate (or none) is accepted for it.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analytics.reconciliation.match import _day

TDS_DEFAULTS: dict[str, Any] = {"tds_rate_range": [0.0005, 0.10], "tds_rate_step": 0.0005}


def clean_rate(value: float, taxable: float, got: float, n: int, p: dict) -> float | None:
    """The TDS rate that explains ``got`` as ``value`` less TDS on ``taxable`` (0.0 when paid in full), else None.

    ``n`` is how many invoices the amounts add up (each rounded its own TDS, so the tolerance widens).
    """
    tol = p["amount_exact_abs"] + 0.5 * (n - 1)
    if abs(value - got) <= tol:
        return 0.0
    if not taxable or taxable <= 0 or got > value:
        return None
    step, (lo, hi) = p["tds_rate_step"], p["tds_rate_range"]
    rate = round(float(round((value - got) / taxable / step) * step), 6)
    if rate < lo - 1e-9 or rate > hi + 1e-9:
        return None
    return rate if abs(value - taxable * rate - got) <= tol else None


def clean_rates(value: np.ndarray, taxable: np.ndarray, got: np.ndarray, p: dict) -> np.ndarray:
    """:func:`clean_rate` of many single-invoice pairs at once; NaN where no rate explains the credit."""
    tol, step, (lo, hi) = p["amount_exact_abs"], p["tds_rate_step"], p["tds_rate_range"]
    safe = np.where(taxable > 0, taxable, np.nan)
    rate = np.round(np.round((value - got) / safe / step) * step, 6)
    ok = (rate >= lo - 1e-9) & (rate <= hi + 1e-9) & (np.abs(value - safe * rate - got) <= tol)
    out = np.where(ok, rate, np.nan)
    return np.where(np.abs(value - got) <= tol, 0.0, out)


def buyer_rates(ctins: np.ndarray, rates: np.ndarray, p: dict) -> dict[str, float]:
    """GSTIN -> the TDS rate (0.0 for none) a clear majority of its explained payments show."""
    frame = pd.DataFrame({"ctin": ctins, "rate": rates}).dropna()
    out: dict[str, float] = {}
    for ctin, group in frame.groupby("ctin", sort=True):
        votes = group["rate"].value_counts()
        rate, count = float(votes.index[0]), int(votes.iloc[0])
        if count >= p["name_min_votes"] and count / len(group) >= p["name_min_share"]:
            out[str(ctin)] = rate
    return out


def credit_notes(gst_returns: list[dict]) -> pd.DataFrame:
    """One row per GSTR-1 credit note to a registered buyer (``cdnr[].nt[]`` with ``ntty`` C), first filed copy."""
    rows, seen = [], set()
    for rec in sorted((r for r in gst_returns if r.get("return_type") == "GSTR1"), key=lambda r: r.get("dof") or ""):
        for party in rec.get("cdnr") or []:
            ctin = str(party.get("ctin") or "")
            for nt in party.get("nt") or []:
                num, day = str(nt.get("nt_num") or ""), _day(nt.get("nt_dt"))
                if nt.get("ntty", "C") != "C" or (ctin, num) in seen or day is None or nt.get("val") is None:
                    continue
                seen.add((ctin, num))
                taxable = sum(float((i.get("itm_det") or {}).get("txval") or 0.0) for i in nt.get("itms") or [])
                rows.append((ctin, num, day, float(nt["val"]), taxable))
    frame = pd.DataFrame(rows, columns=["ctin", "nt_num", "date", "val", "taxable"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame
