"""Reconciliation: do GST, ONDC and the bank tell the same story?

* :mod:`.report` — month-level GST/ONDC/bank comparison and the body of ``reconciliation.json``;
* :mod:`.match` — item level: ONDC settlements and GSTR-1 invoices matched one-to-one to the credits that paid them;
* :mod:`.multi` — then credit notes, TDS at an inferred rate, several invoices in one credit, invoices in parts;
* :mod:`.tds` — TDS rates inferred from amounts, GSTR-1 credit notes; :mod:`.groups` — every match as a group.

Writes ``reconciliation.json``.
"""
