"""The credit bureau report: DPD history, delinquency events, enquiries, utilisation and EMI burden.

* :mod:`.summary` — the body of ``credit_summary.json`` from clean bureau segments.

Writes ``credit_summary.json``.
"""
