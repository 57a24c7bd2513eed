"""Sizing and pricing one product for one customer: rate, EMI capacity, amount, EMI, fee, basis, guardrails.

* **Rate** — risk-based: benchmark + cost of funds + operating cost + PD × LGD + capital charge (+ CGTMSE fee),
  by :func:`analytics.decision.pricing.price` from the customer's PD and the product's security. A price above
  the policy ceiling is not offered.
* **EMI capacity** = min(the year's capacity (:mod:`analytics.decision.capacity`), ``max_foir`` × gross monthly
  income − existing EMIs, net monthly income / ``min_dscr`` − existing EMIs), floored at 0.
* **Capacity principal**: annuity products P = E·((1+r)^n − 1) / (r·(1+r)^n); revolving and
  self-liquidating products P = E / r (the monthly interest at full use must fit in E).
* **Amount** = min(capacity principal, the size of the business — ``turnover_share`` × projected annual
  turnover for a working-capital limit (the turnover method), else ``turnover_multiple`` × verified monthly
  turnover — the product's drawing-power base (``advance_rate`` × B2B invoice pool, ``abb_multiple`` × 12-month
  ABB, ``outstanding_share`` × business credit outstanding), ``max_amount``), rounded down to ``amount_rounding``.
* **EMI**: annuity P·r·(1+r)^n / ((1+r)^n − 1); interest-only and bullet P·r; rounded half up to the rupee.
* **Processing fee** = clamp(``fee_pct`` × amount, ``fee_min``, ``fee_max``), GST extra.
* **Basis**: one sentence saying how the amount was reached, for the officer and the credit memo.
"""
from __future__ import annotations

import math
from typing import Any

from analytics.decision.policy import Policy
from analytics.decision.pricing import price
from analytics.metric import metric, missing
from analytics.recommendations.catalogue import REPAYMENT_KINDS, Product
from analytics.recommendations.facts import inr

CAP_LABELS = {"emi_capacity": "EMI capacity", "turnover": "the size of the business (turnover)",
              "invoice_pool": "the advance on the invoice pool", "abb_recent": "the ABB multiple",
              "business_outstanding": "the share of business credit outstanding", "product_maximum": "the product maximum"}
SECURITY_WORDS = {"stock_and_book_debts": "hypothecation of stock and book debts (primary security)",
                  "equipment": "hypothecation of the financed equipment, insured with the lender as loss payee",
                  "receivables": "assignment of the discounted receivables",
                  "government_guarantee": "a government credit guarantee on the whole amount (as under ECLGS)"}
BASES = {"advance_rate": ("invoice_pool", "B2B invoice pool"), "abb_multiple": ("abb_recent", "12-month ABB"),
         "outstanding_share": ("business_outstanding", "business credit outstanding")}


def rupees(x: float) -> int:
    """Half-up rounding to the rupee (Python's round() would round half to even); float noise below a millionth of
    a rupee is dropped first, so 7,762.4999999 (an exact half in decimal) is ₹7,763."""
    return math.floor(round(x, 6) + 0.5)


def instalment(principal: float, annual_rate: float, months: int, repayment: str) -> float:
    """The monthly payment, unrounded: annuity EMI, or the monthly interest P·r for revolving/bullet products."""
    r = annual_rate / 12
    if repayment != "annuity":
        return principal * r
    growth = (1 + r) ** months
    return principal * r * growth / (growth - 1)


def principal_for(emi: float, annual_rate: float, months: int, repayment: str) -> float:
    """The largest principal whose monthly payment is ``emi`` (inverse of :func:`instalment`)."""
    r = annual_rate / 12
    if repayment != "annuity":
        return emi / r
    growth = (1 + r) ** months
    return emi * (growth - 1) / (r * growth)


def uses_cgtmse(product: Product) -> bool:
    """Collateral-free credit of a CGTMSE-eligible product carries the guarantee (cover cuts the LGD, fee in the rate)."""
    return product.cgtmse_eligible and product.security == "unsecured"


def annual_rate(product: Product, pd_value: float | None, policy: Policy) -> dict:
    """Risk-based annual rate of a product for this PD (:func:`analytics.decision.pricing.price`)."""
    return price(pd_value, product.security, policy, product.operating_cost, cgtmse=uses_cgtmse(product))


def _capacity(product: Product, facts: dict) -> dict:
    bc, op, existing = (facts[k]["value"] for k in ("monthly_business_credits", "monthly_operating_debits",
                                                    "existing_emis"))
    parts: dict[str, Any] = {"cashflow": facts["cashflow_emi_capacity"]["value"]}
    e = product.eligibility
    if "max_foir" in e:
        parts["foir_room"] = None if bc is None or existing is None else e["max_foir"] * bc - existing
    if "min_dscr" in e:
        parts["dscr_room"] = None if None in (bc, op, existing) else (bc - op) / e["min_dscr"] - existing
    formula = "max(0, min(" + ", ".join({"cashflow": "cash-flow capacity",
                                         "foir_room": "max_foir x business credits - existing EMIs",
                                         "dscr_room": "(credits - operating debits) / min_dscr - existing EMIs"}[k]
                                        for k in parts) + "))"
    inputs = {**parts, "monthly_business_credits": bc, "monthly_operating_debits": op, "existing_emis": existing,
              "max_foir": e.get("max_foir"), "min_dscr": e.get("min_dscr")}
    absent = [k for k, v in parts.items() if v is None]
    if absent:
        return missing("INR", formula, f"cannot compute {', '.join(absent)}", inputs)
    binding = min(parts, key=parts.get)
    return metric(max(0.0, parts[binding]), "INR", formula, {**inputs, "binding": binding},
                  f"Largest new monthly instalment the customer can carry (bound by {binding}).")


def _turnover_cap(product: Product, facts: dict) -> dict:
    if "turnover_share" in product.sizing:
        share, projected = product.sizing["turnover_share"], facts["projected_annual_turnover"]
        formula = "turnover_share x projected annual turnover (the turnover method)"
        if projected["value"] is None:
            return missing("INR", formula, projected.get("reason") or "no projected turnover")
        return metric(share * projected["value"], "INR", formula,
                      {"turnover_share": share, "projected_annual_turnover": projected["value"]},
                      f"Turnover method (Nayak Committee, MSME limits up to ₹5 crore): {share:.0%} of projected annual "
                      "turnover as the working-capital requirement the bank finances.")
    multiple, turnover = product.sizing["turnover_multiple"], facts["monthly_turnover"]["value"]
    if turnover is None:
        return missing("INR", "turnover_multiple x monthly turnover", facts["monthly_turnover"].get("reason") or
                       "no turnover")
    return metric(multiple * turnover, "INR", "turnover_multiple x verified monthly turnover",
                  {"turnover_multiple": multiple, "monthly_turnover": turnover},
                  "Exposure limit relative to the size of the business.")


def size_offer(product: Product, facts: dict, signals: dict, cfg: dict, policy: Policy) -> dict[str, Any]:
    """The sizing block: rate, EMI capacity, every cap on the amount, the binding one, the amount and its EMI."""
    rate = annual_rate(product, facts["probability_of_default"]["value"], policy)
    capacity = _capacity(product, facts)
    n, kind = product.tenure_months, product.repayment
    caps: dict[str, dict] = {}
    if rate["value"] is None or capacity["value"] is None:
        why = rate.get("reason") if rate["value"] is None else capacity.get("reason")
        caps["emi_capacity"] = missing("INR", REPAYMENT_KINDS[kind], why)
    else:
        caps["emi_capacity"] = metric(principal_for(capacity["value"], rate["value"], n, kind), "INR",
                                      "P = E((1+r)^n - 1) / (r(1+r)^n)" if kind == "annuity" else "P = E / r",
                                      {"emi_capacity": capacity["value"], "annual_rate": rate["value"],
                                       "r_monthly": rate["value"] / 12, "tenure_months": n},
                                      "Principal whose instalment uses the whole EMI capacity.")
    caps["turnover"] = _turnover_cap(product, facts)
    for key, (signal, label) in BASES.items():
        if key in product.sizing:
            base = signals[signal]["value"]
            caps[signal] = (metric(max(0.0, product.sizing[key] * base), "INR", f"{key} x {label}",
                                   {key: product.sizing[key], signal: base}, f"Drawing power on the {label}.")
                            if base is not None else missing("INR", f"{key} x {label}",
                                                             signals[signal].get("reason") or f"no {label}"))
    caps["product_maximum"] = metric(product.max_amount, "INR", "product max_amount", {}, "Product ceiling.")
    if uses_cgtmse(product):
        guarantee_max = float(policy.pricing["cgtmse"]["max_amount"])
        caps["product_maximum"] = metric(min(product.max_amount, guarantee_max), "INR",
                                         "min(product max_amount, CGTMSE maximum)",
                                         {"max_amount": product.max_amount, "cgtmse_max_amount": guarantee_max},
                                         "Product ceiling, within what CGTMSE guarantees.")
    rounding = float(cfg.get("amount_rounding", 1000))
    absent = [k for k, m in caps.items() if m["value"] is None]
    sizing: dict[str, Any] = {"annual_rate": rate, "emi_capacity": capacity, "caps": caps, "binding_constraint": None}
    formula = f"floor(min({', '.join(caps)}) / {rounding:g}) x {rounding:g}"
    if absent:
        sizing["sized_amount"] = missing("INR", formula, f"cannot compute {', '.join(absent)}")
        return sizing
    binding = min(caps, key=lambda k: caps[k]["value"])
    amount = math.floor(caps[binding]["value"] / rounding) * rounding
    sizing["binding_constraint"] = binding
    sizing["sized_amount"] = metric(amount, "INR", formula, {k: m["value"] for k, m in caps.items()},
                                    f"The smallest cap ({binding}, {inr(caps[binding]['value'])}) rounded down.")
    emi = rupees(instalment(amount, rate["value"], n, kind))
    bc, op, existing = (facts[k]["value"] for k in ("monthly_business_credits", "monthly_operating_debits",
                                                    "existing_emis"))
    sizing["emi"] = _emi_metric(amount, rate["value"], n, kind, emi)
    sizing["foir_after"] = (metric((existing + emi) / bc, "ratio", "(existing EMIs + new instalment) / monthly "
                                   "business credits", {"existing_emis": existing, "new_instalment": emi,
                                               "monthly_business_credits": bc}, "FOIR once this product is drawn.")
                            if bc else missing("ratio", "(existing + new) / credits", "no business credits"))
    debt = existing + emi
    sizing["dscr_after"] = (metric((bc - op) / debt, "ratio", "(business credits - operating debits) / (existing EMIs "
                                   "+ new instalment)", {"monthly_business_credits": bc, "monthly_operating_debits": op,
                                                         "existing_emis": existing, "new_instalment": emi},
                                   "DSCR once this product is drawn.")
                            if op is not None and debt > 0 else missing("ratio", "DSCR after", "no operating debits"))
    return sizing


def _emi_metric(amount: float, rate: float, n: int, kind: str, emi: int) -> dict:
    formula = ("round(P·r·(1+r)^n / ((1+r)^n - 1)), r = annual rate / 12" if kind == "annuity" else
               "round(P·r), r = annual rate / 12 (interest on the full amount)")
    what = {"annuity": "Equal monthly instalment.", "interest_only": "Monthly interest with the limit fully drawn.",
            "bullet": "Monthly interest accruing; the principal is repaid at maturity by the buyer's payment."}[kind]
    return metric(emi, "INR/month", formula, {"principal": amount, "annual_rate": rate, "r_monthly": rate / 12,
                                              "tenure_months": n, "repayment": kind}, what)


def basis(product: Product, sizing: dict) -> str:
    """How the amount was reached, in one sentence an officer can check (the binding cap and its figures)."""
    caps, binding = sizing["caps"], sizing.get("binding_constraint")
    amount, rate = sizing["sized_amount"]["value"], sizing["annual_rate"]["value"]
    lead = {"revolving_limit": "Revolving limit", "term_loan": f"Term loan over {product.tenure_months} months",
            "invoice_discounting": "Invoice discounting"}[product.structure]
    turnover = caps.get("turnover", {})
    if "turnover_share" in product.sizing and turnover.get("value") is not None:
        size = (f"turnover method: {product.sizing['turnover_share']:.0%} of projected annual turnover "
                f"{inr(turnover['inputs']['projected_annual_turnover'])} = {inr(turnover['value'])}")
    elif "advance_rate" in product.sizing and caps.get("invoice_pool", {}).get("value") is not None:
        pool = caps["invoice_pool"]["inputs"]["invoice_pool"]
        size = f"{product.sizing['advance_rate']:.0%} of eligible receivables {inr(pool)} = {inr(caps['invoice_pool']['value'])}"
    else:
        size = f"size of the business: {turnover.get('formula', 'turnover cap')} = {inr(turnover.get('value'))}"
    capacity = sizing["emi_capacity"]["value"]
    carry = ("interest at full use" if product.repayment != "annuity" else "the EMI")
    return (f"{lead} of {inr(amount)} at {rate:.2%}: {size}; repayment capacity {inr(capacity)} a month carries "
            f"{carry} up to {inr(caps['emi_capacity']['value'])}; bound by {CAP_LABELS.get(binding, binding)}.")


def offer_terms(product: Product, sizing: dict, cfg: dict) -> dict[str, dict]:
    """Headline terms of an eligible product: amount, rate, tenure, EMI, processing fee, total interest, basis."""
    amount = sizing["sized_amount"]["value"]
    n, kind = product.tenure_months, product.repayment
    fee = rupees(min(max(product.fee_pct * amount, product.fee_min), product.fee_max))
    emi = sizing["emi"]["value"]
    interest = {"annuity": (emi * n - amount, "EMI x n - P"),
                "interest_only": (emi * 12, "monthly interest x 12 (a year fully drawn)"),
                "bullet": (emi * n, "monthly interest x n")}[kind]
    gst = float(cfg.get("gst_on_fees", 0.18))
    return {
        "amount": {**sizing["sized_amount"]},
        "annual_rate": sizing["annual_rate"],
        "tenure_months": metric(n, "months", "product tenure_months", {"repayment": kind},
                                "Revolving limit renewed at this interval." if kind == "interest_only" else
                                "Repayment term."),
        "emi": sizing["emi"],
        "processing_fee": metric(fee, "INR", "round(clamp(fee_pct x amount, fee_min, fee_max))",
                                 {"fee_pct": product.fee_pct, "amount": amount, "fee_min": product.fee_min,
                                  "fee_max": None if math.isinf(product.fee_max) else product.fee_max,
                                  "gst_rate": gst, "fee_with_gst": rupees(fee * (1 + gst))},
                                 f"One-time processing fee, GST at {gst:.0%} extra."),
        "total_interest": metric(rupees(interest[0]), "INR", interest[1], {"instalment": emi, "principal": amount,
                                                                          "tenure_months": n},
                                 "Interest paid over the term (at full use for a revolving limit)."),
        "basis": basis(product, sizing),
    }


def guardrails(product: Product, facts: dict, signals: dict, sizing: dict, cfg: dict) -> list[str]:
    """Conditions the sanction must carry: collateral, guarantees, NACH, fraud review, concentration, product terms."""
    out = list(product.conditions)
    amount = sizing["sized_amount"]["value"] or 0
    band = facts["risk_band"]["value"]
    rate_inputs = sizing["annual_rate"].get("inputs") or {}
    if "cgtmse_cover" in rate_inputs:
        fee = (rate_inputs.get("build_up") or {}).get("guarantee_fee", 0)
        out.append(f"CGTMSE guarantee cover on this collateral-free credit of {inr(amount)} ({rate_inputs['cgtmse_cover']:.0%} "
                   f"of the amount in default; annual fee {fee:.2%}, included in the rate)")
    elif product.security != "unsecured":
        out.append(f"Security: {SECURITY_WORDS.get(product.security, product.security)}")
    if band == "ELEVATED":
        out.append("Co-borrower or personal guarantee of the promoter(s): risk band ELEVATED")
    bounces = facts["inward_bounces"]["value"]
    if bounces:
        out.append(f"Repayment by NACH/e-mandate registered before disbursal: {bounces} own payment(s) bounced "
                   f"in the statement")
    if facts["fraud_severity"]["value"] == "MEDIUM":
        out.append("A credit officer must clear the MEDIUM-severity GST red flags before disbursal")
    share = facts["top_counterparty_share"]["value"]
    if share is not None and share > cfg["concentration_limit"]:
        out.append(f"Customer concentration: {share:.0%} of business credits come from one payer; confirm the "
                   f"relationship before sanction")
    buyer = signals["top_buyer_share"]["value"]
    if "advance_rate" in product.sizing and buyer is not None and buyer > cfg["concentration_limit"]:
        out.append(f"Buyer sub-limit: {buyer:.0%} of the invoice pool is one buyer; cap discounting per buyer")
    if facts["credit_score_sufficient"]["value"] is False:
        out.append("Refer to a credit officer: " + facts["credit_score_sufficient"]["explanation"])
    if (facts["cashflow_emi_capacity"].get("inputs") or {}).get("binding") and \
            not (facts["projected_annual_turnover"].get("inputs") or {}).get("forecast_inflows_12m"):
        out.append("Capacity sized on the trailing year only (no 12-month forecast): re-check against the forecast")
    return out
