"""GST analytics: the body of ``gst_summary.json`` from clean GSTR-1, GSTR-3B and GSTR-2B records.

Definitions used throughout (and repeated in each metric's formula):

* **Turnover (GSTR-3B)** = ``osup_det.txval + osup_zero.txval``: taxable outward supplies, zero-rated
  exports included, taxes excluded. Nil-rated/exempt (``osup_nil_exmp``) and non-GST (``osup_nongst``)
  supplies are left out, because GSTR-1's ``b2b``/``b2cs`` tables that we compare against do not carry
  them and they bear no output tax; the row shows them as ``other_outward_3b``.
* **Turnover (GSTR-1)** = Σ b2b item ``txval`` + Σ b2cs ``txval``.
* **Output tax** = IGST + CGST + SGST + cess of ``osup_det``; **ITC** = the same four heads of ``itc_net``.
* **Turnover incl. tax** = turnover (GSTR-3B) + output tax: what buyers pay, so it is comparable with bank
  credits. The one **GST-to-bank ratio** is Σ turnover incl. tax / Σ bank business credits over the months
  present in both; reconciliation references it rather than computing its own.
* **Late** = GSTR-3B filed after its own ``due_date`` (the record carries the staggered 20th/22nd/24th date),
  or still unfiled after it on the as-of date. One GSTR-3B per period is counted once, whatever GSTR-1 did.
  Filing is judged in the ``compliance`` block (:mod:`analytics.gst.compliance`), never as fraud.
* **ITC check** (``itc_check``, :mod:`analytics.gst.itc`): ITC claimed in GSTR-3B against ITC available in
  GSTR-2B per month; GSTR-2B feeds nothing else, so the monthly table holds GSTR-1 and GSTR-3B only.
* Every rupee metric says whether tax is included (``basis``) and every metric its ``window``.
* The 12-month windows are calendar months ending at the latest GSTR-3B period with a turnover; growth
  compares monthly *means* so a month without a return does not read as a fall in sales.

Ratios, rates and growth are fractions (0.2 = 20 %); fields named ``*_pct`` are percentages.
"""
from __future__ import annotations

import calendar
from collections import Counter, defaultdict
from datetime import date
from typing import Any

from analytics.gst.compliance import KEYS as COMPLIANCE_KEYS
from analytics.gst.compliance import assess_compliance
from analytics.gst.fraud import assess_gst_fraud
from analytics.gst.itc import check_itc
from analytics.metric import metric, missing, month_window, ratio

TAX_HEADS = ("iamt", "camt", "samt", "csamt")
FILED = ("FILED", "PROCESSED")
DEFAULTS = {"trend_stable_band_pct": 1.0, "trend_min_months": 6, "trend_deseasonalise_min_months": 24,
            "seasonality_min_months": 12}
NO_DATA = "no GST data delivered"
TURNOVER_FORMULA = "GSTR-3B osup_det.txval + osup_zero.txval (taxable outward supplies incl. zero-rated)"
EXCL, INCL = "excl. tax", "incl. tax"
RATIO_FORMULA = "Σ (turnover_3b + output_tax) / Σ bank business credits, over months present in both"


def _month_index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def _month_key(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _period_month(ret_prd: str) -> str:
    return f"{ret_prd[2:]}-{ret_prd[:2]}"


def _heads(section: dict | None) -> float:
    return sum(float((section or {}).get(k) or 0) for k in TAX_HEADS)


def _txval(section: dict | None) -> float:
    return float((section or {}).get("txval") or 0)


def _gstr1_turnover(record: dict) -> float:
    b2b = sum(_txval(item.get("itm_det")) for party in record.get("b2b") or [] for inv in party.get("inv") or []
              for item in inv.get("itms") or [])
    return b2b + sum(_txval(row) for row in record.get("b2cs") or [])


def _pick(records: list[dict]) -> dict:
    """One return per (type, period): the earliest filed copy, else whatever was delivered."""
    filed = [r for r in records if r.get("status") in FILED and r.get("dof")]
    return min(filed, key=lambda r: r["dof"]) if filed else records[0]


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def monthly_gst_rows(gst_returns: list[dict], as_of: date,
                     bank_business_credits: dict[str, float] | None = None) -> list[dict]:
    """One row per return period that began before ``as_of``, oldest first.

    Why a table of plain numbers: it is both what the dashboard charts and what
    :func:`analytics.gst.fraud.assess_gst_fraud` scans month by month; every figure
    in it is a direct sum of the return's fields (see ``MONTHLY_COLUMNS``).
    """
    grouped: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for rec in gst_returns:
        if rec.get("return_type") == "GSTR2B":
            continue
        month = _period_month(rec["ret_prd"])
        if date(int(month[:4]), int(month[5:]), 1) < as_of:
            grouped[(rec["return_type"], month)].append(rec)
    months = sorted({m for _, m in grouped})
    rows = []
    for month in months:
        g3b = _pick(grouped[("GSTR3B", month)]) if ("GSTR3B", month) in grouped else None
        g1 = _pick(grouped[("GSTR1", month)]) if ("GSTR1", month) in grouped else None
        row: dict[str, Any] = {"month": month, "ret_prd": month[5:] + month[:4], "status": None,
                               "turnover_3b": None, "other_outward_3b": None, "output_tax": None, "itc": None,
                               "itc_ratio": None, "turnover_incl_tax": None, "due_date": None, "dof": None,
                               "days_late": None, "late": None, "late_fee": None, "late_interest": None}
        if g3b is not None:
            filed = g3b.get("status") in FILED and bool(g3b.get("dof"))
            due = date.fromisoformat(g3b["due_date"])
            row.update(status=g3b.get("status"), due_date=g3b["due_date"], dof=g3b.get("dof") if filed else None)
            if filed:
                sup = g3b.get("sup_details") or {}
                out_tax, itc = _heads(sup.get("osup_det")), _heads((g3b.get("itc_elg") or {}).get("itc_net"))
                turnover = _txval(sup.get("osup_det")) + _txval(sup.get("osup_zero"))
                fees = g3b.get("intr_ltfee") or {}
                row.update(turnover_3b=_r(turnover),
                           other_outward_3b=_r(_txval(sup.get("osup_nil_exmp")) + _txval(sup.get("osup_nongst"))),
                           output_tax=_r(out_tax), itc=_r(itc), itc_ratio=_r(ratio(itc, out_tax), 4),
                           turnover_incl_tax=_r(turnover + out_tax), late_fee=_r(_heads(fees.get("ltfee_details"))),
                           late_interest=_r(_heads(fees.get("intr_details"))))
                days = (date.fromisoformat(g3b["dof"]) - due).days
                row.update(days_late=max(days, 0), late=days > 0)
            elif due < as_of:  # overdue and still not filed: late by the days elapsed so far
                row.update(days_late=(as_of - due).days, late=True)
            else:
                row.update(late=False)
        row["turnover_gstr1"] = _r(_gstr1_turnover(g1)) if g1 is not None and g1.get("status") in FILED else None
        gap = ratio(None if row["turnover_gstr1"] is None or row["turnover_3b"] is None
                    else row["turnover_gstr1"] - row["turnover_3b"], row["turnover_3b"])
        row["gstr1_vs_3b_gap_pct"] = _r(None if gap is None else gap * 100)
        if bank_business_credits is not None:
            bank = bank_business_credits.get(month)
            row["bank_business_credits"] = _r(None if bank is None else float(bank))
            row["gst_to_bank_ratio"] = _r(ratio(row["turnover_incl_tax"], row["bank_business_credits"]), 4)
        rows.append(row)
    return rows


MONTHLY_COLUMNS = {
    "turnover_3b": TURNOVER_FORMULA, "other_outward_3b": "osup_nil_exmp.txval + osup_nongst.txval (not in turnover)",
    "turnover_gstr1": "GSTR-1 Σ b2b item txval + Σ b2cs txval",
    "output_tax": "osup_det iamt + camt + samt + csamt", "itc": "itc_net iamt + camt + samt + csamt",
    "itc_ratio": "itc / output_tax", "turnover_incl_tax": "turnover_3b + output_tax (what buyers pay, tax included)",
    "days_late": "dof - due_date in days (0 if on time; as_of - due_date if unfiled)",
    "late_fee": "intr_ltfee.ltfee_details, all heads", "late_interest": "intr_ltfee.intr_details, all heads",
    "late": "days_late > 0", "gstr1_vs_3b_gap_pct": "(turnover_gstr1 - turnover_3b) / turnover_3b x 100",
    "bank_business_credits": "bank business credits of the month (bank statement analysis)",
    "gst_to_bank_ratio": "turnover_incl_tax / bank_business_credits (both incl. tax)",
}


def _series(rows: list[dict], key: str) -> list[tuple[str, float]]:
    return [(r["month"], r[key]) for r in rows if r.get(key) is not None]


def _in(series: list[tuple[str, float]], lo: int, hi: int) -> list[tuple[str, float]]:
    return [(m, v) for m, v in series if lo <= _month_index(m) <= hi]


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _turnover_metrics(rows: list[dict], s: dict) -> tuple[dict[str, dict], str | None]:
    turn = _series(rows, "turnover_3b")
    out: dict[str, dict] = {}
    if not turn:
        reason = "no filed GSTR-3B with a turnover"
        for key, unit in (("avg_monthly_turnover", "INR"), ("turnover_12m", "INR"), ("yoy_growth", "ratio"),
                          ("cagr", "ratio"), ("turnover_trend", "% of mean per month")):
            out[key] = missing(unit, TURNOVER_FORMULA, reason)
        return out, None
    first, last = _month_index(turn[0][0]), _month_index(turn[-1][0])
    last12 = _in(turn, last - 11, last)
    vals = [v for _, v in last12]
    ins = {"months": [m for m, _ in last12], "turnover": vals}
    out["avg_monthly_turnover"] = metric(_mean(vals), "INR", f"mean over the last 12 months of {TURNOVER_FORMULA}",
                                         ins, f"Average declared monthly turnover over {len(vals)} filed month(s) "
                                              f"up to {turn[-1][0]}.")
    f12 = "Σ turnover_3b over the 12 calendar months ending at the latest return"
    out["turnover_12m"] = (metric(sum(vals), "INR", f12, ins, "Declared turnover of the last 12 months.")
                           if len(vals) == 12 else
                           missing("INR", f12, f"only {len(vals)} of the last 12 months have a filed GSTR-3B", ins))
    prev12 = _in(turn, last - 23, last - 12)
    fy = "mean(last 12 months) / mean(previous 12 months) - 1"
    if last - first < 23 or not prev12:
        out["yoy_growth"] = missing("ratio", fy, f"needs 24 months of GSTR-3B, have {last - first + 1}")
    else:
        m1, m0 = _mean(vals), _mean([v for _, v in prev12])
        ins_y = {"mean_last_12m": m1, "mean_previous_12m": m0, "months_last": len(vals),
                 "months_previous": len(prev12)}
        out["yoy_growth"] = (metric(m1 / m0 - 1, "ratio", fy, ins_y, "Year-on-year growth of declared turnover "
                                                                       "(0.2 = 20%).")
                             if m0 > 0 else missing("ratio", fy, "no turnover in the previous 12 months"))
    first12 = _in(turn, first, first + 11)
    years = (last - 11 - first) / 12
    fc = "(mean(last 12 months) / mean(first 12 months)) ^ (1 / years between the windows) - 1"
    if last - first < 23:
        out["cagr"] = missing("ratio", fc, f"needs 24 months of GSTR-3B, have {last - first + 1}")
    else:
        m1, m0 = _mean(vals), _mean([v for _, v in first12])
        out["cagr"] = (metric((m1 / m0) ** (1 / years) - 1, "ratio", fc,
                              {"mean_first_12m": m0, "mean_last_12m": m1, "years": years,
                               "first_window_start": first12[0][0], "last_window_end": turn[-1][0]},
                              "Compound annual growth of declared turnover from the first to the last year.")
                       if m0 > 0 and m1 > 0 else missing("ratio", fc, "a window has no turnover"))
    out["turnover_trend"], direction = _trend(turn, s)
    start12, end = _month_key(last - 11), turn[-1][0]
    for key in ("avg_monthly_turnover", "turnover_12m"):
        out[key]["window"] = month_window(start12, end, f"last 12 calendar months of GSTR-3B, {start12} to {end}")
        out[key]["basis"] = EXCL
    out["yoy_growth"]["window"] = month_window(_month_key(last - 23), end,
                                               f"12 months to {end} against the 12 months before")
    out["cagr"]["window"] = month_window(turn[0][0], end, f"first 12 against last 12 months, {turn[0][0]} to {end}")
    out["turnover_trend"]["window"] = month_window(turn[0][0], end, f"every filed GSTR-3B, {turn[0][0]} to {end}")
    return out, direction


def _trend(turn: list[tuple[str, float]], s: dict) -> tuple[dict, str | None]:
    unit = "% of mean per month"
    deseasonalise = len(turn) >= s["trend_deseasonalise_min_months"]
    formula = ("least-squares slope of monthly turnover_3b vs month / mean turnover x 100"
               + (", on turnover divided by its calendar month's seasonality index" if deseasonalise else ""))
    if len(turn) < s["trend_min_months"]:
        return missing(unit, formula, f"needs {s['trend_min_months']} months of GSTR-3B, have {len(turn)}"), None
    xs = [_month_index(m) for m, _ in turn]
    ys = [v for _, v in turn]
    if deseasonalise:  # two years or more: a festive peak at one end of the window must not read as a trend
        index = _seasonal_factors(turn)
        ys = [v / index[int(m[5:])] if index.get(int(m[5:])) else v for m, v in turn]
    mx, my = _mean(xs), _mean(ys)
    var = sum((x - mx) ** 2 for x in xs)
    if not my or not var:
        return missing(unit, formula, "turnover is zero throughout"), None
    pct = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / var / my * 100
    band = s["trend_stable_band_pct"]
    direction = "growing" if pct > band else "declining" if pct < -band else "stable"
    return metric(pct, unit, formula, {"months": [m for m, _ in turn], "turnover_used": ys, "mean": my,
                                       "stable_band_pct": band, "deseasonalised": deseasonalise},
                  f"{direction}: the fitted line moves {pct:+.2f}% of average turnover a month "
                  f"(within ±{band}% is stable)."), direction


def _seasonal_factors(turn: list[tuple[str, float]]) -> dict[int, float]:
    """Month-of-year → mean turnover of that calendar month / overall mean (the seasonality index)."""
    overall = _mean([v for _, v in turn])
    by_moy: dict[int, list[float]] = defaultdict(list)
    for m, v in turn:
        by_moy[int(m[5:])].append(v)
    return {moy: _mean(vals) / overall for moy, vals in by_moy.items()} if overall else {}


def _return_metrics(rows: list[dict], fraud_cfg: dict) -> dict[str, dict]:
    """Returns filed, ITC against output tax, and GSTR-1 against GSTR-3B (filing punctuality is compliance)."""
    out: dict[str, dict] = {}
    filed = [r for r in rows if r["status"] in FILED and r["dof"]]
    out["returns_filed"] = metric(len(filed), "count", "GSTR-3B returns with status FILED/PROCESSED and a dof",
                                  {"ret_prds": [r["ret_prd"] for r in filed]}, "GSTR-3B returns filed.",
                                  _window(rows, "GSTR-3B periods delivered"))
    itc = _series(rows, "itc_ratio")
    threshold = fraud_cfg["itc_ratio_threshold"]
    if itc:
        out["avg_itc_ratio"] = metric(_mean([v for _, v in itc]), "ratio", "mean over months of itc_net / output tax",
                                      {"months": [m for m, _ in itc], "itc_ratio": [v for _, v in itc]},
                                      "How much of output tax is offset by input tax credit, on average.")
        above = [(m, v) for m, v in itc if v > threshold]
        out["itc_ratio_above_threshold_months"] = metric(
            len(above), "months", f"months with itc_ratio > {threshold}",
            {"months": [m for m, _ in above], "itc_ratio": [v for _, v in above], "threshold": threshold,
             "months_assessed": len(itc)},
            "Months where ITC nearly wipes out the tax payable in cash (a fake-invoice marker).")
        window = month_window(itc[0][0], itc[-1][0], f"filed GSTR-3B with output tax, {itc[0][0]} to {itc[-1][0]}")
        for key in ("avg_itc_ratio", "itc_ratio_above_threshold_months"):
            out[key]["window"] = window
    else:
        out["avg_itc_ratio"] = missing("ratio", "itc_net / output tax", "no filed GSTR-3B with output tax")
        out["itc_ratio_above_threshold_months"] = missing("months", f"months with itc_ratio > {threshold}",
                                                          "no filed GSTR-3B with output tax")
    both = [r for r in rows if r["turnover_gstr1"] is not None and r["turnover_3b"] is not None]
    fg = "(Σ turnover_gstr1 - Σ turnover_3b) / Σ turnover_3b x 100, over months with both returns"
    t1, t3 = sum(r["turnover_gstr1"] for r in both), sum(r["turnover_3b"] for r in both)
    out["gstr1_vs_3b_gap_pct"] = (
        metric((t1 - t3) / t3 * 100, "%", fg, {"months": [r["month"] for r in both], "gstr1_total": t1,
                                                "gstr3b_total": t3},
               "Positive: more sales invoiced in GSTR-1 than declared in GSTR-3B (both taxable value, excl. tax).",
               _window(both, "months with both GSTR-1 and GSTR-3B"))
        if both and t3 else missing("%", fg, "no month with both GSTR-1 and GSTR-3B turnover"))
    return out


def _window(rows: list[dict], what: str) -> dict | None:
    """The window of a figure computed over ``rows`` (oldest first), or None when there are none."""
    if not rows:
        return None
    first, last = rows[0]["month"], rows[-1]["month"]
    return month_window(first, last, f"{what}, {first} to {last}")


def _bank_metric(rows: list[dict], given: bool) -> dict:
    """The one GST-to-bank ratio (tax included on both sides); reconciliation references this figure."""
    if not given:
        return missing("ratio", RATIO_FORMULA, "no bank business credits given")
    both = [r for r in rows if r["turnover_incl_tax"] is not None and r.get("bank_business_credits") is not None]
    bank = sum(r["bank_business_credits"] for r in both)
    if not both or not bank:
        return missing("ratio", RATIO_FORMULA, "no month with both GST turnover and bank business credits")
    gst = sum(r["turnover_incl_tax"] for r in both)
    return metric(gst / bank, "ratio", RATIO_FORMULA,
                  {"months": [r["month"] for r in both], "gst_turnover_incl_tax": gst, "bank_business_credits": bank,
                   "gst_turnover_excl_tax": sum(r["turnover_3b"] for r in both)},
                  "Declared sales, tax included, against money actually received (bank credits include the tax "
                  "buyers pay): about 1 is consistent; well above 1 means declared sales the bank never saw.",
                  _window(both, "months with both GSTR-3B and bank credits"), INCL)


def _seasonality(rows: list[dict], s: dict) -> list[dict]:
    turn = _series(rows, "turnover_3b")
    formula = "mean turnover_3b in this calendar month / mean turnover_3b over all months"
    overall = _mean([v for _, v in turn])
    factors = _seasonal_factors(turn)
    out = []
    for moy in range(1, 13):
        used = [(m, v) for m, v in turn if int(m[5:]) == moy]
        entry = {"month_of_year": moy, "label": calendar.month_abbr[moy]}
        if len(turn) < s["seasonality_min_months"]:
            entry["index"] = missing("index", formula, f"needs {s['seasonality_min_months']} months of GSTR-3B, "
                                                       f"have {len(turn)}")
        elif not used or not overall:
            entry["index"] = missing("index", formula, f"no GSTR-3B turnover for {calendar.month_name[moy]}")
        else:
            mean = _mean([v for _, v in used])
            entry["index"] = metric(factors[moy], "index", formula,
                                    {"months": [m for m, _ in used], "turnover": [v for _, v in used],
                                     "month_mean": mean, "overall_mean": overall},
                                    f"1.0 is an average month; {calendar.month_name[moy]} runs at "
                                    f"{factors[moy]:.2f}x.")
        out.append(entry)
    return out


def summarize_gst(gst_returns: list[dict], as_of: date, config: dict,
                  bank_business_credits: dict[str, float] | None = None,
                  circular_flows: list[dict] | None = None) -> dict:
    """The body of ``gst_summary.json``: metrics, monthly table, seasonality, fraud indicators and compliance.

    Why: GST returns are what the borrower declared to the tax authority; a lender reads size and growth
    from them, compliance from filing dates (a ``compliance`` block with its grade and reasons), and fraud
    from ITC, GST-vs-bank gaps, ITC claimed above GSTR-2B (``itc_check``) and circular flows
    (``fraud_indicators``; late filing is never one).
    ``bank_business_credits`` (``YYYY-MM`` → amount) and ``circular_flows`` come from the bank analysis.
    """
    settings = {**DEFAULTS, **config["analytics"].get("gst", {})}
    fraud_cfg = config["analytics"]["gst_fraud"]
    rows = monthly_gst_rows(gst_returns, as_of, bank_business_credits)
    gstins = Counter(r.get("gstin") for r in gst_returns if r.get("gstin"))
    itc_check = check_itc(gst_returns, as_of, config)
    fraud = assess_gst_fraud(rows, circular_flows, config, itc_check)
    if not rows:
        units = {"avg_monthly_turnover": "INR", "turnover_12m": "INR", "yoy_growth": "ratio", "cagr": "ratio",
                 "returns_filed": "count", "late_filings": "count", "avg_days_late": "days", "max_days_late": "days",
                 "filing_punctuality": "ratio", "avg_itc_ratio": "ratio", "itc_ratio_above_threshold_months": "months",
                 "gstr1_vs_3b_gap_pct": "%", "gst_to_bank_ratio": "ratio", "turnover_trend": "% of mean per month",
                 "unfiled_periods": "count", "late_fees_paid": "INR", "late_interest_paid": "INR"}
        metrics = {k: missing(u, "see data dictionary: gst_returns", NO_DATA) for k, u in units.items()}
        compliance = {"grade": None, "reasons": [], "metrics": {k: metrics[k] for k in COMPLIANCE_KEYS},
                      "rules": [], "window": None}
        return {"metrics": metrics, "monthly": [], "monthly_columns": MONTHLY_COLUMNS, "seasonality_index": [],
                "trend_direction": None, "fraud_indicators": fraud, "compliance": compliance, "itc_check": itc_check,
                "gstin": None}
    metrics, direction = _turnover_metrics(rows, settings)
    metrics.update(_return_metrics(rows, fraud_cfg))
    compliance = assess_compliance(rows, config)
    metrics.update(compliance["metrics"])  # the same objects: one figure, shown in both places
    metrics["gst_to_bank_ratio"] = _bank_metric(rows, bank_business_credits is not None)
    return {"metrics": metrics, "monthly": rows, "monthly_columns": MONTHLY_COLUMNS,
            "seasonality_index": _seasonality(rows, settings), "trend_direction": direction,
            "fraud_indicators": fraud, "compliance": compliance, "itc_check": itc_check,
            "gstin": gstins.most_common(1)[0][0] if gstins else None}
