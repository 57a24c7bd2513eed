"""GST returns: turnover, tax, ITC, filing punctuality and the cross-check against the bank.

* :mod:`.summary` — the body of ``gst_summary.json`` from clean GSTR-1 and GSTR-3B records;
* :mod:`.fraud` — the documented GST fraud indicators and how they combine into a severity.

Writes ``gst_summary.json``.
"""
