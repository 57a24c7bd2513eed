"""Runs every analysis for one customer, in dependency order, on clean data held in memory.

:func:`analyze_customer` is pure: it takes the clean records of every source
and returns one JSON-ready document per output name. The pipeline's
``analyze`` stage loads the records through the Lake and writes what this
returns, all at once, so a failure leaves the previous outputs in place.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from analytics.anomalies.rules import detect_rule_anomalies
from analytics.bank.earnings_spendings import summarize_earnings_spendings
from analytics.bank.statement import prepare_transactions
from analytics.bank.summary import business_credits_by_month, summarize_transactions
from analytics.bureau.stacking import detect_loan_stacking
from analytics.bureau.summary import summarize_bureau
from analytics.collect.plan import plan_collections
from analytics.gst.summary import summarize_gst
from analytics.other_sources.insurance import summarize_insurance
from analytics.other_sources.mutual_funds import summarize_mutual_funds
from analytics.other_sources.ocen import summarize_ocen
from analytics.other_sources.ondc import summarize_ondc
from analytics.score.credit_score import score_customer
from analytics.score.overall import summarize_overall
from analytics.signals import build_signals

OUTPUT_NAMES = (
    "transaction_summary", "gst_summary", "credit_summary", "mutual_funds_summary", "insurance_summary",
    "ocen_summary", "ondc_summary", "earnings_spendings", "anomalies_report", "signals", "credit_score", "smart_collect",
    "overall_summary",
)


@dataclass
class CustomerData:
    """Everything an analysis may read: the clean layer of one customer plus who they are."""

    customer_id: str
    as_of: date
    records: dict[str, list[dict]]
    customer: dict[str, Any] = field(default_factory=dict)
    consent: dict[str, Any] | None = None


OPTIONAL_OUTPUTS = ("earnings_spendings", "smart_collect")  # nothing else depends on them


def analyze_customer(data: CustomerData, config: dict, code_version: str, generated_at: str,
                     skip: tuple[str, ...] = ()) -> dict[str, dict]:
    """Compute every analytics document of one customer; returns ``{name: document}``.

    ``skip`` may name documents of :data:`OPTIONAL_OUTPUTS` that the caller does
    not need (the risk model's training portfolio builds features thousands of
    times and never reads them).
    """
    unknown = set(skip) - set(OPTIONAL_OUTPUTS)
    if unknown:
        raise ValueError(f"cannot skip {sorted(unknown)}: other documents depend on them")
    records = data.records
    txns = prepare_transactions(records.get("transactions", []), records.get("accounts", []),
                                owners=[data.customer.get("owner_name") or ""])
    bureau = summarize_bureau(records.get("credit_bureau", []), data.as_of, config)
    bank = summarize_transactions(txns, records.get("accounts", []), data.as_of, config,
                                  bureau_emi=bureau["metrics"]["total_emi_burden"]["value"])
    bureau["loan_stacking"] = detect_loan_stacking(bureau["tradelines"], bureau["enquiries"], txns, data.as_of)
    bank_credits = business_credits_by_month(txns) if len(txns) else None
    gst = summarize_gst(records.get("gst_returns", []), data.as_of, config,
                        bank_business_credits=bank_credits, circular_flows=bank.get("circular_flows"))
    bodies: dict[str, dict] = {
        "transaction_summary": bank,
        "gst_summary": gst,
        "credit_summary": bureau,
        "mutual_funds_summary": summarize_mutual_funds(records.get("mutual_funds", []), data.as_of, config),
        "insurance_summary": summarize_insurance(records.get("insurance_policies", []), data.as_of, config),
        "ocen_summary": summarize_ocen(records.get("ocen_applications", []), data.as_of, config),
        "ondc_summary": summarize_ondc(records.get("ondc_orders", []), data.as_of, config),
    }
    if "earnings_spendings" not in skip:
        bodies["earnings_spendings"] = summarize_earnings_spendings(txns, data.as_of, config)
    bodies["anomalies_report"] = detect_rule_anomalies(txns, bank, gst, config)
    bodies["signals"] = build_signals(txns, bodies, data.customer, config)
    bodies["credit_score"] = score_customer(bodies, data.customer, data.as_of, config)
    if "smart_collect" not in skip:
        bodies["smart_collect"] = plan_collections(txns, bank, bodies["credit_summary"], data.as_of, config,
                                                   records.get("accounts", []))
    bodies["overall_summary"] = summarize_overall(bodies, data.customer, data.consent, data.as_of, config)
    return {name: with_envelope(name, bodies[name], data, code_version, generated_at)
            for name in OUTPUT_NAMES if name in bodies}


def with_envelope(name: str, body: dict, data: CustomerData, code_version: str, generated_at: str) -> dict:
    """A document as written to the lake: who, as of when, computed when and by which code, then the body."""
    return {"customer_id": data.customer_id, "as_of": data.as_of.isoformat(), "generated_at": generated_at,
            "code_version": code_version, "name": name, **body}
