"""Reconciliation: do GST, ONDC and the bank tell the same story?

* :mod:`.report` — month-level GST/ONDC/bank comparison and the body of ``reconciliation.json``;
* :mod:`.match` — item level: ONDC settlements and GSTR-1 invoices matched to the bank credits that paid them.

Writes ``reconciliation.json``.
"""
