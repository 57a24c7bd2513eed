"""Bureau analytics: the body of ``credit_summary.json`` from clean bureau segments.

Conventions (also written into each metric's formula):

* Only the latest report (``reportDate`` on or before as-of, then ``reportId``) is read, so two pulls of
  the same bureau never double-count a tradeline.
* Payment history: 3 characters a month, newest first, the first entry being the month of
  ``paymentHistoryStartDate``. A DPD number counts as itself; asset classes count as DPD equivalents
  (``asset_class_dpd``: STD 0, SMA 30, SUB 90, DBT 180, LSS 360 — SMA is "special mention", overdue up to
  90 days, taken at the 30+ threshold it certainly crosses; SUB/DBT/LSS follow RBI's NPA ageing: NPA
  after 90 days, doubtful after a year as substandard, loss beyond); ``XXX`` (not reported) is ignored.
* A window of N months holds the as-of month and the N calendar months before it; months after the
  as-of month are ignored. Events (30+/60+/90+) are month-entries in the 24-month window; the buckets
  nest (a 90-DPD month is also a 30+ and a 60+ event).
* Enquiry windows are dates in ``(as_of - window, as_of]`` (30 days; 3, 6, 12 calendar months).
* Every metric carries its ``window``: DPD figures and enquiries their own window; the score, flags and
  exposure the date of the report they are read from.
* Guarantor tradelines are someone else's debt: they stay in the DPD history and the table but not in
  EMI burden, outstanding, overdue or utilisation.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from analytics.metric import metric, missing, month_window, with_window

DEFAULTS = {"asset_class_dpd": {"STD": 0, "SMA": 30, "SUB": 90, "DBT": 180, "LSS": 360}}
REVOLVING = ("CREDIT_CARD", "OVERDRAFT", "CASH_CREDIT")
WRITTEN_OFF = ("WRITTEN_OFF", "POST_WO_SETTLED")
SETTLED = ("SETTLED", "POST_WO_SETTLED")
DPD_WINDOWS = (3, 6, 12, 24)
NO_DATA = "no credit bureau data delivered"


def _midx(d: date) -> int:
    return d.year * 12 + d.month - 1


def _mkey(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_before(as_of: date, months: int) -> date:
    """``as_of`` moved back by whole calendar months, day clamped to the month's end."""
    idx = _midx(as_of) - months
    year, month = idx // 12, idx % 12 + 1
    for day in (as_of.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise ValueError(as_of)


def parse_payment_history(history: str, start: str, asset_class_dpd: dict[str, int]) -> list[dict]:
    """The DPD grid of one tradeline, newest first: ``[{month, code, dpd}]`` (``dpd`` None for ``XXX``).

    Why: the bureau string is unreadable to a person and ambiguous to a program; one parser gives
    both the dashboard grid and the DPD windows.
    """
    first = _midx(date.fromisoformat(start[:10]))
    grid = []
    for i in range(len(history) // 3):
        code = history[3 * i:3 * i + 3]
        dpd = int(code) if code.isdigit() else asset_class_dpd.get(code)
        grid.append({"month": _mkey(first - i), "code": code, "dpd": dpd})
    return grid


def _latest_report(segments: list[dict], as_of: date) -> list[dict]:
    dated = [s for s in segments if s.get("reportDate", "") <= as_of.isoformat()]
    if not dated:
        return []
    latest = max((s["reportDate"], s["reportId"]) for s in dated)
    return [s for s in dated if (s["reportDate"], s["reportId"]) == latest]


def _tid(t: dict) -> str:
    return f"{t.get('lender')}:{t['accountNumber']}"


def _events(grids: dict[str, list[dict]], as_of: date, window: int) -> list[tuple[str, str, int]]:
    """(tradeline, month, dpd) for reported months inside the window."""
    top = _midx(as_of)
    return [(tid, g["month"], g["dpd"]) for tid, grid in grids.items() for g in grid
            if g["dpd"] is not None and 0 <= top - _midx(date.fromisoformat(g["month"] + "-01")) <= window]


def _months_window(as_of: date, window: int) -> dict:
    """The as-of month and the ``window`` calendar months before it, as a metric ``window``."""
    first, last = _mkey(_midx(as_of) - window), _mkey(_midx(as_of))
    return month_window(first, last, f"last {window} months ({first} to {last}, the as-of month included)")


def _dpd_metrics(grids: dict[str, list[dict]], as_of: date) -> dict[str, dict]:
    out = {}
    for window in DPD_WINDOWS:
        events = _events(grids, as_of, window)
        formula = (f"max DPD (asset classes as DPD equivalents) over tradeline months from {window} months "
                   f"before the as-of month to the as-of month")
        if not events:
            out[f"worst_dpd_{window}m"] = missing("days", formula, f"no tradeline reports a month in the last "
                                                                     f"{window} months",
                                                  window=_months_window(as_of, window))
            continue
        worst = max(events, key=lambda e: e[2])
        out[f"worst_dpd_{window}m"] = metric(worst[2], "days", formula,
                                             {"worst_tradeline": worst[0], "worst_month": worst[1],
                                              "months_reported": len(events)},
                                             f"Worst days past due on any account in the last {window} months.",
                                             _months_window(as_of, window))
    events24 = _events(grids, as_of, 24)
    for floor in (30, 60, 90):
        hits = sorted((e for e in events24 if e[2] >= floor), key=lambda e: (e[0], e[1]))
        out[f"dpd_{floor}_plus_count"] = metric(
            len(hits), "month-events", f"count of tradeline-months with DPD >= {floor} in the 24-month window",
            {"events": [f"{t}@{m}" for t, m, _ in hits], "dpd": [d for _, _, d in hits]},
            f"Months in which an account was {floor} or more days past due.", _months_window(as_of, 24))
    return out


def _flag(trades: list[dict], test, formula: str, what: str) -> dict:
    hits = [_tid(t) for t in trades if test(t)]
    return metric(bool(hits), "flag", formula, {"tradelines": hits, "tradelines_checked": len(trades)},
                  f"{len(hits)} tradeline(s) {what}." if hits else f"No tradeline {what}.")


def _enquiry_metrics(enquiries: list[dict], as_of: date) -> dict[str, dict]:
    out = {}
    for key, start in (("enquiries_30d", as_of - timedelta(days=30)), ("enquiries_3m", months_before(as_of, 3)),
                       ("enquiries_6m", months_before(as_of, 6)), ("enquiries_12m", months_before(as_of, 12))):
        hits = [e for e in enquiries if start.isoformat() < e["enquiryDate"] <= as_of.isoformat()]
        span = {"enquiries_30d": "30 days", "enquiries_3m": "3 months", "enquiries_6m": "6 months",
                "enquiries_12m": "12 months"}[key]
        out[key] = metric(len(hits), "count", f"enquiries dated after {start.isoformat()} up to {as_of.isoformat()}",
                          {"enquiries": [f"{e['enquiryDate']} {e['lender']}" for e in hits]},
                          "Credit enquiries by lenders; many in a short time signal credit hunger.",
                          {"from": (start + timedelta(days=1)).isoformat(), "to": as_of.isoformat(),
                           "days": (as_of - start).days, "label": f"last {span} to {as_of.isoformat()}"})
    return out


def _amount(t: dict, key: str) -> float:
    return float(t.get(key) or 0)


def _exposure_metrics(trades: list[dict], as_of: date) -> dict[str, dict]:
    active = [t for t in trades if t["status"] == "ACTIVE"]
    own = [t for t in active if t.get("ownership") != "GUARANTOR"]
    out = {"active_tradelines": metric(len(active), "count", "tradelines with status ACTIVE",
                                       {"tradelines": [_tid(t) for t in active]}, "Open credit accounts."),
           "closed_tradelines": metric(len(trades) - len(active), "count", "tradelines with status CLOSED",
                                       {"tradelines": [_tid(t) for t in trades if t["status"] != "ACTIVE"]},
                                       "Closed credit accounts.")}
    revolving = [t for t in own if t["accountType"] in REVOLVING
                 and (t.get("creditLimit") or t.get("sanctionedAmount"))]
    fu = "Σ max(currentBalance, 0) / Σ creditLimit (sanctionedAmount if no limit), active CC/OD/CC tradelines"
    used = sum(max(_amount(t, "currentBalance"), 0) for t in revolving)
    limit = sum(_amount(t, "creditLimit") or _amount(t, "sanctionedAmount") for t in revolving)
    out["revolving_utilisation"] = (
        metric(used / limit, "ratio", fu, {"tradelines": [_tid(t) for t in revolving], "balance": used,
                                           "limit": limit}, "How much of revolving limits is drawn.")
        if limit else missing("ratio", fu, "no active credit card, overdraft or cash-credit line with a limit"))
    emi = [t for t in own if t["accountType"] not in REVOLVING and _amount(t, "emiAmount") > 0]
    out["total_emi_burden"] = metric(sum(_amount(t, "emiAmount") for t in emi), "INR/month",
                                     "Σ emiAmount of active own installment tradelines",
                                     {"tradelines": [_tid(t) for t in emi],
                                      "emi": [_amount(t, "emiAmount") for t in emi]},
                                     "Monthly EMIs the bureau shows on open loans.")
    out["total_outstanding"] = metric(sum(max(_amount(t, "currentBalance"), 0) for t in own), "INR",
                                      "Σ max(currentBalance, 0) of active own tradelines",
                                      {"tradelines": [_tid(t) for t in own]}, "Debt outstanding today.")
    overdue = [t for t in own if _amount(t, "amountOverdue") > 0]
    out["total_overdue"] = metric(sum(_amount(t, "amountOverdue") for t in overdue), "INR",
                                  "Σ amountOverdue of active own tradelines",
                                  {"tradelines": [_tid(t) for t in overdue],
                                   "overdue": [_amount(t, "amountOverdue") for t in overdue]},
                                  "Amount past due today.")
    if trades:
        oldest = min(trades, key=lambda t: t["dateOpened"])
        opened = date.fromisoformat(oldest["dateOpened"])
        out["oldest_tradeline_months"] = metric(_midx(as_of) - _midx(opened), "months",
                                                "months from the earliest dateOpened to the as-of date",
                                                {"tradeline": _tid(oldest), "dateOpened": oldest["dateOpened"]},
                                                "Credit vintage: how long the borrower has had credit.")
    else:
        out["oldest_tradeline_months"] = missing("months", "months since the earliest dateOpened",
                                                 "no tradelines in the report (new to credit)")
    return out


def _table_row(t: dict, grid: list[dict]) -> dict[str, Any]:
    keys = ("accountNumber", "lender", "accountType", "ownership", "status", "dateOpened", "dateClosed",
            "dateReported", "sanctionedAmount", "creditLimit", "currentBalance", "amountOverdue", "emiAmount",
            "interestRate", "tenureMonths", "writtenOffStatus", "writtenOffAmount", "suitFiled")
    return {**{k: t.get(k) for k in keys}, "dpd_grid": grid}


def summarize_bureau(segments: list[dict], as_of: date, config: dict) -> dict:
    """The body of ``credit_summary.json``: score, DPD windows and events, flags, enquiries, exposure, tables.

    Why: the bureau is the borrower's repayment record with every lender; these are the figures a credit
    policy reads (worst DPD, 30+ events, write-offs, credit hunger, utilisation, EMI burden, vintage).
    """
    settings = {**DEFAULTS, **config["analytics"].get("bureau", {})}
    report = _latest_report(segments, as_of)
    if not report:
        units = {"bureau_score": "score (300-900)", **{f"worst_dpd_{w}m": "days" for w in DPD_WINDOWS},
                 **{f"dpd_{f}_plus_count": "month-events" for f in (30, 60, 90)},
                 **{k: "flag" for k in ("written_off", "settled", "suit_filed")},
                 **{k: "count" for k in ("enquiries_30d", "enquiries_3m", "enquiries_6m", "enquiries_12m",
                                         "active_tradelines", "closed_tradelines")},
                 "revolving_utilisation": "ratio", "total_emi_burden": "INR/month", "total_outstanding": "INR",
                 "total_overdue": "INR", "oldest_tradeline_months": "months"}
        return {"metrics": {k: missing(u, "see data dictionary: credit_bureau", NO_DATA) for k, u in units.items()},
                "report": None, "asset_class_dpd": settings["asset_class_dpd"], "tradelines": [], "enquiries": []}
    header = next((s for s in report if s["segment"] == "HEADER"), None)
    trades = sorted((s for s in report if s["segment"] == "TRADELINE"), key=lambda t: t["dateOpened"])
    enquiries = sorted((s for s in report if s["segment"] == "ENQUIRY"), key=lambda e: e["enquiryDate"], reverse=True)
    grids = {_tid(t): parse_payment_history(t.get("paymentHistory", ""), t["paymentHistoryStartDate"],
                                            settings["asset_class_dpd"]) for t in trades}
    metrics: dict[str, dict] = {}
    metrics["bureau_score"] = (metric(header["score"], "score (300-900)", "HEADER.score of the latest report",
                                      {"reportId": header["reportId"], "bureau": header["bureau"],
                                       "reportDate": header["reportDate"]}, "The bureau's own risk score.")
                               if header and header.get("score") is not None else
                               missing("score (300-900)", "HEADER.score", "the report has no score"))
    metrics.update(_dpd_metrics(grids, as_of))
    metrics["written_off"] = _flag(trades, lambda t: t.get("writtenOffStatus") in WRITTEN_OFF
                                   or _amount(t, "writtenOffAmount") > 0,
                                   f"any tradeline with writtenOffStatus in {WRITTEN_OFF} or writtenOffAmount > 0",
                                   "written off by the lender")
    metrics["settled"] = _flag(trades, lambda t: t.get("writtenOffStatus") in SETTLED,
                               f"any tradeline with writtenOffStatus in {SETTLED}", "closed by settlement")
    metrics["suit_filed"] = _flag(trades, lambda t: t.get("suitFiled") is True, "any tradeline with suitFiled",
                                  "with a suit filed")
    metrics.update(_enquiry_metrics(enquiries, as_of))
    metrics.update(_exposure_metrics(trades, as_of))
    reported = report[0]["reportDate"]
    with_window(metrics, {"to": reported, "label": f"as reported by the bureau on {reported}"})
    return {"metrics": metrics,
            "report": {"reportId": report[0]["reportId"], "bureau": report[0]["bureau"],
                       "reportDate": report[0]["reportDate"]},
            "asset_class_dpd": settings["asset_class_dpd"],
            "tradelines": [_table_row(t, grids[_tid(t)]) for t in trades],
            "enquiries": [{k: e.get(k) for k in ("enquiryDate", "lender", "purpose", "amount")} for e in enquiries]}
