"""One customer's lake documents -> the rows of every warehouse table (pure functions; no file is read here).

:class:`CustomerDocuments` is what :mod:`pipeline.warehouse.build` reads through the lake; :func:`customer_rows`
returns ``{table: pyarrow.Table}`` with the table's schema plus the ``as_of_month`` of each row, the rows in a
stable order (the order of the lake files, features by name), so the same lake gives the same rows.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pyarrow as pa

from pipeline.warehouse.schema import PARTITION_COLUMN, TABLES

MSME_TURNOVER_LIMITS = ((10e7, "micro"), (100e7, "small"), (500e7, "medium"))  # INR: 10, 100, 500 crore


@dataclass
class CustomerDocuments:
    """What the warehouse takes of one customer: clean records by source, analytics documents by name, the
    loan book's loans and each loan's risk history."""

    customer_id: str
    clean: dict[str, list[dict]] = field(default_factory=dict)
    analytics: dict[str, dict] = field(default_factory=dict)
    loans: list[dict] = field(default_factory=list)
    risk: dict[str, list[dict]] = field(default_factory=dict)


def _date(text: Any) -> date | None:
    if not isinstance(text, str) or len(text) < 10:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _ts(text: Any) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp if stamp.tzinfo else None   # a time without an offset is not a point in time


def _value(node: Any) -> Any:
    """``node["value"]`` of an explained metric, or the node itself when it is a plain number or string."""
    return node.get("value") if isinstance(node, dict) else node


def _num(node: Any) -> float | None:
    value = _value(node)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _int(node: Any) -> int | None:
    value = _num(node)
    return int(value) if value is not None else None


def _taxes(item: dict, heads: tuple[str, ...]) -> float:
    return sum(float(item.get(h) or 0) for h in heads)


_RET_HEADS, _2B_HEADS = ("iamt", "camt", "samt", "csamt"), ("igst", "cgst", "sgst", "cess")


def transaction_rows(records: Iterable[dict]) -> list[dict]:
    """Clean bank transactions -> ``transactions`` rows (no narration or reference: they name people)."""
    return [{"account_ref": r.get("linkedAccRef"), "txn_id": r.get("txnId"), "txn_type": r.get("type"),
             "mode": r.get("mode"), "amount": _num(r.get("amount")), "balance_after": _num(r.get("currentBalance")),
             "txn_at": _ts(r.get("transactionTimestamp")), "value_date": _date(r.get("valueDate"))}
            for r in records]


def _gst_figures(r: dict) -> tuple[float | None, float | None, float | None, int | None]:
    kind = r.get("return_type")
    if kind == "GSTR1":
        items = [i.get("itm_det") or {} for s in r.get("b2b") or [] for inv in s.get("inv") or []
                 for i in inv.get("itms") or []] + list(r.get("b2cs") or [])
        invoices = sum(len(s.get("inv") or []) for s in r.get("b2b") or [])
        return (sum(float(i.get("txval") or 0) for i in items), sum(_taxes(i, _RET_HEADS) for i in items), None,
                invoices)
    if kind == "GSTR3B":
        sup = r.get("sup_details") or {}
        out = [sup.get("osup_det") or {}, sup.get("osup_zero") or {}]
        net = (r.get("itc_elg") or {}).get("itc_net") or {}
        return (sum(float(s.get("txval") or 0) for s in out), sum(_taxes(s, _RET_HEADS) for s in out),
                _taxes(net, _RET_HEADS), None)
    if kind == "GSTR2B":
        invoices = [inv for s in (r.get("docdata") or {}).get("b2b") or [] for inv in s.get("inv") or []]
        available = (r.get("itcsumm") or {}).get("itcavl") or {}
        itc = sum(_taxes(part, _2B_HEADS) for part in available.values() if isinstance(part, dict))
        return (sum(float(i.get("txval") or 0) for i in invoices), sum(_taxes(i, _2B_HEADS) for i in invoices),
                itc, len(invoices))
    return None, None, None, None


def gst_rows(records: Iterable[dict]) -> list[dict]:
    """Clean GST returns -> ``gst_returns`` rows: one a return, its totals summed from the invoices/tables."""
    rows = []
    for r in records:
        period = str(r.get("ret_prd") or "")
        if len(period) != 6 or not period.isdigit():
            continue
        due, filed = _date(r.get("due_date")), _date(r.get("dof") or r.get("gendt"))
        taxable, tax, itc, invoices = _gst_figures(r)
        rows.append({"return_type": r.get("return_type"), "return_period": f"{period[2:]}-{period[:2]}",
                     "filing_frequency": r.get("filing_frequency"),
                     "status": r.get("status") or ("GENERATED" if r.get("return_type") == "GSTR2B" else None),
                     "due_date": due, "filed_date": filed,
                     "days_late": max(0, (filed - due).days) if due and filed else None,
                     "taxable_value": taxable, "tax_amount": tax, "itc_amount": itc, "invoice_count": invoices})
    return rows


def worst_dpd(history: Any) -> int | None:
    """The worst days past due in a bureau payment history (3-character codes; ``XXX``, ``STD`` etc. are 0)."""
    if not isinstance(history, str) or not history:
        return None
    codes = [history[i:i + 3] for i in range(0, len(history) - len(history) % 3, 3)]
    return max((int(c) for c in codes if c.isdigit()), default=0)


def bureau_rows(records: Iterable[dict]) -> list[dict]:
    """Clean bureau segments -> ``bureau`` rows (the HEADER's name and PAN are left out)."""
    return [{"report_id": r.get("reportId"), "bureau": r.get("bureau"), "report_date": _date(r.get("reportDate")),
             "segment": r.get("segment"), "score": _int(r.get("score")), "account_number": r.get("accountNumber"),
             "lender": r.get("lender"), "account_type": r.get("accountType"), "account_status": r.get("status"),
             "date_opened": _date(r.get("dateOpened")), "date_closed": _date(r.get("dateClosed")),
             "sanctioned_amount": _num(r.get("sanctionedAmount")), "current_balance": _num(r.get("currentBalance")),
             "amount_overdue": _num(r.get("amountOverdue")), "emi_amount": _num(r.get("emiAmount")),
             "worst_dpd": worst_dpd(r.get("paymentHistory")),
             "written_off": (r.get("writtenOffStatus") not in (None, "NONE")) if r.get("segment") == "TRADELINE"
             else None,
             "suit_filed": r.get("suitFiled") if isinstance(r.get("suitFiled"), bool) else None,
             "enquiry_date": _date(r.get("enquiryDate")), "enquiry_purpose": r.get("purpose"),
             "enquiry_amount": _num(r.get("amount"))}
            for r in records if r.get("segment") in ("HEADER", "TRADELINE", "ENQUIRY")]


def feature_rows(risk: dict | None) -> list[dict]:
    """The risk model's inputs of the customer, one row a feature, by name."""
    if not risk or not _date(risk.get("as_of")):
        return []
    as_of = _date(risk["as_of"])
    return [{"as_of": as_of, "feature": name, "value": _num(value)}
            for name, value in sorted((risk.get("features") or {}).items())]


def msme_category(turnover: float | None) -> str | None:
    """micro / small / medium / large by annual turnover (MSMED Act limits notified for April 2025)."""
    if turnover is None:
        return None
    return next((name for limit, name in MSME_TURNOVER_LIMITS if turnover <= limit), "large")


def score_rows(docs: dict[str, dict]) -> list[dict]:
    """One row: the risk model's PD and band, the scorecard, and the segment attributes used to slice them."""
    risk, card = docs.get("risk_model") or {}, docs.get("credit_score") or {}
    as_of = _date(risk.get("as_of")) or _date(card.get("as_of"))
    if as_of is None:
        return []
    metrics, model = risk.get("metrics") or {}, risk.get("model") or {}
    customer = (docs.get("overall_summary") or {}).get("customer") or {}
    facts = (docs.get("recommendations") or {}).get("customer_facts") or {}
    turnover = _num(facts.get("annual_turnover"))
    return [{"as_of": as_of, "pd": _num(metrics.get("probability_of_default")),
             "risk_band": _value(metrics.get("risk_band")), "risk_score": _num(metrics.get("risk_score")),
             "credit_score": _int(card.get("score")), "credit_band": (card.get("band") or {}).get("code"),
             "model_family": model.get("family"), "model_version": model.get("version"),
             "sector": customer.get("industry"), "profile": customer.get("profile"),
             "constitution": customer.get("constitution"), "annual_turnover": turnover,
             "msme_category": msme_category(turnover)}]


def decision_rows(decision: dict | None) -> list[dict]:
    """One row: the decision, why, and the offer it carries (none for REFER / DECLINE)."""
    if not decision or not _date(decision.get("as_of")):
        return []
    offer, grade = decision.get("offer") or {}, decision.get("risk_grade") or {}
    return [{"as_of": _date(decision["as_of"]), "decision": decision.get("decision"),
             "decided_by": decision.get("decided_by"), "risk_band": grade.get("band"),
             "pd": _num(grade.get("probability_of_default")), "knockouts_fired": len(decision.get("knockouts") or []),
             "product_id": offer.get("product_id"), "offered_amount": _num(offer.get("amount")),
             "annual_rate": _num(offer.get("annual_rate")), "tenure_months": _int(offer.get("tenure_months")),
             "policy_version": (decision.get("policy") or {}).get("version")}]


def offer_rows(recommendations: dict | None) -> list[dict]:
    """One row a product the recommendation assessed, in its ranking order."""
    if not recommendations or not _date(recommendations.get("as_of")):
        return []
    as_of = _date(recommendations["as_of"])
    return [{"as_of": as_of, "rank": p.get("rank"), "product_id": p.get("id"), "product_name": p.get("name"),
             "status": p.get("status"), "amount": _num(p.get("amount")), "annual_rate": _num(p.get("annual_rate")),
             "tenure_months": _int(p.get("tenure_months")), "emi": _num(p.get("emi")),
             "suitability": _num(p.get("suitability")), "structure": (p.get("structure") or {}).get("kind")}
            for p in recommendations.get("products") or [] if p.get("id")]


def loan_rows(loans: Iterable[dict]) -> list[dict]:
    """The booked loans of the customer's loan book."""
    rows = []
    for loan in loans:
        schedule = loan.get("schedule") or [{}]
        rows.append({"loan_id": loan.get("loan_id"), "source": loan.get("source"), "lender": loan.get("lender"),
                     "product": loan.get("product"), "principal": _num(loan.get("principal")),
                     "disbursed_amount": _num(loan.get("disbursed_amount")),
                     "disbursal_date": _date(loan.get("disbursed_at")), "annual_rate_pct": _num(loan.get("rate")),
                     "tenure_months": _int(loan.get("tenure_months")), "emi": _num(loan.get("emi")),
                     "status": loan.get("status"), "secured": bool(loan.get("secured")),
                     "first_due_date": _date(schedule[0].get("due_date")),
                     "maturity_date": _date(schedule[-1].get("due_date"))})
    return rows


def repayment_rows(events: Iterable[dict]) -> list[dict]:
    """Clean repayment events, with the days between due date and payment."""
    rows = []
    for e in events:
        due, paid = _date(e.get("due_date")), _ts(e.get("paid_at"))
        rows.append({"event_id": e.get("event_id"), "loan_id": e.get("loan_id"), "due_date": due,
                     "status": e.get("status"), "channel": e.get("channel"), "amount_due": _num(e.get("amount_due")),
                     "amount_paid": _num(e.get("amount_paid")), "paid_at": paid, "event_at": _ts(e.get("ts")),
                     "days_late": (_date(e["paid_at"]) - due).days if paid and due else None})
    return rows


def risk_rows(histories: dict[str, list[dict]]) -> list[dict]:
    """Every re-score of every loan of the customer, loan by loan (sorted by loan id), oldest first."""
    return [{"loan_id": loan_id, "scored_at": _ts(h.get("ts")), "kind": h.get("kind"), "clock": _date(h.get("clock")),
             "events": _int(h.get("events")), "pd": _num(h.get("pd")), "band": h.get("band"),
             "previous_band": h.get("previous_band"), "dpd_now": _int((h.get("features") or {}).get("dpd_now")),
             "alert": bool(h.get("alert")), "model_version": h.get("model_version")}
            for loan_id in sorted(histories) for h in histories[loan_id]]


def _month(value: Any) -> str | None:
    if isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}"
    return value if isinstance(value, str) and len(value) == 7 else None


def to_table(table: str, customer_id: str, rows: list[dict]) -> pa.Table:
    """Rows of one table -> an Arrow table with its schema and ``as_of_month``; rows with no month are left out
    (a fact that is as of no month cannot be placed)."""
    spec = TABLES[table]
    months = [_month(r.get(spec.month_of)) for r in rows]
    kept = [{**r, "customer_id": customer_id} for r, m in zip(rows, months) if m]
    result = pa.Table.from_pylist(kept, schema=spec.schema)
    return result.append_column(PARTITION_COLUMN, pa.array([m for m in months if m], pa.string()))


def customer_rows(docs: CustomerDocuments) -> dict[str, pa.Table]:
    """Every table's rows of one customer (an empty table where the customer has none)."""
    a = docs.analytics
    rows = {
        "transactions": transaction_rows(docs.clean.get("transactions", [])),
        "gst_returns": gst_rows(docs.clean.get("gst_returns", [])),
        "bureau": bureau_rows(docs.clean.get("credit_bureau", [])),
        "features": feature_rows(a.get("risk_model")),
        "scores": score_rows(a),
        "decisions": decision_rows(a.get("decision")),
        "offers": offer_rows(a.get("recommendations")),
        "loans": loan_rows(docs.loans),
        "repayment_events": repayment_rows(docs.clean.get("repayment_events", [])),
        "risk_history": risk_rows(docs.risk),
    }
    return {table: to_table(table, docs.customer_id, rows[table]) for table in TABLES}
