"""The lender's product shelf, read from ``config.json`` (``recommendations.products``) and checked once.

Products are data: name, how the facility is structured (a revolving limit, an amortising term loan,
invoice discounting), tenure, how it is repaid, its security (which sets the loss given default the price
carries), operating cost, fees, sizing parameters, eligibility thresholds and which customer needs they fit.
This module only turns that data into typed, validated :class:`Product`
objects so a typo in the config fails loudly at load time instead of silently
skipping a rule. What each eligibility key means is documented in
:data:`RULE_KEYS` and applied by ``analytics.recommendations.rules``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

RISK_BANDS = ("LOW", "MODERATE", "ELEVATED", "HIGH")   # best to worst
REPAYMENT_KINDS = {
    "annuity": "equal monthly instalments: EMI = P·r·(1+r)^n / ((1+r)^n − 1), r = annual rate / 12",
    "interest_only": "revolving limit: monthly interest on the full limit, P·r; principal rolls over at renewal",
    "bullet": "self-liquidating: monthly interest P·r accrues, the principal is repaid at maturity by the buyer "
              "paying the discounted invoice",
}
NEED_SIGNALS = ("base", "seasonality", "receivables", "growth", "dip", "capex")
STRUCTURES = {
    "revolving_limit": "a revolving cash-credit / overdraft limit: drawn and repaid as the business needs, interest "
                       "on what is drawn, renewed every year",
    "term_loan": "an amortising term loan: equal monthly instalments of principal and interest",
    "invoice_discounting": "an advance against accepted B2B invoices, repaid when the buyer pays (self-liquidating)",
}

# eligibility key -> what it means (the evaluator of each lives in recommendations_rules.RULES)
RULE_KEYS = {
    "blocked_fraud_severities": "GST fraud-indicator severity must not be one of these",
    "block_written_off_or_suit_filed": "no written-off, settled or suit-filed account in the bureau",
    "min_vintage_months": "business vintage (months since incorporation, else oldest tradeline) at least this",
    "min_statement_months": "months of bank statement at least this",
    "min_credit_score": "credit score (300-900) at least this (the scorecard explains; the PD decides: off by default)",
    "max_risk_band": "risk band no worse than this (LOW < MODERATE < ELEVATED < HIGH)",
    "min_annual_turnover": "12 x verified monthly turnover at least this (INR)",
    "max_dpd_12m": "worst days past due in the last 12 months at most this",
    "max_foir": "(existing EMIs + new EMI) / monthly business credits at most this",
    "min_dscr": "(business credits - operating debits) / (existing EMIs + new EMI) at least this",
    "min_turnover_growth": "year-on-year turnover growth at least this (a shrinking business is not expanded)",
    "requires_growth_or_capex": "growth at least signals.growth_min, or a financed-asset (capex) history",
    "min_invoice_pool": "B2B invoices on filed GSTR-1 young enough to discount, at least this (INR)",
    "min_b2b_months_12m": "months of the last 12 with B2B invoices on GSTR-1, at least this",
    "min_abb": "average bank balance over the last signals.abb_months months, at least this (INR)",
    "max_abb_cv": "coefficient of variation of monthly ABB over those months, at most this",
    "min_positive_abb_months": "months of those with a positive ABB, at least this",
    "requires_relationship": "an active business credit facility in the bureau (an existing relationship)",
    "requires_temporary_dip": "last 3 months' business credits down vs the same months a year earlier, "
                              "after a year that was not already declining",
}
SIZING_KEYS = {"turnover_multiple", "turnover_share", "advance_rate", "abb_multiple", "outstanding_share"}


class CatalogueError(ValueError):
    """The ``recommendations`` section of config.json is incomplete or inconsistent."""


@dataclass(frozen=True)
class Product:
    """One product of the shelf, as configured."""

    id: str
    name: str
    purpose: str
    tenure_months: int
    repayment: str
    structure: str
    security: str
    cgtmse_eligible: bool
    operating_cost: float | None
    fee_pct: float
    fee_min: float
    fee_max: float
    min_amount: float
    max_amount: float
    sizing: dict[str, float]
    eligibility: dict[str, Any]
    need_fit: dict[str, float]
    conditions: tuple[str, ...] = field(default_factory=tuple)


def _require(entry: dict, key: str, where: str) -> Any:
    if key not in entry:
        raise CatalogueError(f"{where}: missing '{key}'")
    return entry[key]


def _product(entry: dict) -> Product:
    where = f"recommendations.products[{entry.get('id', '?')}]"
    repayment = _require(entry, "repayment", where)
    if repayment not in REPAYMENT_KINDS:
        raise CatalogueError(f"{where}: repayment '{repayment}' is not one of {sorted(REPAYMENT_KINDS)}")
    eligibility = dict(_require(entry, "eligibility", where))
    unknown = set(eligibility) - set(RULE_KEYS)
    if unknown:
        raise CatalogueError(f"{where}: unknown eligibility keys {sorted(unknown)}")
    if "max_risk_band" in eligibility and eligibility["max_risk_band"] not in RISK_BANDS:
        raise CatalogueError(f"{where}: max_risk_band must be one of {RISK_BANDS}")
    structure = _require(entry, "structure", where)
    if structure not in STRUCTURES:
        raise CatalogueError(f"{where}: structure '{structure}' is not one of {sorted(STRUCTURES)}")
    sizing = dict(_require(entry, "sizing", where))
    if set(sizing) - SIZING_KEYS or not {"turnover_multiple", "turnover_share"} & set(sizing):
        raise CatalogueError(f"{where}: sizing needs turnover_multiple or turnover_share, and only "
                             f"{sorted(SIZING_KEYS)}")
    need_fit = dict(_require(entry, "need_fit", where))
    if set(need_fit) - set(NEED_SIGNALS):
        raise CatalogueError(f"{where}: need_fit keys must be among {NEED_SIGNALS}")
    return Product(id=_require(entry, "id", where), name=_require(entry, "name", where),
                   purpose=entry.get("purpose", ""), tenure_months=int(_require(entry, "tenure_months", where)),
                   repayment=repayment, structure=structure, security=str(_require(entry, "security", where)),
                   cgtmse_eligible=bool(entry.get("cgtmse_eligible", False)),
                   operating_cost=None if entry.get("operating_cost") is None else float(entry["operating_cost"]),
                   fee_pct=float(_require(entry, "fee_pct", where)), fee_min=float(entry.get("fee_min", 0)),
                   fee_max=float(entry.get("fee_max", float("inf"))),
                   min_amount=float(_require(entry, "min_amount", where)),
                   max_amount=float(_require(entry, "max_amount", where)),
                   sizing=sizing, eligibility=eligibility, need_fit=need_fit,
                   conditions=tuple(entry.get("conditions", ())))


def load_catalogue(config: dict) -> tuple[Product, ...]:
    """The configured products in shelf order; raises :class:`CatalogueError` on a malformed entry.

    Why a loader: the rules, rates and sizes a credit committee signs off live in
    config.json, and a misspelt key must stop the run rather than drop a rule.
    """
    section = config.get("recommendations")
    if not section:
        raise CatalogueError("config.json has no 'recommendations' section")
    _require(section, "products", "recommendations")
    lgd = (config.get("credit_policy") or {}).get("pricing", {}).get("lgd", {})
    products = tuple(_product(entry) for entry in section["products"])
    unpriced = [p.id for p in products if lgd and p.security not in lgd]
    if unpriced:
        raise CatalogueError(f"recommendations.products {unpriced}: security not in credit_policy.pricing.lgd "
                             f"({sorted(lgd)})")
    ids = [p.id for p in products]
    if len(set(ids)) != len(ids):
        raise CatalogueError("recommendations.products: duplicate ids")
    return products


def band_rank(band: str) -> int:
    """0 for LOW ... 3 for HIGH, for comparing a band against a product's ``max_risk_band``."""
    return RISK_BANDS.index(band)
