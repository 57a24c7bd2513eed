"""The credit decision: knock-outs, then the PD grade, then an offer — one policy, one answer, every reason.

Order (``credit_policy`` in config.json, see docs/decision.md):

1. **Knock-outs**, each evaluated and listed whether or not it fired: HIGH GST fraud indicators; a written-off,
   suit-filed or wilful-default account in the bureau; 90+ DPD in the last 12 months; too little data behind the
   assessment; no active consent for a lending purpose. A fired knock-out decides (``knockout_decisions``: DECLINE
   or REFER; the harshest wins) before the PD is looked at.
2. **PD grade**: the risk model's probability of default falls in one of the policy's grades (the risk model's
   bands), each with its decision. No PD: REFER (the score step has not run).
3. **An offer or a referral**: an APPROVE or APPROVE_WITH_CONDITIONS carries the top eligible product of
   ``recommendations.json`` as its offer; with none eligible it becomes REFER — "no repayment capacity" when the
   year's cash flow leaves no room for an instalment, else the reasons the products failed.
4. **Conditions**: the offer's own (product terms, security, CGTMSE, repayment mandate, concentration ...), the
   grade's (``grade_conditions``) and any flag an officer must clear (MEDIUM GST fraud indicators).

The result also carries the reasons for and against in plain words (:mod:`analytics.decision.reasons`), how to
collect the new instalment (consistent with Smart Collect: presented on its due date, never after), the model's
validation figures and the policy's version and hash.
"""
from __future__ import annotations

from typing import Any

from analytics.decision.policy import Policy
from analytics.decision.reasons import rank_reasons
from analytics.metric import metric, missing
from pipeline.indian import inr_words

SEVERITY_ORDER = {"APPROVE": 0, "APPROVE_WITH_CONDITIONS": 1, "REFER": 2, "DECLINE": 3}


def _metric(doc: dict | None, key: str) -> dict | None:
    found = ((doc or {}).get("metrics") or {}).get(key)
    return found if isinstance(found, dict) else None


def _value(doc: dict | None, key: str) -> Any:
    found = _metric(doc, key)
    return None if found is None else found.get("value")


def _knockout(kid: str, rule: str, fired: bool | None, value: Any, text: str, outcome: str) -> dict[str, Any]:
    return {"id": kid, "rule": rule, "fired": bool(fired), "assessed": fired is not None, "value": value,
            "text": text, "outcome": outcome if fired else None}


def evaluate_knockouts(docs: dict[str, dict], consent: dict | None, policy: Policy) -> list[dict[str, Any]]:
    """Every knock-out rule of the policy on this customer, fired or not, with the figure it looked at."""
    ko, out = policy.knockouts, policy.knockout_decisions
    gst = docs.get("gst_summary") or {}
    severity = (gst.get("fraud_indicators") or {}).get("severity")
    kinds = [i.get("title") for i in (gst.get("fraud_indicators") or {}).get("indicators") or []]
    fired = None if severity is None else severity in ko["fraud_severities"]
    rows = [_knockout("fraud", f"GST fraud-indicator severity in {ko['fraud_severities']}", fired, severity,
                      f"{severity}-severity fraud indicators ({', '.join(kinds)}): refer to fraud control, no credit"
                      if fired else f"GST fraud-indicator severity {severity or 'not assessed'}", out["fraud"])]
    credit = docs.get("credit_summary") or {}
    flags = {name: _value(credit, name) for name in ko["bureau_flags"]}
    known = {k: v for k, v in flags.items() if v is not None}
    hit = sorted(k for k, v in known.items() if v)
    rows.append(_knockout("bureau_adverse", f"no account {', '.join(ko['bureau_flags'])} in the bureau",
                          (bool(hit) if known else None), hit or False,
                          f"The bureau shows an account {', '.join(h.replace('_', '-') for h in hit)}" if hit else
                          ("No written-off, suit-filed or wilful-default account in the bureau" if known else
                           "No bureau report to check"), out["bureau_adverse"]))
    dpd = _value(credit, "worst_dpd_12m")
    limit = int(ko["max_dpd_12m"])
    rows.append(_knockout("dpd_90_plus", f"worst DPD in the last 12 months at most {limit} days",
                          None if dpd is None else dpd > limit, dpd,
                          f"{dpd:.0f} days past due in the last 12 months (90+ DPD)" if dpd is not None and dpd > limit
                          else f"Worst DPD in 12 months {'not reported' if dpd is None else f'{dpd:.0f} days'}",
                          out["dpd_90_plus"]))
    sufficiency = (docs.get("credit_score") or {}).get("data_sufficiency") or {}
    thin = ko.get("require_sufficient_data", True) and sufficiency.get("sufficient") is False
    rows.append(_knockout("insufficient_data", "enough data behind the assessment (credit_score.data_sufficiency)",
                          thin if sufficiency else None, sufficiency.get("sufficient"),
                          "Too little data to decide: " + "; ".join(sufficiency.get("reasons") or []) if thin else
                          "Enough statement and bureau data to decide", out["insufficient_data"]))
    status = (consent or {}).get("status")
    purpose = str(((consent or {}).get("Purpose") or {}).get("code") or "")
    ok = status == "ACTIVE" and purpose in [str(p) for p in ko["lending_purposes"]]
    rows.append(_knockout("no_lending_consent", f"an ACTIVE consent for a lending purpose {ko['lending_purposes']}",
                          not ok, {"status": status, "purpose": purpose or None},
                          ("No active consent for a lending purpose on record" if consent is None else
                           f"Consent {status} for purpose {purpose}: not an active lending consent") if not ok else
                          f"Consent ACTIVE for purpose {purpose}", out["no_lending_consent"]))
    return rows


def _risk_grade(risk: dict | None, score: dict | None, policy: Policy) -> dict[str, Any]:
    pd_metric = _metric(risk, "probability_of_default")
    scorecard = (score or {}).get("score") or missing("score (300-900)", "credit score", "not computed")
    overlays = [o.get("id") for o in (score or {}).get("overlays") or []]
    if pd_metric is None or pd_metric.get("value") is None:
        why = (pd_metric or {}).get("reason") or "no risk model output: run the score step"
        return {"probability_of_default": pd_metric or missing("probability", "risk model", why), "band": None,
                "label": f"No risk grade ({why})", "scorecard": scorecard, "overlay_applied": bool(overlays)}
    grade = policy.grade_for(float(pd_metric["value"]))
    return {"probability_of_default": pd_metric, "band": grade.band,
            "label": f"{grade.band.capitalize()} risk (PD {pd_metric['value']:.1%})", "scorecard": scorecard,
            "overlay_applied": bool(overlays), "overlays": overlays}


def _no_offer_reason(recommendations: dict | None) -> tuple[str, str]:
    products = (recommendations or {}).get("products") or []
    capacity = [r for p in products for r in p.get("rules") or [] if r.get("id") == "cashflow_capacity"]
    if not products or (capacity and all(r.get("status") == "fail" for r in capacity)):
        return "no_repayment_capacity", "No repayment capacity: the year's cash flow leaves no room for a new instalment"
    top = products[0]
    why = "; ".join(top.get("reasons") or []) or "no product is eligible"
    return "no_eligible_product", f"No product can be offered (best fit {top.get('name')}: {why})"


def _capacity_exhausted(capacity: dict) -> dict[str, str] | None:
    """A reason against when the year's cash flow leaves no room for any new instalment, with its figures."""
    room = (capacity.get("max_new_emi") or {}).get("value")
    if room is None or room > 0:
        return None
    owed = (capacity.get("existing_obligations") or {}).get("value") or 0
    foir = (capacity.get("foir_gross") or {}).get("value")
    dscr = (capacity.get("dscr") or {}).get("value")
    parts = [f"existing EMIs of {inr_words(owed)} a month"]
    if foir is not None:
        parts.append(f"{foir:.0%} of business credits")
    if dscr is not None:
        parts.append(f"cash flow covers them {dscr:.2f}x")
    return {"text": "No repayment capacity: " + ", ".join(parts), "source": "decision.capacity.max_new_emi"}


def _offer(entry: dict) -> dict[str, Any]:
    keys = ("amount", "annual_rate", "tenure_months", "emi", "processing_fee", "total_interest")
    return {"product_id": entry["id"], "name": entry["name"], "structure": (entry.get("structure") or {}).get("kind"),
            "structure_description": (entry.get("structure") or {}).get("description"),
            "security": entry.get("security"), "repayment": (entry.get("repayment") or {}).get("kind"),
            **{k: entry.get(k) for k in keys}, "basis": entry.get("basis"), "conditions": entry.get("conditions") or []}


def _collection(offer: dict | None, collect: dict | None, bounces: int) -> dict[str, Any] | None:
    if offer is None:
        return None
    window = (collect or {}).get("optimal_window") or {}
    methods = [o.get("recommended_method") for o in (collect or {}).get("obligations") or []]
    common = sorted(set(methods), key=lambda m: (-methods.count(m), m))  # ties broken by name: deterministic
    method = "e-mandate" if bounces else (common[0] if common else "NACH")
    day = window.get("start_day")
    if day is None:
        return {"method": method, "due_day": None, "presentation_day": None,
                "why": "No daily balance history: set the due date with the customer at sanction."}
    return {"method": method, "due_day": day, "presentation_day": day,
            "why": f"Due on day {day}, when the account usually holds the most (Smart Collect's optimal window, days "
                   f"{window['start_day']}-{window['end_day']}, median {inr_words(window['median_available_balance'])}); "
                   f"presented on the due date, never after it"
                   + ("; e-mandate because the account has bounced an instalment before" if bounces else "")}


def decide(docs: dict[str, dict], risk: dict | None, recommendations: dict | None, consent: dict | None,
           policy: Policy) -> dict[str, Any]:
    """The body of ``decision.json`` for one customer (see the module docstring and docs/decision.md).

    ``docs`` are the analytics documents by name (``gst_summary``, ``credit_summary``, ``credit_score``,
    ``transaction_summary``, ``smart_collect``), ``risk`` the body of ``risk_model.json``, ``recommendations`` of
    ``recommendations.json`` (either may be None), ``consent`` the customer's consent artefact.
    """
    knockouts = evaluate_knockouts(docs, consent, policy)
    fired = [k for k in knockouts if k["fired"]]
    grade = _risk_grade(risk, docs.get("credit_score"), policy)
    rules_fired = [f"knockout_{k['id']}" for k in fired]
    conditions: list[str] = []
    offer, capacity_reason = None, None
    eligible = [p for p in (recommendations or {}).get("products") or [] if p.get("eligible")]
    if fired:
        decision, decided_by = max((k["outcome"] for k in fired), key=SEVERITY_ORDER.get), "knockout"
    elif grade["band"] is None:
        decision, decided_by = "REFER", "pd_cutoff"
        rules_fired.append("no_probability_of_default")
    else:
        decision, decided_by = next(g.decision for g in policy.grades if g.band == grade["band"]), "pd_cutoff"
        rules_fired.append(f"grade_{grade['band'].lower()}")
        severity = ((docs.get("gst_summary") or {}).get("fraud_indicators") or {}).get("severity")
        if severity in policy.knockouts.get("condition_fraud_severities", []) and decision == "APPROVE":
            decision = "APPROVE_WITH_CONDITIONS"
            rules_fired.append("fraud_flags_to_clear")
            conditions.append(f"A credit officer must clear the {severity}-severity GST red flags before disbursal")
        if decision in ("APPROVE", "APPROVE_WITH_CONDITIONS"):
            if eligible:
                offer = _offer(eligible[0])
            else:
                rule, capacity_reason = _no_offer_reason(recommendations)
                decision, decided_by = "REFER", "capacity"
                rules_fired.append(rule)
    if offer is not None:
        conditions = list(dict.fromkeys([*offer["conditions"], *policy.grade_conditions.get(grade["band"], []),
                                         *conditions]))
    elif decision == "REFER" and grade["band"] is not None and not fired:
        conditions = list(policy.grade_conditions.get(grade["band"], []))
    reasons_for, reasons_against = rank_reasons(risk, docs.get("credit_score"))
    lead = [{"text": k["text"], "source": f"policy.knockouts.{k['id']}"} for k in fired]
    if capacity_reason:
        lead.append({"text": capacity_reason, "source": "recommendations"})
    elif decision in ("REFER", "DECLINE"):
        exhausted = _capacity_exhausted((recommendations or {}).get("capacity") or {})
        if exhausted:
            lead.append(exhausted)
    reasons_against = (lead + reasons_against)[:max(3, len(lead))]
    bounces = int(_value(docs.get("transaction_summary"), "inward_bounces") or 0)
    model = ((risk or {}).get("model") or {})
    stats = model.get("metrics") or {}
    body = {
        "decision": decision, "decided_by": decided_by, "policy": policy.stamp(), "risk_grade": grade,
        "knockouts": knockouts, "rules_fired": rules_fired, "reasons_for": reasons_for,
        "reasons_against": reasons_against, "conditions": conditions, "offer": offer,
        "offers": [_offer(p) for p in eligible],
        "capacity": {"metrics": (recommendations or {}).get("capacity") or {}},
        "collection": _collection(offer, docs.get("smart_collect"), bounces),
        "model": {"version": model.get("version"), "family": model.get("family"),
                  **{k: (stats.get(k) or {}).get("mean") for k in ("roc_auc", "ks", "gini", "brier")}},
    }
    body["metrics"] = _metrics(body, grade)
    body["summary"] = _summary(body)
    return body


def _metrics(body: dict, grade: dict) -> dict[str, dict]:
    offer = body["offer"]
    capacity = body["capacity"]["metrics"].get("max_new_emi") or missing("INR/month", "capacity", "not computed")
    none = "no offer: the decision is " + body["decision"]
    return {"probability_of_default": grade["probability_of_default"], "scorecard": grade["scorecard"],
            "max_new_emi": capacity,
            "offered_amount": (offer or {}).get("amount") or missing("INR", "the offer's amount", none),
            "annual_rate": (offer or {}).get("annual_rate") or missing("ratio (annual)", "the offer's rate", none),
            "knockouts_fired": metric(sum(k["fired"] for k in body["knockouts"]), "count",
                                      "count(knock-out rules that fired)",
                                      {"fired": [k["id"] for k in body["knockouts"] if k["fired"]]},
                                      "Policy rules that decide before the PD.")}


def _summary(body: dict) -> str:
    offer, grade = body["offer"], body["risk_grade"]
    risk = grade["label"]
    if offer:
        amount, rate = offer["amount"]["value"], offer["annual_rate"]["value"]
        return (f"{body['decision'].replace('_', ' ').title()}: {offer['name']} of {inr_words(amount)} at {rate:.2%}"
                f" — {risk}; policy {body['policy']['version']}")
    why = (body["reasons_against"] or [{"text": risk}])[0]["text"]
    return f"{body['decision'].replace('_', ' ').title()}: {why} — {risk}; policy {body['policy']['version']}"


def as_recommendation(body: dict, stage: str) -> dict[str, Any]:
    """The decision as ``overall_summary.recommendation`` carries it (``decision``, ``reasons``, ``conditions``,
    ``policy`` as before), so the first page and ``decision.json`` never disagree. ``stage`` says whether the
    risk model and the offers were in (``final``) or not yet (``preliminary``, after ``analyze`` alone)."""
    approve = body["decision"] in ("APPROVE", "APPROVE_WITH_CONDITIONS")
    reasons = [r["text"] for r in (body["reasons_for"] + body["reasons_against"] if approve else
                                   body["reasons_against"] + body["reasons_for"])]
    return {"decision": body["decision"], "decided_by": body["decided_by"], "stage": stage, "reasons": reasons,
            "reasons_for": [r["text"] for r in body["reasons_for"]],
            "reasons_against": [r["text"] for r in body["reasons_against"]],
            "conditions": body["conditions"], "summary": body["summary"],
            "policy": (f"credit policy {body['policy']['version']}: knock-outs, then PD grades "
                       "(docs/decision.md)"), "policy_version": body["policy"]["version"],
            "source": "decision.json" if stage == "final" else "knock-outs only: the risk model and offers come "
                                                                 "with the score and models steps"}
