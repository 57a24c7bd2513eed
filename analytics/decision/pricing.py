"""Risk-based pricing: the annual rate built up from what lending this customer costs, shown line by line.

    rate = benchmark + cost of funds + operating cost + expected loss + capital charge (+ guarantee fee)

* **benchmark** — the external benchmark the loan is linked to (``credit_policy.pricing.benchmark``, an EBLR:
  the policy repo rate), set by treasury;
* **cost of funds** — the lender's funding cost above the benchmark;
* **operating cost** — servicing the loan, per product (``operating_cost`` on the product, else the policy's);
* **expected loss** = PD × LGD: the customer's 12-month probability of default from the risk model times the loss
  given default of the product's security (``pricing.lgd``); with a CGTMSE guarantee on collateral-free credit the
  LGD is cut by the cover (LGD × (1 − cover)) and the guarantee's annual fee is added as its own line;
* **capital charge** = risk weight × capital ratio × (hurdle rate − (benchmark + cost of funds)): the return the
  capital held against the loan must earn above the funding it replaces (RAROC).

The rate is rounded up to the next 0.05%. Every line but expected loss is the same for two customers of the same
product and security, and expected loss rises with PD, so the rate never falls as PD rises. A rate above
``pricing.ceiling`` is not offered: the lender does not lend at a price it may not charge, and a lower price
would not cover the loss it expects.
"""
from __future__ import annotations

import math
from typing import Any

from analytics.decision.policy import Policy
from analytics.metric import metric, missing

FORMULA = ("ceil_0.05%(benchmark + cost_of_funds + operating_cost + PD x LGD + capital_charge [+ guarantee_fee]), "
           "capital_charge = risk_weight x capital_ratio x (hurdle_rate - (benchmark + cost_of_funds))")
STEP = 0.0005


def capital_charge(policy: Policy) -> float:
    """The capital charge per rupee lent a year (see the module docstring)."""
    p = policy.pricing
    funding = float(p["benchmark"]["rate"]) + float(p["cost_of_funds"])
    c = p["capital"]
    return float(c["risk_weight"]) * float(c["capital_ratio"]) * max(0.0, float(c["hurdle_rate"]) - funding)


def loss_given_default(security: str, cgtmse: bool, policy: Policy) -> tuple[float, dict[str, Any]]:
    """LGD of a security kind, cut by CGTMSE cover when the loan carries the guarantee; with what it used."""
    table = policy.pricing["lgd"]
    if security not in table:
        raise ValueError(f"unknown security {security!r}; credit_policy.pricing.lgd has {sorted(table)}")
    base = float(table[security])
    if not cgtmse:
        return base, {"security": security, "lgd": base}
    cover = float(policy.pricing["cgtmse"]["cover"])
    return base * (1 - cover), {"security": security, "lgd_before_guarantee": base, "cgtmse_cover": cover}


def price(pd_value: float | None, security: str, policy: Policy, operating_cost: float | None = None,
          cgtmse: bool = False) -> dict[str, Any]:
    """The annual rate as a metric whose ``inputs.build_up`` lists every line; ``within_ceiling`` says if it may be
    offered. Missing (with the reason) when there is no PD to price the expected loss."""
    p = policy.pricing
    opex = float(p["operating_cost"] if operating_cost is None else operating_cost)
    if pd_value is None:
        return missing("ratio (annual)", FORMULA, "no probability of default: the expected loss cannot be priced "
                                                  "(run the score step)", {"security": security})
    lgd, lgd_inputs = loss_given_default(security, cgtmse, policy)
    build_up = {"benchmark": float(p["benchmark"]["rate"]), "cost_of_funds": float(p["cost_of_funds"]),
                "operating_cost": opex, "expected_loss": pd_value * lgd, "capital_charge": capital_charge(policy)}
    if cgtmse:
        build_up["guarantee_fee"] = float(p["cgtmse"]["annual_fee"])
    raw = sum(build_up.values())
    rate = round(math.ceil(round(raw / STEP, 6)) * STEP, 6)
    ceiling = float(p["ceiling"])
    out = metric(rate, "ratio (annual)", FORMULA,
                 {"build_up": {k: round(v, 6) for k, v in build_up.items()}, "probability_of_default": pd_value,
                  **lgd_inputs, "lgd_used": lgd, "unrounded": raw, "ceiling": ceiling,
                  "benchmark_name": p["benchmark"].get("name"), "policy_version": policy.version},
                 f"Annual rate built from the benchmark ({p['benchmark'].get('name', 'benchmark')}), the lender's "
                 f"funding and servicing costs, this customer's expected loss (PD {pd_value:.1%} x LGD {lgd:.0%}) and "
                 f"the capital held against the loan" + (", with the CGTMSE guarantee fee" if cgtmse else "") + ".")
    out["within_ceiling"] = rate <= ceiling + 1e-12
    return out
