"""Customer-level facts every product is judged on: risk band, income, obligations, EMI capacity.

Each fact is a metric object copied from (or computed on) the analytics
documents, the risk model's output and the cash-flow forecast, with where it
came from. Two documented fallbacks, both announced in the returned notes:

* **Risk band** — ``risk_model.metrics.risk_band`` when the risk model ran; otherwise the credit-score
  band mapped by ``recommendations.score_band_to_risk_band`` (A → LOW, B and C → MODERATE, D → ELEVATED,
  E → HIGH: B is "moderate-low" and is priced as MODERATE, the cautious side).
* **Cash-flow EMI capacity** — ``cashflow_forecast.metrics.suggested_max_emi`` when the forecast ran;
  otherwise the statement's average monthly surplus (already net of existing EMIs) times
  ``1 − recommendations.surplus_buffer`` (25% kept back for months below average).

Existing EMIs are the largest of the statement's active EMIs, the bureau's EMI burden and the collections
plan's monthly obligations: a loan one source misses is still owed. Verified monthly turnover is the
lower of GST turnover and bank business credits: a lender funds what both the tax return and the bank
account support.
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


def _risk(docs: dict, risk: dict | None, cfg: dict, notes: list[str]) -> tuple[dict, dict]:
    pd_metric = ((risk or {}).get("metrics") or {}).get("probability_of_default")
    band = value(((risk or {}).get("metrics") or {}).get("risk_band"))
    if band in RISK_BANDS:
        return (metric(band, "band", "risk_model.metrics.risk_band",
                       {"probability_of_default": value(pd_metric)},
                       "Risk band from the risk model's probability of default.") | {"source": "risk_model"},
                pd_metric or missing("probability", "risk_model.metrics.probability_of_default", "not published"))
    table = cfg["score_band_to_risk_band"]
    score = docs.get("credit_score") or {}
    code = (score.get("band") or {}).get("code")
    pd_missing = missing("probability", "risk_model.metrics.probability_of_default", "no risk model output")
    if code not in table:
        notes.append("No risk model output and no credit-score band: no product can be assessed for risk.")
        return missing("band", "credit-score band -> risk band", "neither a risk model band nor a credit-score band"), \
            pd_missing
    notes.append(f"No risk model output: risk band {table[code]} taken from credit-score band {code} "
                 f"by the table recommendations.score_band_to_risk_band.")
    return (metric(table[code], "band", "recommendations.score_band_to_risk_band[credit-score band]",
                   {"credit_score_band": code, "credit_score": value(score.get("score")), "table": str(table)},
                   "Risk band from the credit-score band (the risk model did not run).") | {"source": "credit_score"},
            pd_missing)


def _existing_emis(docs: dict) -> dict:
    sources = {"transaction_summary.emi_monthly_total": value(doc_metric(docs, "transaction_summary",
                                                                         "emi_monthly_total")),
               "credit_summary.total_emi_burden": value(doc_metric(docs, "credit_summary", "total_emi_burden")),
               "smart_collect.monthly_obligation_total": value(doc_metric(docs, "smart_collect",
                                                                          "monthly_obligation_total"))}
    present = {k: float(v) for k, v in sources.items() if v is not None}
    formula = "max(statement active EMIs, bureau EMI burden, collections plan monthly obligations)"
    if not present:
        return missing("INR", formula, "no statement, bureau or collections data on existing EMIs", sources)
    return metric(max(present.values()), "INR", formula, sources,
                  "Monthly instalments already owed; the largest source counts, since a loan one source misses "
                  "is still owed.")


def _turnover(docs: dict) -> dict:
    gst = value(doc_metric(docs, "gst_summary", "avg_monthly_turnover"))
    bank = value(doc_metric(docs, "transaction_summary", "avg_monthly_business_credits"))
    present = {k: float(v) for k, v in (("gst_avg_monthly_turnover", gst), ("bank_avg_monthly_business_credits", bank))
               if v is not None}
    formula = "min(GST average monthly turnover, bank average monthly business credits)"
    if not present:
        return missing("INR", formula, "neither GST turnover nor bank business credits available")
    return metric(min(present.values()), "INR", formula, present,
                  "Monthly turnover both the tax return and the bank account support (the lower of the two "
                  "available).")


def _cashflow_capacity(docs: dict, forecast: dict | None, cfg: dict, notes: list[str]) -> dict:
    suggested = ((forecast or {}).get("metrics") or {}).get("suggested_max_emi")
    if isinstance(suggested, dict) and suggested.get("value") is not None:
        return metric(float(suggested["value"]), "INR", "cashflow_forecast.metrics.suggested_max_emi",
                      {"suggested_max_emi": suggested["value"]},
                      "Largest new EMI the cash-flow forecast supports.") | {"source": "cashflow_forecast"}
    buffer = float(cfg["surplus_buffer"])
    surplus = value(doc_metric(docs, "transaction_summary", "avg_monthly_surplus"))
    formula = "avg_monthly_surplus x (1 - surplus_buffer)"
    why = "no cash-flow forecast" if forecast is None else "the forecast has no suggested_max_emi value"
    if surplus is None:
        notes.append(f"{why.capitalize()} and no statement surplus: EMI capacity cannot be computed.")
        return missing("INR", formula, f"{why} and no average monthly surplus in transaction_summary")
    capacity = float(surplus) * (1 - buffer)
    notes.append(f"{why.capitalize()}: EMI capacity falls back to the statement's average monthly surplus "
                 f"{inr(surplus)} less a {buffer:.0%} buffer = {inr(capacity)}.")
    return metric(capacity, "INR", formula, {"avg_monthly_surplus": surplus, "surplus_buffer": buffer},
                  f"Fallback ({why}): average monthly surplus after all debits incl. existing EMIs, less a "
                  f"{buffer:.0%} buffer for below-average months.") | {"source": "transaction_summary (fallback)"}


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


def _operating_debits(docs: dict) -> dict:
    dscr = doc_metric(docs, "transaction_summary", "dscr") or {}
    op = (dscr.get("inputs") or {}).get("avg_monthly_operating_debits")
    formula = "transaction_summary.metrics.dscr.inputs.avg_monthly_operating_debits"
    if op is None:
        return missing("INR", formula, "no bank statement operating debits")
    return metric(float(op), "INR", formula, {"avg_monthly_operating_debits": op},
                  "Average monthly debits except EMIs, self-transfers out, SIPs and returned cheques.")


def gather_facts(docs: dict, risk: dict | None, forecast: dict | None, config: dict) -> tuple[dict, list[str]]:
    """``({name: metric}, notes)``: the customer-level inputs of every product decision.

    Why one place: each product reads the same risk band, income and capacity, and
    a loan officer should see each of them once, with its source.
    """
    cfg = config["recommendations"]
    notes: list[str] = []
    band, pd_metric = _risk(docs, risk, cfg, notes)
    turnover = _turnover(docs)
    facts = {
        "risk_band": band, "probability_of_default": pd_metric,
        "credit_score": copied(docs, "credit_score", "score", "score (300-900)"),
        "fraud_severity": _fraud(docs), "bureau_adverse": _bureau_adverse(docs),
        "worst_dpd_12m": copied(docs, "credit_summary", "worst_dpd_12m", "days"),
        "vintage_months": _vintage(docs),
        "statement_months": copied(docs, "transaction_summary", "months_covered", "count"),
        "monthly_business_credits": copied(docs, "transaction_summary", "avg_monthly_business_credits", "INR"),
        "monthly_operating_debits": _operating_debits(docs),
        "monthly_turnover": turnover,
        "annual_turnover": (metric(12 * turnover["value"], "INR", "12 x monthly_turnover",
                                   {"monthly_turnover": turnover["value"]}, "Verified annual turnover.")
                            if turnover["value"] is not None else missing("INR", "12 x monthly_turnover",
                                                                          turnover["explanation"])),
        "existing_emis": _existing_emis(docs),
        "cashflow_emi_capacity": _cashflow_capacity(docs, forecast, cfg, notes),
        "inward_bounces": copied(docs, "transaction_summary", "inward_bounces", "count"),
        "top_counterparty_share": copied(docs, "transaction_summary", "top_counterparty_share", "ratio"),
    }
    for key, found in ((forecast or {}).get("metrics") or {}).items():
        if "runway" in key and isinstance(found, dict):
            facts[f"forecast_{key}"] = {**found, "source": f"cashflow_forecast.metrics.{key}"}
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
