"""OCEN analytics: the body of ``ocen_summary.json`` from clean OCEN loan applications.

Definitions:

* **Approved** — the application reached OFFERED or any later lifecycle state (OFFER_ACCEPTED, KYC_*,
  LOAN_AGREEMENT_*, REPAYMENT_SETUP_*, GRANTED, DISBURSEMENT_PENDING, DISBURSED, CLOSED) at any point of
  its ``statusHistory`` and is not finally REJECTED. An offer is the lender's credit decision; what
  follows (accepting, KYC, cancelling) is mostly the borrower's.
* **Rejected** — current status REJECTED (even after an offer: a lender may pull it on KYC or documents).
* **Decided** = approved + rejected. Applications still in CREATED/PROCESSING/CONSENT_*, and those
  CANCELLED before any offer, are undecided and left out of the approval rate.
* **Time to decision** — ``createdAt`` to the first history entry that is an approval state or REJECTED.
* **Active loan** — status DISBURSED with ``loanStatus`` other than CLOSED.
"""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

from analytics.metric import metric, missing

NO_DATA = "no OCEN data delivered"
LIFECYCLE = ("CREATED", "PROCESSING", "CONSENT_REQUIRED", "CONSENT_APPROVED", "CONSENT_REJECTED", "OFFERED",
             "OFFER_ACCEPTED", "KYC_PENDING", "KYC_COMPLETED", "KYC_FAILED", "LOAN_AGREEMENT_PENDING",
             "LOAN_AGREEMENT_SIGNED", "REPAYMENT_SETUP_PENDING", "REPAYMENT_SETUP_COMPLETED", "GRANTED",
             "DISBURSEMENT_PENDING", "DISBURSED", "CLOSED", "REJECTED", "CANCELLED")
APPROVAL_STATES = frozenset(LIFECYCLE[LIFECYCLE.index("OFFERED"):LIFECYCLE.index("CLOSED") + 1])
RECENT_DAYS = 90
UNITS = {"applications": "count", "approval_rate": "ratio", "rejections": "count", "disbursed_amount": "INR",
         "active_loans": "count", "overdue_or_npa_loans": "count", "avg_time_to_decision_days": "days",
         "recent_applications_90d": "count"}


def _statuses(app: dict) -> list[str]:
    return [h["status"] for h in app.get("statusHistory") or []] + [app["status"]]


def decision(app: dict) -> str:
    """``APPROVED``, ``REJECTED`` or ``UNDECIDED`` by the module's definitions."""
    if app["status"] == "REJECTED":
        return "REJECTED"
    if any(s in APPROVAL_STATES for s in _statuses(app)):
        return "APPROVED"
    return "UNDECIDED"


def _decision_days(app: dict) -> float | None:
    created = datetime.fromisoformat(app["createdAt"])
    for h in sorted(app.get("statusHistory") or [], key=lambda h: h["timestamp"]):
        if h["status"] in APPROVAL_STATES or h["status"] == "REJECTED":
            return (datetime.fromisoformat(h["timestamp"]) - created).total_seconds() / 86400
    return None


def _count_table(counter: Counter, ids: dict[str, list[str]], key: str, order: tuple[str, ...], what: str) -> list:
    rows = []
    for name in sorted(counter, key=lambda k: (order.index(k) if k in order else len(order), k)):
        rows.append({key: name, "count": metric(counter[name], "count", f"applications with {key} {name}",
                                                {"applications": ids[name]}, what)})
    return rows


def summarize_ocen(records: list[dict], as_of: date, config: dict) -> dict:
    """The body of ``ocen_summary.json``: applications by state, approval rate, rejections, loans, tables.

    Why: OCEN journeys show how other lenders judged this borrower recently and how hungry for credit
    it is; disbursed loans and their status are obligations the bank statement may not yet show.
    """
    if not records:
        return {"metrics": {k: missing(u, "see data dictionary: ocen_applications", NO_DATA) for k, u in UNITS.items()},
                "by_state": [], "rejection_reasons": [], "applications": []}
    apps = sorted(records, key=lambda a: (a["createdAt"], a["loanApplicationId"]))
    ids = [a["loanApplicationId"] for a in apps]
    by_decision: dict[str, list[str]] = {"APPROVED": [], "REJECTED": [], "UNDECIDED": []}
    for a in apps:
        by_decision[decision(a)].append(a["loanApplicationId"])
    decided = len(by_decision["APPROVED"]) + len(by_decision["REJECTED"])
    fa = "approved (reached OFFERED or later, not finally REJECTED) / (approved + rejected)"
    metrics: dict[str, dict] = {
        "applications": metric(len(apps), "count", "OCEN loan applications", {"applications": ids},
                               "Loan applications made through OCEN."),
        "approval_rate": (metric(len(by_decision["APPROVED"]) / decided, "ratio", fa,
                                 {"approved": by_decision["APPROVED"], "rejected": by_decision["REJECTED"],
                                  "undecided": by_decision["UNDECIDED"]},
                                 "Share of lender decisions that were offers.")
                          if decided else missing("ratio", fa, "no application has been decided yet",
                                                  {"undecided": by_decision["UNDECIDED"]})),
    }
    rejected = [a for a in apps if a["status"] == "REJECTED"]
    reasons = Counter(a.get("rejectionReason") or "UNSPECIFIED" for a in rejected)
    reason_ids: dict[str, list[str]] = {}
    for a in rejected:
        reason_ids.setdefault(a.get("rejectionReason") or "UNSPECIFIED", []).append(a["loanApplicationId"])
    metrics["rejections"] = metric(len(rejected), "count", "applications with status REJECTED",
                                   {"applications": [a["loanApplicationId"] for a in rejected],
                                    **{f"reason_{k}": v for k, v in sorted(reasons.items())}},
                                   "Applications lenders turned down; reasons in the rejection_reasons table.")
    disbursed = [a for a in apps if a.get("disbursedAmount") is not None and a.get("disbursedAt")
                 and a["disbursedAt"][:10] <= as_of.isoformat()]
    metrics["disbursed_amount"] = metric(sum(float(a["disbursedAmount"]) for a in disbursed), "INR",
                                         "Σ disbursedAmount of applications disbursed on or before as-of",
                                         {"applications": [a["loanApplicationId"] for a in disbursed],
                                          "amounts": [float(a["disbursedAmount"]) for a in disbursed]},
                                         "Credit actually received through OCEN.")
    active = [a for a in apps if a["status"] == "DISBURSED" and a.get("loanStatus") != "CLOSED"]
    metrics["active_loans"] = metric(len(active), "count", "status DISBURSED and loanStatus not CLOSED",
                                     {"applications": [a["loanApplicationId"] for a in active],
                                      "emi": [a.get("emiAmount") for a in active]}, "OCEN loans still running.")
    bad = [a for a in active if a.get("loanStatus") in ("EMI_OVERDUE", "NPA")]
    metrics["overdue_or_npa_loans"] = metric(len(bad), "count", "active loans with loanStatus EMI_OVERDUE or NPA",
                                             {"applications": [a["loanApplicationId"] for a in bad],
                                              "loan_status": [a["loanStatus"] for a in bad]},
                                             "Running OCEN loans already in arrears.")
    timed = [(a["loanApplicationId"], _decision_days(a)) for a in apps if decision(a) != "UNDECIDED"]
    timed = [(i, d) for i, d in timed if d is not None]
    ft = "mean of (first approval-state or REJECTED timestamp - createdAt) in days, decided applications"
    metrics["avg_time_to_decision_days"] = (
        metric(sum(d for _, d in timed) / len(timed), "days", ft,
               {"applications": [i for i, _ in timed], "days": [round(d, 2) for _, d in timed]},
               "How long lenders took to decide.")
        if timed else missing("days", ft, "no decided application with a decision in its status history"))
    start = as_of - timedelta(days=RECENT_DAYS)
    recent = [a for a in apps if start.isoformat() < a["createdAt"][:10] <= as_of.isoformat()]
    metrics["recent_applications_90d"] = metric(len(recent), "count", f"applications created after "
                                                f"{start.isoformat()} up to {as_of.isoformat()}",
                                                {"applications": [a["loanApplicationId"] for a in recent]},
                                                "Recent appetite for credit: many applications is credit hunger.")
    state_ids: dict[str, list[str]] = {}
    for a in apps:
        state_ids.setdefault(a["status"], []).append(a["loanApplicationId"])
    return {"metrics": metrics,
            "by_state": _count_table(Counter(a["status"] for a in apps), state_ids, "status", LIFECYCLE,
                                     "Applications currently in this state."),
            "rejection_reasons": _count_table(reasons, reason_ids, "reason", (), "Rejections for this reason."),
            "applications": [_row(a) for a in apps]}


def _row(a: dict) -> dict[str, Any]:
    keys = ("loanApplicationId", "createdAt", "productType", "requestedAmount", "offeredAmount", "sanctionedAmount",
            "interestRate", "tenureMonths", "status", "rejectionReason", "disbursedAt", "disbursedAmount",
            "emiAmount", "loanStatus", "repaymentMandate")
    return {**{k: a.get(k) for k in keys}, "lender": (a.get("lender") or {}).get("name"), "decision": decision(a)}
