"""Product recommendations: which of the lender's products fit this MSME, how much, at what price, and why.

:func:`recommend_products` returns the body of ``recommendations.json``. For
every product of the shelf (``recommendations.products`` in config.json, read
by ``analytics.recommendations.catalogue``):

1. **Facts and signals** — PD and band, income, existing EMIs and the year's repayment capacity (``facts``, on
   :mod:`analytics.decision.capacity`) and need signals with their evidence (``signals``), once per customer.
2. **Sizing and pricing** — ``offer``: a risk-based rate (benchmark + cost of funds + operating cost + PD × LGD
   + capital charge, :mod:`analytics.decision.pricing`); amount = the smallest of the EMI-capacity principal, the
   size of the business (turnover method for a working-capital limit), the product's drawing-power base and its
   maximum; EMI by the annuity formula (interest on the full limit for revolving and self-liquidating products);
   each offer says its structure (revolving limit, term loan, invoice discounting) and its basis in words.
3. **Eligibility** — ``rules``: every configured rule with its numbers; any failure makes
   the product NOT_ELIGIBLE (all failures listed), otherwise missing data makes it NOT_ASSESSED (with what
   is missing), otherwise ELIGIBLE. Nothing is eligible by default.
4. **Suitability** (0–100) = 100 × need fit × (0.5 + 0.5 × affordability) × risk factor, where
   need fit = min(1, Σ ``need_fit`` weight × signal strength) (a missing signal counts 0),
   affordability = EMI capacity / (``max_foir`` × monthly business credits) clipped to 0–1 (the share of
   the product's FOIR allowance still free), risk factor = ``risk_factor_by_band[band]``.
5. **Ranking** — ELIGIBLE first, then NOT_ELIGIBLE, then NOT_ASSESSED; within each by suitability
   (highest first), ties in shelf order.

Only analytics documents, the risk model's output and the forecast are read: never raw data or truth.
``docs["receivables_summary"]`` (``recommendations_receivables.summarize_receivables`` on the clean
GSTR-1 records) carries the B2B invoices that invoice discounting needs; without it that product is
not assessed.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from analytics.decision.capacity import repayment_capacity
from analytics.decision.policy import Policy, load_policy
from analytics.metric import metric, missing
from analytics.recommendations.catalogue import REPAYMENT_KINDS, STRUCTURES, Product, load_catalogue
from analytics.recommendations.facts import gather_facts, inr
from analytics.recommendations.offer import guardrails, offer_terms, size_offer
from analytics.recommendations.rules import decide, evaluate
from analytics.recommendations.signals import gather_signals

STATUS_ORDER = {"ELIGIBLE": 0, "NOT_ELIGIBLE": 1, "NOT_ASSESSED": 2}
OFFER_KEYS = {"amount": "INR", "annual_rate": "ratio (annual)", "tenure_months": "months", "emi": "INR/month",
              "processing_fee": "INR", "total_interest": "INR"}
SUITABILITY_FORMULA = "100 x need_fit x (0.5 + 0.5 x affordability) x risk_factor"


def _need_fit(product: Product, signals: dict) -> dict:
    used = {k: signals[k]["value"] for k in product.need_fit}
    fit = min(1.0, sum(w * (used[k] or 0.0) for k, w in product.need_fit.items()))
    return metric(fit, "fit (0-1)", "min(1, Σ need_fit weight x signal strength)",
                  {"weights": product.need_fit, "signals": used},
                  "How well the product answers what the data says the business needs (missing signals count 0).")


def _suitability(product: Product, fit: dict, facts: dict, sizing: dict, cfg: dict) -> dict:
    capacity, bc = sizing["emi_capacity"]["value"], facts["monthly_business_credits"]["value"]
    band = facts["risk_band"]["value"]
    foir_cap = product.eligibility.get("max_foir", cfg["default_max_foir"])
    inputs = {"need_fit": fit["value"], "emi_capacity": capacity, "max_foir": foir_cap,
              "monthly_business_credits": bc, "risk_band": band}
    if capacity is None or not bc or band is None:
        return missing("score (0-100)", SUITABILITY_FORMULA, "EMI capacity, business credits or risk band missing",
                       inputs)
    afford = min(1.0, max(0.0, capacity / (foir_cap * bc)))
    risk_factor = cfg["risk_factor_by_band"][band]
    score = 100 * fit["value"] * (0.5 + 0.5 * afford) * risk_factor
    return metric(round(score, 1), "score (0-100)", SUITABILITY_FORMULA,
                  {**inputs, "affordability": afford, "risk_factor": risk_factor},
                  "Fit to the need signals, scaled by affordability headroom and risk; orders the products.")


def _assess(product: Product, facts: dict, signals: dict, config: dict, policy: Policy) -> dict[str, Any]:
    cfg = config["recommendations"]
    sizing = size_offer(product, facts, signals, cfg, policy)
    rules = evaluate(product, facts, signals, sizing, config)
    status, reasons = decide(rules)
    if status == "ELIGIBLE":
        terms = offer_terms(product, sizing, cfg)
    else:
        why = f"not offered ({status.lower().replace('_', ' ')}): {reasons[0]}"
        terms = {k: missing(unit, "see sizing", why) for k, unit in OFFER_KEYS.items()}
        terms["basis"] = None
    fit = _need_fit(product, signals)
    return {
        "id": product.id, "name": product.name, "purpose": product.purpose, "status": status,
        "eligible": status == "ELIGIBLE", "rank": None, "reasons": reasons,
        "structure": {"kind": product.structure, "description": STRUCTURES[product.structure]},
        "security": product.security,
        "repayment": {"kind": product.repayment, "description": REPAYMENT_KINDS[product.repayment]},
        **terms,
        "conditions": guardrails(product, facts, signals, sizing, cfg) if status == "ELIGIBLE" else [],
        "need_fit": fit, "suitability": _suitability(product, fit, facts, sizing, cfg),
        "rules": rules, "sizing": sizing,
    }


def _envelope_as_of(docs: dict) -> date:
    for doc in docs.values():
        if isinstance(doc, dict) and doc.get("as_of"):
            return date.fromisoformat(str(doc["as_of"])[:10])
    raise ValueError("recommend_products needs as_of when the documents carry none")


def _rank_key(entry: dict, shelf: dict[str, int]) -> tuple:
    score = entry["suitability"]["value"]
    return STATUS_ORDER[entry["status"]], -(score if score is not None else -1.0), shelf[entry["id"]]


def recommend_products(docs: dict[str, dict], risk: dict | None, forecast: dict | None,
                       config: dict, as_of: date | None = None, capacity: dict | None = None) -> dict[str, Any]:
    """The body of ``recommendations.json``: every product assessed, ranked, with amounts, rates, EMIs and reasons.

    ``docs`` are the customer's analytics documents by name (plus ``receivables_summary``); ``risk`` is
    the body of ``risk_model.json`` and ``forecast`` of ``cashflow_forecast.json`` — either may be None,
    and the documented fallback is then used and announced in ``notes``. ``as_of`` (else the documents'
    envelope date) marks the statement month that is still partial, which the dip and ABB signals leave out.
    """
    products = load_catalogue(config)
    policy = load_policy(config)
    as_of = as_of or _envelope_as_of(docs)
    if capacity is None:
        capacity = repayment_capacity(docs, forecast, policy, as_of)
    facts, notes = gather_facts(docs, risk, capacity, config)
    signals = gather_signals(docs, config, as_of)
    if "receivables_summary" not in docs:
        notes.append("No receivables_summary: invoice discounting cannot be assessed without the GSTR-1 B2B invoices.")
    shelf = {p.id: i for i, p in enumerate(products)}
    entries = sorted((_assess(p, facts, signals, config, policy) for p in products),
                     key=lambda e: _rank_key(e, shelf))
    for rank, entry in enumerate(entries, start=1):
        entry["rank"] = rank
    eligible = [e for e in entries if e["eligible"]]
    best = max(eligible, key=lambda e: e["amount"]["value"], default=None)
    metrics = {
        "eligible_products": metric(len(eligible), "count", "products with status ELIGIBLE",
                                    {"products": [e["id"] for e in eligible]}, "Products the customer qualifies for."),
        "products_not_assessed": metric(sum(e["status"] == "NOT_ASSESSED" for e in entries), "count",
                                        "products with status NOT_ASSESSED",
                                        {"products": [e["id"] for e in entries if e["status"] == "NOT_ASSESSED"]},
                                        "Products the data is not enough to decide."),
        "largest_eligible_amount": (metric(best["amount"]["value"], "INR", "max amount over eligible products",
                                           {"product": best["id"]}, "The largest single offer.")
                                    if best else missing("INR", "max amount over eligible products",
                                                         "no product is eligible")),
        "emi_capacity": facts["cashflow_emi_capacity"],
    }
    top = entries[0] if entries and entries[0]["eligible"] else None
    return {
        "metrics": metrics,
        "summary": {"top_recommendation": top["id"] if top else None,
                    "top_recommendation_name": top["name"] if top else None,
                    "eligible": [e["id"] for e in eligible],
                    "headline": (f"{top['name']} of {inr(top['amount']['value'])} recommended first"
                                 if top else "No product is eligible: see each product's reasons")},
        "ranking": [e["id"] for e in entries],
        "products": entries,
        "customer_facts": facts,
        "need_signals": signals,
        "risk": {"band": facts["risk_band"], "probability_of_default": facts["probability_of_default"],
                 "source": facts["risk_band"].get("source"),
                 "drivers": ((risk or {}).get("drivers") or [])[:5]},
        "capacity": capacity.get("metrics", {}),
        "policy_version": policy.version,
        "notes": notes,
        "policy": {"status": "NOT_ELIGIBLE if any rule fails (all failures listed); NOT_ASSESSED if a rule "
                             "cannot be judged for missing data; ELIGIBLE otherwise",
                   "ranking": "ELIGIBLE first, then NOT_ELIGIBLE, then NOT_ASSESSED; by suitability within each",
                   "suitability": SUITABILITY_FORMULA,
                   "alternatives": "each product is sized on the customer's whole EMI capacity: the offers are "
                                   "alternatives, not cumulative; a second product must be re-sized after the first",
                   "methodology": "docs/recommendations.md"},
    }
