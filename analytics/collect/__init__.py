"""Smart Collect: when and how to collect each obligation, from the customer's own balance pattern.

* :mod:`.plan` — the best days to present each EMI or mandate, and the alerts: ``smart_collect.json``.
"""
