"""The credit decision and the policy it applies: one policy, PD in the decision, sizing from a year of cash flow.

* :mod:`.policy` — ``credit_policy`` from config.json, checked and versioned (knock-outs, PD grades, limits, prices);
* :mod:`.capacity` — repayment capacity from the trailing 12 months and a 12-month forecast: FOIR gross and net,
  DSCR (not applicable without debt), the largest new instalment, projected turnover;
* :mod:`.pricing` — the risk-based rate: benchmark + cost of funds + operating cost + PD × LGD + capital charge;
* :mod:`.reasons` — reasons for and against in plain words;
* :mod:`.decide` — knock-outs, then the PD grade, then an offer or a referral, with conditions and collection.

Writes ``decision.json`` (the ``models`` step) and the ``recommendation`` of ``overall_summary.json``; capacity and
pricing also size and price every offer of ``recommendations.json``. See docs/decision.md.
"""
