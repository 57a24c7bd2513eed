"""The generator contract: ``generate_customer`` builds every source of one customer from one plan.

Sources are a registry (:data:`SOURCE_BUILDERS`) run in dependency order over a
shared context: GST first (its cash payments are bank debits; each month's GSTR-2B
follows its GSTR-1 and GSTR-3B), mutual funds
(SIP debits, redemption credits), then the bank, whose closing OD/CC balance
the bureau reports, then the sources that only read the plan.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Callable

from .bank import build_bank
from .related_parties import related_parties
from .bureau import build_bureau
from .consent import build_consent
from .gc_pause import without_cycle_collection
from .gst import build_gst
from .gst2b import build_gstr2b
from .insurance import build_insurance
from .mutual_funds import build_mutual_funds
from .ocen import build_ocen
from .ondc import build_ondc
from .plan import Plan, build_plan
from .profiles import PROFILE_NAMES, Profile, get_profile
from .seeding import stable_seed
from .stress import stress_settings, stress_transactions

__all__ = ["GeneratedCustomer", "generate_customer", "profile_for", "PROFILE_NAMES", "SOURCES", "SOURCE_BUILDERS"]

SOURCES = ("accounts", "transactions", "gst_returns", "credit_bureau", "mutual_funds", "insurance_policies",
           "ocen_applications", "ondc_orders")
_ID = re.compile(r"^CUST_[A-Z]{3}_\d{5}$")


@dataclass
class GeneratedCustomer:
    """Everything generated for one customer: meta, consent, canonical records per source, truth."""

    customer_id: str
    profile: str
    as_of: dt.date
    customer: dict
    consent: dict
    records: dict[str, list[dict]]
    truth: dict
    txn_categories: dict[str, str]


def _gst(plan: Plan, ctx: dict) -> dict[str, list[dict]]:
    records, ctx["gst_payments"] = build_gst(plan)
    statements, ctx["itc_excess"] = build_gstr2b(plan, records)
    by_period = {r["ret_prd"]: r for r in statements}
    merged = []
    for record in records:
        merged.append(record)
        if record["return_type"] == "GSTR3B" and record["ret_prd"] in by_period:
            merged.append(by_period.pop(record["ret_prd"]))
    return {"gst_returns": merged + list(by_period.values())}


def _mf(plan: Plan, ctx: dict) -> dict[str, list[dict]]:
    records, ctx["mf_flows"] = build_mutual_funds(plan)
    return {"mutual_funds": records}


def _bank(plan: Plan, ctx: dict) -> dict[str, list[dict]]:
    ctx["bank"] = bank = build_bank(plan, ctx["gst_payments"], ctx["mf_flows"])
    return {"accounts": bank.accounts, "transactions": bank.transactions}


SOURCE_BUILDERS: tuple[tuple[str, Callable[[Plan, dict], dict[str, list[dict]]]], ...] = (
    ("gst_returns", _gst),
    ("mutual_funds", _mf),
    ("bank", _bank),
    ("credit_bureau", lambda plan, ctx: {"credit_bureau": build_bureau(plan, ctx["bank"].final_balance)}),
    ("insurance_policies", lambda plan, ctx: {"insurance_policies": build_insurance(plan)}),
    ("ocen_applications", lambda plan, ctx: {"ocen_applications": build_ocen(plan)}),
    ("ondc_orders", lambda plan, ctx: {"ondc_orders": build_ondc(plan)}),
)


def profile_for(customer_id: str, config: dict) -> str:
    """The profile of a customer: the demo mapping in config, else chosen by the id's stable hash."""
    demo = config.get("demo_customers", {})
    if customer_id in demo:
        return demo[customer_id]
    return PROFILE_NAMES[stable_seed(customer_id) % len(PROFILE_NAMES)]


def _truth(plan: Plan, bank, itc_excess: list[dict]) -> dict[str, Any]:
    monthly = [{"month": m.label, "true_sales": round(plan.sales[m.index], 2),
                "declared_turnover": plan.declared[m.index] if m.index < plan.n_gst else None,
                "gst_return_filed": m.index < plan.n_gst} for m in plan.months]
    return {
        "settlements": bank.settlements,
        "planted_anomalies": bank.planted,
        "circular_pairs": bank.circular,
        "planted": {"bounce_attribution": bank.bounces, **bank.related, "reconciliation": bank.reconciliation,
                    "window_dressing": bank.window_dressing, "itc_excess": itc_excess,
                    "loan_stacking": [{"lenders": [loan.lender for loan in plan.stacked],
                                       "account_numbers": [loan.account_number for loan in plan.stacked]}]
                    if plan.stacked else []},
        "duplicate_txn_ids": bank.duplicates,
        "categories_leaf": bank.leaves,
        "anchor_buyer": {"name": plan.buyers[0].party.name, "gstin": plan.buyers[0].party.gstin,
                         "planned_share_of_b2b": round(plan.buyers[0].share, 4)},
        "emi_loans": [{"lender": loan.lender, "account_number": loan.account_number, "emi": loan.emi,
                       "emi_day": loan.emi_day, "source": loan.source, "bounced_months": len(loan.bounces)}
                      for loan in plan.loans if loan.in_bank],
        "monthly": monthly,
        "ledger": bank.stats,
    }


@without_cycle_collection
def generate_customer(customer_id: str, profile: str | None, as_of: dt.date, config: dict,
                      spec: Profile | None = None) -> GeneratedCustomer:
    """Generate one customer's consent, canonical records of every source, and ground truth.

    ``profile`` None means :func:`profile_for`. ``spec`` (optional) is the
    :class:`Profile` itself, for a variant that is not in the registry (the risk
    model's training portfolio lays fraud over honest profiles with
    :func:`generators.profiles.with_fraud`); its name is the profile's name.
    ``as_of`` is moved to the first of its month; the history is the
    ``generator.history_months`` complete months before it and nothing is dated
    on or after it. Same id, profile and as-of month give byte-identical output.
    """
    if not isinstance(customer_id, str) or not _ID.fullmatch(customer_id):
        raise ValueError(f"invalid customer id {customer_id!r}: expected CUST_XXX_NNNNN")
    name = spec.name if spec is not None else profile or profile_for(customer_id, config)
    spec = spec if spec is not None else get_profile(name)
    as_of = dt.date(as_of.year, as_of.month, 1)
    seed = stable_seed(customer_id)
    plan = build_plan(customer_id, seed, spec, as_of, config.get("generator", {}))
    ctx: dict[str, Any] = {}
    records: dict[str, list[dict]] = {}
    for _, builder in SOURCE_BUILDERS:
        records.update(builder(plan, ctx))
    ident = plan.identity
    customer = {
        "customer_id": customer_id, "profile": name, "business_name": ident.business_name,
        "owner_name": ident.owner_name, "constitution": ident.constitution, "industry": ident.industry,
        "gstin": ident.gstin, "pan": ident.pan, "udyam": ident.udyam, "state": ident.state, "city": ident.city,
        "incorporation_date": ident.incorporation_date.isoformat(), "as_of": as_of.isoformat(), "seed": seed,
        "related_parties": [{k: v for k, v in p.items() if k != "statement_name"} for p in related_parties(plan)],
    }
    truth = _truth(plan, ctx["bank"], ctx["itc_excess"])
    stress = stress_settings(config.get("generator", {}))
    if stress:
        truth["stress"] = {**stress, "narrations_changed": stress_transactions(records["transactions"], seed, stress)}
    return GeneratedCustomer(customer_id, name, as_of, customer, build_consent(plan),
                             {s: records[s] for s in SOURCES}, truth, ctx["bank"].categories)
