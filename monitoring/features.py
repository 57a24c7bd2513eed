"""Behavioural monitoring features of one loan, kept up to date event by event.

:class:`LoanState` folds a loan's repayment events into per-instalment facts
(amount due and paid, paid in full or not, days late, bounces, part
payments) in O(1) per event, and :meth:`LoanState.features` reads the
features off them as of the loan's clock. The clock is the latest date the
loan's events speak of (due dates, payment times and event times): repayment
events, not the wall clock, tell the loan's story, so replaying a history
gives the same features whenever it is replayed.

Definitions (``W`` = ``monitoring.windows_days``: short 91 days, long 183):

* a *reported* instalment is one with at least one event; an instalment
  with no event yet is not reported, never assumed missed;
* an instalment paid in full (PAID or LATE, or part payments adding up to
  the amount due) was late by ``paid date − due date`` days (0 if early);
  one not paid in full is late by ``clock − due date`` days, at least 1 once a
  presentation bounced or a part payment came in;
* ``dpd_now``: the most days late of the instalments still not paid in full;
* ``worst_delay_short`` / ``worst_delay_long``: the most days late of the
  instalments due within the last 3 / 6 months of the clock;
* ``partial_count_long``: instalments due in the last 6 months with a PARTIAL
  payment; ``bounced_count_long``: BOUNCED events on them (a re-presentation
  that bounces again counts again);
* ``ltv`` (secured loans only): (scheduled principal outstanding at the clock +
  arrears) / collateral value;
* from the customer's latest analytics: ``foir`` (debt-to-income, FOIR),
  ``income_cv`` (income stability), ``revolving_utilisation`` (bureau credit
  utilisation) and ``underwriting_pd`` (the underwriting risk model's PD).
"""
from __future__ import annotations

from bisect import insort
from dataclasses import dataclass
from datetime import date
from typing import Any

from monitoring.schedules import outstanding_at


@dataclass(frozen=True)
class MonitoringFeature:
    """One input of the behavioural model: name, words, documented direction of risk and where it comes from."""

    name: str
    description: str
    monotone: int
    source: str


FEATURES: tuple[MonitoringFeature, ...] = (
    MonitoringFeature("dpd_now", "Days past due now (oldest instalment not paid in full)", +1, "repayment events"),
    MonitoringFeature("worst_delay_short", "Worst payment delay in days, instalments due in the last 3 months", +1,
                      "repayment events"),
    MonitoringFeature("worst_delay_long", "Worst payment delay in days, instalments due in the last 6 months", +1,
                      "repayment events"),
    MonitoringFeature("partial_count_long", "Instalments part-paid in the last 6 months", +1, "repayment events"),
    MonitoringFeature("bounced_count_long", "Mandate bounces in the last 6 months", +1, "repayment events"),
    MonitoringFeature("foir", "Debt-to-income: fixed obligations as a share of income (FOIR)", +1,
                      "analytics transaction_summary.foir"),
    MonitoringFeature("revolving_utilisation", "Credit utilisation of revolving lines in the bureau", +1,
                      "analytics credit_summary.revolving_utilisation"),
    MonitoringFeature("income_cv", "Income stability: variability of monthly business credits (CV)", +1,
                      "analytics transaction_summary.income_cv"),
    MonitoringFeature("ltv", "Loan-to-value: outstanding and arrears over collateral value (secured loans)", +1,
                      "loan book + repayment events"),
    MonitoringFeature("underwriting_pd", "Probability of default from the underwriting risk model", +1,
                      "analytics risk_model.probability_of_default"),
)
FEATURE_NAMES: tuple[str, ...] = tuple(f.name for f in FEATURES)
MONOTONE: dict[str, int] = {f.name: f.monotone for f in FEATURES}
DESCRIPTIONS: dict[str, str] = {f.name: f.description for f in FEATURES}
BEHAVIOURAL = ("dpd_now", "worst_delay_short", "worst_delay_long", "partial_count_long", "bounced_count_long")
CUSTOMER_INPUTS = {"foir": ("transaction_summary", "foir"), "income_cv": ("transaction_summary", "income_cv"),
                   "revolving_utilisation": ("credit_summary", "revolving_utilisation"),
                   "underwriting_pd": ("risk_model", "probability_of_default")}
PAID_TOLERANCE = 1.0  # rupees: part payments within a rupee of the amount due count as paid in full


def describe(name: str) -> str:
    """The plain description of a monitoring feature."""
    return DESCRIPTIONS.get(name, name.replace("_", " "))


def _ordinal(iso_day: str) -> int:
    return date.fromisoformat(iso_day).toordinal()


class LoanState:
    """A loan's repayment facts, folded from its events; :meth:`apply` is idempotent by ``event_id``.

    Each instalment is a tuple ``(amount_due, paid, done, delay, bounces, partial)`` keyed by the ordinal of its
    due date: tuples of plain values are not tracked by Python's garbage collector, so a large book adds no
    collection pauses. The due ordinals are also kept sorted and the unpaid ones in a set, so reading the
    features touches only the windows and the open arrears, however long the loan's history grows.
    """

    __slots__ = ("loan", "instalments", "applied", "clock", "last_event", "events", "_order", "_open")

    def __init__(self, loan: dict):
        self.loan = loan
        self.instalments: dict[int, tuple] = {}
        self.applied: set[str] = set()
        self.clock: str | None = None
        self.last_event: dict | None = None
        self.events = 0
        self._order: list[int] = []
        self._open: set[int] = set()

    def apply(self, event: dict) -> bool:
        """Fold one valid event in; False (and nothing changes) when this event id was applied before."""
        event_id = event["event_id"]
        if event_id in self.applied:
            return False
        self.applied.add(event_id)
        self.events += 1
        due, status = event["due_date"], event["status"]
        key = _ordinal(due)
        inst = self.instalments.get(key)
        if inst is None:
            amount_due, paid, done, delay, bounces, partial = float(event["amount_due"]), 0.0, False, None, 0, False
            insort(self._order, key)
            self._open.add(key)
        else:
            amount_due, paid, done, delay, bounces, partial = inst
        latest = max(due, event["ts"][:10])
        if status == "BOUNCED":
            bounces += 1
        else:
            paid_day = event["paid_at"][:10]
            latest = max(latest, paid_day)
            paid += float(event["amount_paid"])
            partial = partial or status == "PARTIAL"
            if not done and (status != "PARTIAL" or paid >= amount_due - PAID_TOLERANCE):
                done, delay = True, max(0, _ordinal(paid_day) - key)
                self._open.discard(key)
        self.instalments[key] = (amount_due, paid, done, delay, bounces, partial)
        if self.clock is None or latest > self.clock:
            self.clock = latest
        self.last_event = {"event_id": event_id, "status": status, "due_date": due, "paid_at": event.get("paid_at"),
                           "amount_paid": event.get("amount_paid"), "ts": event["ts"]}
        return True

    def behaviour(self, windows: tuple[int, int] = (91, 183), clock: str | None = None) -> dict[str, Any]:
        """The event-driven features (and the arrears) as of ``clock`` (default: the loan's own clock)."""
        clock = clock or self.clock
        dpd = worst_short = worst_long = partial_count = bounced_count = 0
        arrears = 0.0
        if clock is not None:
            now = _ordinal(clock)
            short, long_ = windows
            for key in self._open:
                amount_due, paid, _, _, bounces, partial = self.instalments[key]
                age = now - key
                if age >= 0:  # an instalment not yet due is not in arrears
                    dpd = max(dpd, max(age, 1) if (bounces or partial) else age)
                    arrears += max(0.0, amount_due - paid)
            for key in reversed(self._order):
                age = now - key
                if age < 0:
                    continue  # paid ahead of its due date
                if age > long_:
                    break
                _, _, done, delay, bounces, partial = self.instalments[key]
                if not done:
                    delay = max(age, 1) if (bounces or partial) else age
                worst_long = max(worst_long, delay)
                partial_count += partial
                bounced_count += bounces
                if age <= short:
                    worst_short = max(worst_short, delay)
        return {"dpd_now": dpd, "worst_delay_short": worst_short, "worst_delay_long": worst_long,
                "partial_count_long": partial_count, "bounced_count_long": bounced_count,
                "arrears": round(arrears, 2)}

    def features(self, inputs: dict[str, Any], windows: tuple[int, int] = (91, 183),
                 clock: str | None = None) -> dict[str, Any]:
        """Every model input: the behaviour above, the customer's analytics ``inputs`` and the loan-to-value."""
        facts = self.behaviour(windows, clock)
        arrears = facts.pop("arrears")
        row = {**facts, **{name: inputs.get(name) for name in CUSTOMER_INPUTS}}
        row["ltv"] = loan_to_value(self.loan, clock or self.clock, arrears)
        return row


def loan_to_value(loan: dict, clock: str | None, arrears: float = 0.0) -> float | None:
    """(Scheduled outstanding at ``clock`` + arrears) / collateral value, for a secured loan with a valued one."""
    collateral = loan.get("collateral_value")
    if not loan.get("secured") or not isinstance(collateral, (int, float)) or collateral <= 0:
        return None
    outstanding = outstanding_at(loan, clock) if clock else float(loan["principal"])
    return round((outstanding + arrears) / collateral, 6)


def customer_inputs(documents: dict[str, dict | None]) -> dict[str, Any]:
    """The analytics inputs of a customer from its latest documents (``metrics[key]["value"]``; None when absent)."""
    out: dict[str, Any] = {}
    for name, (document, key) in CUSTOMER_INPUTS.items():
        metric = ((documents.get(document) or {}).get("metrics") or {}).get(key)
        value = metric.get("value") if isinstance(metric, dict) else None
        out[name] = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    return out
