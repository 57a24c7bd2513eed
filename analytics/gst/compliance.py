"""GST compliance: does the borrower file its GSTR-3B on time, and what has lateness cost it?

Late filing is a compliance signal, not a fraud marker: a business short of cash files late and pays the
late fee and 18 % interest; that is a governance and liquidity concern a lender weighs, never evidence that
sales are fictitious. :func:`assess_compliance` returns the ``compliance`` block of ``gst_summary.json``:

* ``metrics``: ``filing_punctuality``, ``late_filings``, ``avg_days_late``, ``max_days_late``,
  ``unfiled_periods``, ``late_fees_paid`` and ``late_interest_paid``, each a metric with its window;
* ``grade`` GOOD / FAIR / POOR (None when no GSTR-3B was due), from ``config["analytics"]["gst_compliance"]``:
  GOOD when every ``good`` bound holds, FAIR when every ``fair`` bound holds, POOR otherwise;
* ``reasons``: one sentence per bound of the GOOD grade the borrower misses (the compliance reason a credit
  officer reads), and ``rules``: the grading policy as text.

Definitions: a period is *due* when its GSTR-3B due date has passed on the as-of date; *late* when filed after
its due date or still unfiled past it (one GSTR-3B per period, whatever GSTR-1 did); *unfiled* when past due
with no filed return, or a month with no return at all between the first and the last period delivered.
Late fees and interest are what the filed returns declare in ``intr_ltfee`` (all four tax heads).
"""
from __future__ import annotations

from typing import Any

from analytics.metric import metric, missing, month_window

DEFAULTS = {"good": {"min_punctuality": 0.85, "max_avg_days_late": 3.0, "max_unfiled": 0},
            "fair": {"min_punctuality": 0.75, "max_avg_days_late": 10.0, "max_unfiled": 1}}
GRADES = ("GOOD", "FAIR", "POOR")
KEYS = ("filing_punctuality", "late_filings", "avg_days_late", "max_days_late", "unfiled_periods",
        "late_fees_paid", "late_interest_paid")
UNITS = {"filing_punctuality": "ratio", "late_filings": "count", "avg_days_late": "days", "max_days_late": "days",
         "unfiled_periods": "count", "late_fees_paid": "INR", "late_interest_paid": "INR"}
PAID_BASIS = "paid to the government: a fee, not a supply value"


def _index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def _key(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _gap_months(rows: list[dict]) -> list[str]:
    """Months between the first and last period delivered with no GSTR-3B record at all."""
    present = {r["month"] for r in rows if r.get("due_date")}
    if not present:
        return []
    lo, hi = _index(min(present)), _index(max(present))
    return [_key(i) for i in range(lo, hi + 1) if _key(i) not in present]


def grade_compliance(values: dict[str, float | None], rules: dict) -> tuple[str | None, list[str]]:
    """GOOD / FAIR / POOR from punctuality, average days late and unfiled periods, and the reasons.

    Why the three: punctuality says how often, days late how badly, unfiled periods whether the business
    has stopped filing at all (a GSTIN can be cancelled for it).
    """
    punctuality, days, unfiled = (values.get(k) for k in ("filing_punctuality", "avg_days_late", "unfiled_periods"))
    if punctuality is None:
        return None, []

    def misses(level: str) -> list[str]:
        bounds, out = rules[level], []
        if punctuality < bounds["min_punctuality"]:
            out.append(f"GSTR-3B filed on time in {punctuality:.0%} of due periods "
                       f"(below {bounds['min_punctuality']:.0%})")
        if days is not None and days > bounds["max_avg_days_late"]:
            out.append(f"returns are {days:.1f} days late on average (above {bounds['max_avg_days_late']:g})")
        if (unfiled or 0) > bounds["max_unfiled"]:
            out.append(f"{unfiled:.0f} GSTR-3B period(s) unfiled (allowed {bounds['max_unfiled']})")
        return out

    reasons = misses("good")
    if not reasons:
        return "GOOD", []
    return ("FAIR" if not misses("fair") else "POOR"), reasons


def _rules_text(rules: dict) -> list[str]:
    return [f"{level.upper()}: on-time share >= {rules[level]['min_punctuality']:.0%}, average days late <= "
            f"{rules[level]['max_avg_days_late']:g}, unfiled periods <= {rules[level]['max_unfiled']}"
            for level in ("good", "fair")] + ["POOR: otherwise. Late filing is a compliance signal and is never "
                                              "counted as a fraud indicator."]


def assess_compliance(rows: list[dict], config: dict) -> dict[str, Any]:
    """The ``compliance`` block of ``gst_summary.json`` from the monthly GST rows (see the module docstring)."""
    rules = {**DEFAULTS, **(config.get("analytics", {}).get("gst_compliance") or {})}
    due = [r for r in rows if r.get("days_late") is not None]
    late = [r for r in due if r["late"]]
    filed = [r for r in due if r.get("dof")]
    unfiled = [r["month"] for r in due if not r.get("dof")] + _gap_months(rows)
    window = (month_window(due[0]["month"], due[-1]["month"],
                          f"GSTR-3B periods due {due[0]['month']} to {due[-1]['month']}") if due else None)
    out: dict[str, dict] = {}
    if not due:
        for key in KEYS:
            out[key] = missing(UNITS[key], "over GSTR-3B returns filed or past due", "no GSTR-3B filed or past due")
    else:
        days = [r["days_late"] for r in due]
        ids = [r["ret_prd"] for r in due]
        out["filing_punctuality"] = metric((len(due) - len(late)) / len(due), "ratio",
                                           "GSTR-3B on time / GSTR-3B filed or past due",
                                           {"on_time": len(due) - len(late), "due": len(due)},
                                           "Share of GSTR-3B returns filed by their due date.", window)
        out["late_filings"] = metric(len(late), "count", "GSTR-3B filed after due_date, or unfiled past it",
                                     {"ret_prds": [r["ret_prd"] for r in late],
                                      "days_late": [r["days_late"] for r in late]},
                                     "Late GSTR-3B returns, one per return period.", window)
        out["avg_days_late"] = metric(sum(days) / len(days), "days", "mean of days_late over GSTR-3B filed or past "
                                      "due (0 for on-time returns)", {"ret_prds": ids, "days_late": days},
                                      "Average filing delay across all due returns.", window)
        out["max_days_late"] = metric(max(days), "days", "max of days_late", {"ret_prds": ids, "days_late": days},
                                      "Longest filing delay.", window)
        out["unfiled_periods"] = metric(len(unfiled), "count", "GSTR-3B periods past due with no filed return, plus "
                                        "months with no return between the first and last period delivered",
                                        {"months": sorted(unfiled)},
                                        "Periods the business has not filed at all; persistent non-filing can get "
                                        "a GSTIN cancelled.", window)
        fees = [float(r.get("late_fee") or 0) for r in filed]
        interest = [float(r.get("late_interest") or 0) for r in filed]
        months = [r["month"] for r in filed]
        out["late_fees_paid"] = metric(sum(fees), "INR", "Σ intr_ltfee.ltfee_details (all heads) of filed GSTR-3B",
                                       {"months": months, "late_fee": fees},
                                       "Late fees the borrower paid for filing late.", window, PAID_BASIS)
        out["late_interest_paid"] = metric(sum(interest), "INR",
                                           "Σ intr_ltfee.intr_details (all heads) of filed GSTR-3B",
                                           {"months": months, "interest": interest},
                                           "Interest paid on tax paid late (18% a year).", window, PAID_BASIS)
    grade, reasons = grade_compliance({k: out[k]["value"] for k in KEYS}, rules)
    return {"grade": grade, "reasons": reasons, "metrics": out, "rules": _rules_text(rules),
            "window": window}
