"""Reconciliation: the body of ``reconciliation.json`` -- do GST, ONDC and the bank tell the same story?

Two levels, settings in ``config["analytics"]["reconciliation"]``:

* **Month level.** Per calendar month: GST value declared, tax included (``gst_summary.monthly``
  ``turnover_incl_tax``: GSTR-3B taxable value plus output tax, because buyers pay invoices tax included and
  bank credits carry the tax) against the bank's business credits, and ONDC settlements (PAID entries, by month
  of settlement) against the bank credits matched to them. ``discrepancy_pct = (gst - bank) / bank x 100``;
  status ``matched`` when ``|gst - bank| <= month_tolerance x bank``, else ``gst_above_bank`` or
  ``bank_above_gst`` (``no_gst_return`` / ``no_bank_credits`` when a side is missing). Collections lag
  invoices by weeks, so a trailing three-month comparison (``*_3m`` columns) is given beside it.
* **Item level** (:mod:`analytics.reconciliation.match`, then :mod:`.multi` and :mod:`.groups`): each ONDC
  settlement and GSTR-1 invoice matched to the bank credit(s) that paid it -- one-to-one, less TDS at an
  inferred rate, net of a credit note, several invoices in one credit or one invoice in parts -- with its
  score, its group's kind and amounts, and any remainder with its reason (``match_groups``); each open
  invoice says why it is open.

**Due and open items.** The statement ends on its last transaction date. An item whose whole payment
window (settlement: ``settlement_window_days``; invoice: ``invoice_pay_window_days``) ends on or before it
is *due*: unmatched, it is *overdue*. One whose window is still running is *open* and counts neither way.
Reconciliation rate = matched / (matched + overdue), by count and by value.

**Risk level** (first rule that fires, thresholds in ``risk``):

* HIGH -- the invoice value reconciliation rate is below ``high_invoice_value_rate`` (invoices declared to
  GST that never reached the bank: fictitious invoicing), or GST value exceeds bank business credits over
  the compared months by more than ``high_gst_excess``.
* MEDIUM -- the invoice value rate is below ``medium_invoice_value_rate``, the ONDC settlement rate below
  ``medium_settlement_rate``, the overall discrepancy beyond ``month_tolerance`` either way, or more than
  ``medium_months_share`` of the trailing three-month comparisons show GST above bank.
* LOW -- otherwise.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analytics.bank.summary import business_credits_by_month
from analytics.metric import metric, missing, ratio
from analytics.reconciliation.groups import group_documents, match_all
from analytics.reconciliation.match import MATCH_DEFAULTS, MatchResult
from analytics.reconciliation.multi import MULTI_DEFAULTS

DEFAULTS: dict[str, Any] = {
    **MATCH_DEFAULTS,
    **MULTI_DEFAULTS,
    "month_tolerance": 0.15,
    "max_listed": 200,
    "risk": {"high_invoice_value_rate": 0.7, "high_gst_excess": 0.3, "medium_invoice_value_rate": 0.9,
             "medium_settlement_rate": 0.9, "medium_months_share": 0.25},
}
MONTHLY_COLUMNS = {
    "gst_value": "gst_summary.monthly.turnover_incl_tax: GSTR-3B taxable value + output tax (incl. tax)",
    "bank_business_credits": "Σ bank business credits of the month",
    "discrepancy_pct": "(gst_value - bank_business_credits) / bank_business_credits x 100",
    "status": "matched if |gst - bank| <= month_tolerance x bank, else gst_above_bank / bank_above_gst",
    "discrepancy_pct_3m": "the same over the trailing three months (collections lag invoices)",
    "ondc_settled": "Σ settlement_amount of PAID ONDC settlements dated in the month",
    "ondc_in_bank": "Σ bank credits of the month matched to an ONDC settlement",
    "bank_ondc_credits": "Σ bank credits of the month the statement analysis classed as ONDC settlements",
    "ondc_status": "matched if |ondc_settled - ondc_in_bank| <= month_tolerance x ondc_settled",
    "invoices_raised": "Σ GSTR-1 B2B invoice value dated in the month",
    "invoices_collected": "Σ value of those invoices matched to a bank credit",
}


def _params(config: dict) -> dict:
    given = (config.get("analytics") or {}).get("reconciliation") or {}
    return {**DEFAULTS, **given, "risk": {**DEFAULTS["risk"], **(given.get("risk") or {})},
            "weights": {**DEFAULTS["weights"], **(given.get("weights") or {})}}


def _status(a: float | None, b: float | None, tol: float, names: tuple[str, str, str, str]) -> str:
    """``matched`` / a-above-b / b-above-a, or which side is missing."""
    if a is None:
        return names[2]
    if not b:
        return names[3]
    if abs(a - b) <= tol * b:
        return "matched"
    return names[0] if a > b else names[1]


def _pct(a: float | None, b: float | None) -> float | None:
    value = ratio(None if a is None or b is None else a - b, b)
    return None if value is None else round(value * 100, 2)


GST_BASIS = "incl. tax (gst_summary.monthly.turnover_incl_tax, the basis of gst_summary.gst_to_bank_ratio)"
RATIO_SOURCE = "gst_summary.metrics.gst_to_bank_ratio"


def _gst_by_month(docs: dict) -> dict[str, float]:
    """Declared GST value per month, tax included, as gst_summary's monthly rows give it."""
    out = {}
    for row in (docs.get("gst_summary") or {}).get("monthly") or []:
        if row.get("turnover_3b") is None:
            continue
        incl = row.get("turnover_incl_tax")  # documents written before it existed: the same sum
        out[row["month"]] = float(incl if incl is not None else row["turnover_3b"] + float(row.get("output_tax") or 0))
    return out


def _discrepancy(docs: dict) -> dict:
    """``overall_discrepancy_pct`` from gst_summary's one GST-to-bank ratio: referenced, never recomputed."""
    formula = f"({RATIO_SOURCE} - 1) x 100"
    ratio_metric = ((docs.get("gst_summary") or {}).get("metrics") or {}).get("gst_to_bank_ratio")
    if not isinstance(ratio_metric, dict) or ratio_metric.get("value") is None:
        reason = (ratio_metric or {}).get("reason") or "no GST-to-bank ratio in gst_summary"
        return missing("percent", formula, f"{RATIO_SOURCE} not available: {reason}", {"source": RATIO_SOURCE})
    given = ratio_metric.get("inputs") or {}
    copied = {k: given[k] for k in ("months", "gst_turnover_incl_tax", "bank_business_credits") if k in given}
    return metric(round((ratio_metric["value"] - 1) * 100, 2), "percent", formula,
                  {"source": RATIO_SOURCE, "gst_to_bank_ratio": ratio_metric["value"], **copied},
                  "How far declared GST value (tax included) is from what reached the bank: gst_summary's "
                  "GST-to-bank ratio shown as a percentage gap.", ratio_metric.get("window"), "incl. tax")


def _item_view(m: MatchResult) -> pd.DataFrame:
    """Items with their matched credit (if any): position, score, amount and month of the credit."""
    items = m.items.copy()
    items["month"] = items["date"].dt.strftime("%Y-%m")
    items["credit"], items["score"], items["credit_amount"], items["credit_month"] = -1, np.nan, np.nan, None
    if len(m.matches):
        rows = m.matches.assign(month=m.credits["date"].iloc[m.matches["credit"].to_numpy()].dt.strftime("%Y-%m")
                                .to_numpy())
        per = rows.groupby("item", sort=True).agg(credit=("credit", "first"), score=("score", "min"),
                                                  credit_amount=("allocated", "sum"), credit_month=("month", "max"))
        it = per.index.to_numpy()
        items.loc[it, "credit"] = per["credit"].to_numpy()
        items.loc[it, "score"] = per["score"].to_numpy()
        items.loc[it, "credit_amount"] = per["credit_amount"].to_numpy()
        items.loc[it, "credit_month"] = per["credit_month"].to_numpy()
    items["matched"] = items["credit"].to_numpy() >= 0
    return items


def monthly_rows(txns: pd.DataFrame, docs: dict, items: pd.DataFrame, p: dict) -> list[dict[str, Any]]:
    """One row per month seen in GST or the bank: declared vs banked value, ONDC settled vs banked."""
    gst = _gst_by_month(docs)
    bank = business_credits_by_month(txns) if len(txns) else {}
    ondc = items[items["kind"] == "ondc_order"]
    inv = items[items["kind"] == "gstr1_invoice"]
    settled = ondc.groupby("month")["amount"].sum()
    in_bank = ondc[ondc["matched"]].groupby("credit_month")["credit_amount"].sum()
    raised = inv.groupby("month")["amount"].sum()
    collected = inv[inv["matched"]].groupby("month")["amount"].sum()
    ondc_credits = {}
    if len(txns):
        is_ondc = (txns["type"] == "CREDIT") & (txns["category"] == "ondc_settlement")
        ondc_credits = txns.loc[is_ondc].groupby("month")["amount"].sum().to_dict()
    months = sorted(set(gst) | set(bank))
    tol, rows = p["month_tolerance"], []
    names = ("gst_above_bank", "bank_above_gst", "no_gst_return", "no_bank_credits")
    for k, month in enumerate(months):
        g, b = gst.get(month), bank.get(month)
        window = months[max(0, k - 2): k + 1]
        g3 = sum(gst[x] for x in window) if all(x in gst for x in window) and len(window) == 3 else None
        b3 = sum(bank.get(x, 0.0) for x in window) if len(window) == 3 else None
        s, ib = float(settled.get(month, 0.0)), float(in_bank.get(month, 0.0))
        rows.append({
            "month": month, "gst_value": None if g is None else round(g, 2),
            "bank_business_credits": None if b is None else round(b, 2), "discrepancy_pct": _pct(g, b),
            "status": _status(g, b, tol, names),
            "discrepancy_pct_3m": _pct(g3, b3),
            "status_3m": _status(g3, b3, tol, names) if b3 is not None else None,
            "ondc_settled": round(s, 2), "ondc_in_bank": round(ib, 2),
            "bank_ondc_credits": round(float(ondc_credits.get(month, 0.0)), 2),
            "ondc_status": None if not s and not ib else _status(
                ib, s, tol, ("bank_above_ondc", "ondc_above_bank", "no_bank_credits", "no_ondc_settlements")),
            "invoices_raised": round(float(raised.get(month, 0.0)), 2),
            "invoices_collected": round(float(collected.get(month, 0.0)), 2),
        })
    return rows


def _due(items: pd.DataFrame, end: pd.Timestamp | None, p: dict) -> np.ndarray:
    """Whether each item's payment window has closed by the statement's end."""
    if end is None or items.empty:
        return np.zeros(len(items), dtype=bool)
    window = np.where(items["kind"] == "ondc_order", p["settlement_window_days"], p["invoice_pay_window_days"][1])
    return (items["date"] + pd.to_timedelta(window, unit="D")).to_numpy() <= np.datetime64(end)


def _rate_metric(items: pd.DataFrame, due: np.ndarray, by_value: bool, what: str, label: str) -> dict:
    matched = items["matched"].to_numpy()
    base = matched | due
    formula = (f"Σ value of matched {label} / Σ value of matched + overdue {label}" if by_value
               else f"matched {label} / (matched + overdue {label})")
    if not base.any():
        return missing("ratio", formula, f"no {label} due for payment within the statement period")
    weights = items["amount"].to_numpy(float) if by_value else np.ones(len(items))
    num, den = float(weights[matched].sum()), float(weights[base].sum())
    return metric(num / den, "ratio", formula,
                  {"matched": num, "due": den, "overdue_items": items.loc[due & ~matched, "item_id"].tolist()}, what)


def _headline(items: pd.DataFrame, due: np.ndarray, rows: list[dict], m: MatchResult, suspects: pd.DataFrame,
              docs: dict) -> dict[str, dict]:
    inv, ondc = (items["kind"] == "gstr1_invoice").to_numpy(), (items["kind"] == "ondc_order").to_numpy()
    both = [r for r in rows if r["gst_value"] is not None and r["bank_business_credits"]]
    out = {
        "reconciliation_rate": _rate_metric(items, due, False, "Share of due ONDC settlements and GSTR-1 invoices "
                                            "found in the bank.", "items"),
        "reconciliation_value_rate": _rate_metric(items, due, True, "Share of due settlement and invoice value "
                                                  "found in the bank.", "items"),
        "invoice_value_rate": _rate_metric(items[inv], due[inv], True, "Share of the value of due GSTR-1 invoices "
                                           "collected in the bank; low values mean invoices never paid.", "invoices"),
        "settlement_rate": _rate_metric(items[ondc], due[ondc], False, "Share of due ONDC settlements that "
                                        "arrived in the bank.", "settlements"),
        "matched_items": metric(int(items["matched"].sum()), "count", "items matched one-to-one to a bank credit",
                                {"items": items.loc[items["matched"], "item_id"].tolist()},
                                "ONDC settlements and GSTR-1 invoices paired with the credit that paid them."),
        "overdue_items": metric(int((due & ~items["matched"].to_numpy()).sum()), "count",
                                "items whose payment window has closed with no matching credit",
                                {"items": items.loc[due & ~items["matched"].to_numpy(), "item_id"].tolist()},
                                "Settlements or invoices the bank statement shows no money for."),
        "unmatched_bank_credits": metric(len(suspects), "count",
                                         "transfer / ONDC credits in the covered period matched to no item",
                                         {"txnIds": suspects["txnId"].tolist(),
                                          "value": float(suspects["amount"].sum())},
                                         "Credits that look like collections but settle no declared invoice or order."),
        "match_kinds": _kinds(m),
        "unreconciled_remainder": _remainder(m),
        "mean_match_score": (metric(float(m.matches["score"].mean()), "ratio", "mean score of accepted pairs",
                                    {"pairs": len(m.matches)}, "Average confidence of the matches.")
                             if len(m.matches) else missing("ratio", "mean score of accepted pairs", "no matches")),
        "overall_discrepancy_pct": _discrepancy(docs),
    }
    hit = items[items["matched"]]
    fg = "(Σ item amount - Σ matched credit amount) / Σ item amount x 100 over matched items"
    out["matched_value_gap_pct"] = (
        metric(round((hit["amount"].sum() - hit["credit_amount"].sum()) / hit["amount"].sum() * 100, 4), "percent", fg,
               {"item_amount": float(hit["amount"].sum()), "credit_amount": float(hit["credit_amount"].sum()),
                "items": len(hit)}, "How much less than invoiced/settled the bank received on matched items "
                                    "(TDS withheld, short payments).")
        if len(hit) else missing("percent", fg, "no matched items"))
    for status in ("matched", "gst_above_bank", "bank_above_gst"):
        hit = [r["month"] for r in both if r["status"] == status]
        out[f"months_{status}"] = metric(len(hit), "count", f"months with status {status}", {"months": hit},
                                         f"Months where GST vs bank is {status.replace('_', ' ')}.")
    return out


def risk_level(metrics: dict[str, dict], rows: list[dict], p: dict) -> tuple[str, list[str]]:
    """LOW / MEDIUM / HIGH by the module docstring's rules, with the reasons that fired."""
    r = p["risk"]
    inv_rate = metrics["invoice_value_rate"]["value"]
    settle = metrics["settlement_rate"]["value"]
    disc = metrics["overall_discrepancy_pct"]["value"]
    three = [x for x in rows if x.get("status_3m") in ("matched", "gst_above_bank", "bank_above_gst")]
    above = sum(1 for x in three if x["status_3m"] == "gst_above_bank")
    high, medium = [], []
    if inv_rate is not None and inv_rate < r["high_invoice_value_rate"]:
        high.append(f"only {inv_rate:.0%} of due GSTR-1 invoice value reached the bank")
    if disc is not None and disc > r["high_gst_excess"] * 100:
        high.append(f"GST value exceeds bank business credits by {disc:.0f}%")
    if inv_rate is not None and r["high_invoice_value_rate"] <= inv_rate < r["medium_invoice_value_rate"]:
        medium.append(f"{inv_rate:.0%} of due GSTR-1 invoice value reached the bank")
    if settle is not None and settle < r["medium_settlement_rate"]:
        medium.append(f"only {settle:.0%} of due ONDC settlements reached the bank")
    if disc is not None and abs(disc) > p["month_tolerance"] * 100 and not (disc > r["high_gst_excess"] * 100):
        medium.append(f"GST value and bank business credits differ by {disc:+.0f}% over the period")
    if three and above / len(three) > r["medium_months_share"]:
        medium.append(f"GST above bank in {above} of {len(three)} trailing three-month windows")
    if high:
        return "HIGH", high + medium
    return ("MEDIUM", medium) if medium else ("LOW", [])


def _suspects(m: MatchResult, items: pd.DataFrame, p: dict) -> pd.DataFrame:
    """Collection-like credits that no item claimed, inside the period the items can explain: ONDC credits
    between the first and last settlement; transfer and cheque credits from ``invoice_typical_lag_days[1]``
    after the first invoice (earlier ones pay invoices from before the GST data) to the last invoice date
    (later ones may pay invoices of periods not yet filed)."""
    c = m.credits
    if c.empty or items.empty:
        return c.iloc[0:0]
    free = np.ones(len(c), dtype=bool)
    free[m.matches["credit"].to_numpy(int)] = False
    dates, mask = c["date"], np.zeros(len(c), dtype=bool)
    for kind, cats, lead in (("ondc_order", ("ondc_settlement",), 0),
                             ("gstr1_invoice", ("b2b_collection", "cheque_deposit"), p["invoice_typical_lag_days"][1])):
        own = items.loc[items["kind"] == kind, "date"]
        if len(own):
            lo, hi = own.min() + pd.Timedelta(days=lead), own.max()
            mask |= (c["category"].isin(cats) & (dates >= lo) & (dates <= hi)).to_numpy()
    return c[free & mask].sort_values("amount", ascending=False)


def _kinds(m: MatchResult) -> dict:
    counts = {k: 0 for k in ("one_to_one", "tds", "credit_note", "many_to_one", "part_payment")}
    for g in m.groups:
        counts[g["kind"]] += 1
    return metric(sum(v for k, v in counts.items() if k != "one_to_one"), "count",
                  "match groups that are not a plain one-to-one payment (TDS, credit note, many-to-one, parts)",
                  counts, "How often buyers pay less TDS, net of credit notes, several invoices at once or in parts.")


def _remainder(m: MatchResult) -> dict:
    short = [g for g in m.groups if "reason" in g]
    value = float(sum(g["expected"] - g["received"] for g in short))
    return metric(round(value, 2), "INR", "Σ (expected - received) over match groups left short, expected = value "
                  "less credit note less inferred TDS", {"groups": [g["group"] for g in short]},
                  "Money matched items are still short of after TDS and credit notes are accounted for.")


def _iso(values: pd.Series) -> list[str]:
    return values.dt.strftime("%Y-%m-%d").tolist()


def _match_rows(items: pd.DataFrame, m: MatchResult) -> list[dict]:
    """One dict per accepted pair, built column-wise (thousands of pairs for a large customer)."""
    if m.matches.empty:
        return []
    it = items.iloc[m.matches["item"].to_numpy()]
    cr = m.credits.iloc[m.matches["credit"].to_numpy()]
    mm = m.matches
    extra = zip(mm["match_kind"].tolist(), mm["group"].astype(int).tolist(), mm["allocated"].round(2).tolist(),
                mm["tds_rate"].round(6).tolist(), mm["credit_note"].tolist())
    cols = zip(it["kind"].tolist(), it["item_id"].tolist(), it["label"].tolist(), it["party"].tolist(),
               cr["txnId"].tolist(), m.matches["score"].round(4).tolist(), m.matches["amount_score"].round(4).tolist(),
               m.matches["date_score"].round(4).tolist(), m.matches["text_score"].round(4).tolist(),
               it["amount"].round(2).tolist(), cr["amount"].round(2).tolist(), _iso(it["date"]), _iso(cr["date"]),
               m.matches["lag"].astype(int).tolist(), cr["counterparty"].tolist(), cr["category"].tolist())
    keys = ("kind", "item_id", "label", "party", "txnId", "score", "amount", "date", "text", "item_amount",
            "credit_amount", "item_date", "credit_date", "lag_days", "payer", "credit_category")
    out = []
    for values, (kind, group, allocated, rate, note) in zip(cols, extra):
        row = dict(zip(keys, values))
        row["components"] = {"amount": row.pop("amount"), "date": row.pop("date"), "text": row.pop("text")}
        row.update(match_kind=kind, group=group, allocated=allocated, tds_rate=rate,
                   credit_note=note if isinstance(note, str) else None)
        out.append(row)
    return out


def _plain_reason(kind: str, p: dict) -> str:
    """Why an item no pass could place is open (ONDC: nothing at the amount within the settlement window)."""
    if kind == "ondc_order":
        return f"no credit at the settlement amount within {p['settlement_window_days']} days"
    return "no credit from the buyer fits the invoice"


def reconcile(records: dict[str, list[dict]], txns: pd.DataFrame, docs: dict[str, dict], config: dict) -> dict:
    """The body of ``reconciliation.json``: month-level GST/ONDC vs bank, item matches, rates and risk level.

    Why: declared turnover that never reaches the bank, and invoices that are never paid, are the
    strongest signs of inflated or fictitious sales; matched items also let an officer trace any
    settlement or invoice to the credit that paid it.
    """
    p = _params(config)
    m = match_all(records, txns, p)
    items = _item_view(m)
    end = txns["date"].max() if len(txns) else None
    due = _due(items, end, p)
    rows = monthly_rows(txns, docs, items, p)
    suspects = _suspects(m, items, p)
    metrics = _headline(items, due, rows, m, suspects, docs)
    level, reasons = risk_level(metrics, rows, p)
    unmatched = items[~items["matched"]]
    limit = int(p["max_listed"])
    return {
        "metrics": metrics,
        "risk_level": level,
        "risk_reasons": reasons,
        "statement_end": None if end is None else end.date().isoformat(),
        "monthly": rows,
        "monthly_columns": MONTHLY_COLUMNS,
        "matches": _match_rows(items, m),
        "unmatched_items": [{"kind": r.kind, "item_id": r.item_id, "label": r.label, "party": r.party,
                             "amount": round(float(r.amount), 2), "date": r.date.date().isoformat(),
                             "status": "overdue" if d else "open", "reason": m.reasons.get(pos, _plain_reason(r.kind, p))}
                            for pos, r, d in zip(unmatched.index.tolist(), unmatched.itertuples(index=False),
                                                 due[~items["matched"].to_numpy()])],
        "match_groups": group_documents(m.groups, m.items, m.credits),
        "buyers": [{"ctin": k, **v} for k, v in m.buyers.items()],
        "unmatched_bank_credits": [{"txnId": r.txnId, "date": r.date.date().isoformat(), "amount": round(r.amount, 2),
                                    "payer": r.counterparty, "category": r.category, "narration": r.narration}
                                   for r in suspects.head(limit).itertuples(index=False)],
        "learned_payers": [{"ctin": k, **v} for k, v in sorted(m.payers.items())],
        "parameters": {"gst_basis": GST_BASIS,
                       **{k: p[k] for k in ("weights", "match_threshold", "month_tolerance", "settlement_window_days",
                                            "invoice_pay_window_days", "invoice_amount_tolerance", "tds_rates",
                                            "risk", "tds_rate_range", "tds_rate_step", "max_subset_invoices",
                                            "max_parts", "credit_note_lag_days")}},
        "candidate_pairs": m.candidate_pairs,
    }
