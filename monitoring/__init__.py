"""Loan monitoring: the loan book, repayment events, behavioural features and live default risk.

* :mod:`monitoring.loans` — the loan book from clean OCEN applications and accepted recommendations: EMI
  schedules, collateral;
* :mod:`monitoring.acceptances` — recording that a customer accepted a recommended product (the API's
  ``POST /api/loans``, ``python -m monitoring accept``, the demo's acceptances);
* :mod:`monitoring.events` — repayment event validation (schema + reason codes) and quarantine entries;
* :mod:`monitoring.features` — per-loan behavioural features folded from events;
* :mod:`monitoring.synthetic` / :mod:`monitoring.model` — the synthetic repayment history, the behavioural
  default model (trained by the underwriting trainer), scoring and alert reasons;
* :mod:`monitoring.ingest` — ``ingest_events``: idempotent, durable, batched ingestion and re-scoring;
* :mod:`monitoring.portfolio` — the read side (current risk, risk history, the portfolio);
* :mod:`monitoring.stream` — the Redis Streams consumer.

See ``docs/monitoring.md``.
"""
