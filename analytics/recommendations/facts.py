"""Customer-level facts every product is judged on: risk, income, obligations, repayment capacity.

Each fact is a metric object copied from (or computed on) the analytics documents, the risk model's output and
the repayment capacity (:mod:`analytics.decision.capacity`), with where it came from:

* **Risk** — the risk model's probability of default and band (``risk_model.json``). Without it no product can
  be priced (the expected loss is PD × LGD) and every product is NOT_ASSESSED: the 300-900 scorecard explains,
  it does not price.
* **Income, obligations and capacity** — from a year of cash flow: gross income is the trailing 12 months'
  average business credits, operating debits what the year's cash available for debt service leaves of it,
  existing EMIs the statement's EMIs plus bureau loans paid from other accounts, and the EMI capacity the
  policy's DSCR and FOIR limits leave on the year (trailing and forecast) — never the P20 of a 90-day forecast.
* **Turnover** — verified annual turnover is the lower of GST turnover and bank business credits over the
  trailing 12 months (a lender funds what both the tax return and the bank account support); projected annual
  turnover adds the forecast's growth (the basis of the turnover method for working-capital limits).
"""
from __future__ import annotations

from typing import Any

from analytics.metric import metric, missing
from analytics.recommendations.catalogue import RISK_BANDS
from pipeline.indian import inr as indian_inr


def doc_metric(docs: dict, document: str, key: str) -> dict | None:
    """The metric ``key`` of ``docs[document]``, or None when the document or metric is absent."""
    found = ((docs.get(document) or {}).get("metrics") or {}).get(key)
    return found if isinstance(found, dict) else None


def value(m: dict | None) -> Any:
    """A metric's value, None for an absent metric."""
    return None if m is None else m.get("value")


def copied(docs: dict, document: str, key: str, unit: str) -> dict:
    """A metric copied from an analytics document with its source, or missing with the reason."""
    found = doc_metric(docs, document, key)
    if found is None:
        return missing(unit, f"{document}.metrics.{key}", f"{document} has no metric {key}")
    return {**found, "source": f"{document}.metrics.{key}"}


def _risk(risk: dict | None, notes: list[str]) -> tuple[dict, dict]:
    metrics = (risk or {}).get("metrics") or {}
    pd_metric, band_metric = metrics.get("probability_of_default"), metrics.get("risk_band")
    if value(pd_metric) is not None and value(band_metric) in RISK_BANDS:
        return ({**band_metric, "source": "risk_model.metrics.risk_band"},
                {**pd_metric, "source": "risk_model.metrics.probability_of_default"})
    why = "no risk model output: run the score step" if risk is None else \
        (pd_metric or {}).get("reason") or "the risk model published no probability of default"
    notes.append(f"No probability of default ({why}): no product can be priced or assessed for risk.")
    return missing("band", "risk_model.metrics.risk_band", why), \
        missing("probability", "risk_model.metrics.probability_of_default", why)


def _vintage(docs: dict) -> dict:
    for component in (docs.get("credit_score") or {}).get("components") or []:
        for factor in component.get("factors") or []:
            if factor.get("key") == "vintage_months" and factor.get("value") is not None:
                return metric(factor["value"], "months", "credit_score factor vintage_months: months since "
                              "incorporation, else since the oldest bureau tradeline", {"source": factor.get("source")},
                              "Business vintage as the credit score used it.") | {"source": "credit_score"}
    oldest = doc_metric(docs, "credit_summary", "oldest_tradeline_months")
    if value(oldest) is not None:
        return {**oldest, "source": "credit_summary.metrics.oldest_tradeline_months"}
    months = value(doc_metric(docs, "transaction_summary", "months_covered"))
    if months is not None:
        return metric(months, "months", "months of bank statement (a lower bound on vintage)",
                      {"months_covered": months}, "No incorporation date or bureau history: the business is at "
                      "least as old as its statement.") | {"source": "transaction_summary.metrics.months_covered"}
    return missing("months", "incorporation date, oldest tradeline or statement length", "no vintage data")


def _bureau_adverse(docs: dict) -> dict:
    flags = {k: value(doc_metric(docs, "credit_summary", k)) for k in ("written_off", "suit_filed", "settled")}
    formula = "written_off or suit_filed or settled (credit_summary)"
    if all(v is None for v in flags.values()):
        return missing("flag", formula, "no bureau report", flags)
    return metric(any(bool(v) for v in flags.values()), "flag", formula, flags,
                  "An account written off, settled or taken to court.")


def _fraud(docs: dict) -> dict:
    gst = docs.get("gst_summary") or {}
    severity = (gst.get("fraud_indicators") or {}).get("severity")
    formula = "gst_summary.fraud_indicators.severity"
    if severity is None:
        return missing("severity", formula, "no GST, bank or circular-flow data to assess fraud indicators")
    titles = [i.get("title") for i in (gst.get("fraud_indicators") or {}).get("indicators", [])]
    return metric(severity, "severity", formula, {"indicators": titles}, "Overall GST fraud-indicator severity.")


def _from_capacity(capacity: dict, key: str, unit: str) -> dict:
    found = (capacity.get("metrics") or {}).get(key)
    if not isinstance(found, dict):
        return missing(unit, f"capacity.{key}", "repayment capacity was not computed")
    return {**found, "source": f"decision.capacity.{key}"}


def gather_facts(docs: dict, risk: dict | None, capacity: dict, config: dict) -> tuple[dict, list[str]]:
    """``({name: metric}, notes)``: the customer-level inputs of every product decision.

    Why one place: each product reads the same risk, income and capacity, and a loan officer should see each of
    them once, with its source. ``capacity`` is :func:`analytics.decision.capacity.repayment_capacity`'s result.
    """
    notes: list[str] = list(capacity.get("notes") or [])
    band, pd_metric = _risk(risk, notes)
    gross = _from_capacity(capacity, "gross_monthly_income", "INR")
    net = _from_capacity(capacity, "net_monthly_income", "INR")
    projected = _from_capacity(capacity, "projected_annual_turnover", "INR")
    verified = (projected.get("inputs") or {}).get("verified_turnover_12m")
    window = gross.get("window")
    operating = (metric(gross["value"] - net["value"], "INR", "gross monthly income - net monthly income",
                        {"gross_monthly_income": gross["value"], "net_monthly_income": net["value"]},
                        "Monthly operating outflows of the trailing year (all debits but EMIs, self-transfers "
                        "and returned items).", window=window)
                 if gross["value"] is not None and net["value"] is not None else
                 missing("INR", "gross - net monthly income", "no income figures"))
    turnover_inputs = {k: v for k, v in (projected.get("inputs") or {}).items() if k.endswith("_12m")}
    if verified is not None:
        annual = metric(verified, "INR", "min(GST turnover 12m excl. tax, bank business credits 12m)",
                        turnover_inputs, "Verified annual turnover: what both the GST returns and the bank support.",
                        window=window)
        monthly = metric(verified / 12, "INR", "verified annual turnover / 12", {"annual_turnover": verified},
                         "Verified monthly turnover.", window=window)
    else:
        annual = missing("INR", "min(GST, bank) over 12 months", "no turnover data")
        monthly = missing("INR", "verified annual turnover / 12", "no turnover data")
    facts = {
        "risk_band": band, "probability_of_default": pd_metric,
        "credit_score": copied(docs, "credit_score", "score", "score (300-900)"),
        "fraud_severity": _fraud(docs), "bureau_adverse": _bureau_adverse(docs),
        "worst_dpd_12m": copied(docs, "credit_summary", "worst_dpd_12m", "days"),
        "vintage_months": _vintage(docs),
        "statement_months": copied(docs, "transaction_summary", "months_covered", "count"),
        "monthly_business_credits": gross,
        "monthly_operating_debits": operating,
        "annual_turnover": annual,
        "monthly_turnover": monthly,
        "projected_annual_turnover": projected,
        "existing_emis": _from_capacity(capacity, "existing_obligations", "INR/month"),
        "cashflow_emi_capacity": _from_capacity(capacity, "max_new_emi", "INR/month"),
        "dscr_now": _from_capacity(capacity, "dscr", "ratio"),
        "inward_bounces": copied(docs, "transaction_summary", "inward_bounces", "count"),
        "top_counterparty_share": copied(docs, "transaction_summary", "top_counterparty_share", "ratio"),
    }
    facts["credit_score_sufficient"] = _sufficiency(docs)
    if facts["credit_score_sufficient"]["value"] is False:
        notes.append(facts["credit_score_sufficient"]["explanation"])
    return facts, notes


def _sufficiency(docs: dict) -> dict:
    sufficiency = (docs.get("credit_score") or {}).get("data_sufficiency")
    formula = "credit_score.data_sufficiency.sufficient"
    if not sufficiency:
        return missing("flag", formula, "the credit score publishes no data-sufficiency check")
    ok = bool(sufficiency.get("sufficient"))
    return metric(ok, "flag", formula, {"reasons": sufficiency.get("reasons", [])},
                  "The credit score rests on enough data." if ok else
                  "The credit score rests on too little data: " + "; ".join(sufficiency.get("reasons", [])))


def inr(amount: float | None) -> str:
    """``1234567.8`` -> ``₹12,34,568``: Indian grouping, whole rupees, for sentences a loan officer reads."""
    return "n/a" if amount is None else indian_inr(amount)
