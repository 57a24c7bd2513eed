"""GST analytics: the body of ``gst_summary.json`` from clean GSTR-1 and GSTR-3B records.

Definitions used throughout (and repeated in each metric's formula):

* **Turnover (GSTR-3B)** = ``osup_det.txval + osup_zero.txval``: taxable outward supplies, zero-rated
  exports included, taxes excluded. Nil-rated/exempt (``osup_nil_exmp``) and non-GST (``osup_nongst``)
  supplies are left out, because GSTR-1's ``b2b``/``b2cs`` tables that we compare against do not carry
  them and they bear no output tax; the row shows them as ``other_outward_3b``.
* **Turnover (GSTR-1)** = Σ b2b item ``txval`` + Σ b2cs ``txval``.
* **Output tax** = IGST + CGST + SGST + cess of ``osup_det``; **ITC** = the same four heads of ``itc_net``.
* **Late** = GSTR-3B filed after its own ``due_date`` (the record carries the staggered 20th/22nd/24th date),
  or still unfiled after it on the as-of date. One GSTR-3B per period is counted once, whatever GSTR-1 did.
* The 12-month windows are calendar months ending at the latest GSTR-3B period with a turnover; growth
  compares monthly *means* so a month without a return does not read as a fall in sales.

Ratios, rates and growth are fractions (0.2 = 20 %); fields named ``*_pct`` are percentages.
"""
from __future__ import annotations

import calendar
from collections import Counter, defaultdict
from datetime import date
from typing import Any

from analytics.gst.fraud import assess_gst_fraud
from analytics.metric import metric, missing, ratio

TAX_HEADS = ("iamt", "camt", "samt", "csamt")
FILED = ("FILED", "PROCESSED")
DEFAULTS = {"trend_stable_band_pct": 1.0, "trend_min_months": 6, "trend_deseasonalise_min_months": 24,
            "seasonality_min_months": 12}
NO_DATA = "no GST data delivered"
TURNOVER_FORMULA = "GSTR-3B osup_det.txval + osup_zero.txval (taxable outward supplies incl. zero-rated)"


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
                               "itc_ratio": None, "due_date": None, "dof": None, "days_late": None, "late": None}
        if g3b is not None:
            filed = g3b.get("status") in FILED and bool(g3b.get("dof"))
            due = date.fromisoformat(g3b["due_date"])
            row.update(status=g3b.get("status"), due_date=g3b["due_date"], dof=g3b.get("dof") if filed else None)
            if filed:
                sup = g3b.get("sup_details") or {}
                out_tax, itc = _heads(sup.get("osup_det")), _heads((g3b.get("itc_elg") or {}).get("itc_net"))
                row.update(turnover_3b=_r(_txval(sup.get("osup_det")) + _txval(sup.get("osup_zero"))),
                           other_outward_3b=_r(_txval(sup.get("osup_nil_exmp")) + _txval(sup.get("osup_nongst"))),
                           output_tax=_r(out_tax), itc=_r(itc), itc_ratio=_r(ratio(itc, out_tax), 4))
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
            row["gst_to_bank_ratio"] = _r(ratio(row["turnover_3b"], row["bank_business_credits"]), 4)
        rows.append(row)
    return rows


MONTHLY_COLUMNS = {
    "turnover_3b": TURNOVER_FORMULA, "other_outward_3b": "osup_nil_exmp.txval + osup_nongst.txval (not in turnover)",
    "turnover_gstr1": "GSTR-1 Σ b2b item txval + Σ b2cs txval",
    "output_tax": "osup_det iamt + camt + samt + csamt", "itc": "itc_net iamt + camt + samt + csamt",
    "itc_ratio": "itc / output_tax", "days_late": "dof - due_date in days (0 if on time; as_of - due_date if unfiled)",
    "late": "days_late > 0", "gstr1_vs_3b_gap_pct": "(turnover_gstr1 - turnover_3b) / turnover_3b x 100",
    "bank_business_credits": "bank business credits of the month (bank statement analysis)",
    "gst_to_bank_ratio": "turnover_3b / bank_business_credits",
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


def _filing_metrics(rows: list[dict], s: dict, fraud_cfg: dict) -> dict[str, dict]:
    out: dict[str, dict] = {}
    due = [r for r in rows if r["days_late"] is not None]
    filed = [r for r in rows if r["status"] in FILED and r["dof"]]
    late = [r for r in due if r["late"]]
    out["returns_filed"] = metric(len(filed), "count", "GSTR-3B returns with status FILED/PROCESSED and a dof",
                                  {"ret_prds": [r["ret_prd"] for r in filed]}, "GSTR-3B returns filed.")
    if not due:
        for key, unit in (("late_filings", "count"), ("avg_days_late", "days"), ("max_days_late", "days"),
                          ("filing_punctuality", "ratio")):
            out[key] = missing(unit, "over GSTR-3B returns filed or past due", "no GSTR-3B filed or past due")
    else:
        days = [r["days_late"] for r in due]
        ids = [r["ret_prd"] for r in due]
        out["late_filings"] = metric(len(late), "count", "GSTR-3B filed after due_date, or unfiled past it",
                                     {"ret_prds": [r["ret_prd"] for r in late],
                                      "days_late": [r["days_late"] for r in late]},
                                     "Late GSTR-3B returns, one per return period.")
        out["avg_days_late"] = metric(_mean(days), "days", "mean of days_late over GSTR-3B filed or past due "
                                      "(0 for on-time returns)", {"ret_prds": ids, "days_late": days},
                                      "Average filing delay across all due returns.")
        out["max_days_late"] = metric(max(days), "days", "max of days_late", {"ret_prds": ids, "days_late": days},
                                      "Longest filing delay.")
        out["filing_punctuality"] = metric((len(due) - len(late)) / len(due), "ratio",
                                           "GSTR-3B on time / GSTR-3B filed or past due",
                                           {"on_time": len(due) - len(late), "due": len(due)},
                                           "Share of GSTR-3B returns filed by their due date.")
    itc = _series(rows, "itc_ratio")
    threshold = fraud_cfg["itc_ratio_threshold"]
    if itc:
        out["avg_itc_ratio"] = metric(_mean([v for _, v in itc]), "ratio", "mean over months of itc_net / output tax",
                                      {"months": [m for m, _ in itc], "itc_ratio": [v for _, v in itc]},
                                      "How much of output tax is offset by input tax credit, on average.")
        above = [(m, v) for m, v in itc if v > threshold]
        out["itc_ratio_above_threshold_months"] = metric(
            len(above), "months", f"months with itc_ratio > {threshold}",
            {"months": [m for m, _ in above], "itc_ratio": [v for _, v in above], "threshold": threshold},
            "Months where ITC nearly wipes out the tax payable in cash (a fake-invoice marker).")
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
               "Positive: more sales invoiced in GSTR-1 than declared in GSTR-3B.")
        if both and t3 else missing("%", fg, "no month with both GSTR-1 and GSTR-3B turnover"))
    return out


def _bank_metric(rows: list[dict], given: bool) -> dict:
    formula = "Σ turnover_3b / Σ bank business credits, over months present in both"
    if not given:
        return missing("ratio", formula, "no bank business credits given")
    both = [r for r in rows if r["turnover_3b"] is not None and r.get("bank_business_credits") is not None]
    bank = sum(r["bank_business_credits"] for r in both)
    if not both or not bank:
        return missing("ratio", formula, "no month with both GST turnover and bank business credits")
    gst = sum(r["turnover_3b"] for r in both)
    return metric(gst / bank, "ratio", formula, {"months": [r["month"] for r in both], "gst_turnover": gst,
                                                 "bank_business_credits": bank},
                  "Declared turnover against money actually received; well above 1 means sales the bank never saw.")


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
    """The body of ``gst_summary.json``: metrics, monthly table, seasonality and fraud indicators.

    Why: GST returns are what the borrower declared to the tax authority; a lender reads size and growth
    from them, compliance from filing dates, and fraud from ITC, GSTR-1/3B and GST-vs-bank gaps.
    ``bank_business_credits`` (``YYYY-MM`` → amount) and ``circular_flows`` come from the bank analysis.
    """
    settings = {**DEFAULTS, **config["analytics"].get("gst", {})}
    fraud_cfg = config["analytics"]["gst_fraud"]
    rows = monthly_gst_rows(gst_returns, as_of, bank_business_credits)
    gstins = Counter(r.get("gstin") for r in gst_returns if r.get("gstin"))
    fraud = assess_gst_fraud(rows, circular_flows, config)
    if not rows:
        units = {"avg_monthly_turnover": "INR", "turnover_12m": "INR", "yoy_growth": "ratio", "cagr": "ratio",
                 "returns_filed": "count", "late_filings": "count", "avg_days_late": "days", "max_days_late": "days",
                 "filing_punctuality": "ratio", "avg_itc_ratio": "ratio", "itc_ratio_above_threshold_months": "months",
                 "gstr1_vs_3b_gap_pct": "%", "gst_to_bank_ratio": "ratio", "turnover_trend": "% of mean per month"}
        metrics = {k: missing(u, "see data dictionary: gst_returns", NO_DATA) for k, u in units.items()}
        return {"metrics": metrics, "monthly": [], "monthly_columns": MONTHLY_COLUMNS, "seasonality_index": [],
                "trend_direction": None, "fraud_indicators": fraud, "gstin": None}
    metrics, direction = _turnover_metrics(rows, settings)
    metrics.update(_filing_metrics(rows, settings, fraud_cfg))
    metrics["gst_to_bank_ratio"] = _bank_metric(rows, bank_business_credits is not None)
    return {"metrics": metrics, "monthly": rows, "monthly_columns": MONTHLY_COLUMNS,
            "seasonality_index": _seasonality(rows, settings), "trend_direction": direction,
            "fraud_indicators": fraud, "gstin": gstins.most_common(1)[0][0] if gstins else None}
