"""Anomalies in the bank statement: documented rules and an ML detector beside them.

* :mod:`.rules` — rule-based red flags with their thresholds: ``anomalies_report.json``;
* :mod:`.ml` — Isolation Forest over per-transaction features and change points in monthly flows:
  ``enhanced_anomalies.json``;
* :mod:`.ml_features` — the per-transaction features and the words that explain a flagged transaction.
"""
