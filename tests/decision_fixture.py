"""A ``decision.json`` in the shape of docs/decision.md, for test lakes that were analysed but never scored (the
API tests' lake runs generate, clean and analyze only, so a decision is chosen per test: an approval with an
offer, a decline, none at all). The engine's own document is tested in ``test_case_file.py`` and the e2e tests.

:func:`ensure_decision` writes it only where a real one is absent, so a lake the models step decided keeps the
engine's document. The fixture's figures come from the customer's own documents (PD and band
from ``risk_model.json``, the score from ``credit_score.json``, the offer from ``recommendations.json``); the
rate build-up splits the offer's rate into the contract's five parts. It is test data, marked as such
(``"fixture": true``).
"""
from __future__ import annotations

from typing import Any

from pipeline.lake import Lake

POLICY_VERSION = "2026.12.1"
BUILD_UP = {"benchmark": 0.0875, "cost_of_funds": 0.01, "operating_cost": 0.015}


def _read(lake: Lake, customer_id: str, name: str) -> dict:
    path = lake.analytics_path(customer_id, name)
    return lake.read_json(path) if path.exists() else {}


def _metric(value: Any, unit: str, formula: str, explanation: str, inputs: dict | None = None) -> dict:
    return {"value": value, "unit": unit, "formula": formula, "inputs": inputs or {}, "explanation": explanation}


def _offer(product: dict, pd_value: float) -> dict:
    build_up = {**BUILD_UP, "expected_loss": round(pd_value * 0.45, 4), "capital_charge": 0.0093}
    total = round(sum(build_up.values()), 4)
    return {
        "product_id": product["id"], "name": product["name"],
        "structure": "revolving_limit" if "capital" in product["id"] or product["id"] == "overdraft" else "term_loan",
        "amount": product["amount"], "tenure_months": product.get("tenure_months") or _metric(12, "months", "policy", "tenure"),
        "emi": product["emi"],
        "annual_rate": _metric(total, "ratio (annual)", "benchmark + cost of funds + opex + PD x LGD + capital charge",
                               "risk-based price", {"build_up": build_up}),
        "basis": "20% of projected annual turnover (turnover method), capped by repayment capacity",
        "conditions": list(product.get("conditions") or []),
    }


def _fallback_product(overall: dict) -> dict:
    """A working-capital product sized by the turnover method from the customer's own monthly business credits,
    for lakes whose models step has not run (no recommendations.json)."""
    monthly = float((((overall.get("key_metrics") or {}).get("avg_monthly_business_credits") or {}).get("value")) or 0)
    amount = float(int(monthly * 12 * 0.2 // 1000) * 1000) or 500000.0
    rate, months = 0.135, 12
    r = rate / 12
    emi = round(amount * r * (1 + r) ** months / ((1 + r) ** months - 1))
    return {"id": "working_capital_loan", "name": "Working Capital Loan",
            "amount": _metric(amount, "INR", "20% of annual business credits", "turnover method"),
            "tenure_months": _metric(months, "months", "product tenure_months", "Repayment term."),
            "emi": _metric(emi, "INR/month", "annuity", "Equal monthly instalment."),
            "annual_rate": _metric(rate, "ratio (annual)", "policy", "rate"), "conditions": []}


def build_decision(lake: Lake, customer_id: str, decision: str | None = None) -> dict:
    """A contract-shaped decision for ``customer_id`` from its documents (``decision`` overrides the engine's)."""
    risk, score = _read(lake, customer_id, "risk_model"), _read(lake, customer_id, "credit_score")
    overall, recs = _read(lake, customer_id, "overall_summary"), _read(lake, customer_id, "recommendations")
    pd_value = float(((risk.get("metrics") or {}).get("probability_of_default") or {}).get("value", 0.062))
    band = ((risk.get("metrics") or {}).get("risk_band") or {}).get("value") or "MODERATE"
    decided = decision or (overall.get("recommendation") or {}).get("decision") or "REFER"
    eligible = [p for p in recs.get("products") or [] if p.get("eligible")] or ([_fallback_product(overall)]
                                                                              if not recs else [])
    offers = [_offer(p, pd_value) for p in eligible[:3]] if decided in ("APPROVE", "APPROVE_WITH_CONDITIONS") else []
    if decided in ("APPROVE", "APPROVE_WITH_CONDITIONS") and not offers:
        decided = "REFER"
    reasons = score.get("reasons") or {}
    metrics = (risk.get("model") or {}).get("metrics") or {}

    def stat(name):
        value = metrics.get(name)
        return value.get("mean") if isinstance(value, dict) else value
    return {
        "customer_id": customer_id, "as_of": overall.get("as_of"), "generated_at": overall.get("generated_at"),
        "code_version": overall.get("code_version"), "name": "decision", "fixture": True,
        "decision": decided, "decided_by": "pd_cutoff",
        "policy": {"version": POLICY_VERSION, "effective_from": "2026-12-01", "sha256": "0" * 64},
        "risk_grade": {
            "probability_of_default": _metric(pd_value, "probability", "calibrator(margin)", "PD from the risk model",
                                              ),
            "band": band, "label": f"{band.title()} risk (PD {pd_value * 100:.1f}%)",
            "scorecard": (score.get("score") or _metric(700, "score (300-900)", "", "")),
            "overlay_applied": False},
        "knockouts": [], "rules_fired": [f"pd_band_{band.lower()}"],
        "reasons_for": [{"text": r["text"], "source": f"credit_score.{r.get('factor')}"} for r in reasons.get("raised", [])],
        "reasons_against": [{"text": r["text"], "source": f"credit_score.{r.get('factor')}"}
                            for r in reasons.get("lowered", [])],
        "conditions": ["Collateral or CGTMSE cover for the limit"] if decided == "APPROVE_WITH_CONDITIONS" else [],
        "offer": offers[0] if offers else None, "offers": offers,
        "capacity": {"metrics": {}},
        "collection": {"method": "NACH", "presentation_day": 5, "due_day": 7, "why": "credits peak in the first week"},
        "model": {"version": (risk.get("model") or {}).get("version"), "roc_auc": stat("roc_auc"), "ks": stat("ks"),
                  "gini": stat("gini"), "brier": stat("brier")},
        "metrics": {},
    }


def ensure_decision(lake: Lake, customer_id: str, decision: str | None = None) -> dict:
    """The customer's ``decision.json``: the real one when the models step wrote it, else this fixture."""
    path = lake.analytics_path(customer_id, "decision")
    if path.exists():
        return lake.read_json(path)
    document = build_decision(lake, customer_id, decision)
    lake.write_json(path, document)
    return document
